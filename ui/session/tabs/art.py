"""The ART tab: the guided flow one step at a time, sets from the pacer, a session summary.

What is typed on a step saves after a pause and when the step is left, as
in every worksheet; "Save and next" saves at once and moves on.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from console.clinical.art import PASSES_PER_SET, STEPS, ArtStep
from console.services.art import ArtRecord
from console.services.changes import Changes, Kind
from console.vocabulary import SessionKind
from ui.autosave import StatusLine, worksheet_autosaver
from ui.session.registry import SessionContext, TabSpec, register_tab
from ui.session.tabs.pacer import PacerTab
from ui.session.tabs.worksheet_forms import notes, rating, read_rating, write_rating
from ui.widgets import named

LABELS = {
    "scene_title": "Scene title",
    "scene_private": "The client keeps the content private (title only)",
    "sud_before": "SUD before (0–10)",
    "body_sensations": "Body sensations (where, how strong)",
    "first_pass": "First pass: what was noticed after each set",
    "second_pass": "Second pass",
    "replacement": "Replacement images, in the client's words",
    "final_check": "Final scene check",
    "body_scan": "Body scan",
    "sud_after": "SUD after (0–10)",
    "matching_scene": "Matching scene",
    "future_scene": "Positive future scene",
}
_StepValues = tuple[int, dict[str, object]]


class ArtTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = context.services.art
        self._shown = 0  # the step on screen, whose fields the autosave writes
        self.message = named(QLabel(), "ART message")
        self.status = StatusLine(self.message, self.tr("ART"))
        self.autosave = worksheet_autosaver(
            self, context.services, "ART worksheet", self.status,
            self._snapshot, self._save_step, self._on_saved,
        )  # fmt: skip
        self.steps = named(QListWidget(), "ART steps")
        for step in STEPS:
            self.steps.addItem(f"{step.number}. {step.label}")
        self.pages = QStackedWidget()
        self.inputs: dict[str, QWidget] = {}
        for step in STEPS:
            self.pages.addWidget(self._build_page(step))
        splitter = QSplitter()
        splitter.addWidget(self.steps)
        splitter.addWidget(self._build_flow())
        splitter.setSizes([260, 700])
        QVBoxLayout(self).addWidget(splitter)
        self.steps.currentRowChanged.connect(self._on_step_changed)
        self.back.clicked.connect(lambda: self.steps.setCurrentRow(max(0, self.current() - 1)))
        self.next.clicked.connect(self._on_next_clicked)
        self.set_button.clicked.connect(self._on_set_clicked)
        self._unfollow = context.changes.follow(self._on_records_changed)
        self._load()
        self._watch_inputs()

    def _build_page(self, step: ArtStep) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(QLabel(f"<b>{step.number}. {step.label}</b>"))
        for field in step.fields:
            widget: QWidget
            if field == "scene_private":
                widget = named(QCheckBox(LABELS[field]), LABELS[field])
                form.addRow("", widget)
            elif field.startswith("sud_"):
                widget = rating(LABELS[field], 0, 10)
                form.addRow(LABELS[field], widget)
            elif field == "scene_title":
                widget = named(QLineEdit(), LABELS[field])
                form.addRow(LABELS[field], widget)
            else:
                widget = notes(LABELS[field], 90)
                form.addRow(LABELS[field], widget)
            self.inputs[field] = widget
        return page

    def _build_flow(self) -> QWidget:
        """The step's page, the hand-over to the pacer, the step buttons and the summary."""
        self.hint = QLabel(
            self.tr(
                "Eye-movement sets run in the Pacer tab with the ART preset (%1 passes a set); "
                "each set is counted in the summary below."
            ).replace("%1", str(PASSES_PER_SET))
        )
        self.hint.setWordWrap(True)
        self.set_button = named(
            QPushButton(self.tr("Eye-movement &set (ART preset)")), "Start an ART eye-movement set"
        )
        self.back = named(QPushButton(self.tr("&Back")), "Previous step")
        self.next = named(QPushButton(self.tr("Save and &next")), "Save step and continue")
        self.summary = named(QLabel(), "ART summary")
        self.summary.setWordWrap(True)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.pages, 1)
        rl.addWidget(self.hint)
        rl.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addWidget(self.set_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next)
        rl.addLayout(buttons)
        rl.addWidget(self.summary)
        return right

    def _watch_inputs(self) -> None:
        """After loading, every edit the therapist makes starts the autosave's pause."""
        for widget in self.inputs.values():
            if isinstance(widget, QCheckBox):
                widget.toggled.connect(self.autosave.touched)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self.autosave.touched)
            elif isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.textChanged.connect(self.autosave.touched)

    def current(self) -> int:
        return self.steps.currentRow()

    def _load(self) -> None:
        record = self.service.get(self.context.session_id)
        if record is not None:
            for field, widget in self.inputs.items():
                value = getattr(record, field)
                if isinstance(widget, QCheckBox):
                    widget.setChecked(bool(value))
                elif isinstance(widget, QSpinBox):
                    write_rating(widget, value)
                elif isinstance(widget, QLineEdit):
                    widget.setText(value or "")
                elif isinstance(widget, QPlainTextEdit):
                    widget.setPlainText(value or "")
        self.steps.setCurrentRow((record.current_step - 1) if record else 0)
        self._shown = self.current()
        self.pages.setCurrentIndex(self._shown)
        self._refresh_summary()

    def _values(self, step: ArtStep) -> dict[str, object]:
        values: dict[str, object] = {}
        for field in step.fields:
            widget = self.inputs[field]
            if isinstance(widget, QCheckBox):
                values[field] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                values[field] = read_rating(widget)
            elif isinstance(widget, QLineEdit):
                values[field] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                values[field] = widget.toPlainText()
        return values

    def _snapshot(self) -> _StepValues:
        step = STEPS[self._shown]
        return step.number, self._values(step)

    def _save_step(self, data: _StepValues) -> ArtRecord:
        number, values = data
        return self.service.save_step(self.context.session_id, number, values)

    def _on_saved(self, record: ArtRecord) -> None:
        if not self.autosave.dirty:
            self.message.setText(self.tr("Step %1 saved.").replace("%1", str(record.current_step)))
        self._refresh_summary()

    def _save(self, *, force: bool) -> bool:
        return self.status.flush(self.autosave, force=force)

    def save_current(self) -> bool:
        """Save the step on screen now, typed in or not (it becomes the current step)."""
        return self._save(force=True)

    def _on_step_changed(self, row: int) -> None:
        """The step being left is saved first; if it is refused, it stays on screen."""
        if row == self._shown:
            return
        if not self._save(force=False):
            with QSignalBlocker(self.steps):
                self.steps.setCurrentRow(self._shown)
            return
        self._shown = row
        self.pages.setCurrentIndex(row)

    def _on_next_clicked(self) -> None:
        if self.save_current() and self.current() < len(STEPS) - 1:
            self.steps.setCurrentRow(self.current() + 1)

    def _on_set_clicked(self) -> None:
        """Save this step, then hand over to the pacer with the ART preset ready to start."""
        self.save_current()
        pacer = self.context.open_tab("pacer")
        panel = pacer.panel if isinstance(pacer, PacerTab) else None
        if panel is not None:
            panel.preset.setCurrentIndex(panel.preset.findData("ART"))
            panel.setFocus()

    def _refresh_summary(self) -> None:
        s = self.service.summary(self.context.session_id)
        before = "—" if s.sud_before is None else s.sud_before
        after = "—" if s.sud_after is None else s.sud_after
        self.summary.setText(
            self.tr("<b>Session summary</b>: %1 set(s); SUD %2 → %3; replacement: %4")
            .replace("%1", str(s.sets_used))
            .replace("%2", str(before))
            .replace("%3", str(after))
            .replace("%4", s.replacement or "—")
        )

    def _on_records_changed(self, changes: Changes) -> None:
        """A set logged in the Pacer tab shows in the summary at once."""
        if changes.touches(Kind.BLS_SET) and changes.for_session(self.context.session_id):
            self._refresh_summary()

    def shutdown(self) -> None:
        self.autosave.stop()
        self._unfollow()

    def flush(self) -> None:
        """Save what is typed now (before close, lock, export); an untouched worksheet is not
        started."""
        self._save(force=False)


register_tab(
    TabSpec(
        "art",
        "ART",
        50,
        ArtTab,
        lambda s: s.kind in (SessionKind.ART, SessionKind.INTEGRATION, SessionKind.OTHER),
    )
)
