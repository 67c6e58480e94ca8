"""The parts-map editor driven as a therapist would: add, drag, connect, undo, fill, reopen."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from console.clinical import ifs as c
from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.ui.conftest import save_artifact
from ui.controller import AppController
from ui.ifs_map.add_part import AddPartDialog
from ui.ifs_map.editor import MapEditor
from ui.session.tabs.ifs import IfsTab

START = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)


def _client(unlocked: AppController) -> uuid.UUID:
    services = unlocked.services
    assert services is not None
    return services.clients.create(ClientFields(name="Map Tester")).id


def _open(unlocked: AppController, client_id: uuid.UUID, days: int = 0) -> tuple[uuid.UUID, IfsTab]:
    services, window = unlocked.services, unlocked.main_window
    assert services is not None and window is not None
    session = services.sessions.create(
        client_id, SessionFields(starts_at=START + timedelta(days=days), kind=SessionKind.IFS)
    )
    return session.id, _reopen(unlocked, session.id)


def _reopen(unlocked: AppController, session_id: uuid.UUID) -> IfsTab:
    window = unlocked.main_window
    assert window is not None
    workspace = window.open_session(session_id)
    assert workspace is not None
    tab = workspace.tab_widgets["ifs"]
    assert isinstance(tab, IfsTab)
    workspace.tabs.setCurrentWidget(tab)
    window.resize(1366, 768)
    return tab


def _close_all(unlocked: AppController) -> None:
    window = unlocked.main_window
    assert window is not None
    for workspace in window.workspaces():
        workspace.shutdown()
        window.area.removeTab(window.area.indexOf(workspace))
        workspace.deleteLater()


def _add_via_ui(qtbot, editor: MapEditor, name: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    editor.add_action.trigger()
    dialog = editor.add_dialog
    assert isinstance(dialog, AddPartDialog)
    qtbot.keyClicks(dialog.name, name)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def _by_name(editor: MapEditor, name: str) -> c.Part:
    return next(p for p in editor.map.parts if p.name == name)


def test_build_a_map_drag_connect_undo_fill_and_reopen(qtbot, unlocked: AppController) -> None:
    client_id = _client(unlocked)
    session_id, tab = _open(unlocked, client_id)
    editor = tab.editor
    _add_via_ui(qtbot, editor, "Worrier", "manager")
    _add_via_ui(qtbot, editor, "Little one", "exile")
    _add_via_ui(qtbot, editor, "Binger", "firefighter")
    assert [p.name for p in editor.map.parts] == ["Worrier", "Little one", "Binger"]
    assert len(editor.scene.part_items) == 3

    # empty name refused inline; nothing added
    editor.add_action.trigger()
    dialog = editor.add_dialog
    assert dialog is not None
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.error.isVisible() and "required" in dialog.error.text()
    dialog.reject()
    assert len(editor.map.parts) == 3

    # drag Worrier with the mouse: one undo step
    worrier = _by_name(editor, "Worrier")
    item = editor.scene.part_items[worrier.id]
    editor.view.fit()
    view = editor.view
    steps_before = editor.undo_stack.count()
    start = view.mapFromScene(item.pos())
    end = start + QPoint(60, 30)
    QTest.mousePress(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start
    )
    for i in range(1, 6):
        QTest.mouseMove(view.viewport(), start + (end - start) * (i / 5))
    QTest.mouseRelease(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end
    )
    assert editor.undo_stack.count() == steps_before + 1
    moved = _by_name(editor, "Worrier")
    assert (moved.x, moved.y) != (worrier.x, worrier.y)
    assert (item.pos().x(), item.pos().y()) == (moved.x, moved.y)

    # arrows nudge: several presses, one undo step
    view.select_part(worrier.id)
    view.setFocus()
    steps = editor.undo_stack.count()
    for _ in range(3):
        QTest.keyClick(view, Qt.Key.Key_Right)
    assert editor.undo_stack.count() == steps + 1
    assert _by_name(editor, "Worrier").x == moved.x + 15

    # connect through the menu offered for two selected parts
    little = _by_name(editor, "Little one")
    binger = _by_name(editor, "Binger")
    editor.scene.clearSelection()
    editor.scene.part_items[worrier.id].setSelected(True)
    editor.scene.part_items[little.id].setSelected(True)
    editor.connect_action.trigger()
    menu = editor.link_menu
    assert menu is not None
    kinds = [a.objectName() for a in menu.actions()]
    assert kinds == ["protects", "polarised", "allied", "exiled_by"]
    next(a for a in menu.actions() if a.objectName() == "protects").trigger()
    menu.close()
    assert len(editor.map.relations) == 1 and editor.map.relations[0].kind == "protects"
    assert len(editor.scene.relation_items) == 1
    # and by dragging, with the mouse, from the selected part's handle to another part
    editor.scene.clearSelection()
    source_item = editor.scene.part_items[worrier.id]
    source_item.setSelected(True)
    assert source_item.handle.isVisible()
    grip = view.mapFromScene(source_item.handle.scenePos())
    drop = view.mapFromScene(editor.scene.part_items[binger.id].pos())
    menus_before = editor.link_menu
    moved_again = _by_name(editor, "Worrier")
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, grip)
    for i in range(1, 6):
        QTest.mouseMove(viewport, grip + (drop - grip) * (i / 5))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    assert _by_name(editor, "Worrier") == moved_again, "dragging the handle does not move the part"
    menu = editor.link_menu
    assert menu is not None and menu is not menus_before
    assert menu is not None
    next(a for a in menu.actions() if a.objectName() == "polarised").trigger()
    menu.close()
    polar = next(r for r in editor.map.relations if r.kind == "polarised")
    assert polar.strength == c.DEFAULT_POLARITY
    # a self-loop or a drop on empty space draws nothing, and says so
    editor.scene.begin_link(worrier.id, QPointF(0, 0))
    editor.scene.end_link(editor.scene.part_items[worrier.id].pos(), QPoint(0, 0))
    assert "itself" in editor.status_line.text()
    editor.scene.begin_link(worrier.id, QPointF(0, 0))
    editor.scene.end_link(QPointF(5000, 5000), QPoint(0, 0))
    assert "empty space" in editor.status_line.text()
    assert len(editor.map.relations) == 2

    # undo / redo with the standard keys
    view.window().activateWindow()
    qtbot.waitUntil(view.window().isActiveWindow)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(editor.map.relations) == 1 and len(editor.scene.relation_items) == 1
    QTest.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert len(editor.map.relations) == 2 and len(editor.scene.relation_items) == 2

    # a duplicate name is allowed but warned
    _add_via_ui(qtbot, editor, "binger", "firefighter")
    assert len(editor.map.parts) == 4
    assert "more than one part" in editor.status_line.text()

    # Delete removes the part and its lines, in one undo step
    twin = editor.map.parts[-1]
    view.select_part(twin.id)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert editor.map.part(twin.id) is None and len(editor.map.parts) == 3
    view.select_part(binger.id)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert editor.map.part(binger.id) is None
    assert [r.kind for r in editor.map.relations] == ["protects"]
    assert len(editor.scene.relation_items) == 1
    editor.undo_action.trigger()
    assert len(editor.map.relations) == 2 and binger.id in editor.scene.part_items

    # Tab walks the parts; Enter opens the detail panel; fill attributes
    view.setFocus()
    editor.scene.clearSelection()
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert editor.scene.selected_part_ids() == [worrier.id]  # managers first
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert editor.scene.selected_part_ids() == [binger.id]
    view.select_part(little.id)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Return)
    detail = editor.detail
    assert detail.part_id == little.id and editor.side.currentIndex() == 0
    qtbot.keyClicks(detail.texts["age"], "6")
    qtbot.keyClicks(detail.texts["burden"], "I am too much")
    qtbot.keyClicks(detail.texts["body_location"], "chest")
    detail.activation.setValue(8)
    steps = editor.undo_stack.count()
    qtbot.keyClicks(detail.texts["fears"], "alone")
    assert editor.undo_stack.count() == steps + 1  # typing in one field is one step
    little_now = _by_name(editor, "Little one")
    assert (little_now.age, little_now.burden, little_now.body_location, little_now.fears) == (
        "6",
        "I am too much",
        "chest",
        "alone",
    )
    assert little_now.activation == 8

    # step through the six F's, with a note each, and record an unburdening
    for key, box in detail.six_fs.items():
        box.setChecked(True)
        qtbot.keyClicks(detail.six_f_notes[key], f"note {key}")
    detail.release.setCurrentIndex(detail.release.findData("light"))
    qtbot.keyClicks(detail.unburdening["witnessing"], "shown the kitchen")
    detail.unburden_button.click()
    assert _by_name(editor, "Little one").status == "unburdened"

    # Self energy and the C's
    editor.energy.setValue(7)
    editor.cs["calm"].setChecked(True)
    editor.cs["curiosity"].setChecked(True)
    assert editor.map.self_energy == 7 and editor.map.self_cs == ("calm", "curiosity")
    qtbot.waitUntil(lambda: editor.save_status.text().startswith("Saved"), timeout=5_000)
    save_artifact(unlocked.main_window, "ifs-map-light.png")  # type: ignore[arg-type]

    # reopen the session: the same map, positions, lines, six F's
    expected = editor.map
    _close_all(unlocked)
    tab = _reopen(unlocked, session_id)
    editor = tab.editor
    assert {p.id: (p.name, p.x, p.y, p.status) for p in editor.map.parts} == {
        p.id: (p.name, p.x, p.y, p.status) for p in expected.parts
    }
    assert {(r.kind, r.source, r.target) for r in editor.map.relations} == {
        (r.kind, r.source, r.target) for r in expected.relations
    }
    assert editor.map.self_energy == 7
    assert editor.energy.value() == 7 and editor.cs["calm"].isChecked()
    editor.open_part(little.id)
    detail = editor.detail
    assert all(box.isChecked() for box in detail.six_fs.values())
    assert detail.six_f_notes["befriend"].toPlainText() == "note befriend"
    assert detail.unburdening["witnessing"].text() == "shown the kitchen"
    assert detail.release.currentData() == "light"
    assert detail.texts["burden"].toPlainText() == "I am too much"
    item = editor.scene.part_items[worrier.id]
    assert (item.pos().x(), item.pos().y()) == (
        expected.part(worrier.id).x,
        expected.part(worrier.id).y,
    )  # type: ignore[union-attr]


def test_history_slider_shows_an_earlier_snapshot_with_highlights(
    qtbot, unlocked: AppController
) -> None:
    services = unlocked.services
    assert services is not None
    client_id = _client(unlocked)
    _, tab = _open(unlocked, client_id)
    editor = tab.editor
    _add_via_ui(qtbot, editor, "Critic", "manager")
    _add_via_ui(qtbot, editor, "Little one", "exile")
    editor.flush()
    _close_all(unlocked)
    _, tab = _open(unlocked, client_id, days=7)
    editor = tab.editor
    _add_via_ui(qtbot, editor, "Protector of sleep", "manager")
    little = _by_name(editor, "Little one")
    editor.mark_unburdened(little.id)
    editor.flush()
    editor.reload_history()
    slider = editor.history_slider
    assert slider.maximum() == 2 and slider.value() == 2 and editor.history_label.text() == "Now"

    slider.setValue(0)
    assert editor.read_only and not editor.add_action.isEnabled()
    assert editor.banner.isVisible() and "read only" in editor.banner.text()
    assert {i.part.name for i in editor.scene.part_items.values()} == {"Critic", "Little one"}
    editor.delete_selected()
    assert len(editor.map.parts) == 3
    # even with a part selected, Delete (key or action) changes nothing in the past
    critic = next(i.part.id for i in editor.scene.part_items.values() if i.part.name == "Critic")
    editor.view.select_part(critic)
    editor.view.setFocus()
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    editor.delete_selected()
    assert len(editor.map.parts) == 3 and critic in editor.scene.part_items
    assert {p.name for p in services.ifs.load(client_id).parts} == {
        "Critic",
        "Little one",
        "Protector of sleep",
    }

    slider.setValue(1)
    assert "added Protector of sleep" in editor.banner.text()
    assert "unburdened Little one" in editor.banner.text()
    lit = {i.part.name for i in editor.scene.part_items.values() if i.highlighted}
    assert lit == {"Protector of sleep", "Little one"}
    editor.window().resize(1366, 768)
    save_artifact(editor.window(), "ifs-map-history.png")

    slider.setValue(2)
    assert not editor.read_only and not editor.banner.isVisible()
    assert not any(i.highlighted for i in editor.scene.part_items.values())
    assert len(editor.scene.part_items) == 3
    assert {i.part.name for i in editor.scene.part_items.values()} == {
        "Critic",
        "Little one",
        "Protector of sleep",
    }
    stored = services.ifs.load(client_id)
    assert next(p for p in stored.parts if p.name == "Little one").status == "unburdened"


def test_overview_opens_the_map_without_a_session_and_lock_closes_it(
    qtbot, unlocked: AppController, tmp_path
) -> None:
    window = unlocked.main_window
    services = unlocked.services
    assert window is not None and services is not None
    overview = window.overview
    client_id = _client(unlocked)
    overview.show_client(client_id)
    overview.parts_map_button.click()
    map_window = overview.parts_map_window
    assert map_window is not None and map_window.isVisible()
    editor = map_window.editor
    assert not editor.self_box.isEnabled()
    assert not editor.detail.six_fs["find"].isEnabled()
    assert editor.detail.out_of_session.isVisibleTo(editor.detail)
    many = [c.Part(uuid.uuid4(), f"Part {i}", c.PART_KINDS[i % 4]) for i in range(12)]
    services.ifs.save(client_id, c.PartsMap(tuple(many)))
    map_window.close()
    overview.parts_map_button.click()
    editor = overview.parts_map_window.editor  # type: ignore[union-attr]
    assert editor.tidy_offer.isVisibleTo(editor)
    editor.tidy_now.click()
    assert not c.unplaced(editor.map) and editor.undo_stack.count() == 1
    assert {(p.x, p.y) for p in editor.map.parts} == {
        (p.x, p.y) for p in c.tidy_layout(c.PartsMap(tuple(many))).parts
    }
    path = tmp_path / "map.svg"
    from ui.ifs_map.export import export_map

    export_map(editor.scene, path)
    svg = path.read_text()
    assert "Part 11" in svg and "Firefighter" in svg and "<image" not in svg
    png = export_map(editor.scene, tmp_path / "map.png")
    assert png.stat().st_size > 1000
    _add_via_ui(qtbot, editor, "Unsaved till lock", "exile")
    assert "Unsaved till lock" not in {p.name for p in services.ifs.load(client_id).parts}
    dark = QPalette(QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    light = QApplication.palette()
    QApplication.setPalette(dark)
    try:
        editor.view.setBackgroundBrush(dark.color(QPalette.ColorRole.Base))
        editor.scene.update()
        editor.window().resize(1366, 768)
        save_artifact(editor.window(), "ifs-map-dark.png")
    finally:
        QApplication.setPalette(light)
    closed = []
    map_window = overview.parts_map_window
    assert map_window is not None
    map_window.destroyed.connect(lambda: closed.append(True))
    unlocked.lock("test")
    assert editor.save_status.text().startswith("Saved")  # saved as the window closed
    qtbot.waitUntil(lambda: bool(closed))


def test_one_editor_per_map_at_a_time(qtbot, unlocked: AppController) -> None:
    """The overview's window and a session's Parts tab never edit the same map side by side."""
    window = unlocked.main_window
    services = unlocked.services
    assert window is not None and services is not None
    client_id = _client(unlocked)
    window.overview.show_client(client_id)
    window.overview.parts_map_button.click()
    map_window = window.overview.parts_map_window
    assert map_window is not None
    _add_via_ui(qtbot, map_window.editor, "Typed in the window", "manager")
    closed: list[bool] = []
    map_window.destroyed.connect(lambda: closed.append(True))
    _session_id, tab = _open(unlocked, client_id)
    qtbot.waitUntil(lambda: bool(closed))
    assert [p.name for p in tab.editor.map.parts] == ["Typed in the window"]
    window.area.setCurrentIndex(0)
    window.overview.parts_map_button.click()
    assert window.overview.parts_map_window is None
    assert window.current_workspace() is not None
    assert window.current_workspace().tabs.currentWidget() is tab  # type: ignore[union-attr]
    # Two sessions of one client: the hidden tab saves, the shown one takes it in.
    _add_via_ui(qtbot, tab.editor, "From the first", "exile")
    _second_id, second = _open(unlocked, client_id, days=7)
    assert {p.name for p in second.editor.map.parts} == {"Typed in the window", "From the first"}
    _close_all(unlocked)


def test_six_fs_edits_undo_and_redo(qtbot, unlocked: AppController) -> None:
    client_id = _client(unlocked)
    session_id, tab = _open(unlocked, client_id)
    editor = tab.editor
    _add_via_ui(qtbot, editor, "Planner", "manager")
    part = _by_name(editor, "Planner")
    editor.open_part(part.id)
    detail = editor.detail
    detail.six_fs["find"].click()
    detail.six_f_notes["find"].setFocus()
    qtbot.keyClicks(detail.six_f_notes["find"], "shoulders")
    steps = editor.undo_stack.count()
    editor.undo_stack.undo()  # the whole note, typed, is one step
    assert detail.six_f_notes["find"].toPlainText() == ""
    assert detail.six_fs["find"].isChecked()
    editor.undo_stack.undo()
    assert not detail.six_fs["find"].isChecked()
    editor.undo_stack.redo()
    editor.undo_stack.redo()
    assert detail.six_f_notes["find"].toPlainText() == "shoulders"
    assert editor.undo_stack.count() == steps
    editor.flush()
    saved = unlocked.services.ifs.part_work(session_id, part.id)  # type: ignore[union-attr]
    assert saved is not None and saved.six_fs == ("find",) and saved.note("find") == "shoulders"
    _close_all(unlocked)
