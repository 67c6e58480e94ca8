"""Reading a rendered PDF back as text, the way every export test checks what it printed."""

from __future__ import annotations

import io

import pypdf


def pages_text(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


def flat(pdf: bytes) -> str:
    """All text, with line breaks as spaces (wrapping must not split a check)."""
    return " ".join(" ".join(pages_text(pdf)).split())
