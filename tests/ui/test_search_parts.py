"""Searching for an IFS part by name, as a therapist would, opens the part where it is kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget

from console.services import search
from tests.ui.people import type_keys
from ui.controller import AppController
from ui.session.tabs.ifs import IfsTab

PART_NAME = "Girl in the car park"  # an exile on the demo client's map


def _row_of(results: QListWidget, kind: str) -> int:
    kinds = [results.item(i).data(Qt.ItemDataRole.UserRole).kind for i in range(results.count())]
    assert kind in kinds, kinds
    return kinds.index(kind)


def _click(qtbot, results: QListWidget, row: int, double: bool = False) -> None:  # type: ignore[no-untyped-def]
    """On the hit's text, where a person's pointer lands (the list takes what it ignores)."""
    label = results.itemWidget(results.item(row))
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    if double:
        qtbot.mouseDClick(label, Qt.MouseButton.LeftButton)


def test_a_part_found_by_name_opens_on_the_map_and_in_its_session(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    services = unlocked.services
    assert window is not None and services is not None
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_dock.isVisible()
    assert QApplication.focusWidget() is window.search.query
    type_keys(qtbot, PART_NAME)
    results = window.search.results
    qtbot.waitUntil(lambda: results.count() >= 2, timeout=3_000)

    part_row = _row_of(results, search.PART)
    part_hit = results.item(part_row).data(Qt.ItemDataRole.UserRole)
    label = results.itemWidget(results.item(part_row)).text()
    assert "· Part ·" in label and PART_NAME in label
    _click(qtbot, results, part_row, double=True)
    parts_map = window.overview.parts_map_window
    assert parts_map is not None and parts_map.isVisible(), "no session open: the map window"
    assert [str(p) for p in parts_map.editor.scene.selected_part_ids()] == [part_hit.record_id]
    assert window.overview.client is not None
    assert str(window.overview.client.id) == part_hit.client_id

    work_row = _row_of(results, search.PART_WORK)
    work_hit = results.item(work_row).data(Qt.ItemDataRole.UserRole)
    assert "Part in session" in results.itemWidget(results.item(work_row)).text()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    _click(qtbot, results, work_row)
    assert QApplication.focusWidget() is results and results.currentRow() == work_row
    type_keys(qtbot, Qt.Key.Key_Return)

    workspace = window.current_workspace()
    assert workspace is not None, "the session that worked with the part is open"
    assert services.search.place(work_hit).session_id == workspace.session.id
    tab = workspace.tabs.currentWidget()
    assert isinstance(tab, IfsTab) and workspace.current_tool() == "ifs"
    assert workspace.tabs.tabText(workspace.tabs.currentIndex()) == "Parts"
    assert [str(p) for p in tab.editor.scene.selected_part_ids()] == [part_hit.record_id]
    assert tab.editor.detail.name.text() == PART_NAME
    assert not parts_map.isVisible(), "one editor per map: the window closed for the tab"


def test_an_emdr_target_found_by_its_image_opens_the_emdr_tab_of_its_session(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    services = unlocked.services
    assert window is not None and services is not None
    window.find_action.trigger()
    type_keys(qtbot, "faces pressed close")
    results = window.search.results
    qtbot.waitUntil(lambda: results.count() > 0, timeout=3_000)
    hit = results.item(0).data(Qt.ItemDataRole.UserRole)
    assert hit.kind == search.EMDR_TARGET
    assert "EMDR target · Crowded train" in results.itemWidget(results.item(0)).text()
    type_keys(qtbot, Qt.Key.Key_Return)

    workspace = window.current_workspace()
    assert workspace is not None and workspace.current_tool() == "emdr"
    assert workspace.session.id == services.search.place(hit).session_id
    tab = workspace.tab_widgets["emdr"]
    plan: QListWidget = tab.targets  # type: ignore[attr-defined]
    chosen = plan.currentItem().data(Qt.ItemDataRole.UserRole)
    assert str(chosen) == hit.record_id, "the session that processed it, its target unchanged"
    assert QApplication.focusWidget() is plan
