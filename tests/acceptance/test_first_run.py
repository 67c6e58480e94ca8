"""First run to an unlocked console, by a clinician who has never seen the app."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QScrollArea

from console.vault import Vault
from tests.acceptance.person import Person
from tests.conftest import PASSPHRASE, TEST_KDF
from ui.controller import AppController


def test_first_run_to_an_unlocked_console(qtbot, person: Person, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    controller = AppController(tmp_path / "fresh", kdf=TEST_KDF)
    controller.start()
    wizard = controller.gate
    assert wizard is not None
    person.type("Clinician name", "Dr Lena Fischer")
    person.type("Credentials", "PsyD")
    person.type("Clinic name", "Calm Harbour Clinic")
    person.shot(wizard, "first-run-profile")
    person.click("Next")

    person.type("Passphrase", PASSPHRASE)
    person.type("Confirm passphrase", PASSPHRASE[:-1])
    assert not person.find("Next", enabled=False).isEnabled()
    mismatch = person.find("Passphrase confirmation message", QLabel)
    assert mismatch.text() == "The two passphrases do not match."
    person.shot(wizard, "first-run-mismatch")
    person.keys(PASSPHRASE[-1])
    assert not person.sees("The two passphrases do not match.")
    person.click("Show passphrase")
    person.click("Next")

    qtbot.waitUntil(lambda: person.sees("Your recovery code"), timeout=15_000)
    code = person.find("Recovery code", QLabel).text()
    assert len(code.replace("-", "")) == 32
    wizard.resize(1366 // 2, 768 // 2 + 100)
    page = wizard.recovery_page
    for label in page.findChildren(QLabel):
        if label.isVisible() and label.text() and label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), (
                f"clipped: {label.text()[:40]!r}"
            )
    assert page.findChild(QScrollArea) is not None or page.sizeHint().height() <= page.height()
    person.shot(wizard, "first-run-recovery")
    person.click("Recovery code stored")
    person.click("Next")

    assert person.sees("Remember on this computer?")
    person.click("Finish")
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=5_000)
    assert controller.services is not None
    assert controller.services.clinician.get().clinic_name == "Calm Harbour Clinic"
    assert not person.sees(code), "the recovery code is shown only once"
    person.shot(controller.main_window, "first-run-console")
    controller.lock()
    recovered = Vault(tmp_path / "fresh")
    recovered.unlock_with_recovery(code)
    recovered.lock()
