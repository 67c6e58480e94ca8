"""The whole EMDR protocol in one session, and a session's sets run, rated and re-rated.

The first journey works the EMDR tab as a therapist does through a session: every
phase and the preparation checklist ticked, a present trigger assessed in the target
dialog (a positive cognition picked from the suggestions), the target moved up and
down the sequence plan, put in processing, edited, and the session closed with a
re-evaluation SUD, interweaves, the VOC at the end and body scan notes. The vault holds
each of these and the session record prints them.

The second journey runs the pacer in an integration session: a narrower sweep moves
the dot at rest towards the centre of the preview, the path and sound are changed,
one set counts for ART and one for EMDR, the first is rated in the pacer's quick
fields and the second from the EMDR tab's set list, where Cancel keeps nothing and
Save keeps the new ratings. The set log in the record shows what was run and said.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QWidget,
)

from console.clinical import emdr
from console.services.bundle import Services
from console.services.emdr import TargetRecord
from tests.acceptance.person import LEFT, Person
from ui.controller import AppController
from ui.rating_box import RatingBox

TITLE = "Lifts at work"
DEMO_TARGET = "Crowded train, March 2024"


def test_a_session_through_every_phase_with_a_new_target(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Alex")
    client = services.clients.find("Alex")[0]
    person.new_session("EMDR")
    session = services.sessions.list_for_client(client.id)[0]
    person.tab("EMDR")

    for phase in emdr.PHASES:
        person.click(f"Phase {phase.label}")
    for item in emdr.PREPARATION:
        person.click(f"Preparation {item.label}")

    def assess(dialog: QWidget) -> None:
        person.type("Title", TITLE)
        person.choose("Target kind", "Present trigger")
        person.type("Memory", "The lift at the office stuck between floors in May")
        person.type("Worst image", "The display frozen at 4")
        person.type("Negative cognition", "I am trapped", replace=True)
        choose_suggestion(person, "Positive cognition", "I have choices")
        person.type("VOC", "3")
        person.type("Emotions", "Dread")
        person.type("SUD", "7")
        person.type("Body location", "Stomach and hands")
        person.click("Save")

    person.click("New target", then=assess)
    target = _target(services, client.id)
    assert target.kind == "trigger" and target.positive_cognition == "I have choices"
    assert target.memory == "The lift at the office stuck between floors in May"
    assert target.worst_image == "The display frozen at 4"
    assert (target.voc, target.sud) == (3, 7)
    assert (target.emotions, target.body_location) == ("Dread", "Stomach and hands")
    assert target.position == 1, "a new target goes to the end of the plan"

    plan = person.find("EMDR targets", QListWidget)
    person.click("Move target up")
    qtbot.waitUntil(lambda: plan.item(0).text().startswith(f"1. {TITLE}"), timeout=3_000)
    assert _plan(services, client.id) == [TITLE, DEMO_TARGET]
    person.click("Move target down")
    qtbot.waitUntil(lambda: plan.item(1).text().startswith(f"2. {TITLE}"), timeout=3_000)
    assert _plan(services, client.id) == [DEMO_TARGET, TITLE]

    person.choose("Target status", "In processing")
    qtbot.waitUntil(lambda: _target(services, client.id).status == "in_processing")
    assert "In processing" in plan.currentItem().text()

    def edit(dialog: QWidget) -> None:
        person.type("Emotions", "Dread, then anger", replace=True)
        person.click("Save")

    person.click("Edit target", then=edit)
    edited = _target(services, client.id)
    assert edited.emotions == "Dread, then anger"
    assert edited.status == "in_processing", "editing keeps the status chosen"

    reevaluation = person.find("Re-evaluation SUD", RatingBox)
    assert reevaluation.text() == "7", "re-evaluation starts from the target's last SUD"
    person.type("Re-evaluation SUD", "4", replace=True)
    person.type("Interweaves", "Cognitive interweave: who has the key to the lift now?")
    person.type("VOC at end", "6")
    saved = person.find("EMDR save status", QLabel)
    qtbot.waitUntil(lambda: saved.text().startswith("Saved"), timeout=6_000)
    person.type("Body scan notes", "Hands warm, a little buzz in the stomach")
    assert saved.text() == "Unsaved changes…", "the last line typed is not saved yet"
    qtbot.waitUntil(lambda: saved.text().startswith("Saved"), timeout=6_000)

    work = services.emdr.get_work(session.id)
    assert work is not None and work.target_id == target.id
    assert work.phases_done == emdr.PHASE_KEYS
    assert all(work.prepared(key) for key in emdr.PREPARATION_KEYS)
    assert (work.reevaluation_sud, work.voc_end) == (4, 6)
    assert work.interweaves == "Cognitive interweave: who has the key to the lift now?"
    assert work.body_scan_notes == "Hands warm, a little buzz in the stomach"
    person.shot(console.main_window, "emdr-whole-protocol")  # type: ignore[arg-type]

    text = person.export_session_record(tmp_path / "alex-whole-protocol.pdf")
    assert f"{TITLE} (Present trigger)" in text
    assert "I have choices" in text and "VOC 3 (1–7) · SUD 7 (0–10)" in text
    assert "Dread, then anger" in text and "Stomach and hands" in text
    assert "Phases done " + ", ".join(p.label for p in emdr.PHASES) in text
    for item in emdr.PREPARATION:
        assert f"✓ {item.label}" in text
    assert "who has the key to the lift now?" in text
    assert "SUD — · VOC 6" in text
    assert "not asked: Hands warm, a little buzz in the stomach" in text
    assert "Re-evaluation SUD 4" in text


def test_sets_run_for_each_worksheet_and_rated_after(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Noor")
    client = services.clients.find("Noor")[0]
    person.new_session("Integration")
    session = services.sessions.list_for_client(client.id)[0]
    person.tab("Pacer")

    person.tab("Appearance and sound")
    preview = person.find("Pacer preview", QWidget)
    colour = QColor(person.find("Stimulus colour", QPushButton).text())
    wide = _dot_offset(preview, colour)
    person.type("Sweep width", "40", replace=True)
    qtbot.waitUntil(lambda: _dot_offset(preview, colour) < wide * 0.6, timeout=3_000)
    assert _dot_offset(preview, colour) > wide * 0.4, "half the sweep, half the way out"

    person.tab("Set")
    person.choose("Path", "Figure eight")
    person.choose("Sound", "Click")
    person.choose("Worksheet for sets", "ART")
    _run_a_set(qtbot, person, services, session.id, 1)
    first = services.bls_sets.list_for_session(session.id)[0]
    assert (first.protocol, first.path, first.sound) == ("art", "figure_eight", "click")

    person.type("SUD after set", "6")
    person.type("VOC after set", "3")
    person.type("What came up", "A door at the end of the hallway")
    person.click("Save set notes")
    person.expect("Saved with set 1.")
    first = services.bls_sets.list_for_session(session.id)[0]
    assert (first.sud, first.voc, first.notes) == (6, 3, "A door at the end of the hallway")

    person.choose("Worksheet for sets", "EMDR")
    _run_a_set(qtbot, person, services, session.id, 2)
    assert services.bls_sets.list_for_session(session.id)[1].protocol == "emdr"

    person.tab("EMDR")
    sets = person.find("Sets this session", QListWidget)
    qtbot.waitUntil(lambda: sets.count() == 1, timeout=3_000)
    assert sets.item(0).text().startswith("Set 2:"), "the ART set counts for the ART worksheet"

    def change_mind(dialog: QWidget) -> None:
        person.type("SUD", "9")
        person.type("What came up", "Not this one")
        person.click("Cancel")

    _open_set(person, sets, change_mind)
    second = services.bls_sets.list_for_session(session.id)[1]
    assert (second.sud, second.voc, second.notes) == (None, None, "")
    assert "SUD —" in sets.item(0).text()

    def rate(dialog: QWidget) -> None:
        person.type("SUD", "3")
        person.type("VOC", "6")
        person.type("What came up", "The hallway felt wider")
        person.click("Save")

    person.wait_past_double_click()
    _open_set(person, sets, rate)
    qtbot.waitUntil(lambda: "SUD 3, VOC 6" in sets.item(0).text(), timeout=3_000)
    second = services.bls_sets.list_for_session(session.id)[1]
    assert (second.sud, second.voc, second.notes) == (3, 6, "The hallway felt wider")

    text = person.export_session_record(tmp_path / "noor-sets.pdf")
    assert text.count("figure eight click") == 2, "both sets print their path and sound"
    assert "A door at the end of the hallway" in text and "The hallway felt wider" in text


def choose_suggestion(person: Person, name: str, item: str) -> None:
    """An editable drop-down: click its arrow and pick the item with the keys."""
    combo = person.find(name, QComboBox)
    person.reveal(combo)
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    arrow = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxArrow, combo
    )
    person.qtbot.mouseClick(combo, LEFT, pos=arrow.center())
    view = combo.view()
    person.qtbot.waitUntil(view.isVisible, timeout=2_000)
    person.qtbot.keyClick(view, Qt.Key.Key_Home)
    for _ in range(combo.findText(item)):
        person.qtbot.keyClick(view, Qt.Key.Key_Down)
    person.qtbot.keyClick(view, Qt.Key.Key_Return)
    person.qtbot.waitUntil(lambda: not view.isVisible(), timeout=2_000)
    assert combo.currentText() == item, f"{name!r} shows {combo.currentText()!r}"


def _target(services: Services, client_id: uuid.UUID) -> TargetRecord:
    return next(t for t in services.emdr.list_targets(client_id) if t.title == TITLE)


def _plan(services: Services, client_id: uuid.UUID) -> list[str]:
    """The target sequence plan as stored, by title."""
    return [t.title for t in services.emdr.list_targets(client_id)]


def _run_a_set(  # type: ignore[no-untyped-def]
    qtbot, person: Person, services: Services, session_id: uuid.UUID, count: int
) -> None:
    """Start, let it run, stop: the set is logged to the session."""
    person.click("Start or pause set")
    status = person.find("Set status", QLabel)
    qtbot.waitUntil(lambda: "Running" in status.text(), timeout=8_000)
    person.click("Stop set")
    qtbot.waitUntil(
        lambda: len(services.bls_sets.list_for_session(session_id)) == count, timeout=3_000
    )


def _open_set(person: Person, sets: QListWidget, act: Callable[[QWidget], None]) -> None:
    """Double-click the first set in the list and act on the dialog it opens."""
    failures: list[BaseException] = []

    def guarded(dialog: QWidget) -> None:
        try:
            act(dialog)
        except BaseException as failure:
            failures.append(failure)
            raise

    person.reveal(sets)
    person.when_dialog(guarded)
    person.double_click(sets.viewport(), sets.visualItemRect(sets.item(0)).center())
    if failures:
        raise failures[0]


def _dot_offset(preview: QWidget, dot: QColor) -> float:
    """How far from the middle of the preview the dot is drawn, in pixels."""
    image = preview.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
        height, image.bytesPerLine() // 4, 4
    )[:, :width, :3]
    target = np.array([dot.blue(), dot.green(), dot.red()])
    _rows, columns = np.nonzero(np.abs(pixels.astype(int) - target).sum(axis=2) < 30)
    assert columns.size, "the dot is drawn in the preview"
    return abs(float(columns.mean()) - width / 2)
