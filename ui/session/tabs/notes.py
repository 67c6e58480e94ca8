"""The Notes tab: the session's notes, a sectioned editor that autosaves, signing, addenda."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QElapsedTimer, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.clinical.note_templates import TEMPLATES, template
from console.errors import ConsoleError
from console.services.changes import Action, Changes, Initiator, Kind
from console.services.notes import AddendumRecord, NoteRecord
from ui.autosave import AUTOSAVE_MS, Autosaver, SaveState, saved_words, state_words, vault_writes
from ui.dates import show_datetime
from ui.session.registry import SessionContext, TabSpec, register_tab
from ui.widgets import named, report

ID_ROLE = Qt.ItemDataRole.UserRole


class AddendumDialog(QDialog):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Addendum"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "An addendum corrects or adds to the signed note. "
                "The note itself stays as it was signed."
            )
        )
        intro.setWordWrap(True)
        self.text = named(QPlainTextEdit(text), "Addendum text")
        self.text.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_button = self.buttons.addButton(
            self.tr("Save and si&gn"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setObjectName("save_and_sign")
        self.sign_requested = False
        self.sign_button.clicked.connect(self._on_sign_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(intro)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        self.resize(520, 320)

    def _on_sign_clicked(self) -> None:
        self.sign_requested = True


class NoteEditor(QWidget):
    """One note: editable sections while a draft, read-only with its hash once signed."""

    discarded = Signal(object)  # the discarded draft's id

    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.notes = context.services.notes
        self.note: NoteRecord | None = None
        self._edits: dict[str, QPlainTextEdit] = {}
        self.autosave = Autosaver(
            self._draft,
            self._save_draft,
            self._on_saved,
            AUTOSAVE_MS,
            initiator=Initiator("note editor"),
            exclusive=lambda: vault_writes(context.services),
            on_error=self._on_save_failed,
            on_state=self._on_save_state,
            parent=self,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_top())
        layout.addWidget(self._build_kept_apart())
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        self.signature = named(QLabel(), "Signature")
        self.signature.setWordWrap(True)
        self.signature.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.addenda_box = QVBoxLayout()
        layout.addWidget(scroll, 1)
        layout.addWidget(self.signature)
        layout.addLayout(self.addenda_box)
        self.sign_button.clicked.connect(self._on_sign_clicked)
        self.addendum_button.clicked.connect(self._on_addendum_clicked)
        self.discard_button.clicked.connect(self._on_discard_clicked)
        save_now = QShortcut(QKeySequence.StandardKey.Save, self)
        save_now.activated.connect(self.flush)
        self.show_note(None)

    def _build_top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        self.heading = named(QLabel(), "Note heading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.status = named(QLabel(), "Save status")
        self.status.setObjectName("save_status")
        self.status.setMinimumWidth(
            self.status.fontMetrics().horizontalAdvance("Draft — saved 30 Sep 2026, 20:38  ")
        )
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.sign_button = named(QPushButton(self.tr("Si&gn…")), "Sign note")
        self.addendum_button = named(QPushButton(self.tr("Add a&ddendum…")), "Add addendum")
        self.discard_button = named(QPushButton(self.tr("Disca&rd draft…")), "Discard draft")
        top.addWidget(self.heading, 1)
        top.addWidget(self.status)
        top.addWidget(self.sign_button)
        top.addWidget(self.addendum_button)
        top.addWidget(self.discard_button)
        return top

    def _build_kept_apart(self) -> QLabel:
        self.kept_apart = QLabel(
            self.tr(
                "Psychotherapy note — kept apart from the record. It is left out of chart "
                "exports and search unless you choose to include it."
            )
        )
        self.kept_apart.setObjectName("kept_apart_banner")
        self.kept_apart.setWordWrap(True)
        self.kept_apart.setStyleSheet(
            "background: #5b3a8a; color: white; padding: 6px; border-radius: 4px;"
        )
        return self.kept_apart

    # -- showing ----------------------------------------------------------
    def show_note(self, note: NoteRecord | None) -> None:
        self.flush()
        self.note = note
        self._edits.clear()
        _clear(self.body_layout)
        _clear(self.addenda_box)
        if note is None:
            self.heading.setText(self.tr("No note open"))
            self.status.clear()
            self.kept_apart.setVisible(False)
            self.sign_button.setEnabled(False)
            self.addendum_button.setEnabled(False)
            self._explain_discard(self.tr("Open a draft note to discard it."))
            self.signature.clear()
            return
        tpl = template(note.template)
        self.heading.setText(tpl.label)
        self.kept_apart.setVisible(tpl.kept_apart)
        for section in tpl.sections:
            label = QLabel(f"<b>{section.label}</b>")
            edit = named(QPlainTextEdit(), section.label, section.hint)
            edit.setPlaceholderText(section.hint)
            edit.setPlainText(note.sections.get(section.key, ""))
            edit.setReadOnly(note.is_signed)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(90)
            edit.textChanged.connect(self._on_text_changed)
            label.setBuddy(edit)
            self.body_layout.addWidget(label)
            self.body_layout.addWidget(edit, 1)
            self._edits[section.key] = edit
        self._show_state()

    def _show_state(self) -> None:
        note = self.note
        assert note is not None
        self.sign_button.setEnabled(not note.is_signed)
        self.addendum_button.setEnabled(note.is_signed)
        self._explain_discard(
            self.tr("A signed note stays in the record; correct it with an addendum.")
            if note.is_signed
            else self.tr("Remove this unsigned draft (asks first).")
        )
        if note.is_signed and note.signed_at is not None:
            self.status.setText(self.tr("Signed — read only"))
            self.signature.setText(
                self.tr("Signed by %1 on %2.\nSHA-256 %3")
                .replace("%1", note.signer_name)
                .replace("%2", show_datetime(note.signed_at))
                .replace("%3", note.content_hash)
            )
        else:
            self.status.setText(
                self.tr("Draft — saved %1").replace("%1", show_datetime(note.updated_at))
            )
            self.signature.setText(self.tr("Draft: not signed."))
        _clear(self.addenda_box)
        for addendum in note.addenda:
            self.addenda_box.addWidget(self._addendum_frame(addendum))

    def _explain_discard(self, why: str) -> None:
        """Only a draft can be discarded; the tooltip says why the button is off when it is."""
        self.discard_button.setEnabled(self.note is not None and not self.note.is_signed)
        self.discard_button.setToolTip(why)
        self.discard_button.setAccessibleDescription(why)

    def _addendum_frame(self, addendum: AddendumRecord) -> QWidget:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setObjectName(f"addendum_{addendum.id.hex[:8]}")
        row = QVBoxLayout(frame)
        state = (
            self.tr("signed %1 · SHA-256 %2")
            .replace("%1", show_datetime(addendum.signed_at))
            .replace("%2", addendum.content_hash[:16] + "…")
            if addendum.is_signed and addendum.signed_at is not None
            else self.tr("draft")
        )
        head = QLabel(
            f"<b>{self.tr('Addendum')}</b> — {addendum.author_name}, "
            f"{show_datetime(addendum.created_at)} ({state})"
        )
        text = QLabel(addendum.text)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(head)
        row.addWidget(text)
        if not addendum.is_signed:
            buttons = QHBoxLayout()
            edit = named(QPushButton(self.tr("Edit…")), "Edit addendum")
            sign = named(QPushButton(self.tr("Sign…")), "Sign addendum")
            edit.clicked.connect(lambda: self._on_addendum_edit_clicked(addendum))
            sign.clicked.connect(lambda: self._sign_addendum(addendum.id))
            buttons.addStretch(1)
            buttons.addWidget(edit)
            buttons.addWidget(sign)
            row.addLayout(buttons)
        return frame

    def focus_first_section(self) -> None:
        first = next(iter(self._edits.values()), None)
        if first is not None:
            first.setFocus()

    # -- saving -----------------------------------------------------------
    def sections(self) -> dict[str, str]:
        return {key: edit.toPlainText() for key, edit in self._edits.items()}

    def _draft(self) -> tuple[uuid.UUID, dict[str, str]]:
        assert self.note is not None
        return self.note.id, self.sections()

    def _save_draft(self, draft: tuple[uuid.UUID, dict[str, str]]) -> NoteRecord:
        return self.notes.save_draft(*draft)

    def _on_text_changed(self) -> None:
        if self.note is not None and not self.note.is_signed:
            self.autosave.touched()

    def _on_saved(self, record: NoteRecord) -> None:
        if self.note is None or record.id != self.note.id:
            return
        self.note = record
        if not self.autosave.dirty:
            self.status.setText(saved_words(record.updated_at))

    def _on_save_state(self, state: SaveState) -> None:
        if state is not SaveState.SAVED:
            self.status.setText(state_words(state))

    def _on_save_failed(self, error: BaseException) -> None:
        report(self, self.tr("Autosave"), error)

    def flush(self) -> None:
        """Save now, on this thread: before lock, close, switching notes and signing."""
        self.autosave.flush()

    def shutdown(self) -> None:
        self.autosave.flush()
        self.autosave.stop()

    # -- signing and addenda ---------------------------------------------
    def _on_sign_clicked(self) -> None:
        if self.note is None:
            return
        try:
            self.flush()
            signer = self.context.services.clinician.get().name
        except ConsoleError as exc:
            report(self, self.tr("Sign note"), exc)
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Sign note"))
        box.setText(
            self.tr("Sign this %1 as %2 now?")
            .replace("%1", template(self.note.template).label)
            .replace("%2", signer)
        )
        box.setInformativeText(
            self.tr(
                "After signing, the note cannot be changed. Corrections are made as addenda, "
                "each with its author and time."
            )
        )
        sign = box.addButton(self.tr("Sign"), QMessageBox.ButtonRole.AcceptRole)
        sign.setObjectName("confirm_sign")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not sign:
            return
        try:
            self.note = self.notes.sign(self.note.id)
        except ConsoleError as exc:
            report(self, self.tr("Sign note"), exc)
            return
        for edit in self._edits.values():
            edit.setReadOnly(True)
        self._show_state()

    def _on_discard_clicked(self) -> None:
        note = self.note
        if note is None or note.is_signed:
            return
        with self.autosave.held():
            answer = QMessageBox.question(
                self,
                self.tr("Discard draft"),
                self.tr(
                    "Discard this draft %1? What it says is removed; the audit trail keeps "
                    "a record that a draft was discarded."
                ).replace("%1", template(note.template).label),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
        if answer != QMessageBox.StandardButton.Yes:
            return
        unsaved = self.autosave.dirty
        self.autosave.discard()
        try:
            self.notes.discard(note.id)
        except ConsoleError as exc:
            if unsaved:
                self.autosave.touched()
            report(self, self.tr("Discard draft"), exc)
            return
        self.show_note(None)
        self.discarded.emit(note.id)

    def _on_addendum_clicked(self) -> None:
        if self.note is None:
            return
        dialog = AddendumDialog(parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            addendum = self.notes.add_addendum(self.note.id, dialog.text.toPlainText())
            if dialog.sign_requested:
                self.notes.sign_addendum(addendum.id)
        except ConsoleError as exc:
            report(self, self.tr("Addendum"), exc)
            return
        self._reload()

    def _on_addendum_edit_clicked(self, addendum: AddendumRecord) -> None:
        dialog = AddendumDialog(addendum.text, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.notes.save_addendum(addendum.id, dialog.text.toPlainText())
            if dialog.sign_requested:
                self.notes.sign_addendum(addendum.id)
        except ConsoleError as exc:
            report(self, self.tr("Addendum"), exc)
            return
        self._reload()

    def _sign_addendum(self, addendum_id: uuid.UUID) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Sign addendum"),
            self.tr("Sign this addendum now? It cannot be changed afterwards."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.notes.sign_addendum(addendum_id)
        except ConsoleError as exc:
            report(self, self.tr("Sign addendum"), exc)
            return
        self._reload()

    def _reload(self) -> None:
        if self.note is not None:
            self.note = self.notes.get(self.note.id)
            self._show_state()


class NotesTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.notes = context.services.notes
        self.editor = NoteEditor(context)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([220, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.editor.discarded.connect(self._on_editor_discarded)
        self._unfollow = context.changes.follow(self._on_records_changed)
        self._since_created = QElapsedTimer()
        self.refresh()
        if self.list.count():
            self.list.setCurrentRow(0)

    def _build_list(self) -> QWidget:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.template = named(QComboBox(), "Note template")
        for kind, tpl in TEMPLATES.items():
            self.template.addItem(tpl.label, kind)
        default = self.context.default_template
        self.template.setCurrentIndex(max(0, self.template.findData(default)))
        self.new_button = named(QPushButton(self.tr("&New note")), "New note")
        self.list = named(QListWidget(), "Notes in this session")
        left_layout.addWidget(QLabel(self.tr("<b>Notes</b>")))
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.template)
        left_layout.addWidget(self.new_button)
        return left

    def refresh(self, select: uuid.UUID | None = None) -> None:
        current = select or (self.editor.note.id if self.editor.note else None)
        self.list.blockSignals(True)
        self.list.clear()
        for note in self.notes.list_for_session(self.context.session_id):
            mark = "✔ " if note.is_signed else "✎ "
            item = QListWidgetItem(
                f"{mark}{template(note.template).label}\n{show_datetime(note.created_at)}"
            )
            item.setData(ID_ROLE, note.id)
            item.setToolTip(self.tr("Signed") if note.is_signed else self.tr("Draft"))
            if note.is_psychotherapy:
                item.setFont(_italic(item.font()))
            self.list.addItem(item)
            if note.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def _on_new_clicked(self) -> None:
        """A double click is one request: a click within the double-click interval of the
        note just made opens no second, empty draft and leaves the typing in the first."""
        since = self._since_created
        if since.isValid() and since.elapsed() < QApplication.doubleClickInterval():
            self.editor.focus_first_section()
            return
        try:
            self.editor.flush()
            note = self.notes.create(self.context.session_id, self.template.currentData())
        except ConsoleError as exc:
            report(self, self.tr("New note"), exc)
            return
        self._since_created.start()
        self.refresh(select=note.id)
        self.editor.show_note(note)
        self.editor.focus_first_section()

    def _on_list_current_changed(self, item: QListWidgetItem | None, _prev: object) -> None:
        if item is None:
            return
        try:
            self.editor.show_note(self.notes.get(item.data(ID_ROLE)))
        except ConsoleError as exc:
            report(self, self.tr("Open note"), exc)

    def _on_records_changed(self, changes: Changes) -> None:
        """The list shows each note's state and template, which a text autosave never changes."""
        if (
            changes.touches(Kind.NOTE)
            and changes.for_session(self.context.session_id)
            and changes.action is not Action.TEXT_SAVED
        ):
            self.refresh()

    def _on_editor_discarded(self, _note_id: uuid.UUID) -> None:
        self.refresh()
        if self.list.count():
            self.list.setCurrentRow(0)
            self.list.setFocus()
        else:
            self.new_button.setFocus()

    def flush(self) -> None:
        self.editor.flush()

    def shutdown(self) -> None:
        """Closing or locking: the editor's pending autosave is flushed, then stopped."""
        self._unfollow()
        self.editor.shutdown()


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def _italic(font: QFont) -> QFont:
    font.setItalic(True)
    return font


register_tab(TabSpec("notes", "Notes", 10, NotesTab))
