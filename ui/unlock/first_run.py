"""First run: the clinician's profile, a passphrase, the recovery code, the keychain choice.

The vault is created when the passphrase page is accepted (key derivation
runs in the background), so the recovery code shown next is real and the
"print emergency-access sheet" button prints the real thing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from console.errors import ConsoleError
from console.services.bundle import Services
from console.services.clinician import ClinicianFields
from console.vault import KdfParams, Vault, keychain
from console.vault.strength import assess
from ui.widgets import ERROR_STYLE, named
from ui.workers import run_task


class ProfilePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Your profile"))
        self.setSubTitle(
            self.tr("This prints on every record as the letterhead. You can change it later.")
        )
        form = QFormLayout(self)
        self.name = named(QLineEdit(), "Clinician name", "Your name as it appears on records")
        self.credentials = named(QLineEdit(), "Credentials", "For example PsyD, LMFT")
        self.licence = named(QLineEdit(), "Licence number")
        self.clinic = named(QLineEdit(), "Clinic name")
        self.address = named(QTextEdit(), "Clinic address")
        self.address.setFixedHeight(60)
        self.address.setTabChangesFocus(True)
        self.phone = named(QLineEdit(), "Clinic phone")
        form.addRow(self.tr("&Name *"), self.name)
        form.addRow(self.tr("&Credentials"), self.credentials)
        form.addRow(self.tr("&Licence number"), self.licence)
        form.addRow(self.tr("Clinic na&me"), self.clinic)
        form.addRow(self.tr("Clinic &address"), self.address)
        form.addRow(self.tr("Clinic &phone"), self.phone)
        self.registerField("name*", self.name)

    def profile(self) -> ClinicianFields:
        return ClinicianFields(
            name=self.name.text().strip(),
            credentials=self.credentials.text().strip(),
            licence_number=self.licence.text().strip(),
            clinic_name=self.clinic.text().strip(),
            clinic_address=self.address.toPlainText().strip(),
            clinic_phone=self.phone.text().strip(),
        )


class PassphrasePage(QWizardPage):
    """Strength meter and confirmation; creating the vault happens on Next."""

    def __init__(self, create: Callable[[str], None], context: Callable[[], tuple[str, ...]]):
        super().__init__()
        self._create = create
        self._context = context
        self._created = False
        self._busy = False
        self.setTitle(self.tr("Choose a passphrase"))
        self.setSubTitle(
            self.tr(
                "It encrypts every record. A few unrelated words are strong and easy to "
                "remember. Nobody, including us, can recover it for you."
            )
        )
        form = QFormLayout(self)
        self.passphrase = named(QLineEdit(), "Passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = named(QLineEdit(), "Confirm passphrase")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = named(QProgressBar(), "Passphrase strength")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("wizard_status")
        self.mismatch = named(QLabel(), "Passphrase confirmation message")
        self.mismatch.setWordWrap(True)
        self.mismatch.setStyleSheet(ERROR_STYLE)
        self.mismatch.setVisible(False)
        self.show_text = named(QCheckBox(self.tr("&Show passphrase")), "Show passphrase")
        form.addRow(self.tr("&Passphrase"), self.passphrase)
        form.addRow(self.tr("Stren&gth"), self.meter)
        form.addRow("", self.hint)
        form.addRow(self.tr("&Confirm"), self.confirm)
        form.addRow("", self.mismatch)
        form.addRow("", self.show_text)
        form.addRow("", self.status)
        self.passphrase.textChanged.connect(self._on_passphrase_changed)
        self.confirm.textChanged.connect(self._on_passphrase_changed)
        self.show_text.toggled.connect(self._on_show_toggled)
        self._on_passphrase_changed()

    def _on_show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirm.setEchoMode(mode)

    def _on_passphrase_changed(self) -> None:
        strength = assess(self.passphrase.text(), self._context())
        self.meter.setValue(strength.score)
        self.meter.setFormat(strength.label)
        self.hint.setText(strength.hint)
        confirm = self.confirm.text()
        differs = bool(confirm) and confirm != self.passphrase.text()
        self.mismatch.setText(self.tr("The two passphrases do not match.") if differs else "")
        self.mismatch.setVisible(differs)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self._created:
            return True
        text = self.passphrase.text()
        return (
            not self._busy
            and assess(text, self._context()).acceptable
            and text == self.confirm.text()
        )

    def validatePage(self) -> bool:
        if self._created:
            return True
        if not self._busy:
            self._busy = True
            self.status.setText(self.tr("Creating the encrypted vault…"))
            self.completeChanged.emit()
            self._create(self.passphrase.text())
        return False

    def creation_finished(self, error: BaseException | None) -> None:
        self._busy = False
        if error is None:
            self._created = True
            self.passphrase.setEnabled(False)
            self.confirm.setEnabled(False)
            self.status.setText(self.tr("Vault created."))
            self.passphrase.clear()
            self.confirm.clear()
        else:
            message = error.message if isinstance(error, ConsoleError) else type(error).__name__
            self.status.setText(self.tr("The vault could not be created: ") + message)
        self.completeChanged.emit()


class RecoveryPage(QWizardPage):
    def __init__(self, print_sheet: Callable[[str], None]) -> None:
        super().__init__()
        self._print_sheet = print_sheet
        self.setTitle(self.tr("Your recovery code"))
        self.setSubTitle(
            self.tr(
                "If you forget the passphrase, this code opens the vault. It is shown only now. "
                "Print the emergency-access sheet and keep it somewhere safe and offline."
            )
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        self.code_label = named(QLabel(), "Recovery code")
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(16)
        self.code_label.setFont(mono)
        self.code_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_button = named(
            QPushButton(self.tr("&Print emergency-access sheet…")), "Print emergency-access sheet"
        )
        self.stored = named(
            QCheckBox(self.tr("I have stored the recovery code somewhere safe")),
            "Recovery code stored",
        )
        layout.addWidget(self.code_label)
        layout.addWidget(self.print_button)
        layout.addStretch(1)
        layout.addWidget(self.stored)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.stored.toggled.connect(self.completeChanged)
        self.code = ""

    def set_code(self, code: str) -> None:
        self.code = code
        self.code_label.setText(code)

    def _on_print_clicked(self) -> None:
        self._print_sheet(self.code)

    def isComplete(self) -> bool:
        return bool(self.code) and self.stored.isChecked()


class KeychainPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Remember on this computer?"))
        layout = QVBoxLayout(self)
        available, reason = keychain.availability()
        self.available = available
        explanation = QLabel(
            self.tr(
                "If you choose this, the operating system's keychain keeps a key that opens "
                "the vault while you are logged in to this computer account, so you need not "
                "type the passphrase. Anyone who can use your computer account could then open "
                "the vault. The passphrase and the recovery code keep working either way, and "
                "you can turn this off in Settings."
            )
        )
        explanation.setWordWrap(True)
        self.remember = named(
            QCheckBox(self.tr("&Remember the vault on this computer")), "Remember on this computer"
        )
        layout.addWidget(explanation)
        layout.addWidget(self.remember)
        if not available:
            self.remember.setEnabled(False)
            unavailable = QLabel(
                self.tr("Not available here: ") + reason + self.tr(". You will use the passphrase.")
            )
            unavailable.setObjectName("keychain_unavailable")
            unavailable.setWordWrap(True)
            layout.addWidget(unavailable)
        layout.addStretch(1)


class FirstRunWizard(QWizard):
    """Emits `vault_ready(vault)` with the vault unlocked when the wizard finishes."""

    vault_ready = Signal(object)

    def __init__(
        self,
        data_dir: Path,
        print_sheet: Callable[[str], None],
        parent: QWidget | None = None,
        kdf: KdfParams | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._kdf = kdf
        self.vault: Vault | None = None
        self.setWindowTitle(self.tr("Set up Session Console"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.profile_page = ProfilePage()
        self.passphrase_page = PassphrasePage(self._create_vault, self._context)
        self.recovery_page = RecoveryPage(print_sheet)
        self.keychain_page = KeychainPage()
        for page in (
            self.profile_page,
            self.passphrase_page,
            self.recovery_page,
            self.keychain_page,
        ):
            self.addPage(page)
        for which, name in (
            (QWizard.WizardButton.BackButton, "Back"),
            (QWizard.WizardButton.NextButton, "Next"),
            (QWizard.WizardButton.FinishButton, "Finish"),
            (QWizard.WizardButton.CancelButton, "Cancel"),
        ):
            self.button(which).setAccessibleName(self.tr(name))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(640, 520)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.move(screen.availableGeometry().center() - self.rect().center())

    def _context(self) -> tuple[str, ...]:
        profile = self.profile_page.profile()
        return (profile.name, profile.clinic_name, *profile.name.split())

    def _create_vault(self, passphrase: str) -> None:
        profile = self.profile_page.profile()
        kdf = self._kdf

        def create() -> tuple[Vault, str]:
            vault, code = Vault.create(self.data_dir, passphrase, profile.name, kdf=kdf)
            Services(vault).clinician.update(profile)
            return vault, code

        def done(result: tuple[Vault, str]) -> None:
            self.vault, code = result
            self.recovery_page.set_code(code)
            self.passphrase_page.creation_finished(None)
            self.next()

        run_task(create, done, self.passphrase_page.creation_finished)

    def accept(self) -> None:
        if self.vault is None:
            return
        if self.keychain_page.remember.isChecked():
            try:
                self.vault.enable_keychain()
            except ConsoleError as exc:
                self.keychain_page.remember.setChecked(False)
                self.keychain_page.remember.setText(exc.message)
                return
        self.recovery_page.code = ""
        self.recovery_page.code_label.clear()
        super().accept()
        self.vault_ready.emit(self.vault)
