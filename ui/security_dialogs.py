"""Settings → Security: change the passphrase, replace every key, issue a new recovery code.

Each asks for the current passphrase (Argon2id runs in the background, ~0.5 s)
and says in plain words what it protects against. A new recovery code is
shown once, in a dialog that cannot be dismissed until the clinician says
it is written down; it reaches the clipboard only from the Copy button.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.errors import ConsoleError
from console.vault import Vault
from console.vault.strength import assess
from ui.widgets import named
from ui.workers import run_task

ROTATE_EXPLAINED = (
    "Replacing every key re-encrypts the vault and makes a new recovery code. Do it after a "
    "lost or shared laptop, a backup in the wrong hands, or a staff change: old copies of "
    "vault.json (every backup carries one) and old passphrases then open nothing written "
    "from now on."
)
CHANGE_EXPLAINED = (
    "A new passphrase stops the old one opening this vault here. Old copies of vault.json, "
    "as in your backups, still open with the old passphrase unless you also replace every key."
)


def _password(name: str) -> QLineEdit:
    field = named(QLineEdit(), name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _SecretDialog(QDialog):
    """A form that runs one slow vault operation in the background and reports in place."""

    def __init__(self, vault: Vault, title: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.new_code: str | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.form = QFormLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        self.form.addRow(text)
        self.current = _password("Current passphrase")
        self.form.addRow(self.tr("C&urrent passphrase"), self.current)
        self.hint = named(QLabel(), "Security hint")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_form(self) -> None:
        self.form.addRow(self.hint)
        self.form.addRow(self.buttons)
        self.current.textChanged.connect(self.refresh)
        self.refresh()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def refresh(self) -> None:
        self.ok_button.setEnabled(bool(self.current.text()))

    def run(self, work: Callable[[], str | None], busy: str) -> None:
        self.ok_button.setEnabled(False)
        self.hint.setText(busy)
        run_task(work, self._on_done, self._on_failed)

    def _on_done(self, code: str | None) -> None:
        self.new_code = code
        for field in self.findChildren(QLineEdit):
            field.clear()
        super().accept()
        if code is not None:
            RecoveryCodeDialog(code, self.parentWidget()).exec()

    def _on_failed(self, error: BaseException) -> None:
        self.hint.setText(
            error.message if isinstance(error, ConsoleError) else type(error).__name__
        )
        self.refresh()


class ChangePassphraseDialog(_SecretDialog):
    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(vault, self.tr("Change passphrase"), self.tr(CHANGE_EXPLAINED), parent)
        self.new = _password("New passphrase")
        self.confirm = _password("Confirm new passphrase")
        self.rotate = named(
            QCheckBox(self.tr("Also &replace every key and the recovery code")),
            "Also replace every key",
            self.tr(ROTATE_EXPLAINED),
        )
        self.form.addRow(self.tr("&New passphrase"), self.new)
        self.form.addRow(self.tr("Con&firm"), self.confirm)
        self.form.addRow("", self.rotate)
        self.new.textChanged.connect(self.refresh)
        self.confirm.textChanged.connect(self.refresh)
        self.finish_form()

    def refresh(self) -> None:
        if not hasattr(self, "confirm"):
            return
        strength = assess(self.new.text())
        matches = self.new.text() == self.confirm.text()
        words = f"{strength.label}. {strength.hint}" if self.new.text() else ""
        if self.confirm.text() and not matches:
            words += " " + self.tr("The two entries differ.")
        self.hint.setText(words.strip())
        self.ok_button.setEnabled(bool(self.current.text()) and strength.acceptable and matches)

    def accept(self) -> None:
        vault, current, new = self.vault, self.current.text(), self.new.text()
        rotate = self.rotate.isChecked()
        self.run(
            lambda: vault.change_passphrase(current, new, rotate=rotate),
            self.tr("Replacing every key…") if rotate else self.tr("Saving the new passphrase…"),
        )


class RotateKeysDialog(_SecretDialog):
    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(vault, self.tr("Replace every key"), self.tr(ROTATE_EXPLAINED), parent)
        self.finish_form()

    def accept(self) -> None:
        vault, current = self.vault, self.current.text()
        self.run(lambda: vault.rotate_key(current), self.tr("Re-encrypting the vault…"))


class NewRecoveryCodeDialog(_SecretDialog):
    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        intro = self.tr(
            "A new recovery code replaces the old one, which then stops opening this vault. "
            "Copies of vault.json made before (as in backups) still open with the old code "
            "until you replace every key."
        )
        super().__init__(vault, self.tr("New recovery code"), intro, parent)
        self.finish_form()

    def accept(self) -> None:
        vault, current = self.vault, self.current.text()
        self.run(lambda: vault.replace_recovery_code(current), self.tr("Making a new code…"))


class RecoveryCodeDialog(QDialog):
    """The new code, shown once; closes only after the clinician says it is kept safe."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setWindowTitle(self.tr("Your new recovery code"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Write this code down and keep it somewhere safe and offline. It is shown only "
                "now. The old recovery code no longer works."
            )
        )
        intro.setWordWrap(True)
        shown = named(QLabel(code), "New recovery code")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(font.pointSize() + 3)
        shown.setFont(font)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = named(QPushButton(self.tr("&Copy")), "Copy recovery code")
        copy.clicked.connect(self._on_copy_clicked)
        self.kept = named(
            QCheckBox(self.tr("I have written the code down")), "Recovery code written down"
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.accept)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(False)
        self.kept.toggled.connect(self._on_kept_toggled)
        for widget in (intro, shown, copy, self.kept, self.buttons):
            layout.addWidget(widget)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.code)

    def _on_kept_toggled(self, kept: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(kept)

    def reject(self) -> None:
        """Escape does not close it: the code would be lost unseen."""
        if self.kept.isChecked():
            super().reject()
