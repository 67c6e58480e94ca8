"""The unlock screen: passphrase, this computer's keychain, or the recovery code.

Key derivation takes a deliberate ~0.4 s, so it runs in the background with
the screen showing that it is working. A wrong passphrase says so plainly;
after repeated failures the wait before the next try is shown counting down.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.errors import ConsoleError, UnlockThrottledError
from console.vault import Vault
from console.vault.strength import assess
from ui.widgets import named
from ui.workers import run_task


def _title() -> QLabel:
    title = QLabel(APP_NAME)
    font = QFont(title.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    title.setFont(font)
    return title


class UnlockWindow(QWidget):
    unlocked = Signal(object)

    def __init__(
        self, vault: Vault, reminder: QWidget | None = None, parent: QWidget | None = None
    ) -> None:
        """`reminder` (the lock screen's watch over a monitored session) shows above the form."""
        super().__init__(parent)
        self.vault = vault
        self._recovery_mode = False
        self.setWindowTitle(self.tr("Unlock — ") + APP_NAME)
        self.setMinimumWidth(460)
        panel = QWidget()
        panel.setMaximumWidth(560)
        outer = QHBoxLayout(self)  # centres the form when the lock screen covers the app
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(panel)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(12)
        title = _title()
        self.prompt = QLabel(self.tr("Enter your passphrase to open the records."))
        self.prompt.setWordWrap(True)
        self.secret = named(QLineEdit(), "Passphrase")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = named(QLabel(), "Unlock message")
        self.message.setWordWrap(True)
        self.message.setObjectName("unlock_message")
        buttons = self._buttons()
        layout.addStretch(1)
        layout.addWidget(title)
        if reminder is not None:
            layout.addWidget(reminder)
        layout.addWidget(self.prompt)
        layout.addWidget(self.secret)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(self.recovery_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.secret.returnPressed.connect(self._on_unlock_clicked)
        self.keychain_button.clicked.connect(self._on_keychain_clicked)
        self.recovery_button.clicked.connect(self._on_recovery_clicked)
        self._countdown = QTimer(self)
        self._countdown.setInterval(500)
        self._countdown.timeout.connect(self._refresh_wait)
        self.keychain_button.setVisible(self._keychain_enabled())
        self._refresh_wait()

    def _buttons(self) -> QHBoxLayout:
        """Unlock and the keychain in a row; the recovery link goes below, on its own."""
        self.unlock_button = named(QPushButton(self.tr("&Unlock")), "Unlock")
        self.unlock_button.setDefault(True)
        self.keychain_button = named(
            QPushButton(self.tr("Unlock with this &computer's keychain")), "Unlock with keychain"
        )
        self.recovery_button = named(
            QPushButton(self.tr("Forgot the passphrase? Use the &recovery code")),
            "Use recovery code",
        )
        self.recovery_button.setFlat(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keychain_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        return buttons

    def _keychain_enabled(self) -> bool:
        try:
            return self.vault.keychain_enabled
        except ConsoleError:
            return False

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.secret, self.unlock_button, self.keychain_button, self.recovery_button):
            widget.setEnabled(not busy)
        if busy:
            self.message.setText(self.tr("Opening the vault…"))

    def _refresh_wait(self) -> None:
        remaining = self.vault.throttle.retry_after()
        if remaining > 0:
            self.unlock_button.setEnabled(False)
            self.message.setText(
                self.tr(
                    "Too many failed attempts. You can try again in %n second(s).",
                    "",
                    int(remaining + 0.999),
                )
            )
            if not self._countdown.isActive():
                self._countdown.start()
        else:
            self._countdown.stop()
            self.unlock_button.setEnabled(True)

    def _on_recovery_clicked(self) -> None:
        self._recovery_mode = not self._recovery_mode
        if self._recovery_mode:
            self.prompt.setText(
                self.tr(
                    "Enter the recovery code from your emergency-access sheet. "
                    "You will choose a new passphrase next."
                )
            )
            self.secret.setAccessibleName(self.tr("Recovery code"))
            self.secret.setEchoMode(QLineEdit.EchoMode.Normal)
            self.recovery_button.setText(self.tr("Use the &passphrase instead"))
        else:
            self.prompt.setText(self.tr("Enter your passphrase to open the records."))
            self.secret.setAccessibleName(self.tr("Passphrase"))
            self.secret.setEchoMode(QLineEdit.EchoMode.Password)
            self.recovery_button.setText(self.tr("Forgot the passphrase? Use the &recovery code"))
        self.secret.clear()
        self.secret.setFocus()

    def _on_unlock_clicked(self) -> None:
        secret = self.secret.text()
        if not secret or not self.unlock_button.isEnabled():
            return
        self._start(
            (lambda: self.vault.unlock_with_recovery(secret))
            if self._recovery_mode
            else (lambda: self.vault.unlock_with_passphrase(secret))
        )

    def _on_keychain_clicked(self) -> None:
        self._start(self.vault.unlock_with_keychain)

    def _start(self, action: Callable[[], object]) -> None:
        self._set_busy(True)
        run_task(action, self._on_done, self._on_failed)

    def _on_done(self, _result: object) -> None:
        self.secret.clear()
        self._set_busy(False)
        self.message.clear()
        self.unlocked.emit(self.vault)

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.secret.selectAll()
        self.secret.setFocus()
        if isinstance(error, UnlockThrottledError):
            self._refresh_wait()
            return
        if isinstance(error, ConsoleError):
            text = error.message[:1].upper() + error.message[1:] + "."
        else:
            text = self.tr("The vault could not be opened (%s).") % type(error).__name__
        self.message.setText(text)
        self.adjustSize()  # a long message (disk full, open elsewhere) is shown whole
        if self.vault.throttle.retry_after() > 0:
            self._refresh_wait()


class NewPassphraseDialog(QDialog):
    """After the recovery code: a new passphrase is required before anything else."""

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.setWindowTitle(self.tr("Choose a new passphrase"))
        form = QFormLayout(self)
        intro = QLabel(
            self.tr("You opened the vault with the recovery code. Choose a new passphrase now.")
        )
        intro.setWordWrap(True)
        self.passphrase = named(QLineEdit(), "New passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = named(QLineEdit(), "Confirm new passphrase")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("new_passphrase_hint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        form.addRow(intro)
        form.addRow(self.tr("&New passphrase"), self.passphrase)
        form.addRow(self.tr("&Confirm"), self.confirm)
        form.addRow(self.hint)
        form.addRow(self.buttons)
        self.passphrase.textChanged.connect(self._on_changed)
        self.confirm.textChanged.connect(self._on_changed)
        self.buttons.accepted.connect(self.accept)
        self._on_changed()

    def _on_changed(self) -> None:
        strength = assess(self.passphrase.text())
        matches = self.passphrase.text() == self.confirm.text()
        self.hint.setText(
            f"{strength.label}. {strength.hint}"
            + ("" if matches else " " + self.tr("The two entries differ."))
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(strength.acceptable and matches)

    def reject(self) -> None:
        """Closing is not allowed: the recovery code must not stay the only way in."""

    def accept(self) -> None:
        """Key derivation takes ~0.4 s, so the new slot is written in the background."""
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.hint.setText(self.tr("Saving the new passphrase…"))
        run_task(
            lambda: self.vault.set_new_passphrase(self.passphrase.text()),
            self._on_saved,
            self._on_failed,
        )

    def _on_saved(self, _result: object) -> None:
        self.passphrase.clear()
        self.confirm.clear()
        super().accept()

    def _on_failed(self, error: BaseException) -> None:
        self.hint.setText(
            error.message if isinstance(error, ConsoleError) else type(error).__name__
        )
        self._on_changed()
