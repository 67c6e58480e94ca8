"""The Measures tab: a questionnaire the client answers on this screen, or the clinician enters.

Scores, bands and the PHQ-9 item 9 flag come from console.clinical; a saved
measure is never edited, only voided with a reason and entered again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.clinical import measures as m
from console.errors import ConsoleError
from console.services.measures import MeasureRecord
from ui.session.registry import SessionContext, TabSpec, register_tab
from ui.widgets import named, report

ID_ROLE = Qt.ItemDataRole.UserRole


class MeasuresTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = context.services.measures
        self.groups: list[QButtonGroup] = []
        self.total: QSpinBox | None = None
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
        self.title = named(QLabel(), "Measure title")
        self.title.setWordWrap(True)
        self.form_host = QWidget()
        self.form = QGridLayout(self.form_host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        self.score = named(QLabel(), "Score")
        self.flag = named(QLabel(), "Risk flag")
        self.flag.setStyleSheet("background: #b3261e; color: white; padding: 6px;")
        self.flag.setWordWrap(True)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.save = named(QPushButton(self.tr("&Save measure")), "Save measure")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(top)
        left_layout.addWidget(self.title)
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self.score)
        left_layout.addWidget(self.flag)
        left_layout.addWidget(self.source)
        left_layout.addWidget(self.save)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel(self.tr("<b>This client's measures</b>")))
        self.history = named(QListWidget(), "Measure history")
        self.void_button = named(QPushButton(self.tr("&Void…")), "Void measure")
        right_layout.addWidget(self.history, 1)
        right_layout.addWidget(self.void_button)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([700, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.measure.currentIndexChanged.connect(self._build_form)
        self.save.clicked.connect(self._on_save_clicked)
        self.void_button.clicked.connect(self._on_void_clicked)
        self._build_form()
        self._refresh_history()

    def current(self) -> m.Measure:
        return m.get(self.measure.currentData())

    def _build_form(self) -> None:
        while self.form.count():
            item = self.form.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.groups.clear()
        self.total = None
        measure = self.current()
        self.title.setText(f"<b>{measure.title}</b><br>{measure.instructions}")
        self.source.setText(self.tr("Source: ") + measure.source)
        if measure.total_only:
            self.entered_by.setCurrentIndex(self.entered_by.findData("clinician"))
            self.total = named(QSpinBox(), f"{measure.name} total")
            self.total.setRange(measure.lo, measure.hi)
            self.form.addWidget(
                QLabel(
                    self.tr("Total (%1–%2), entered by the clinician")
                    .replace("%1", str(measure.lo))
                    .replace("%2", str(measure.hi))
                ),
                0,
                0,
            )
            self.form.addWidget(self.total, 0, 1)
            self.total.valueChanged.connect(self._update_score)
        for row, item in enumerate(measure.items):
            text = QLabel(f"{item.number}. {item.text}")
            text.setWordWrap(True)
            self.form.addWidget(text, row * 2, 0, 1, 6)
            group = QButtonGroup(self)
            group.setExclusive(True)
            for column, option in enumerate(measure.item_options(item)):
                button = named(QRadioButton(option.label), f"Item {item.number}: {option.label}")
                group.addButton(button, option.value)
                self.form.addWidget(button, row * 2 + 1, column)
            group.idToggled.connect(lambda *_: self._update_score())
            self.groups.append(group)
        self._update_score()

    def answers(self) -> list[int | None]:
        return [g.checkedId() if g.checkedId() >= 0 else None for g in self.groups]

    def _update_score(self) -> None:
        measure = self.current()
        try:
            result = (
                m.score_total(measure, self.total.value())
                if self.total is not None
                else m.score(measure, self.answers())
            )
        except ConsoleError as exc:
            self.score.setText(exc.message)
            return
        if result.complete:
            self.score.setText(
                self.tr("Score %1 of %2 — %3")
                .replace("%1", str(result.total))
                .replace("%2", str(measure.hi))
                .replace("%3", result.band)
            )
        else:
            missing = sum(1 for a in self.answers() if a is None)
            self.score.setText(
                self.tr(
                    "%n item(s) not answered yet: saved as incomplete, not scored.", "", missing
                )
            )
        self.flag.setVisible(bool(result.flags))
        self.flag.setText("⚠ " + "; ".join(result.flags))

    def _on_save_clicked(self) -> None:
        measure = self.current()
        answers = None if measure.total_only else self.answers()
        if answers is not None and None in answers:
            sure = QMessageBox.question(
                self,
                self.tr("Save measure"),
                self.tr("Some items are not answered. Save it as incomplete (not scored)?"),
            )
            if sure != QMessageBox.StandardButton.Yes:
                return
        try:
            saved = self.service.record(
                self.context.client_id,
                measure.key,
                answers,
                self.total.value() if self.total is not None else None,
                datetime.now(UTC),
                session_id=self.context.session_id,
                entered_by=self.entered_by.currentData(),
            )
        except ConsoleError as exc:
            report(self, self.tr("Save measure"), exc)
            return
        self._build_form()
        self._refresh_history(select=saved)

    def _refresh_history(self, select: MeasureRecord | None = None) -> None:
        self.history.clear()
        for record in reversed(
            self.service.list_for_client(self.context.client_id, include_voided=True)
        ):
            when = record.answered_at.astimezone().strftime("%d %b %Y")
            score = f"{record.total} · {record.band}" if record.complete else self.tr("incomplete")
            text = f"{record.measure.name} — {when} — {score}"
            if record.voided:
                text += self.tr(" — VOIDED")
            if record.flags:
                text = "⚠ " + text
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, record.id)
            self.history.addItem(item)
            if select is not None and record.id == select.id:
                self.history.setCurrentItem(item)

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


register_tab(TabSpec("measures", "Measures", 30, MeasuresTab))
