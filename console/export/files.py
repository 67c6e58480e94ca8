"""Putting a PDF on disk: all of it or nothing (docs/security.md 16).

The bytes go to a temporary file in the target folder, are flushed to disk,
then renamed over the target in one step (`atomic_write_bytes`): a crash, a
full disk or a failed render leaves either the old file untouched or the new
one complete, and never a stray temporary file. The file is created readable
by its owner only (0600), as befits health information.
"""

from __future__ import annotations

import re
from pathlib import Path

from console.errors import ConsoleError
from console.vault.fsutil import atomic_write_bytes

_PAGES_COUNT = re.compile(
    rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b"
)


class ExportError(ConsoleError):
    """The PDF could not be written; nothing was left behind and no file was changed."""


def write_pdf(data: bytes, path: Path) -> None:
    """Write `data` to `path` atomically; errors name the file, never the folder's path."""
    target = Path(path)
    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF")
    if target.is_dir():
        raise ExportError(f"{target.name} is a folder: choose a file name")
    if not target.parent.is_dir():
        raise ExportError(f"the folder for {target.name} does not exist")
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ExportError(f"could not write {target.name}: {reason}") from exc


def count_pages(data: bytes) -> int:
    """Pages in a PDF reportlab wrote (its page tree root is a plain dictionary)."""
    counts = [int(a or b) for a, b in _PAGES_COUNT.findall(data)]
    return max(counts, default=0)
