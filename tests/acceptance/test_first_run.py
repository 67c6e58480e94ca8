"""First run to an unlocked console, by a clinician who has never seen the app; then the
forgotten passphrase: the recovery code, a new passphrase, and back in with it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from tests.acceptance.person import Person
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.pdf_text import flat
from ui.controller import AppController

NEW_PASSPHRASE = "lantern quay morning 7 gulls"


def test_first_run_to_an_unlocked_console(qtbot, person: Person, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    controller = AppController(tmp_path / "fresh", kdf=TEST_KDF)
    controller.start()
    wizard = controller.gate
    assert wizard is not None
    person.type("Clinician name", "Dr Lena Fischer")
    person.type("Credentials", "PsyD")
    person.type("Clinic name", "Calm Harbour Clinic")
    person.type("Licence number", "PSY-0042")
    person.type("Clinic address", "1 Harbour Road")
    person.type("Clinic phone", "+44 20 7946 0000")
    person.shot(wizard, "first-run-profile")
    person.click("Next")
    person.click("Back")
    assert person.find("Clinician name").text() == "Dr Lena Fischer", "Back keeps what was typed"
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
    sheet = tmp_path / "emergency sheet.pdf"

    def print_sheet(dialog: QWidget) -> None:
        person.choose("printers", "Print to File (PDF)")
        person.type("filename", str(sheet), replace=True)
        person.click("Print")

    person.click("Print emergency-access sheet", then=print_sheet)
    qtbot.waitUntil(lambda: sheet.exists() and sheet.stat().st_size > 0, timeout=20_000)
    assert sheet.stat().st_size < 200_000, "the sheet itself, with font subsets, not a picture"
    text = flat(sheet.read_bytes())
    assert code[:9] in text and "recovery code" in text.lower()
    person.click("Recovery code stored")
    person.click("Next")

    assert person.sees("Remember on this computer?")
    person.click("Finish")
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=5_000)
    assert controller.services is not None
    profile = controller.services.clinician.get()
    assert (profile.clinic_name, profile.licence_number) == ("Calm Harbour Clinic", "PSY-0042")
    assert profile.clinic_address == "1 Harbour Road"
    assert not person.sees(code), "the recovery code is shown only once"
    person.shot(controller.main_window, "first-run-console")
    person.menu("File", "Lock")
    qtbot.waitUntil(lambda: controller.main_window is None, timeout=5_000)

    def choose_new_passphrase(dialog: QWidget) -> None:
        ok = person.find("OK", enabled=False)
        person.type("New passphrase", NEW_PASSPHRASE)
        person.type("Confirm new passphrase", NEW_PASSPHRASE[:-1])
        assert not ok.isEnabled(), "two entries that differ are not taken"
        person.keys(NEW_PASSPHRASE[-1])
        person.click("OK")

    person.click("Use recovery code")
    person.type("Recovery code", code)
    person.when_dialog(choose_new_passphrase)
    person.click("Unlock")
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=15_000)
    person.menu("File", "Lock")
    qtbot.waitUntil(lambda: controller.main_window is None, timeout=5_000)
    person.type("Passphrase", NEW_PASSPHRASE)
    person.click("Unlock")
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=15_000)
    assert controller.services is not None
    assert controller.services.clinician.get().name == "Dr Lena Fischer"
    controller.lock("test-end")
    assert controller.gate is not None
    controller.gate.close()
