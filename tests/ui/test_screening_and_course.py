"""Screening and consent, the program calendar and the course timeline, driven as a user would."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from PySide6.QtCore import QDate, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from console.services.clients import ClientFields
from console.services.programs import ProgramFields
from console.vocabulary import ProgramKind, SessionAttendance
from tests.ui.conftest import save_artifact as _save_artifact
from ui.clients.overview import ClientOverview
from ui.clients.screening import OverrideDialog, ScreeningDialog
from ui.controller import AppController
from ui.course.calendar import MIME, LayOutDialog, MoveDialog, ProgramCalendar

LEFT = Qt.MouseButton.LeftButton


def save_artifact(widget: QWidget, name: str) -> None:
    """A screenshot once pending layout requests have run (what a person would see)."""
    QApplication.processEvents()
    _save_artifact(widget, name)


def _client_with_program(controller: AppController) -> tuple[ClientOverview, uuid.UUID, uuid.UUID]:
    window = controller.main_window
    services = controller.services
    assert window is not None and services is not None
    window.resize(1366, 768)
    window.show()
    client = services.clients.create(ClientFields(name="Robin Ashworth"))
    program = services.programs.create(
        client.id,
        ProgramFields(ProgramKind.INTENSIVE, "Spring intensive", date.today() + timedelta(days=3)),
    )
    window.caseload.refresh()
    window.caseload.select(client.id)
    overview = window.overview
    overview.show_client(client.id)
    assert overview.client is not None and overview.client.id == client.id
    return overview, client.id, program.id


def _open_screening(qtbot, overview: ClientOverview) -> ScreeningDialog:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(overview.screening_badge, LEFT)
    qtbot.waitUntil(lambda: overview.window().findChild(ScreeningDialog) is not None)
    dialog = overview.window().findChild(ScreeningDialog)
    assert isinstance(dialog, ScreeningDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_screening_blocks_overrides_and_clears(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    overview, client_id, _ = _client_with_program(unlocked)
    services = unlocked.services
    assert services is not None
    badge = overview.screening_badge
    assert badge.isVisibleTo(overview), "an intensive program shows the screening badge"
    assert badge.text().startswith("Screening: not started")

    dialog = _open_screening(qtbot, overview)
    rows = list(dialog.rows.values())
    for row in rows:
        qtbot.mouseClick(row.buttons["no"], LEFT)
    qtbot.mouseClick(rows[2].buttons["unknown"], LEFT)  # pregnancy: not yet checked
    qtbot.keyClicks(rows[2].note, "test booked")
    qtbot.mouseClick(dialog.consent_today, LEFT)
    qtbot.keyClicks(dialog.consent_version, "v3 2026")
    dialog.fasting.setChecked(True)
    dialog.ride_home.setChecked(True)
    qtbot.keyClicks(dialog.systolic, "182")
    qtbot.keyClicks(dialog.diastolic, "95")
    assert "hold dose" in dialog.baseline_flags.text()
    dialog.diastolic.clear()
    dialog.systolic.clear()

    qtbot.mouseClick(dialog.override_button, LEFT)  # saves what is typed, then asks why
    qtbot.waitUntil(lambda: dialog.findChild(OverrideDialog) is not None)
    assert "Blocked" in badge.text() and "1 unknown" in badge.text(), badge.text()
    assert dialog.rows[rows[2].key].checked.text() != "—", "who checked, and when"
    override = dialog.findChild(OverrideDialog)
    assert isinstance(override, OverrideDialog)
    qtbot.waitExposed(override)
    save = override.buttons.button(override.buttons.StandardButton.Save)
    qtbot.mouseClick(save, LEFT)
    assert override.isVisible(), "an empty reason is refused"
    assert "required" in override.errors.text("Override reason").lower()
    qtbot.keyClicks(override.reason, "Pregnancy test pending; negative by history")
    qtbot.mouseClick(save, LEFT)
    qtbot.waitUntil(lambda: not override.isVisible())
    qtbot.waitUntil(lambda: "Overridden" in badge.text())
    assert "Pregnancy test pending" in dialog.override_info.text()
    stored = services.screening.get(client_id)
    assert stored.state.overridden and not stored.state.cleared
    assert stored.override_reason == "Pregnancy test pending; negative by history"
    assert [a.answer for a in stored.answers].count("unknown") == 1
    assert stored.answer(rows[2].key).checked_by == services.vault.actor
    assert stored.answer(rows[2].key).note == "test booked"
    assert stored.consent_version == "v3 2026" and stored.fasting_acknowledged
    assert any(
        e.action == "override" and e.entity_kind == "screening" for e in services.recent_audit()
    )
    save_artifact(dialog, "screening-dialog-overridden.png")

    qtbot.mouseClick(dialog.withdraw_button, LEFT)
    assert "Blocked" in badge.text()
    qtbot.mouseClick(rows[2].buttons["no"], LEFT)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert badge.text() == "Screening: Cleared ✓"
    assert services.screening.get(client_id).state.cleared
    save_artifact(overview, "overview-screening-cleared.png")


def test_screening_flags_medications_and_keeps_fields_on_error(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    overview, client_id, _ = _client_with_program(unlocked)
    services = unlocked.services
    assert services is not None
    dialog = _open_screening(qtbot, overview)
    assert not dialog.interactions.isVisible()
    qtbot.keyClicks(dialog.medications, "lorazepam 1 mg")
    assert dialog.interactions.isVisible()
    assert "Benzodiazepine" in dialog.interactions.text()
    qtbot.keyClicks(dialog.weight, "500")
    qtbot.keyClicks(dialog.consent_version, "v3")
    qtbot.keyClicks(next(iter(dialog.rows.values())).note, "well controlled")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), LEFT)
    assert dialog.isVisible(), "a refused value keeps the dialog open"
    assert "between 20 and 350" in dialog.errors.text("Weight")
    assert dialog.weight.text() == "500"
    assert dialog.medications.toPlainText() == "lorazepam 1 mg"
    assert dialog.consent_version.text() == "v3"
    assert next(iter(dialog.rows.values())).note.text() == "well controlled"
    assert not services.screening.get(client_id).exists, "nothing was saved"
    dialog.resize(1000, 740)
    save_artifact(dialog, "screening-dialog-errors.png")
    dialog.reject()


def test_calendar_lays_out_moves_marks_and_edits_templates(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    overview, _, program_id = _client_with_program(unlocked)
    services = unlocked.services
    assert services is not None
    qtbot.mouseClick(overview.calendar_buttons[program_id], LEFT)
    calendar = overview.calendar_window
    assert isinstance(calendar, ProgramCalendar)
    qtbot.waitExposed(calendar)
    assert calendar.layout_button.isEnabled() and calendar.empty.isVisible()

    qtbot.mouseClick(calendar.layout_button, LEFT)
    qtbot.waitUntil(lambda: calendar.findChild(LayOutDialog) is not None)
    lay_out = calendar.findChild(LayOutDialog)
    assert isinstance(lay_out, LayOutDialog)
    intensive = next(t for t in services.course.templates() if t.template.kind == "intensive")
    assert lay_out.template.currentData() == intensive.id, "the program's kind is preselected"
    qtbot.mouseClick(lay_out.buttons.button(lay_out.buttons.StandardButton.Save), LEFT)
    qtbot.waitUntil(lambda: len(calendar.chips) == len(intensive.template.steps))
    assert len(services.course.program_sessions(program_id)) == len(intensive.template.steps)
    assert calendar.tally.text() == f"0 done, {len(intensive.template.steps)} planned, 0 missed"
    assert not calendar.layout_button.isEnabled()

    # Keyboard: select a chip with Space, then Move to… a day later.
    first = calendar.entries[0].session
    chip = calendar.chips[first.id]
    chip.setFocus()
    qtbot.keyClick(chip, Qt.Key.Key_Space)
    assert calendar.selected == first.id
    qtbot.mouseClick(calendar.move_button, LEFT)
    qtbot.waitUntil(lambda: calendar.findChild(MoveDialog) is not None)
    move = calendar.findChild(MoveDialog)
    assert isinstance(move, MoveDialog)
    old_day = first.starts_at.astimezone().date()
    target = old_day + timedelta(days=1)
    move.edit.setDate(QDate(target.year, target.month, target.day))
    qtbot.keyClick(move.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: services.sessions.get(first.id).starts_at.astimezone().date() == target)
    moved = services.sessions.get(first.id).starts_at.astimezone()
    assert (moved.hour, moved.minute) == (10, 0), "the time of day stays"

    # Drag and drop: a chip's session dropped on another day's cell.
    second = calendar.entries[1].session
    day = second.starts_at.astimezone().date() + timedelta(days=1)
    mime = QMimeData()
    mime.setData(MIME, str(second.id).encode("ascii"))
    cell = calendar.cells[day]
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    cell.dropEvent(drop)
    assert services.sessions.get(second.id).starts_at.astimezone().date() == day

    # Attendance from the buttons (the context menu offers the same).
    qtbot.mouseClick(calendar.chips[first.id], LEFT)
    qtbot.mouseClick(calendar.mark_buttons[SessionAttendance.MISSED], LEFT)
    assert services.sessions.get(first.id).attendance is SessionAttendance.MISSED
    qtbot.mouseClick(calendar.chips[second.id], LEFT)
    qtbot.mouseClick(calendar.mark_buttons[SessionAttendance.DONE], LEFT)
    steps = len(intensive.template.steps)
    assert calendar.tally.text() == f"1 done, {steps - 2} planned, 1 missed"
    assert "✗" in calendar.chips[first.id].text() and "✓" in calendar.chips[second.id].text()
    calendar.resize(1366, 740)
    save_artifact(calendar, "program-calendar.png")

    # Templates: add a step and save.
    qtbot.mouseClick(calendar.templates_button, LEFT)
    editor = calendar.template_editor
    assert editor is not None
    qtbot.waitExposed(editor)
    for row in range(editor.list.count()):
        if editor.list.item(row).data(Qt.ItemDataRole.UserRole) == intensive.id:
            editor.list.setCurrentRow(row)
    assert editor.steps.rowCount() == steps
    qtbot.mouseClick(editor.add_step_button, LEFT)
    editor.steps.item(steps, 2).setText("Follow-up 3")
    editor.name.clear()
    qtbot.mouseClick(editor.save_button, LEFT)
    assert "required" in editor.errors.text("Template name").lower()
    assert editor.steps.rowCount() == steps + 1, "nothing typed is lost"
    qtbot.keyClicks(editor.name, "Intensive with three follow-ups")
    qtbot.mouseClick(editor.save_button, LEFT)
    saved = next(t for t in services.course.templates() if t.id == intensive.id)
    assert saved.name == "Intensive with three follow-ups"
    assert len(saved.template.steps) == steps + 1
    assert saved.template.steps[-1].title == "Follow-up 3"
    assert "Intensive with three follow-ups" in editor.list.currentItem().text()
    save_artifact(editor, "template-editor.png")
    editor.close()
    calendar.close()


def test_course_timeline_marks_sessions_and_follows_the_measures_chart(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    import pyqtgraph as pg

    window = unlocked.main_window
    services = unlocked.services
    assert window is not None and services is not None
    window.resize(1366, 768)
    window.show()
    overview = window.overview
    assert overview.client is not None
    timeline = overview.course_timeline
    entries = services.course.timeline(overview.client.id)
    assert entries
    assert timeline.session_spots == len(entries)
    assert len(timeline.points.points()) == timeline.session_spots + timeline.modality_spots
    assert timeline.modality_spots == sum(
        len([m for m in e.modalities if m != "medicine"]) for e in entries
    )
    view = timeline.plot.getViewBox()
    assert view.linkedView(pg.ViewBox.XAxis) is overview.chart.plot.getViewBox()
    overview.right_tabs.setCurrentWidget(overview.chart)
    lo, hi = entries[0].session.starts_at.timestamp(), entries[-1].session.starts_at.timestamp()
    overview.chart.plot.setXRange(lo, hi, padding=0)
    qtbot.waitUntil(lambda: abs(view.viewRange()[0][0] - lo) < 3_600)
    assert abs(view.viewRange()[0][1] - hi) < 3_600
    timeline.plot.setXRange(lo, lo + 30 * 86_400, padding=0)
    chart_range = overview.chart.plot.getViewBox().viewRange()[0]
    assert abs(chart_range[1] - (lo + 30 * 86_400)) < 3_600
    overview.chart.plot.setXRange(lo - 86_400 * 3, hi + 86_400 * 3, padding=0)
    save_artifact(window, "overview-course-timeline.png")
