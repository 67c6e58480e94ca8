"""The Rescripting tab: Arntz's imagery rescripting worksheet for this session.

It saves after a pause in typing, like every worksheet; Save saves at once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from console.clinical.rescripting import WHO_RESCRIPTS_LABELS
from console.services.rescripting import RescriptingFields, RescriptingRecord
from console.vocabulary import SessionKind
from ui.autosave import StatusLine, saved_words, worksheet_autosaver
from ui.session.registry import SessionContext, TabSpec, register_tab
from ui.session.tabs.worksheet_forms import notes, rating, read_rating, write_rating
from ui.widgets import named

TEXT_FIELDS = (
    ("memory", "Memory"),
    ("hotspot", "Hotspot (the worst moment)"),
    ("emotions", "Emotions"),
    ("unmet_needs", "Unmet needs"),
    ("rescript", "The rescript"),
    ("new_meaning", "New meaning"),
)


class RescriptingTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = context.services.rescripting
        self.message = named(QLabel(), "Rescripting message")
        self.status = StatusLine(self.message, self.tr("Rescripting"))
        self.autosave = worksheet_autosaver(
            self, context.services, "Rescripting worksheet", self.status,
            self.fields, lambda data: self.service.save(context.session_id, data), self._on_saved,
        )  # fmt: skip
        host = QWidget()
        form = QFormLayout(host)
        self.texts = {key: notes(label, 70) for key, label in TEXT_FIELDS}
        self.who = named(QComboBox(), "Who rescripts")
        for key, label in WHO_RESCRIPTS_LABELS.items():
            self.who.addItem(label, key)
        self.before = rating("Distress before", 0, 10)
        self.after = rating("Distress after", 0, 10)
        for key, label in TEXT_FIELDS[:4]:
            form.addRow(label, self.texts[key])
        form.addRow(self.tr("Who rescripts"), self.who)
        for key, label in TEXT_FIELDS[4:]:
            form.addRow(label, self.texts[key])
        form.addRow(self.tr("Distress before (0–10)"), self.before)
        form.addRow(self.tr("Distress after (0–10)"), self.after)
        self.save_button = named(QPushButton(self.tr("&Save rescripting")), "Save rescripting")
        form.addRow(self.save_button, self.message)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(host)
        QVBoxLayout(self).addWidget(scroll)
        self.save_button.clicked.connect(self.save)
        record = self.service.get(context.session_id)
        if record is not None:
            for key, edit in self.texts.items():
                edit.setPlainText(getattr(record, key))
            self.who.setCurrentIndex(max(0, self.who.findData(record.who_rescripts)))
            write_rating(self.before, record.distress_before)
            write_rating(self.after, record.distress_after)
        for edit in self.texts.values():
            edit.textChanged.connect(self.autosave.touched)
        self.who.currentIndexChanged.connect(self.autosave.touched)
        self.before.valueChanged.connect(self.autosave.touched)
        self.after.valueChanged.connect(self.autosave.touched)

    def fields(self) -> RescriptingFields:
        return RescriptingFields(
            **{key: edit.toPlainText() for key, edit in self.texts.items()},
            who_rescripts=self.who.currentData(),
            distress_before=read_rating(self.before),
            distress_after=read_rating(self.after),
        )

    def _on_saved(self, _record: RescriptingRecord) -> None:
        if not self.autosave.dirty:
            now = self.context.clock() if self.context.clock else datetime.now(UTC)
            self.message.setText(saved_words(now))

    def _save(self, *, force: bool) -> bool:
        return self.status.flush(self.autosave, force=force)

    def save(self) -> bool:
        """Save the worksheet now, as the Save button does; a refusal is shown, never raised."""
        return self._save(force=True)

    def flush(self) -> None:
        """Save what is typed now (before close, lock, export); an untouched worksheet is not
        started."""
        self._save(force=False)

    def shutdown(self) -> None:
        self.autosave.stop()


register_tab(
    TabSpec(
        "rescripting",
        "Rescripting",
        60,
        RescriptingTab,
        lambda s: s.kind in (SessionKind.INTEGRATION, SessionKind.EMDR, SessionKind.OTHER),
    )
)
