"""The clinician's prompt after a PHQ-9 item 9 answer above 0: assess risk, or follow the plan.

It opens as soon as the clinician has the screen back, says what was
answered, and records either a risk assessment (free text, who and when) or
that the clinic's safety-plan document was followed. "Later" leaves the flag
open on the measure, where "Address risk…" brings the prompt back with what
was typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.clinical import measures as m
from console.errors import ConsoleError, ValidationError
from console.services.measures import MeasureRecord, MeasureService
from ui.dates import show_date, show_time
from ui.medicine.common import Clock, from_qt, system_clock, time_edit, to_qt
from ui.widgets import FieldErrors, named

ALERT_STYLE = "background: #b3261e; color: white; padding: 8px; font-weight: bold;"
ERROR_STYLE = "background: #b3261e; color: white; border-radius: 3px; padding: 2px 6px;"


class RiskPrompt(QDialog):
    """Record what was done about one flagged measure; `addressed` carries the updated record."""

    addressed = Signal(object)

    def __init__(
        self,
        service: MeasureService,
        record: MeasureRecord,
        safety_plan: str,
        draft: str = "",
        parent: QWidget | None = None,
        now: Clock = system_clock,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.record = record
        self.safety_plan = safety_plan.strip()
        self.setWindowTitle(self.tr("Risk flag: record what you did"))
        named(self, "Risk prompt")
        self.errors = FieldErrors()
        layout = QVBoxLayout(self)
        for widget in self._explanation():
            layout.addWidget(widget)
        layout.addLayout(self._assessment_form(draft, now))
        layout.addLayout(self._record_row())
        layout.addWidget(self._plan_group())
        self.general = named(QLabel(), "Risk prompt error")
        self.general.setWordWrap(True)
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setVisible(False)
        layout.addWidget(self.general)
        layout.addLayout(self._later_row())
        self.resize(640, 600)

        self.record_button.clicked.connect(lambda: self._submit("assessment"))
        self.link_plan.clicked.connect(lambda: self._submit("safety_plan"))
        self.open_plan.clicked.connect(self._on_open_plan_clicked)
        self.later.clicked.connect(self.reject)
        self.text.setFocus()

    def _explanation(self) -> tuple[QLabel, ...]:
        """What was answered and what is asked of the clinician now."""
        banner = named(QLabel(self._headline()), "Risk prompt flag")
        banner.setWordWrap(True)
        banner.setStyleSheet(ALERT_STYLE)
        details = named(QLabel(self._details()), "Risk prompt details")
        details.setWordWrap(True)
        details.setTextFormat(Qt.TextFormat.PlainText)
        ask = QLabel(
            self.tr(
                "Before you go on, record what you did about it: a risk assessment, or the "
                "clinic's safety plan. It is kept with this answer and printed on the chart."
            )
        )
        ask.setWordWrap(True)
        return banner, details, ask

    def _assessment_form(self, draft: str, now: Clock) -> QFormLayout:
        form = QFormLayout()
        self.text = named(
            QPlainTextEdit(draft),
            "Risk assessment",
            self.tr("What you asked, what the client said, your judgement of risk and the plan"),
        )
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(
            self.tr(
                "What you asked, what the client said (plan, intent, past attempts, what "
                "protects them), your judgement of risk, and what was agreed."
            )
        )
        self.text.setMinimumHeight(120)
        self.errors.add_row(form, self.tr("&Assessment"), "Risk assessment", self.text)
        self.assessed_by = named(QLineEdit(self.service.vault.actor), "Assessed by")
        self.errors.add_row(form, self.tr("Assessed &by"), "Assessed by", self.assessed_by)
        self.assessed_at = time_edit("Assessed at")
        self.assessed_at.setDateTime(to_qt(now()))
        self.errors.add_row(form, self.tr("Assessed a&t"), "Assessed at", self.assessed_at)
        return form

    def _record_row(self) -> QHBoxLayout:
        self.record_button = named(
            QPushButton(self.tr("&Record risk assessment")), "Record risk assessment"
        )
        self.record_button.setAutoDefault(False)
        record_row = QHBoxLayout()
        record_row.addStretch(1)
        record_row.addWidget(self.record_button)
        return record_row

    def _plan_group(self) -> QGroupBox:
        """Open or link the clinic's safety plan; without one set, where to set it."""
        plan = QGroupBox(self.tr("The clinic's safety plan"))
        plan_layout = QVBoxLayout(plan)
        self.plan_text = named(QLabel(), "Safety plan document")
        self.plan_text.setWordWrap(True)
        self.plan_text.setTextFormat(Qt.TextFormat.PlainText)
        self.open_plan = named(QPushButton(self.tr("&Open safety plan")), "Open safety plan")
        self.link_plan = named(
            QPushButton(self.tr("&Link safety plan to this answer")),
            "Link safety plan",
            self.tr("Record that the safety plan was followed, with who and when above"),
        )
        for button in (self.open_plan, self.link_plan):
            button.setAutoDefault(False)
        plan_buttons = QHBoxLayout()
        plan_buttons.addWidget(self.open_plan)
        plan_buttons.addWidget(self.link_plan)
        plan_buttons.addStretch(1)
        plan_layout.addWidget(self.plan_text)
        plan_layout.addLayout(plan_buttons)
        if self.safety_plan:
            self.plan_text.setText(self.tr("Document: ") + self.safety_plan)
        else:
            self.plan_text.setText(
                self.tr(
                    "No safety-plan document is set for this clinic. Add its file or web "
                    "address under File → Settings… (Safety-plan document) to open and link "
                    "it from here."
                )
            )
        self.open_plan.setVisible(bool(self.safety_plan))
        self.link_plan.setVisible(bool(self.safety_plan))
        return plan

    def _later_row(self) -> QHBoxLayout:
        self.later = named(QPushButton(self.tr("Later")), "Later")
        self.later.setAutoDefault(False)
        later_note = QLabel(self.tr("The flag stays open on this measure until it is addressed."))
        later_note.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(later_note, 1)
        bottom.addWidget(self.later)
        return bottom

    def _headline(self) -> str:
        return self.tr(
            "⚠ PHQ-9 item 9 answered above 0: thoughts of being better off dead or of self-harm"
        )

    def _details(self) -> str:
        record = self.record
        measure = record.measure
        item = measure.items[m.SELF_HARM_ITEM - 1]
        answers = record.answers or ()
        value = answers[item.number - 1] if len(answers) >= item.number else None
        score = (
            self.tr("Score %1 of %2 — %3.")
            .replace("%1", str(record.total))
            .replace("%2", str(measure.hi))
            .replace("%3", record.band)
            if record.complete
            else self.tr("Incomplete, not scored.")
        )
        return (
            self.tr("%1 entered by %2 on %3. Item %4 (“%5”): %6. %7")
            .replace("%1", measure.name)
            .replace(
                "%2", self.tr("the client") if record.entered_by == "client" else self.tr("you")
            )
            .replace(
                "%3",
                self.tr("%1 at %2")
                .replace("%1", show_date(record.answered_at))
                .replace("%2", show_time(record.answered_at)),
            )
            .replace("%4", str(item.number))
            .replace("%5", item.text)
            .replace("%6", m.answer_label(measure, item.number, value))
            .replace("%7", score)
        )

    def draft(self) -> str:
        """What was typed and not recorded, so closing with "Later" loses nothing."""
        return self.text.toPlainText()

    def _submit(self, method: m.RiskMethod) -> None:
        self.errors.clear()
        self.general.setVisible(False)
        try:
            record = self.service.address_risk(
                self.record.id,
                method,
                self.assessed_by.text(),
                from_qt(self.assessed_at.dateTime()),
                self.text.toPlainText(),
                self.safety_plan if method == "safety_plan" else "",
            )
        except ValidationError as exc:
            if not self.errors.show(exc):
                self._say(exc.message)
            return
        except ConsoleError as exc:
            self._say(exc.message)
            return
        self.record = record
        self.text.clear()
        self.addressed.emit(record)
        self.accept()

    def _say(self, message: str) -> None:
        self.general.setText(message[:1].upper() + message[1:])
        self.general.setVisible(True)

    def _on_open_plan_clicked(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromUserInput(self.safety_plan)):
            self._say(
                self.tr("The safety plan could not be opened: check its address in Settings.")
            )
