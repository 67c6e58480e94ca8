"""What needs the prescriber before a first dose, driven as a user would (issue 14).

A hold-level baseline or an unacknowledged interacting medication must read
"Needs review" everywhere (never "Cleared"), stop the first dose, and clear
only when the prescriber records a review or acknowledges the medication.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from console.errors import ValidationError
from console.export.medicine_section import state_words
from console.services.bundle import Services
from console.services.medicine import DoseFields
from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.ui.test_screening_and_course import _client_with_program, save_artifact
from ui.clients.overview import ClientOverview
from ui.clients.screening import (
    AcknowledgeDialog,
    OverrideDialog,
    ReviewDialog,
    ScreeningDialog,
)
from ui.controller import AppController
from ui.dates import show_datetime
from ui.session.tabs.medicine import MedicineTab

LEFT = Qt.MouseButton.LeftButton
CLONAZEPAM = "Benzodiazepine (clonazepam)"


def _open_screening(qtbot, overview: ClientOverview) -> ScreeningDialog:  # type: ignore[no-untyped-def]
    """Press the badge; the dialog that opens (a closed one may linger until deleted)."""
    qtbot.mouseClick(overview.screening_badge, LEFT)

    def shown() -> ScreeningDialog | None:
        found = overview.window().findChildren(ScreeningDialog)
        return next((d for d in found if d.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None)
    dialog = shown()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _save(qtbot, dialog: ScreeningDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def _first_dose(services: Services, session_id: uuid.UUID) -> None:
    services.medicine.save(session_id, DoseFields(dose_mg=100.0, given_at=datetime.now(UTC)))


def _medicine_session(services: Services, client_id: uuid.UUID) -> uuid.UUID:
    fields = SessionFields(
        starts_at=datetime.now(UTC) - timedelta(minutes=10), kind=SessionKind.MEDICINE
    )
    return services.sessions.create(client_id, fields).id


def _child(qtbot, parent: ScreeningDialog, kind: type) -> object:  # type: ignore[no-untyped-def]
    """The dialog of `kind` now open over `parent`."""

    def shown() -> object:
        return next((d for d in parent.findChildren(kind) if d.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None)
    child = shown()
    qtbot.waitExposed(child)
    return child


def _screen_all_clear_but_the_baseline(qtbot, overview: ClientOverview) -> ScreeningDialog:  # type: ignore[no-untyped-def]
    dialog = _open_screening(qtbot, overview)
    for row in dialog.rows.values():
        qtbot.mouseClick(row.buttons["no"], LEFT)
    qtbot.mouseClick(dialog.consent_today, LEFT)
    for box in (dialog.fasting, dialog.ride_home):  # on the box, not past the end of its text
        qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))
        assert box.isChecked()
    qtbot.keyClicks(dialog.systolic, "185")
    qtbot.keyClicks(dialog.diastolic, "112")
    return dialog


def test_hold_level_baseline_needs_review_until_the_prescriber_records_one(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    overview, client_id, _ = _client_with_program(unlocked)
    services, window = unlocked.services, unlocked.main_window
    assert services is not None and window is not None
    badge = overview.screening_badge

    dialog = _screen_all_clear_but_the_baseline(qtbot, overview)
    assert "hold dose" in dialog.baseline_flags.text()
    assert dialog.consent_expiry.text().startswith("Expires "), "a consent shows its expiry"
    _save(qtbot, dialog)
    assert badge.text().startswith("Screening: Needs review ⚠ — baseline blood pressure")
    held = "baseline blood pressure 185/112 is at the hold level (≥ 180/110)"
    assert badge.accessibleName() == f"Screening: Needs review ⚠ — {held}", "every word"
    assert held in badge.toolTip()
    assert "Cleared" not in badge.accessibleName() and "✓" not in badge.accessibleName()
    assert badge.status == "needs_review"
    assert badge.width() <= overview.width() // 2, "the reasons do not push the column wide"
    assert state_words(services.screening.get(client_id)) == badge.accessibleName(), "the PDF"

    session_id = _medicine_session(services, client_id)
    with pytest.raises(ValidationError, match="Needs review: baseline blood pressure 185/112"):
        _first_dose(services, session_id)

    dialog = _open_screening(qtbot, overview)
    assert dialog.review_box.isVisible() and dialog.review_box.title() == "Needs review"
    assert "185/112 is at the hold level" in dialog.review_reasons.text()
    assert "not reviewed" in dialog.review_reasons.text()
    assert dialog.review_info.text() == "No review recorded."
    qtbot.mouseClick(dialog.override_button, LEFT)
    assert not any(isinstance(w, OverrideDialog) and w.isVisible() for w in dialog.children()), (
        "every item is a plain no: there is nothing to override"
    )
    assert "nothing to override" in dialog.general.text() and dialog.general.isVisible()
    assert "Record review" in dialog.general.text(), "it says what to do instead"
    qtbot.mouseClick(dialog.review_button, LEFT)
    review = _child(qtbot, dialog, ReviewDialog)
    assert isinstance(review, ReviewDialog)
    covered = review.findChild(QLabel, "reasons_reviewed")
    assert covered is not None and "185/112" in covered.text(), "what the review covers"
    assert review.prescriber.text() == services.vault.actor, "prefilled with who is signed in"
    save = review.buttons.button(review.buttons.StandardButton.Save)
    qtbot.mouseClick(save, LEFT)
    assert review.isVisible(), "a review needs a reason"
    assert "required" in review.errors.text("Review reason").lower()
    qtbot.keyClicks(review.reason, "Repeated at 150/92 after rest; proceed with monitoring")
    review.prescriber.selectAll()
    qtbot.keyClick(review.prescriber, Qt.Key.Key_Delete)
    qtbot.mouseClick(save, LEFT)
    assert review.isVisible() and "required" in review.errors.text("Prescriber").lower()
    assert review.reason.toPlainText().startswith("Repeated at 150/92"), "nothing typed is lost"
    qtbot.keyClicks(review.prescriber, "Dr Lee Prescriber")
    qtbot.mouseClick(save, LEFT)
    qtbot.waitUntil(lambda: not review.isVisible())

    qtbot.waitUntil(lambda: badge.text() == "Screening: Cleared ✓")
    assert state_words(services.screening.get(client_id)) == badge.accessibleName()
    assert "Dr Lee Prescriber" in dialog.review_info.text()
    assert "Repeated at 150/92" in dialog.review_info.text()
    assert "covered by the last review" in dialog.review_reasons.text()
    stored = services.screening.get(client_id)
    assert stored.review_by == "Dr Lee Prescriber" and stored.review_at is not None
    assert stored.review_reason == "Repeated at 150/92 after rest; proceed with monitoring"
    assert any(
        e.action == "review" and e.entity_kind == "screening" for e in services.recent_audit()
    )
    assert services.medicine.first_dose_gate(session_id) is None, "the dose may be given now"

    # a new interacting medication is a new reason: the review does not cover it
    qtbot.keyClicks(dialog.medications, "clonazepam 0.5 mg")
    row = dialog.interaction_rows[CLONAZEPAM]
    assert row.state.text() == f"⚠ {CLONAZEPAM}: not acknowledged"
    _save(qtbot, dialog)
    assert badge.accessibleName() == (
        f"Screening: Needs review ⚠ — {CLONAZEPAM}: interaction not acknowledged"
    )
    assert badge.text().startswith("Screening: Needs review ⚠ — Benzodiazepine")
    with pytest.raises(ValidationError, match="interaction not acknowledged"):
        _first_dose(services, session_id)

    dialog = _open_screening(qtbot, overview)
    dialog.resize(1000, 740)
    QApplication.processEvents()
    save_artifact(dialog, "screening-dialog-needs-review.png")
    button = dialog.findChild(QPushButton, f"acknowledge_{CLONAZEPAM}".replace(" ", "_").lower())
    assert button is dialog.interaction_rows[CLONAZEPAM].button and button.isVisible()
    qtbot.mouseClick(button, LEFT)
    ack = _child(qtbot, dialog, AcknowledgeDialog)
    assert isinstance(ack, AcknowledgeDialog)
    assert ack.prescriber.text() == services.vault.actor
    qtbot.mouseClick(ack.buttons.button(ack.buttons.StandardButton.Save), LEFT)
    qtbot.waitUntil(lambda: not ack.isVisible())

    stored = services.screening.get(client_id)
    by, at = stored.acknowledged[CLONAZEPAM]
    assert by == services.vault.actor and at is not None
    assert abs(datetime.now(UTC) - at) < timedelta(minutes=1)
    row = dialog.interaction_rows[CLONAZEPAM]
    assert row.state.text() == f"✓ {CLONAZEPAM}: acknowledged by {by}, {show_datetime(at)}"
    assert not row.button.isVisible()
    qtbot.waitUntil(lambda: badge.text() == "Screening: Cleared ✓")

    # typed but not saved: Acknowledge saves first, so it is about what is shown
    qtbot.keyClick(dialog.medications, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.medications, "; lamotrigine 25 mg")
    lamotrigine = dialog.interaction_rows["Lamotrigine"]
    qtbot.mouseClick(lamotrigine.button, LEFT)
    ack = _child(qtbot, dialog, AcknowledgeDialog)
    assert isinstance(ack, AcknowledgeDialog) and ack.medication == "Lamotrigine"
    assert "lamotrigine 25 mg" in services.screening.get(client_id).medications
    qtbot.mouseClick(ack.buttons.button(ack.buttons.StandardButton.Save), LEFT)
    qtbot.waitUntil(lambda: not ack.isVisible())
    assert "Lamotrigine" in services.screening.get(client_id).acknowledged
    assert lamotrigine.state.text().startswith("✓ Lamotrigine: acknowledged by")
    assert badge.text() == "Screening: Cleared ✓"
    dialog.reject()


def test_a_repeated_baseline_below_the_hold_level_clears_without_a_review(
    qtbot, unlocked: AppController
) -> None:  # type: ignore[no-untyped-def]
    overview, client_id, _ = _client_with_program(unlocked)
    services = unlocked.services
    assert services is not None
    dialog = _screen_all_clear_but_the_baseline(qtbot, overview)
    _save(qtbot, dialog)
    assert overview.screening_badge.status == "needs_review"
    dialog = _open_screening(qtbot, overview)
    for edit, value in ((dialog.systolic, "150"), (dialog.diastolic, "92")):
        edit.selectAll()
        qtbot.keyClicks(edit, value)
    assert not dialog.baseline_flags.isVisible()
    _save(qtbot, dialog)
    assert overview.screening_badge.text() == "Screening: Cleared ✓"
    assert services.screening.get(client_id).review_at is None


def test_the_medicine_tab_says_needs_review_and_what_to_do(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    overview, client_id, _ = _client_with_program(unlocked)
    services, window = unlocked.services, unlocked.main_window
    assert services is not None and window is not None
    _save(qtbot, _screen_all_clear_but_the_baseline(qtbot, overview))
    workspace = window.open_session(_medicine_session(services, client_id))
    assert workspace is not None
    tab = workspace.tab_widgets["medicine"]
    assert isinstance(tab, MedicineTab)
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: "Needs review" in tab.banner.text())
    assert tab.banner.text() == (
        "Screening: Needs review: baseline blood pressure 185/112 is at the hold level "
        "(≥ 180/110) — a dose cannot be recorded until the prescriber records a review "
        "(client overview → Screening)"
    )
    assert "Cleared" not in tab.banner.text()
    save_artifact(tab.banner, "medicine-banner-needs-review.png")
