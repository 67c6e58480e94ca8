"""The one way to find a file the application ships (STYLE 7): fonts, icons, themes.

Resources live in `resources/` at the top of the checkout. A PyInstaller
bundle unpacks them under `sys._MEIPASS/resources`, so code never builds a
path from `__file__` itself: it asks `resource_path("fonts/DejaVuSans.ttf")`.
A name that is not there is a packaging bug, so it fails loudly at once
instead of producing a PDF in a fallback font or a blank icon.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

RESOURCE_DIR = "resources"


class ResourceNotFoundError(LookupError):
    """A resource name that the application does not ship (a bug, not a user error)."""


def resource_root() -> Path:
    """`resources/` inside a PyInstaller bundle if running from one, else in the checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / RESOURCE_DIR
    return Path(__file__).resolve().parent.parent / RESOURCE_DIR


def resource_path(name: str) -> Path:
    """The file for a resource name such as "fonts/DejaVuSans.ttf" (always "/"-separated).

    Raises `ResourceNotFoundError` for an unknown name, an absolute path or a
    name that tries to leave the resources folder.
    """
    relative = PurePosixPath(name)
    if not name or relative.is_absolute() or ".." in relative.parts or "\\" in name:
        raise ResourceNotFoundError(f"not a resource name: {name!r}")
    root = resource_root()
    path = root.joinpath(*relative.parts)
    if not path.is_file():
        raise ResourceNotFoundError(f"unknown resource {name!r} (looked in {root})")
    return path
