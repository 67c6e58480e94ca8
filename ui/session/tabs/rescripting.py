"""The Rescripting tab: Arntz's imagery rescripting worksheet for this session."""

from __future__ import annotations

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
from console.errors import ConsoleError, ValidationError
from console.services.rescripting import RescriptingFields
from console.vocabulary import SessionKind
from ui.session.registry import SessionContext, TabSpec, register_tab
from ui.session.tabs.worksheet_forms import notes, rating, read_rating, write_rating
from ui.widgets import named, report

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
        self.message = named(QLabel(), "Rescripting message")
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

    def fields(self) -> RescriptingFields:
        return RescriptingFields(
            **{key: edit.toPlainText() for key, edit in self.texts.items()},
            who_rescripts=self.who.currentData(),
            distress_before=read_rating(self.before),
            distress_after=read_rating(self.after),
        )

    def save(self) -> bool:
        try:
            self.service.save(self.context.session_id, self.fields())
        except ValidationError as exc:
            self.message.setText(exc.message)
            return False
        except ConsoleError as exc:
            report(self, self.tr("Rescripting"), exc)
            return False
        self.message.setText(self.tr("Saved."))
        return True

    def flush(self) -> None:
        if any(edit.toPlainText().strip() for edit in self.texts.values()):
            self.save()

    def shutdown(self) -> None:
        """Nothing runs here; what is typed was flushed before."""


register_tab(
    TabSpec(
        "rescripting",
        "Rescripting",
        60,
        RescriptingTab,
        lambda s: s.kind in (SessionKind.INTEGRATION, SessionKind.EMDR, SessionKind.OTHER),
    )
)
