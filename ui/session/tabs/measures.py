"""The Measures tab: a questionnaire the client answers on this screen, or the clinician enters.

"Client, on this screen" hands the laptop to the client: the questions fill
the screen and no score, band or risk flag is shown until the client presses
Done; the clinician then sees the result and, for a PHQ-9 item 9 answer above
0, a prompt to record a risk assessment or the safety plan. Scores, bands and
the item 9 rule come from console.clinical; a saved measure is never edited,
only voided with a reason and entered again.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.clinical import measures as m
from console.errors import ConsoleError
from console.services.measures import MeasureRecord
from ui.dates import show_date, show_datetime
from ui.measures.client_view import ClientMeasureWindow
from ui.measures.form import MeasureForm
from ui.measures.risk_prompt import RiskPrompt
from ui.session.registry import SessionContext, TabSpec, register_tab
from ui.widgets import named, report

ID_ROLE = Qt.ItemDataRole.UserRole
FLAG_STYLE = "background: #b3261e; color: white; padding: 6px;"


class MeasuresTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = context.services.measures
        self.client_window: ClientMeasureWindow | None = None
        self.risk_prompt: RiskPrompt | None = None
        # What was typed in a risk prompt closed with "Later", by measure.
        self._drafts: dict[uuid.UUID, str] = {}
        # The last measure the client handed back, shown until the next is chosen.
        self.returned: MeasureRecord | None = None
        splitter = QSplitter()
        splitter.addWidget(self._entry_side())
        splitter.addWidget(self._history_side())
        splitter.setSizes([700, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._connect()
        self._build_form()
        self._refresh_history()

    def _entry_side(self) -> QWidget:
        """Choose a measure and who answers; the questions, score and flag below."""
        top = QHBoxLayout()
        self.measure = named(QComboBox(), "Measure")
        for key, measure in m.MEASURES.items():
            self.measure.addItem(measure.name, key)
        self.entered_by = named(QComboBox(), "Entered by")
        self.entered_by.addItem(self.tr("Client, on this screen"), "client")
        self.entered_by.addItem(self.tr("Clinician"), "clinician")
        top.addWidget(QLabel(self.tr("Measure")))
        top.addWidget(self.measure)
        top.addWidget(self.entered_by)
        top.addStretch(1)
        self.form = MeasureForm()
        self.handoff_note = named(
            QLabel(
                self.tr(
                    "Turn the screen to the client and press Show to client: they see the "
                    "questions only, full screen. You see the score and any risk flag when "
                    "they press Done."
                )
            ),
            "Client instructions",
        )
        self.handoff_note.setWordWrap(True)
        self.score = named(QLabel(), "Score")
        self.score.setWordWrap(True)
        self.flag = named(QLabel(), "Risk flag")
        self.flag.setStyleSheet(FLAG_STYLE)
        self.flag.setWordWrap(True)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.save = named(QPushButton(self.tr("&Save measure")), "Save measure")
        self.show_to_client = named(QPushButton(self.tr("S&how to client")), "Show to client")
        # Client mode: the note and the button, then what the client handed back.
        self.handoff = QWidget()
        handoff_layout = QVBoxLayout(self.handoff)
        handoff_layout.setContentsMargins(0, 0, 0, 0)
        handoff_layout.addWidget(self.handoff_note)
        handoff_row = QHBoxLayout()
        handoff_row.addWidget(self.show_to_client)
        handoff_row.addStretch(1)
        handoff_layout.addLayout(handoff_row)
        self.filler = QWidget()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(top)
        left_layout.addWidget(self.form, 1)
        left_layout.addWidget(self.handoff)
        left_layout.addWidget(self.score)
        left_layout.addWidget(self.flag)
        left_layout.addWidget(self.filler, 1)
        left_layout.addWidget(self.source)
        left_layout.addWidget(self.save)
        return left

    def _history_side(self) -> QWidget:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel(self.tr("<b>This client's measures</b>")))
        self.history = named(QListWidget(), "Measure history")
        self.history.setWordWrap(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail = named(QLabel(), "Selected measure")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 5)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.address_risk = named(QPushButton(self.tr("&Address risk…")), "Address risk")
        self.void_button = named(QPushButton(self.tr("&Void…")), "Void measure")
        buttons = QHBoxLayout()
        buttons.addWidget(self.address_risk)
        buttons.addWidget(self.void_button)
        right_layout.addWidget(self.history, 1)
        right_layout.addWidget(self.detail)
        right_layout.addLayout(buttons)
        return right

    def _connect(self) -> None:
        self.measure.currentIndexChanged.connect(self._build_form)
        self.entered_by.currentIndexChanged.connect(self._on_entered_by_changed)
        self.form.changed.connect(self._update_score)
        self.save.clicked.connect(self._on_save_clicked)
        self.show_to_client.clicked.connect(self._on_show_to_client_clicked)
        self.history.currentItemChanged.connect(lambda *_: self._show_detail())
        self.address_risk.clicked.connect(self._on_address_risk_clicked)
        self.void_button.clicked.connect(self._on_void_clicked)

    def current(self) -> m.Measure:
        return m.get(self.measure.currentData())

    def client_answers(self) -> bool:
        """True when the client answers on this screen (never for a clinician-only total)."""
        return self.entered_by.currentData() == "client" and not self.current().total_only

    def _build_form(self) -> None:
        measure = self.current()
        self.returned = None
        if measure.total_only:
            self.entered_by.setCurrentIndex(self.entered_by.findData("clinician"))
        self.source.setText(self.tr("Source: ") + measure.source)
        self.form.set_measure(measure)
        self._sync_mode()

    def _on_entered_by_changed(self) -> None:
        self.returned = None
        self._sync_mode()

    def _sync_mode(self) -> None:
        client = self.client_answers()
        self.form.setVisible(not client)
        self.handoff.setVisible(client)
        self.filler.setVisible(client)
        self.save.setVisible(not client)
        self._update_score()

    def _update_score(self) -> None:
        if self.client_answers():
            self._show_returned()
            return
        measure = self.current()
        try:
            result = (
                m.score_total(measure, self.form.total.value())
                if self.form.total is not None
                else m.score(measure, self.form.answers())
            )
        except ConsoleError as exc:
            self.score.setText(exc.message)
            self.score.setVisible(True)
            return
        if result.complete:
            self.score.setText(self._score_text(measure, result.total, result.band))
        else:
            self.score.setText(
                self.tr(
                    "%n item(s) not answered yet: saved as incomplete, not scored.",
                    "",
                    self.form.unanswered(),
                )
            )
        self.score.setVisible(True)
        self.flag.setVisible(bool(result.flags))
        self.flag.setText("⚠ " + "; ".join(result.flags))

    def _score_text(self, measure: m.Measure, total: int | None, band: str) -> str:
        return (
            self.tr("Score %1 of %2 — %3")
            .replace("%1", str(total))
            .replace("%2", str(measure.hi))
            .replace("%3", band)
        )

    def _show_returned(self) -> None:
        """In the clinician's view again: what the client just handed back, flag included."""
        record = self.returned
        self.score.setVisible(record is not None)
        self.flag.setVisible(record is not None and bool(record.flags))
        if record is None:
            return
        result = (
            self._score_text(record.measure, record.total, record.band)
            if record.complete
            else self.tr("incomplete, not scored")
        )
        self.score.setText(
            self.tr("The client handed back the %1: %2")
            .replace("%1", record.measure.name)
            .replace("%2", result)
        )
        self.flag.setText("⚠ " + "; ".join(record.flags) + self._risk_state(record))

    def _risk_state(self, record: MeasureRecord) -> str:
        if record.risk:
            return self.tr(" — addressed")
        if record.risk_open:
            return self.tr(" — not yet addressed")
        return ""

    def _on_save_clicked(self) -> None:
        measure = self.current()
        answers = None if measure.total_only else self.form.answers()
        if answers is not None and None in answers:
            sure = QMessageBox.question(
                self,
                self.tr("Save measure"),
                self.tr("Some items are not answered. Save it as incomplete (not scored)?"),
            )
            if sure != QMessageBox.StandardButton.Yes:
                return
        try:
            saved = self._record(
                answers, self.form.total.value() if self.form.total is not None else None
            )
        except ConsoleError as exc:
            report(self, self.tr("Save measure"), exc)
            return
        self._build_form()
        self._after_saving(saved)

    def _record(self, answers: list[int | None] | None, total: int | None) -> MeasureRecord:
        return self.service.record(
            self.context.client_id,
            self.current().key,
            answers,
            total,
            datetime.now(UTC),
            session_id=self.context.session_id,
            entered_by=self.entered_by.currentData(),
        )

    def _on_show_to_client_clicked(self) -> None:
        if self.client_window is not None:
            self.client_window.close()
        self.returned = None
        self._update_score()
        window = ClientMeasureWindow(
            self.current(), lambda answers: self._record(answers, None), self.window()
        )
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.handed_back.connect(self._on_client_handed_back)
        window.destroyed.connect(lambda: setattr(self, "client_window", None))
        self.client_window = window
        window.show_on(self)

    def _on_client_handed_back(self, record: MeasureRecord | None) -> None:
        self.client_window = None
        self.show_to_client.setFocus()
        if record is None:
            return
        self.returned = record
        self._update_score()
        self._after_saving(record)

    def _after_saving(self, saved: MeasureRecord) -> None:
        self._refresh_history(select=saved)
        if saved.risk_open:
            self.open_risk_prompt(saved)

    def open_risk_prompt(self, record: MeasureRecord) -> RiskPrompt:
        """The clinician's prompt for one flagged measure (one at a time)."""
        if self.risk_prompt is not None:
            self.risk_prompt.reject()
        settings = self.context.settings
        plan = settings.get("safety_plan_document") if settings is not None else ""
        prompt = RiskPrompt(self.service, record, plan, self._drafts.pop(record.id, ""), self)
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.addressed.connect(self._on_risk_addressed)
        prompt.rejected.connect(lambda: self._keep_draft(prompt))
        prompt.destroyed.connect(lambda: setattr(self, "risk_prompt", None))
        self.risk_prompt = prompt
        prompt.open()
        return prompt

    def _keep_draft(self, prompt: RiskPrompt) -> None:
        if prompt.draft().strip():
            self._drafts[prompt.record.id] = prompt.draft()

    def _on_risk_addressed(self, record: MeasureRecord) -> None:
        if self.returned is not None and self.returned.id == record.id:
            self.returned = record
            self._update_score()
        self._refresh_history(select=record)

    def _selected(self) -> MeasureRecord | None:
        item = self.history.currentItem()
        if item is None:
            return None
        try:
            return self.service.get(item.data(ID_ROLE))
        except ConsoleError:
            return None

    def _refresh_history(self, select: MeasureRecord | None = None) -> None:
        self.history.clear()
        for record in reversed(
            self.service.list_for_client(self.context.client_id, include_voided=True)
        ):
            when = show_date(record.answered_at)
            score = f"{record.total} · {record.band}" if record.complete else self.tr("incomplete")
            text = f"{record.measure.name} — {when} — {score}"
            if record.voided:
                text += self.tr(" — VOIDED")
            if record.flags:
                text = "⚠ " + text + self._risk_state(record)
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, record.id)
            self.history.addItem(item)
            if select is not None and record.id == select.id:
                self.history.setCurrentItem(item)
        self._show_detail()

    def _show_detail(self) -> None:
        """The selected entry: who entered it, its flag, and what was done about it."""
        record = self._selected()
        self.address_risk.setEnabled(
            record is not None and m.needs_risk_response(record.flags) and not record.voided
        )
        self.void_button.setEnabled(record is not None and not record.voided)
        if record is None:
            self.detail.clear()
            return
        who = self.tr("the client") if record.entered_by == "client" else self.tr("the clinician")
        lines = [
            self.tr("%1, %2, entered by %3")
            .replace("%1", record.measure.name)
            .replace("%2", show_datetime(record.answered_at))
            .replace("%3", who)
        ]
        lines += ["⚠ " + flag + self._risk_state(record) for flag in record.flags]
        for risk in record.risk:
            lines.append(
                self.tr("%1 by %2, %3")
                .replace("%1", risk.method_label)
                .replace("%2", risk.assessed_by)
                .replace("%3", show_datetime(risk.assessed_at))
            )
        self.detail.setText("\n".join(lines))

    def _on_address_risk_clicked(self) -> None:
        record = self._selected()
        if record is not None:
            self.open_risk_prompt(record)

    def _on_void_clicked(self) -> None:
        item = self.history.currentItem()
        if item is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Void measure"),
            self.tr("Why is this entry wrong? (It stays in the record, marked void.)"),
        )
        if not ok:
            return
        try:
            self.service.void(item.data(ID_ROLE), reason)
        except ConsoleError as exc:
            report(self, self.tr("Void measure"), exc)
            return
        self._refresh_history()

    def flush(self) -> None:
        """A measure is saved by its Save button; half-given answers are not a record."""

    def shutdown(self) -> None:
        """On lock or close: the client's screen and the prompt go, unsaved answers with them."""
        for window in (self.client_window, self.risk_prompt):
            if window is not None:
                window.close()


register_tab(TabSpec("measures", "Measures", 30, MeasuresTab))
