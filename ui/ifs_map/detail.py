"""The part detail panel: the part's attributes, and (in a session) its six F's and unburdening.

The panel edits nothing itself: it announces each change and the editor
turns it into an undoable edit (attributes) or a per-session record (work).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.clinical import ifs as c
from console.services.ifs import PartWorkFields
from ui.widgets import named

ERROR_STYLE = "color: white; background: #b3261e; padding: 2px 6px;"
SHORT_FIELDS = frozenset({"body_location", "age"})
NOTE_LINES = 3  # lines a notes box shows before it scrolls


def notes_box(name: str, description: str = "") -> QPlainTextEdit:
    """A box for the client's words over several lines: Enter starts a line, Tab moves on."""
    edit = named(QPlainTextEdit(), name, description)
    edit.setTabChangesFocus(True)
    chrome = 2 * (edit.frameWidth() + edit.document().documentMargin())
    edit.setFixedHeight(int(NOTE_LINES * edit.fontMetrics().lineSpacing() + chrome) + 2)
    return edit


class PartDetail(QWidget):
    field_edited = Signal(object, str, object)  # part id, attribute, value
    work_edited = Signal(object, object)  # part id, PartWorkFields
    unburden_requested = Signal(object)

    def __init__(self, in_session: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.part_id: uuid.UUID | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = named(QLabel(self.tr("Select a part to see it here.")), "Part heading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.attributes = self._build_attributes()
        layout.addWidget(self.attributes)
        self.work = self._build_work(in_session)
        layout.addWidget(self.work)
        layout.addStretch(1)
        self._session_widgets: list[QWidget] = [
            *self.six_fs.values(),
            *self.six_f_notes.values(),
            *self.unburdening.values(),
            self.release,
            self.unburden_button,
        ]
        self.in_session = in_session
        self.name.textEdited.connect(self._on_name_edited)
        self.kind.currentIndexChanged.connect(lambda: self._emit("kind", self.kind.currentData()))
        self.status.currentIndexChanged.connect(
            lambda: self._emit("status", self.status.currentData())
        )
        self.activation.valueChanged.connect(lambda v: self._emit("activation", v))
        self.show_part(None, None, editable=False)

    def _build_attributes(self) -> QGroupBox:
        """The part's own fields: name, kind, status, activation and its texts."""
        box = QGroupBox(self.tr("Part"))
        form = QFormLayout(box)
        self.name = named(
            QLineEdit(), "Part name", self.tr("The part's name, in the client's words")
        )
        self.name_error = named(QLabel(), "Part name error")
        self.name_error.setStyleSheet(ERROR_STYLE)
        self.name_error.setVisible(False)
        self.kind = named(QComboBox(), "Part kind")
        for kind in c.PART_KINDS:
            self.kind.addItem(c.PART_KIND_LABELS[kind], kind)
        self.status = named(QComboBox(), "Part status")
        for status in c.PART_STATUSES:
            self.status.addItem(c.PART_STATUS_LABELS[status], status)
        self.activation = named(QSpinBox(), "Activation", self.tr("0 = quiet … 10 = fully active"))
        self.activation.setRange(c.ACTIVATION_MIN, c.ACTIVATION_MAX)
        form.addRow(self.tr("&Name"), self.name)
        form.addRow("", self.name_error)
        form.addRow(self.tr("&Kind"), self.kind)
        form.addRow(self.tr("S&tatus"), self.status)
        form.addRow(self.tr("Acti&vation"), self.activation)
        self.texts: dict[str, QLineEdit | QPlainTextEdit] = {}
        for key, label in c.PART_TEXT_FIELDS:
            if key in SHORT_FIELDS:
                line = named(QLineEdit(), label)
                line.textEdited.connect(lambda text, k=key: self._emit(k, text))
                edit: QLineEdit | QPlainTextEdit = line
            else:
                edit = notes_box(label)
                edit.textChanged.connect(lambda k=key, e=edit: self._emit(k, e.toPlainText()))
            form.addRow(self.tr(label), edit)
            self.texts[key] = edit
        return box

    def _build_work(self, in_session: bool) -> QGroupBox:
        """This session's work on the part: the six F's and the unburdening."""
        box = QGroupBox(self.tr("This session"))
        work = QVBoxLayout(box)
        self.out_of_session = named(
            QLabel(
                self.tr(
                    "The six F's and unburdening are recorded in a session: open this part "
                    "from the session's Parts tab."
                )
            ),
            "Work recorded in a session",
        )
        self.out_of_session.setWordWrap(True)
        self.out_of_session.setVisible(not in_session)
        work.addWidget(self.out_of_session)
        work.addLayout(self._build_six_fs())
        unburden = self._build_unburdening()
        self.unburden_button = named(QPushButton(self.tr("Mark &unburdened")), "Mark unburdened")
        self.unburden_button.clicked.connect(self._on_unburden_clicked)
        work.addWidget(QLabel(self.tr("<b>Unburdening</b>")))
        work.addLayout(unburden)
        work.addWidget(self.unburden_button)
        return box

    def _build_six_fs(self) -> QFormLayout:
        fs = QFormLayout()
        self.six_fs: dict[str, QCheckBox] = {}
        self.six_f_notes: dict[str, QPlainTextEdit] = {}
        for key, label, prompt in c.SIX_FS:
            box = named(QCheckBox(label), f"Six F {label}", prompt)
            note = notes_box(f"{label} note", prompt)
            note.setPlaceholderText(prompt)
            box.toggled.connect(self._emit_work)
            note.textChanged.connect(self._emit_work)
            fs.addRow(box, note)
            self.six_fs[key], self.six_f_notes[key] = box, note
        return fs

    def _build_unburdening(self) -> QFormLayout:
        unburden = QFormLayout()
        self.unburdening: dict[str, QLineEdit] = {}
        self.release = named(QComboBox(), "Release to")
        for key, label in c.RELEASE_ELEMENTS.items():
            self.release.addItem(label, key)
        self.release.currentIndexChanged.connect(self._emit_work)
        for key, label in c.UNBURDENING_FIELDS:
            if key == "release_element":
                unburden.addRow(self.tr(label), self.release)
                continue
            edit = named(QLineEdit(), label)
            edit.textEdited.connect(self._emit_work)
            unburden.addRow(self.tr(label), edit)
            self.unburdening[key] = edit
        return unburden

    # -- showing --------------------------------------------------------------------

    def show_part(
        self, part: c.Part | None, work: PartWorkFields | None, editable: bool = True
    ) -> None:
        """Show a part's state; fields already showing the value are left alone (cursor stays)."""
        self._loading = True
        try:
            self.part_id = None if part is None else part.id
            self.attributes.setEnabled(part is not None and editable)
            for widget in self._session_widgets:
                widget.setEnabled(part is not None and editable and self.in_session)
            if part is None:
                self.heading.setText(self.tr("Select a part to see it here."))
                self.name.clear()
                for edit in self.texts.values():
                    self._set_text(edit, "")
                self.show_work(PartWorkFields())
                return
            self.heading.setText(
                f"<b>{part.name}</b> — {c.PART_KIND_LABELS.get(part.kind, part.kind)}"
            )
            if self.name.text().strip() != part.name:
                self.name.setText(part.name)
            self.kind.setCurrentIndex(max(0, self.kind.findData(part.kind)))
            self.status.setCurrentIndex(max(0, self.status.findData(part.status)))
            self.activation.setValue(part.activation)
            for key, edit in self.texts.items():
                self._set_text(edit, getattr(part, key))
            if work is not None:
                self.show_work(work)
        finally:
            self._loading = False

    def show_work(self, work: PartWorkFields) -> None:
        loading, self._loading = self._loading, True
        try:
            for key, box in self.six_fs.items():
                box.setChecked(key in work.six_fs)
                self._set_text(self.six_f_notes[key], work.note(key))
            for key, edit in self.unburdening.items():
                if edit.text() != getattr(work, key):
                    edit.setText(getattr(work, key))
            self.release.setCurrentIndex(max(0, self.release.findData(work.release_element)))
        finally:
            self._loading = loading

    @staticmethod
    def _set_text(edit: QLineEdit | QPlainTextEdit, text: str) -> None:
        if isinstance(edit, QLineEdit):
            if edit.text() != text:
                edit.setText(text)
        elif edit.toPlainText() != text:
            edit.setPlainText(text)

    def work_fields(self) -> PartWorkFields:
        return PartWorkFields(
            six_fs=tuple(k for k, box in self.six_fs.items() if box.isChecked()),
            six_fs_notes=tuple(
                (k, e.toPlainText()) for k, e in self.six_f_notes.items() if e.toPlainText().strip()
            ),
            release_element=self.release.currentData() or "",
            **{k: e.text() for k, e in self.unburdening.items()},
        )

    # -- editing --------------------------------------------------------------------

    def _emit(self, key: str, value: object) -> None:
        if not self._loading and self.part_id is not None:
            self.field_edited.emit(self.part_id, key, value)

    def _on_name_edited(self, text: str) -> None:
        empty = not text.strip()
        self.name_error.setText(self.tr("A part needs a name: use the client's words."))
        self.name_error.setVisible(empty)
        if not empty:
            self._emit("name", text.strip())

    def _emit_work(self) -> None:
        if not self._loading and self.part_id is not None:
            self.work_edited.emit(self.part_id, self.work_fields())

    def _on_unburden_clicked(self) -> None:
        if self.part_id is not None:
            self.unburden_requested.emit(self.part_id)
