"""EMDR, ART and rescripting tabs, driven as in a session (pacer clock injected)."""

from __future__ import annotations

from datetime import UTC, datetime

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from console.pacer.settings import PacerSettings
from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.ui.conftest import FakeClock, save_artifact, when_modal
from ui.controller import AppController
from ui.session.tabs.art import ArtTab
from ui.session.tabs.emdr import EmdrTab, TargetDialog
from ui.session.tabs.pacer import PacerTab
from ui.session.tabs.rescripting import RescriptingTab


def _new_session(unlocked: AppController, kind: SessionKind):  # type: ignore[no-untyped-def]
    window, services = unlocked.main_window, unlocked.services
    assert window is not None and services is not None
    client_id = window.caseload.selected_id()
    session = services.sessions.create(
        client_id, SessionFields(starts_at=datetime.now(UTC), kind=kind)
    )
    workspace = window.open_session(session.id)
    assert workspace is not None
    return workspace


def test_emdr_target_two_sets_with_sud_appear_in_the_chart(qtbot, unlocked: AppController) -> None:
    workspace = _new_session(unlocked, SessionKind.EMDR)
    emdr = workspace.tab_widgets["emdr"]
    assert isinstance(emdr, EmdrTab)

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, TargetDialog)
        dialog.title.setText("Dog bite, age 7")
        dialog.nc.setCurrentText("I am in danger")
        dialog.pc.setCurrentText("I am safe now")
        dialog.sud.setValue(9)
        dialog.voc.setValue(2)
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_modal(fill)
    emdr.new_target.click()
    assert emdr.targets.currentItem().text().startswith(f"{emdr.targets.count()}. Dog bite, age 7")
    emdr.phases["desensitisation"].setChecked(True)
    emdr.flush()
    assert emdr.save_status.text().startswith("Saved ")

    pacer = workspace.tab_widgets["pacer"]
    assert isinstance(pacer, PacerTab)
    clock = FakeClock()
    pacer.run.clock = clock
    pacer.run.apply(PacerSettings(speed_hz=1.0, limit="passes", limit_value=24))
    for sud in (6, 3):
        pacer.run.start()
        clock.now += 12.5
        qtbot.waitUntil(lambda: pacer.run.set_clock is None, timeout=3_000)
        pacer.panel.sud.setValue(sud)
        pacer.panel.save_after.click()
    assert emdr.sets.count() == 2
    assert "SUD 6" in emdr.sets.item(0).text() and "SUD 3" in emdr.sets.item(1).text()
    sud_line = next(
        item
        for item in emdr.chart.getPlotItem().items
        if isinstance(item, pg.PlotDataItem) and item.name() == "SUD"
    )
    assert list(sud_line.yData)[-2:] == [6, 3]
    window = unlocked.main_window
    assert window is not None
    window.resize(1366, 768)
    workspace.tabs.setCurrentWidget(emdr)
    save_artifact(window, "emdr-tab.png")


def test_art_flow_end_to_end(qtbot, unlocked: AppController) -> None:
    workspace = _new_session(unlocked, SessionKind.ART)
    art = workspace.tab_widgets["art"]
    assert isinstance(art, ArtTab)
    art.inputs["scene_title"].setText("Exam hall")  # type: ignore[attr-defined]
    art.inputs["scene_private"].setChecked(True)  # type: ignore[attr-defined]
    art.inputs["sud_before"].setValue(11)  # type: ignore[attr-defined]
    assert art.inputs["sud_before"].value() == 10, "the box cannot hold a SUD above 10"  # type: ignore[attr-defined]
    art.inputs["sud_before"].setValue(8)  # type: ignore[attr-defined]
    art.next.click()
    assert art.current() == 1
    texts = {
        "body_sensations": "Tight throat, 6/10",
        "first_pass": "Image blurred",
        "second_pass": "Viewed calmly",
        "replacement": "I walk out into the sunshine",
    }
    for field, text in texts.items():
        art.inputs[field].setPlainText(text)  # type: ignore[attr-defined]
        art.next.click()
    assert art.current() == 5
    art.inputs["final_check"].setPlainText("No distress")  # type: ignore[attr-defined]
    art.inputs["sud_after"].setValue(1)  # type: ignore[attr-defined]
    art.next.click()
    art.back.click()
    assert art.current() == 5, "steps can be revisited"
    summary = unlocked.services.art.summary(workspace.session.id)  # type: ignore[union-attr]
    assert (summary.sud_before, summary.sud_after) == (8, 1)
    assert summary.replacement == "I walk out into the sunshine"
    assert "8 → 1" in art.summary.text()


def test_rescripting_saves(qtbot, unlocked: AppController) -> None:
    workspace = _new_session(unlocked, SessionKind.INTEGRATION)
    tab = workspace.tab_widgets["rescripting"]
    assert isinstance(tab, RescriptingTab)
    tab.texts["hotspot"].setPlainText("The door slamming")
    tab.who.setCurrentIndex(tab.who.findData("adult_self"))
    tab.before.setValue(9)
    tab.after.setValue(3)
    assert tab.save()
    saved = unlocked.services.rescripting.get(workspace.session.id)  # type: ignore[union-attr]
    assert saved is not None and saved.hotspot == "The door slamming"
    assert (saved.distress_before, saved.distress_after, saved.who_rescripts) == (
        9,
        3,
        "adult_self",
    )


def test_a_set_is_annotated_later_and_art_hands_over_to_the_pacer(
    qtbot, unlocked: AppController
) -> None:
    from ui.session.tabs.emdr import SetNotesDialog

    workspace = _new_session(unlocked, SessionKind.INTEGRATION)
    pacer = workspace.tab_widgets["pacer"]
    clock = FakeClock()
    pacer.run.clock = clock  # type: ignore[attr-defined]
    pacer.run.apply(PacerSettings(speed_hz=2.0, limit="passes", limit_value=4))  # type: ignore[attr-defined]
    pacer.run.start()  # type: ignore[attr-defined]
    clock.now += 1.1
    qtbot.waitUntil(lambda: pacer.run.set_clock is None, timeout=3_000)  # type: ignore[attr-defined]
    emdr = workspace.tab_widgets["emdr"]
    assert isinstance(emdr, EmdrTab)

    def rate(dialog: QWidget) -> None:
        assert isinstance(dialog, SetNotesDialog)
        dialog.sud.setValue(5)
        dialog.noticed.setPlainText("noticed later")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_modal(rate)
    emdr.sets.itemActivated.emit(emdr.sets.item(0))
    saved = unlocked.services.bls_sets.list_for_session(workspace.session.id)[0]  # type: ignore[union-attr]
    assert (saved.sud, saved.notes) == (5, "noticed later")

    art = workspace.tab_widgets["art"]
    assert isinstance(art, ArtTab)
    art.set_button.click()
    assert workspace.tabs.currentWidget() is pacer
    assert pacer.run.settings.limit_value == 40  # type: ignore[attr-defined]


def test_target_sequence_plan_can_be_reordered(qtbot, unlocked: AppController) -> None:
    from console.services.emdr import TargetFields

    workspace = _new_session(unlocked, SessionKind.EMDR)
    emdr = workspace.tab_widgets["emdr"]
    assert isinstance(emdr, EmdrTab)
    client_id = workspace.session.client_id
    second = unlocked.services.emdr.create_target(client_id, TargetFields(title="Second"))  # type: ignore[union-attr]
    emdr._refresh_targets(second.id)
    emdr.up.click()
    titles = [t.title for t in unlocked.services.emdr.list_targets(client_id)]  # type: ignore[union-attr]
    assert titles[-2:] == ["Second", "Crowded train, March 2024"]
    assert emdr.targets.currentItem().text().startswith(f"{len(titles) - 1}. Second")
