"""An EMDR target set up, a set run with the pacer and rated, and the target's chart read."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QWidget

from tests.acceptance.person import Person
from ui.controller import AppController


def test_emdr_target_to_a_rated_set_on_the_chart(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    person.open_client("Alex")
    client = services.clients.find("Alex")[0]

    person.new_session("EMDR")
    person.tab("EMDR")

    def new_target(dialog: QWidget) -> None:
        person.type("Title", "The car on the bridge")
        person.type("Negative cognition", "I am not safe", replace=True)
        person.type("SUD", "8")
        person.shot(dialog, "emdr-target-dialog")
        person.click("Save")

    person.click("New target", then=new_target)
    targets = person.find("EMDR targets", QListWidget)
    qtbot.waitUntil(lambda: targets.count() >= 1, timeout=3_000)
    session = services.sessions.list_for_client(client.id)[0]
    stored = [
        t for t in services.emdr.list_targets(client.id) if t.title == "The car on the bridge"
    ]
    assert stored and stored[0].sud == 8 and stored[0].negative_cognition == "I am not safe"

    person.tab("Pacer")
    person.click("Start or pause set")
    status = person.find("Set status", QLabel)
    qtbot.waitUntil(lambda: "Running" in status.text(), timeout=5_000)
    person.click("Stop set")
    qtbot.waitUntil(lambda: "Running" not in status.text(), timeout=5_000)
    person.keys("5")
    person.press(Qt.Key.Key_Tab)
    person.keys("4")
    person.type("What came up", "The bridge felt further away")
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(services.bls_sets.list_for_session(session.id)), timeout=3_000)
    qtbot.waitUntil(lambda: services.bls_sets.list_for_session(session.id)[-1].sud == 5)
    logged = services.bls_sets.list_for_session(session.id)[-1]
    assert logged.voc == 4 and logged.notes == "The bridge felt further away"
    assert logged.ended_by == "stop"
    person.shot(console.main_window, "emdr-pacer-after-set")  # type: ignore[arg-type]

    person.tab("EMDR")
    sets = person.find("Sets this session", QListWidget)
    qtbot.waitUntil(lambda: sets.count() == 1, timeout=3_000)
    assert "SUD 5" in sets.item(0).text()
    saved = person.find("EMDR save status", QLabel)
    qtbot.waitUntil(lambda: saved.text().startswith("Saved"), timeout=6_000)
    chart = person.find("SUD and VOC chart")
    qtbot.waitUntil(lambda: (1.0, 5.0) in _dots(chart, "#c0392b"), timeout=3_000)
    assert (1.0, 4.0) in _dots(chart, "#2e7d32"), "VOC 4 after set 1"
    person.shot(console.main_window, "emdr-chart")  # type: ignore[arg-type]
    person.choose("Chart scale", "All sessions, by date")
    qtbot.waitUntil(lambda: len(_dots(chart, "#c0392b")) >= 1, timeout=3_000)
    person.shot(console.main_window, "emdr-chart-by-date")  # type: ignore[arg-type]

    text = person.export_session_record(tmp_path / "alex-emdr.pdf")
    assert "The car on the bridge" in text and "I am not safe" in text
    assert "The bridge felt further away" in text, "the set's notes are in the record"
    assert "Timing" not in text, "a set whose timing was in budget prints no timing line"


def _dots(chart: QWidget, colour: str) -> list[tuple[float, float]]:
    """The rating dots drawn in one colour, as (x, y) on the chart."""
    dots = []
    for item in chart.plotItem.items:  # type: ignore[attr-defined]
        if isinstance(item, pg.ScatterPlotItem) and item.opts["brush"].color().name() == colour:
            xs, ys = item.getData()
            dots += [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
    return dots
