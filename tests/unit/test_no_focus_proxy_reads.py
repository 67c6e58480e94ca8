"""No code asks a widget for its focus proxy.

PySide 6.11 makes the proxy returned by `QWidget.focusProxy()` a Python child of the
widget asked. A scroll area is its viewport's focus proxy, and a viewport's wrapper is
usually a passing one, so asking the viewport hands the scroll area to a wrapper that
soon goes; the cycle collector then deletes the scroll area, with the worksheet inside
it, while its window is open (an EMDR worksheet's fields were found deleted so).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _focus_proxy_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "focusProxy"
    ]


def test_no_code_reads_a_focus_proxy() -> None:
    found = [
        where
        for folder in ("ui", "console", "tests", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for where in _focus_proxy_reads(path)
    ]
    assert found == [], f"focusProxy() read at {found}: see this test's docstring"
