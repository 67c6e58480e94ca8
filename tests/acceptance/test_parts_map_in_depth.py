"""A therapist builds and works a client's IFS parts map, through every control it offers.

Out of a session (the client overview's Parts map button) a part is added, described and
renamed, tidied into place, connected, deleted and brought back with Undo, and the map is
exported as an SVG that holds what was typed. In an IFS session a part is added from the
keyboard, worked through the six F's and unburdened, Self energy and the eight C's are read,
a polarised line's strength is set, and the map's commands are used from its right-click
menu and their shortcuts; the session record PDF prints all of it. A map whose parts have
no places yet is tidied around Self by the button that offers it, and a session of the
client's program is moved to another day (and not moved, on Cancel) from its calendar.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QMenu,
    QPushButton,
    QToolBar,
    QToolButton,
    QWidget,
)

from console.clinical import ifs as c
from console.errors import NotFoundError
from console.services.bundle import Services
from console.services.ifs import PartWorkRecord
from tests.acceptance.person import ARTIFACTS, Person
from tests.inventory import _clean
from ui.controller import AppController
from ui.course.calendar import ProgramCalendar, SessionChip
from ui.dates import date_format
from ui.ifs_map.view import MapView

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton
CTRL = Qt.KeyboardModifier.ControlModifier
NO_KEYS = Qt.KeyboardModifier.NoModifier
NOTES = {
    "Find": "Her feet, tapping",
    "Focus": "Stayed with the tapping",
    "Flesh out": "Dancing at her grandmother's",
    "Feel toward": "Warm, curious",
    "beFriend": "It wants to be allowed to play",
    "Fears": "That the Worrier will shut it away again",
}
UNBURDENING = {
    "Witnessing": "Told it she was seen",
    "Do-over": "She dances in the kitchen again",
    "Retrieval": "Brought to the present, to her own room",
    "Release to": "Water",
    "Qualities invited": "Joy, playfulness",
    "Protectors' new roles": "The Worrier can rest on Sundays",
}
READ_CS = {"calm", "curiosity", "compassion", "confidence", "courage", "clarity"}
SAVED = 8_000  # ms: the map saves 1.5 s after the last edit, off the GUI thread


# -- what a person does on the map -----------------------------------------------------


def map_view(person: Person, within: QWidget | None = None) -> MapView:
    return person.find("Parts map", MapView, within=within)


def part_at(view: MapView, name: str) -> QPoint:
    """Where a part is drawn in the view, as a person sees it."""
    items = [i for i in view.map_scene.part_items.values() if i.part.name == name]
    assert len(items) == 1, f"one part called {name!r} on the map"
    point = view.mapFromScene(items[0].pos())
    assert view.viewport().rect().contains(point), f"{name!r} is in view"
    return point


def click_part(person: Person, view: MapView, name: str, add: bool = False) -> None:
    """A click on a part selects it; Ctrl+click adds it to the selection."""
    person.wait_past_double_click()
    click_at(person, view.viewport(), part_at(view, name), LEFT, CTRL if add else NO_KEYS)


def shown_parts(view: MapView) -> set[str]:
    return {i.part.name for i in view.map_scene.part_items.values()}


def drawn_at(view: MapView) -> dict[str, tuple[float, float]]:
    """Where each part is drawn on the map, by name."""
    return {
        i.part.name: (round(i.pos().x(), 3), round(i.pos().y(), 3))
        for i in view.map_scene.part_items.values()
    }


def zoom_of(view: MapView) -> float:
    return view.transform().m11()


def tool(person: Person, text: str, within: QWidget) -> None:
    """A toolbar button of the map, by the words on it."""
    bar = person.find("Parts map tools", QToolBar, within=within)
    person.click(text, QToolButton, within=bar)


def from_popup(person: Person, text: str) -> None:
    """Click an item of the menu that has just popped up."""
    person.qtbot.waitUntil(
        lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=3_000
    )
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    found = [a for a in menu.actions() if _clean(a.text()) == text and a.isVisible()]
    assert found, f"the menu offers {text!r}: {[_clean(a.text()) for a in menu.actions()]}"
    assert found[0].isEnabled(), f"{text!r} is enabled"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    menu.window().grab().save(str(ARTIFACTS / "parts-map-menu.png"))
    person.qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(found[0]).center())
    person.qtbot.waitUntil(lambda: not menu.isVisible(), timeout=3_000)


def click_at(
    person: Person,
    widget: QWidget,
    where: QPoint,
    button: Qt.MouseButton = LEFT,
    keys: Qt.KeyboardModifier = NO_KEYS,
) -> None:
    """A click as the window system delivers it, to the window at that point (a context
    menu comes from the window's handling of a right press, which an event sent to the
    widget itself skips)."""
    person.reveal(widget)
    top = widget.window()
    handle = top.windowHandle()
    assert handle is not None
    person.qtbot.mouseClick(handle, button, keys, widget.mapTo(top, where))


def map_menu(person: Person, view: MapView, on_part: str, item: str) -> None:
    """Right-click a part on the map and choose one of the map's commands."""
    person.wait_past_double_click()
    click_at(person, view.viewport(), part_at(view, on_part), RIGHT)
    from_popup(person, item)


def save_file_as(person: Person, target: Path) -> Callable[[QWidget], None]:
    """What a person does in the Save dialog: type the file's path, press Save."""

    def act(dialog: QWidget) -> None:
        person.type("fileNameEdit", str(target), replace=True)
        person.click("Save", QPushButton)

    return act


def done_after(act: Callable[[QWidget], None], done: list[bool]) -> Callable[[QWidget], None]:
    """The same acts on a dialog, noting when they are over (a dialog opened with open()
    leaves the press that opened it at once)."""

    def acting(dialog: QWidget) -> None:
        act(dialog)
        done.append(True)

    return acting


def stored_part(services: Services, client_id: uuid.UUID, name: str) -> c.Part | None:
    return next((p for p in services.ifs.load(client_id).parts if p.name == name), None)


def lines_of(
    services: Services, client: uuid.UUID, session: uuid.UUID | None = None
) -> set[tuple[str, str, str]]:
    """The map's lines in words: (from, kind, to), Self as "Self"."""
    stored = services.ifs.load(client, session)
    names = c.part_names(stored.parts)
    return {
        (names[r.source], r.kind, "Self" if r.target is None else names[r.target])
        for r in stored.relations
    }


def work_of(services: Services, session: uuid.UUID, part: uuid.UUID) -> PartWorkRecord | None:
    """The part's work in this session as kept, once the part itself is saved."""
    try:
        return services.ifs.part_work(session, part)
    except NotFoundError:
        return None


def client_id(services: Services, typed: str) -> uuid.UUID:
    return services.clients.find(typed)[0].id


# -- out of a session: the overview's map window -----------------------------------------


def test_a_map_built_from_the_overview_is_described_connected_undone_and_exported(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Zo")
    zoe = client_id(services, "Zo")
    before = services.ifs.load(zoe)

    person.click("Parts map button", QPushButton)
    toolbar = person.find("Parts map tools", QToolBar)
    window = toolbar.window()
    assert window.windowTitle().startswith("Parts map — Zo")
    view = map_view(person, window)
    assert shown_parts(view) == {p.name for p in before.parts}
    assert person.sees("The six F's and unburdening are recorded in a session")

    _zoom_and_fit(person, view, window)
    _add_cancelled_then_added(person, services, zoe, view, window)
    _describe_the_part(person, services, zoe)
    _tidy_then_connect(person, services, zoe, view, window)
    _delete_undo_redo(person, services, zoe, view, window)

    target = tmp_path / "zoe-parts-map.svg"
    person.when_dialog(save_file_as(person, target))
    tool(person, "Export", window)
    qtbot.waitUntil(target.exists, timeout=5_000)
    svg = target.read_text(encoding="utf-8")
    assert "The Inner Critic" in svg and "The Worrier" in svg, "the exported map names its parts"
    status = person.find("Map status", QLabel, within=window)
    assert status.text() == f"Exported to {target}"
    person.shot(window, "parts-map-in-depth-window")


def _zoom_and_fit(person: Person, view: MapView, window: QWidget) -> None:
    fitted = zoom_of(view)
    tool(person, "Zoom +", window)
    assert zoom_of(view) == pytest.approx(fitted * 1.2)
    tool(person, "Zoom −", window)
    tool(person, "Zoom −", window)
    assert zoom_of(view) == pytest.approx(fitted / 1.2)
    tool(person, "Fit", window)
    assert zoom_of(view) == pytest.approx(fitted), "Fit shows the whole map again"


def _add_cancelled_then_added(
    person: Person, services: Services, zoe: uuid.UUID, view: MapView, window: QWidget
) -> None:
    count = len(view.map_scene.part_items)

    def cancel(dialog: QWidget) -> None:
        person.type("New part name", "Not this one")
        person.click("Cancel", QPushButton)

    person.when_dialog(done_after(cancel, closed := []))
    tool(person, "Add part", window)
    person.qtbot.waitUntil(lambda: bool(closed) and QApplication.activeModalWidget() is None)
    person.wait_past_double_click()
    assert len(view.map_scene.part_items) == count and "Not this one" not in shown_parts(view)

    def add(dialog: QWidget) -> None:
        person.type("New part name", "The Critic")
        person.choose("New part kind", "Manager")
        person.click("OK", QPushButton)

    person.when_dialog(add)
    tool(person, "Add part", window)
    heading = person.find("Part heading", QLabel, within=window)
    person.qtbot.waitUntil(lambda: "The Critic" in heading.text(), timeout=3_000)
    person.qtbot.waitUntil(
        lambda: stored_part(services, zoe, "The Critic") is not None, timeout=SAVED
    )
    assert stored_part(services, zoe, "Not this one") is None, "Cancel kept nothing"


def _describe_the_part(person: Person, services: Services, zoe: uuid.UUID) -> None:
    person.type("Part name", "The Inner Critic", replace=True)
    person.choose("Part kind", "Firefighter")
    person.choose("Part status", "Active")
    person.type("Activation", "9", replace=True)
    person.type("Body location", "Jaw and throat")
    person.type("Age", "About 12")
    person.type("Appearance", "A tall shadow with a clipboard")
    person.type("Emotions", "Contempt, fear underneath")
    person.type("Beliefs / burden", "If I am hard on her first, nobody else can be")
    person.type("Fears (if it stopped)", "That she would become lazy and be left")
    person.type("Positive intent", "Wants her to be safe from ridicule")
    person.type("Notes", "Softened a little when thanked")
    heading = person.find("Part heading", QLabel)
    assert "The Inner Critic" in heading.text() and "Firefighter" in heading.text()

    def described() -> bool:
        part = stored_part(services, zoe, "The Inner Critic")
        return part is not None and part.notes == "Softened a little when thanked"

    person.qtbot.waitUntil(described, timeout=SAVED)
    part = stored_part(services, zoe, "The Inner Critic")
    assert part is not None and stored_part(services, zoe, "The Critic") is None
    assert (part.kind, part.status, part.activation) == ("firefighter", "active", 9)
    assert (part.body_location, part.age) == ("Jaw and throat", "About 12")
    assert part.appearance == "A tall shadow with a clipboard"
    assert part.emotions == "Contempt, fear underneath"
    assert part.burden == "If I am hard on her first, nobody else can be"
    assert part.fears == "That she would become lazy and be left"
    assert part.positive_intent == "Wants her to be safe from ridicule"


def _tidy_then_connect(
    person: Person, services: Services, zoe: uuid.UUID, view: MapView, window: QWidget
) -> None:
    placed = c.tidy_layout(services.ifs.load(zoe))
    tool(person, "Tidy", window)
    wanted = {p.name: (round(p.x, 3), round(p.y, 3)) for p in placed.parts}
    assert drawn_at(view) == wanted, "each part moved to its kind's place around Self"

    click_part(person, view, "The Inner Critic")
    click_part(person, view, "The Worrier", add=True)
    tool(person, "Connect", window)
    from_popup(person, "protects")
    status = person.find("Map status", QLabel, within=window)
    assert status.text() == "The Inner Critic protects The Worrier", "first chosen, first named"
    person.qtbot.waitUntil(
        lambda: lines_of(services, zoe) >= {("The Inner Critic", "protects", "The Worrier")},
        timeout=SAVED,
    )


def _delete_undo_redo(
    person: Person, services: Services, zoe: uuid.UUID, view: MapView, window: QWidget
) -> None:
    click_part(person, view, "The Inner Critic")
    tool(person, "Delete", window)
    assert "The Inner Critic" not in shown_parts(view)
    status = person.find("Map status", QLabel, within=window)
    assert status.text() == "Delete 1 part(s) — Ctrl+Z brings it back."
    person.qtbot.waitUntil(
        lambda: stored_part(services, zoe, "The Inner Critic") is None, timeout=SAVED
    )
    tool(person, "Undo", window)
    assert "The Inner Critic" in shown_parts(view)
    tool(person, "Redo", window)
    assert "The Inner Critic" not in shown_parts(view)
    tool(person, "Undo", window)
    person.qtbot.waitUntil(
        lambda: stored_part(services, zoe, "The Inner Critic") is not None, timeout=SAVED
    )
    stored = services.ifs.load(zoe)
    critic = stored_part(services, zoe, "The Inner Critic")
    assert critic is not None and critic.notes == "Softened a little when thanked"
    assert any(critic.id in (r.source, r.target) for r in stored.relations), "its line came back"


# -- in an IFS session: the Parts tab -------------------------------------------------------


def test_a_part_worked_in_session_is_unburdened_and_printed(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Zo")
    zoe = client_id(services, "Zo")
    person.new_session("IFS")
    person.tab("Parts")
    session = services.sessions.list_for_client(zoe)[0]
    view = map_view(person)

    _add_from_the_keyboard(person, view)
    _six_fs_and_unburdening(person, services, zoe, session.id, view)
    _self_reading(person, services, zoe, session.id)
    _polarised_strength(person, services, zoe, session.id, view)
    _map_commands_from_its_menu(person, services, zoe, session.id, view, tmp_path)

    text = person.export_session_record(tmp_path / "zoe-parts-work.pdf")
    noticed = " ".join(f"✓ {label}" for key, label in c.EIGHT_CS if key in READ_CS)
    assert f"Self energy: 7/10 · The eight C's noticed: {noticed} Since" in text
    assert "added Little Dancer; unburdened Little Dancer." in text
    assert "Little Dancer E · Exile Unburdened 5/10 — — Keeps the joy safe" in text
    assert "The Worrier polarised with (8/10) Night-time scroller" in text
    assert "Little Dancer blended with Self Self" in text
    work = " ".join(f"✓ {label} {said}" for label, said in NOTES.items())
    assert f"Little Dancer (Exile) {work} Unburdening" in text and "Not done:" not in text
    for label, said in UNBURDENING.items():
        assert f"{label} {said}" in text, f"{label!r} is in the session record"


def _add_from_the_keyboard(person: Person, view: MapView) -> None:
    """Insert on the map adds a part (the map's Add part… shortcut)."""
    click_at(person, view.viewport(), QPoint(8, 8))

    def add(dialog: QWidget) -> None:
        person.type("New part name", "Little Dancer")
        person.choose("New part kind", "Exile")
        person.click("OK", QPushButton)

    person.when_dialog(add)
    person.press(Qt.Key.Key_Insert)
    heading = person.find("Part heading", QLabel)
    person.qtbot.waitUntil(lambda: "Little Dancer" in heading.text(), timeout=3_000)
    assert "Exile" in heading.text() and "Little Dancer" in shown_parts(view)
    person.type("Positive intent", "Keeps the joy safe")


def _six_fs_and_unburdening(
    person: Person, services: Services, zoe: uuid.UUID, session_id: uuid.UUID, view: MapView
) -> None:
    for _key, label, _prompt in c.SIX_FS:
        person.click(f"Six F {label}")
    for label, said in NOTES.items():
        person.type(f"{label} note", said)
    for label, said in UNBURDENING.items():
        if label == "Release to":
            person.choose(label, said)
        else:
            person.type(label, said)
    person.click("Mark unburdened", QPushButton)
    status = person.find("Part status", QComboBox)
    assert status.currentText() == "Unburdened"
    part_id = next(
        i.part_id for i in view.map_scene.part_items.values() if i.part.name == "Little Dancer"
    )

    def worked() -> bool:
        record = work_of(services, session_id, part_id)
        return record is not None and record.new_roles == "The Worrier can rest on Sundays"

    person.qtbot.waitUntil(worked, timeout=SAVED)
    record = work_of(services, session_id, part_id)
    dancer = stored_part(services, zoe, "Little Dancer")
    assert dancer is not None
    assert record is not None
    assert set(record.six_fs) == {key for key, _, _ in c.SIX_FS}, "all six F's ticked"
    assert {label: record.note(key) for key, label, _ in c.SIX_FS} == NOTES
    kept = {label: getattr(record, key) for key, label in c.UNBURDENING_FIELDS}
    assert kept == {**UNBURDENING, "Release to": "water"}
    assert dancer.status == "unburdened" and dancer.positive_intent == "Keeps the joy safe"


def _self_reading(
    person: Person, services: Services, zoe: uuid.UUID, session_id: uuid.UUID
) -> None:
    person.tab("Self & legend")
    person.type("Self energy", "7", replace=True)
    for _key, label in c.EIGHT_CS:
        if not person.find(f"Self {label}", QCheckBox).isChecked():
            person.click(f"Self {label}")
    person.click("Self Creativity")
    person.click("Self Connectedness")
    ticked = {k for k, label in c.EIGHT_CS if person.find(f"Self {label}", QCheckBox).isChecked()}
    assert ticked == READ_CS, "a second click takes a quality back"

    def read() -> bool:
        shown = services.ifs.load(zoe, session_id)
        return shown.self_energy == 7 and set(shown.self_cs) == READ_CS

    person.qtbot.waitUntil(read, timeout=SAVED)
    person.tab("Part")


def _polarised_strength(
    person: Person, services: Services, zoe: uuid.UUID, session_id: uuid.UUID, view: MapView
) -> None:
    """Click the line between the Worrier and the scroller, set how strong the pull is."""
    line = next(i for i in view.map_scene.relation_items.values() if i.relation.kind == "polarised")
    person.wait_past_double_click()
    click_at(person, view.viewport(), view.mapFromScene(line.boundingRect().center()))
    person.expect("The Worrier polarised with")
    person.type("Polarisation strength", "8", replace=True)
    person.qtbot.waitUntil(
        lambda: any(
            r.kind == "polarised" and r.strength == 8
            for r in services.ifs.load(zoe, session_id).relations
        ),
        timeout=SAVED,
    )
    person.tab("Part")


def _map_commands_from_its_menu(
    person: Person,
    services: Services,
    zoe: uuid.UUID,
    session_id: uuid.UUID,
    view: MapView,
    tmp_path: Path,
) -> None:
    """The map's commands from its right-click menu and the menu key, and the zoom keys."""
    map_menu(person, view, "Little Dancer", "Fit")
    fitted = zoom_of(view)
    person.press(Qt.Key.Key_Plus, CTRL)
    assert zoom_of(view) == pytest.approx(fitted * 1.2)
    person.press(Qt.Key.Key_Minus, CTRL)
    person.press(Qt.Key.Key_Minus, CTRL)
    assert zoom_of(view) == pytest.approx(fitted / 1.2)
    map_menu(person, view, "Little Dancer", "Zoom +")
    assert zoom_of(view) == pytest.approx(fitted)
    map_menu(person, view, "Little Dancer", "Zoom −")
    click_part(person, view, "Little Dancer")
    person.press(Qt.Key.Key_Menu)
    from_popup(person, "Zoom +")
    assert zoom_of(view) == pytest.approx(fitted), "the menu key opens the same commands"
    person.press(Qt.Key.Key_Minus, CTRL)
    person.press(Qt.Key.Key_0, CTRL)
    assert zoom_of(view) == pytest.approx(fitted)

    map_menu(person, view, "Little Dancer", "Connect…")
    from_popup(person, "blended with Self")
    person.qtbot.waitUntil(
        lambda: ("Little Dancer", "blended", "Self") in lines_of(services, zoe, session_id),
        timeout=SAVED,
    )

    map_menu(person, view, "The Planner", "Delete")
    assert "The Planner" not in shown_parts(view), "the part right-clicked is the one deleted"
    assert "Little Dancer" in shown_parts(view)
    person.press(Qt.Key.Key_Z, CTRL)
    assert "The Planner" in shown_parts(view)
    person.press(Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert "The Planner" not in shown_parts(view), "Redo deletes it again"
    person.press(Qt.Key.Key_Z, CTRL)
    assert "The Planner" in shown_parts(view)

    placed = c.tidy_layout(services.ifs.load(zoe, session_id))
    map_menu(person, view, "Little Dancer", "Tidy")
    assert drawn_at(view) == {p.name: (round(p.x, 3), round(p.y, 3)) for p in placed.parts}

    target = tmp_path / "zoe-session-map.png"
    person.when_dialog(save_file_as(person, target))
    map_menu(person, view, "Little Dancer", "Export…")
    person.qtbot.waitUntil(target.exists, timeout=5_000)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000
    person.expect(f"Exported to {target}")


# -- a map kept before its parts had places ---------------------------------------------------


def test_parts_without_places_are_tidied_around_self(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    """A map whose parts all sit at the centre (as one kept with no layout is) offers to
    tidy them; the map in the vault is arranged before the person opens it."""
    services = console.services
    assert services is not None
    alex = client_id(services, "Alex")
    names = ("The Guard", "The Runner", "Small one")
    parts = [
        c.Part(uuid.uuid4(), n, k)
        for n, k in zip(names, ("manager", "firefighter", "exile"), strict=True)
    ]
    services.ifs.save(alex, c.PartsMap(tuple(parts)))
    person.open_client("Alex")

    person.click("Parts map button", QPushButton)
    window = person.find("Parts map tools", QToolBar).window()
    view = map_view(person, window)
    assert set(drawn_at(view).values()) == {(0.0, 0.0)}
    assert person.sees("These parts have no places on the map yet.")
    person.click("Tidy now", QPushButton)
    wanted = {
        p.name: (round(p.x, 3), round(p.y, 3))
        for p in c.tidy_layout(c.PartsMap(tuple(parts))).parts
    }
    assert drawn_at(view) == wanted
    assert not person.sees("These parts have no places on the map yet.")
    qtbot.waitUntil(lambda: not c.unplaced(services.ifs.load(alex)), timeout=SAVED)
    kept = {p.name: (round(p.x, 3), round(p.y, 3)) for p in services.ifs.load(alex).parts}
    assert kept == wanted


# -- the program calendar's Move to… ----------------------------------------------------------


def test_a_program_session_moved_to_another_day_and_a_move_cancelled(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Zo")
    person.click("Calendar for Weekly integration (EMDR and IFS)", QPushButton)
    calendar = person.find("Program heading", QLabel).window()
    assert isinstance(calendar, ProgramCalendar)
    chip = next(ch for ch in calendar.findChildren(SessionChip) if ch.isVisible())
    session_id = chip.entry.session.id
    was = services.sessions.get(session_id).starts_at.astimezone()
    person.reveal(chip)
    qtbot.mouseClick(chip, LEFT, pos=chip.rect().center())
    qtbot.waitUntil(chip.isChecked, timeout=3_000)

    def cancel(dialog: QWidget) -> None:
        person.type("New day", _shown(was.date() + timedelta(days=2)))
        person.click("Cancel", QPushButton)

    person.click("Move to", QPushButton, then=done_after(cancel, closed := []))
    qtbot.waitUntil(lambda: bool(closed) and QApplication.activeModalWidget() is None)
    assert services.sessions.get(session_id).starts_at.astimezone() == was, "Cancel moved nothing"

    target = was.date() + timedelta(days=1)

    def move(dialog: QWidget) -> None:
        person.type("New day", _shown(target))
        person.click("OK", QPushButton)

    person.click("Move to", QPushButton, then=move)
    qtbot.waitUntil(
        lambda: services.sessions.get(session_id).starts_at.astimezone().date() == target,
        timeout=3_000,
    )
    moved = services.sessions.get(session_id).starts_at.astimezone()
    assert (moved.hour, moved.minute) == (was.hour, was.minute), "the time of day stays"


def _shown(day: date) -> str:
    """A day as the date field shows it, typed in that form."""
    return QDate(day.year, day.month, day.day).toString(date_format())
