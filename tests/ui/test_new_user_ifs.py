"""Issue 15, what a new user met in the parts map: a stray "&" and one-line six F's notes.

Driven by mouse and keys on the visible widgets, found by their accessible names.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QSpinBox, QWidget

from console.export.service import ExportService
from tests.pdf_text import pages_text
from tests.ui.conftest import save_artifact
from tests.ui.test_ifs_map import _add_via_ui, _by_name, _client, _close_all, _open
from ui.controller import AppController

W = TypeVar("W", bound=QWidget)
LINES = ("Left shoulder, tight", "like a fist", "holding the breath in")


def _shown(root: QWidget, kind: type[W], name: str) -> W:
    found = [w for w in root.findChildren(kind) if w.accessibleName() == name and w.isVisible()]
    assert len(found) == 1, f"one visible {name!r}, found {len(found)}"
    return found[0]


def _drawn_text(label: QLabel) -> str:
    """What Qt paints: with a buddy "&x" is an underlined x (and "&&" one "&"), else as is."""
    text = label.text()
    if label.buddy() is None:
        return text
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def test_self_energy_label_shows_no_ampersand_and_its_key_reaches_the_field(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    _session_id, tab = _open(unlocked, _client(unlocked))
    editor = tab.editor
    bar = editor.side.tabBar()
    self_tab = next(i for i in range(bar.count()) if bar.tabText(i).startswith("Self"))
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(self_tab).center())
    energy = _shown(editor, QSpinBox, "Self energy")
    label = next(
        w
        for w in editor.side.findChildren(QLabel)
        if w.isVisible() and "nergy (0" in w.text().replace("&", "")
    )

    assert _drawn_text(label) == "Self energy (0–10)"
    save_artifact(editor.side, "ifs-self-panel.png")

    # the underlined letter is a real shortcut to the field it names
    window = editor.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    editor.view.setFocus()
    qtbot.waitUntil(editor.view.hasFocus)
    letter = label.text()[label.text().index("&") + 1]
    key = getattr(Qt.Key, f"Key_{letter.upper()}")
    qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(energy.hasFocus)
    _close_all(unlocked)


def test_six_fs_notes_take_several_lines_and_the_pdf_prints_them(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    services = unlocked.services
    assert services is not None
    session_id, tab = _open(unlocked, _client(unlocked))
    editor = tab.editor
    _add_via_ui(qtbot, editor, "Holder", "manager")
    part = _by_name(editor, "Holder")
    editor.window().activateWindow()
    qtbot.waitUntil(editor.window().isActiveWindow)
    editor.view.fit()
    spot = editor.view.mapFromScene(editor.scene.part_items[part.id].pos())
    qtbot.mouseDClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.waitUntil(lambda: editor.detail.part_id == part.id)

    find = _shown(editor.side, QWidget, "Six F Find")
    qtbot.mouseClick(find, Qt.MouseButton.LeftButton, pos=find.rect().center())
    note = _shown(editor.side, QPlainTextEdit, "Find note")
    line_height = note.fontMetrics().lineSpacing()
    assert note.height() >= 3 * line_height, "room for three lines without scrolling"
    qtbot.mouseClick(note.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClicks(QApplication.focusWidget(), LINES[0])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(QApplication.focusWidget(), LINES[1])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.keyClicks(QApplication.focusWidget(), LINES[2])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)

    assert not note.hasFocus(), "Tab leaves the note for the next field"
    assert note.toPlainText() == "\n".join(LINES), "Tab typed nothing into the note"
    save_artifact(editor.side, "ifs-six-fs-notes.png")
    editor.flush()
    saved = services.ifs.part_work(session_id, part.id)
    assert saved is not None and saved.six_fs == ("find",)
    assert saved.note("find") == "\n".join(LINES)

    lines = "\n".join(
        pages_text(ExportService(services.vault, services).session_record(session_id))
    )
    printed = [" ".join(line.split()) for line in lines.splitlines()]
    at = [next(i for i, line in enumerate(printed) if text in line) for text in LINES]
    assert at == sorted(at) and len(set(at)) == 3, f"three lines in order: {printed}"
    _close_all(unlocked)
