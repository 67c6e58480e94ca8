"""A therapist's path through the console, driven with real widgets offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from console.vault import Vault
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.ui.conftest import FakeClock, save_artifact, when_modal
from tests.ui.people import dark_palette, visible_texts
from ui.clients.dialogs import ClientDialog, SessionDialog
from ui.controller import AppController
from ui.session.tabs.notes import AddendumDialog, NotesTab

LEFT = Qt.MouseButton.LeftButton


def test_first_run_wizard_to_unlocked_console(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    controller = AppController(tmp_path / "fresh", kdf=TEST_KDF)
    controller.start()
    wizard = controller.gate
    qtbot.keyClicks(wizard.profile_page.name, "Dr Lena Fischer")  # type: ignore[union-attr]
    qtbot.keyClicks(wizard.profile_page.clinic, "Calm Harbour Clinic")  # type: ignore[union-attr]
    wizard.next()  # type: ignore[union-attr]
    page = wizard.passphrase_page  # type: ignore[union-attr]
    qtbot.keyClicks(page.passphrase, "password1")
    assert not page.isComplete(), "a common password must not be accepted"
    assert page.meter.value() <= 1
    page.passphrase.clear()
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClicks(page.confirm, PASSPHRASE[:-1])
    assert not page.isComplete(), "a mismatched confirmation must block"
    qtbot.keyClicks(page.confirm, PASSPHRASE[-1])
    assert page.isComplete()
    wizard.next()  # type: ignore[union-attr]
    recovery = wizard.recovery_page  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: bool(recovery.code), timeout=10_000)
    assert len(recovery.code_label.text().replace("-", "")) == 32
    assert not recovery.isComplete(), "the code must be confirmed as stored"
    recovery.stored.setChecked(True)
    code = recovery.code
    wizard.next()  # type: ignore[union-attr]
    keychain = wizard.keychain_page  # type: ignore[union-attr]
    assert not keychain.remember.isEnabled(), "no keychain in tests: the choice is disabled"
    assert keychain.findChild(QLabel, "keychain_unavailable") is not None
    wizard.accept()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=5_000)
    assert controller.vault.is_unlocked
    assert controller.services.clinician.get().clinic_name == "Calm Harbour Clinic"  # type: ignore[union-attr]
    assert code not in visible_texts(), "the recovery code is shown only once"
    controller.lock()
    recovered = Vault(tmp_path / "fresh")
    recovered.unlock_with_recovery(code)
    recovered.lock()


def test_wrong_passphrase_says_so(qtbot, demo_vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    controller = AppController(demo_vault_dir, kdf=TEST_KDF)
    controller.start()
    gate = controller.gate
    qtbot.keyClicks(gate.secret, "not my passphrase")  # type: ignore[union-attr]
    qtbot.keyClick(gate.secret, Qt.Key.Key_Return)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "Wrong passphrase" in gate.message.text(), timeout=10_000)  # type: ignore[union-attr]
    assert controller.main_window is None
    assert not controller.vault.is_unlocked
    for _ in range(3):
        gate.secret.setText("still wrong")  # type: ignore[union-attr]
        gate.unlock_button.click()  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: gate.secret.isEnabled(), timeout=10_000)  # type: ignore[union-attr]
    assert "try again in" in gate.message.text()  # type: ignore[union-attr]
    assert not gate.unlock_button.isEnabled()  # type: ignore[union-attr]
    gate.close()  # type: ignore[union-attr]


def test_client_session_note_autosave_sign_addendum(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    services = unlocked.services
    assert window is not None and services is not None
    window.resize(1366, 768)

    def fill_client(dialog: QWidget) -> None:
        assert isinstance(dialog, ClientDialog)
        qtbot.keyClicks(dialog.name, "Iris ")
        dialog.name.insert("Παπαδοπούλου")  # what an input method delivers; QTest types Latin-1
        qtbot.keyClicks(dialog.email, "not-an-email")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        assert dialog.isVisible(), "a refused value keeps the dialog open"
        assert "email" in dialog.errors.text("email").lower()
        assert dialog.name.text() == "Iris Παπαδοπούλου", "typed text is never lost"
        dialog.email.setText("iris@example.org")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    when_modal(fill_client)
    window.new_client_action.trigger()
    client = services.clients.find("Παπαδοπούλου")[0]
    assert window.overview.title.text() == "Iris Παπαδοπούλου"

    when_modal(
        lambda d: (
            d.buttons.button(d.buttons.StandardButton.Save).click()
            if isinstance(d, SessionDialog)
            else None
        )
    )
    window.overview.session_button.click()
    workspace = window.current_workspace()
    assert workspace is not None and workspace.session.client_id == client.id
    tab = workspace.tab_widgets["notes"]
    assert isinstance(tab, NotesTab)
    tab.template.setCurrentIndex(tab.template.findData("soap"))
    qtbot.mouseClick(tab.new_button, LEFT)
    editor = tab.editor
    subjective = editor._edits["subjective"]
    qtbot.keyClicks(subjective, "Slept through the night for the first time in months.")
    assert "Unsaved" in editor.status.text()
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved"), timeout=6_000)
    stored = services.notes.get(editor.note.id)  # type: ignore[union-attr]
    assert stored.sections["subjective"].startswith("Slept through the night")
    save_artifact(window, "session-workspace.png")

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        assert "Dr Maya Chen" in box.text()
        box.findChild(QPushButton, "confirm_sign").click()

    when_modal(confirm)
    editor.sign_button.click()
    signed = services.notes.get(editor.note.id)  # type: ignore[union-attr]
    assert signed.is_signed
    assert signed.content_hash in editor.signature.text()
    assert subjective.isReadOnly()

    def write_addendum(dialog: QWidget) -> None:
        assert isinstance(dialog, AddendumDialog)
        qtbot.keyClicks(dialog.text, "Correction: two nights, not one.")
        dialog.sign_button.click()

    when_modal(write_addendum)
    editor.addendum_button.click()
    addenda = services.notes.get(signed.id).addenda
    assert len(addenda) == 1 and addenda[0].is_signed
    assert addenda[0].text == "Correction: two nights, not one."


def test_idle_timeout_locks_and_closes_client_views(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController, clock: FakeClock
) -> None:
    window = unlocked.main_window
    assert window is not None
    sessions = unlocked.services.sessions.list_for_client(window.caseload.selected_id())  # type: ignore[union-attr]
    window.open_session(sessions[0].id)
    name = window.overview.client.name  # type: ignore[union-attr]
    assert name in visible_texts()
    clock.now += 9 * 60
    unlocked.idle.check()  # type: ignore[union-attr]
    assert unlocked.main_window is not None, "not yet idle long enough"
    clock.now += 2 * 60
    qtbot.waitUntil(lambda: unlocked.main_window is None, timeout=3_000)
    assert not unlocked.vault.is_unlocked
    assert name not in visible_texts()
    assert unlocked.gate is not None and unlocked.gate.isVisible()


def test_lock_shortcut_and_search_open_a_note(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    assert window is not None
    window.find_action.trigger()
    assert window.search_dock.isVisible()
    qtbot.keyClicks(window.search.query, "lake")
    qtbot.waitUntil(lambda: window.search.results.count() > 0, timeout=3_000)
    qtbot.keyClick(window.search.query, Qt.Key.Key_Return)
    workspace = window.current_workspace()
    assert workspace is not None
    note = workspace.tab_widgets["notes"].editor.note  # type: ignore[attr-defined]
    assert "lake" in " ".join(note.sections.values()) or any("lake" in a.text for a in note.addenda)
    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    window.lock_action.trigger()
    assert unlocked.main_window is None
    assert not unlocked.vault.is_unlocked


def test_screenshots_light_and_dark(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPalette

    window = unlocked.main_window
    assert window is not None
    window.resize(1366, 768)
    save_artifact(window, "main-window-light.png")
    app = QApplication.instance()
    original = app.palette()  # type: ignore[union-attr]
    dark = dark_palette()
    app.setPalette(dark)  # type: ignore[union-attr]
    try:
        QApplication.sendPostedEvents()
        assert window.caseload.list.palette().color(QPalette.ColorRole.Base) == dark.color(
            QPalette.ColorRole.Base
        )
        save_artifact(window, "main-window-dark.png")
    finally:
        app.setPalette(original)  # type: ignore[union-attr]
