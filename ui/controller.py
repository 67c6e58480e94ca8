"""Which window is showing: set-up, unlock or the console; and what locking closes.

Locking (Ctrl+L, the idle timer, or the OS) saves what is being typed, closes
every window that shows client data, forgets the key and clears anything the
app put on the clipboard; then the unlock screen shows, over where the app was.
Which sessions were open, and where, is kept as ids and positions, and
unlocking reopens them as they were. While a medicine session is monitored,
the lock screen also keeps the time of its next vitals reading (ui/lock_watch).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from console.config import Settings, medicine_policy
from console.errors import ConsoleError, EmptyBackupError
from console.services.bundle import Services
from console.vault import KdfParams, Vault
from console.vault.backup import BackupInfo, is_due
from ui.about import show_about
from ui.idle import IdleWatcher
from ui.lock_watch import LockReminder, LockWatch
from ui.main_window import MainWindow, WindowSnapshot
from ui.medicine.common import Clock, system_clock
from ui.records import RecordsActions, print_emergency_sheet
from ui.settings_dialog import SettingsDialog
from ui.theme import apply_theme
from ui.unlock.first_run import FirstRunWizard
from ui.unlock.unlock_window import NewPassphraseDialog, UnlockWindow
from ui.widgets import report
from ui.workers import run_task

BACKUP_CHECK_MS = 10 * 60 * 1000
# Locks after which unlocking starts afresh: a restore replaces the records that were open.
FORGETS_LAYOUT = frozenset({"restore"})


def _confirm_empty(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent,
        parent.tr("Restore from backup"),
        parent.tr(
            "This backup holds no client records. Replace the vault with an empty one anyway? "
            "The current vault is kept in a folder beside it."
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class AppController(QObject):
    unlocked = Signal()
    locked = Signal(str)

    def __init__(
        self,
        data_dir: Path,
        clock: Callable[[], float] = time.monotonic,
        kdf: KdfParams | None = None,
        wall_clock: Clock = system_clock,
    ) -> None:
        """`clock` times idleness; `wall_clock` (aware) is the time of day for readings due."""
        super().__init__()
        self.data_dir = Path(data_dir)
        self.settings = Settings(self.data_dir)
        self.clock = clock
        self.wall_clock = wall_clock
        self._resume: WindowSnapshot | None = None
        self.kdf = kdf
        self.vault = Vault(self.data_dir)
        self.services: Services | None = None
        self.main_window: MainWindow | None = None
        self.gate: QWidget | None = None
        self.idle: IdleWatcher | None = None
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self._on_backup_timer)
        self._clipboard_text: str | None = None
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_about_to_quit)
            QApplication.clipboard().dataChanged.connect(self._on_clipboard_changed)

    # -- gates ------------------------------------------------------------
    def start(self) -> None:
        """The first window, in the chosen theme (a setting outside the vault)."""
        self._apply_theme()
        if Vault.exists(self.data_dir):
            self.show_unlock()
        else:
            self.show_first_run()

    def show_first_run(self) -> None:
        wizard = FirstRunWizard(self.data_dir, self._print_emergency_sheet, kdf=self.kdf)
        wizard.vault_ready.connect(self._on_vault_ready)
        self._set_gate(wizard)

    def show_unlock(self, watch: LockWatch | None = None, cover: QWidget | None = None) -> None:
        """The unlock screen; on locking it takes the app's place (`cover`) and, while a
        session is monitored, shows when its next reading is due (`watch`)."""
        reminder = None
        if watch is not None and watch.monitoring:
            reminder = LockReminder(watch, self._wall_now)
        window = UnlockWindow(self.vault, reminder)
        window.unlocked.connect(self._on_vault_ready)
        if cover is not None:
            window.setGeometry(cover.geometry())
            window.setWindowState(cover.windowState() & ~Qt.WindowState.WindowMinimized)
        self._set_gate(window)
        window.secret.setFocus()

    def _wall_now(self) -> datetime:
        """The wall clock as it is now (tests swap `wall_clock` after the windows exist)."""
        return self.wall_clock()

    def _set_gate(self, widget: QWidget) -> None:
        previous = self.gate
        self.gate = widget
        widget.show()
        if previous is not None:
            previous.close()
            previous.deleteLater()

    # -- unlocked ---------------------------------------------------------
    def _on_vault_ready(self, vault: Vault) -> None:
        self.vault = vault
        if vault.must_change_passphrase:
            NewPassphraseDialog(vault).exec()
        for notice in vault.notices:
            QMessageBox.information(self.gate, self.tr("Vault"), notice)
        vault.notices.clear()
        self.services = Services(vault)
        self.services.use_medicine_policy(medicine_policy(self.settings))
        records = RecordsActions(self.services, self.settings)
        window = MainWindow(self.services, self.settings, records, clock=self._wall_now)
        window.lock_requested.connect(lambda: self.lock("manual"))
        window.settings_requested.connect(self.open_settings)
        window.backup_requested.connect(self.backup_now)
        window.restore_requested.connect(self.restore_from_backup)
        window.about_requested.connect(lambda: show_about(window))
        self.main_window = window
        window.show()
        if self.gate is not None:
            self.gate.close()
            self.gate.deleteLater()
            self.gate = None
        resume, self._resume = self._resume, None
        if resume is not None:
            window.restore(resume)
        self.idle = IdleWatcher(self.settings.get("idle_timeout_min") * 60, self.clock, self)
        self.idle.idle.connect(lambda: self.lock("idle"))
        self.idle.start()
        self._backup_timer.start()
        self.unlocked.emit()

    def lock(self, reason: str = "manual") -> None:
        """Save and close every view with client data and forget the key; then ask to unlock.

        Where the user was, and a monitored session's next reading time, are taken while
        the key is still here: after the lock nothing can be read."""
        window = self.main_window
        if window is None:
            return
        keep = reason not in FORGETS_LAYOUT
        self._resume = window.snapshot() if keep else None
        try:
            window.shutdown_all()
        except ConsoleError as exc:
            report(window, self.tr("Lock"), exc)
        watch = window.watch() if keep else None
        if self.idle is not None:
            self.idle.stop()
            self.idle.deleteLater()
            self.idle = None
        self._backup_timer.stop()
        self._clear_clipboard()
        self.show_unlock(watch, cover=window)
        for widget in QApplication.topLevelWidgets():
            if widget is not self.gate and widget is not window and widget.isVisible():
                if isinstance(widget, QDialog):
                    widget.reject()
                widget.close()
        window.save_geometry()
        window.changes.detach()
        window.hide()
        window.deleteLater()
        self.main_window = None
        self.services = None
        self.vault.lock(reason)
        self.locked.emit(reason)

    def _on_clipboard_changed(self) -> None:
        """Remember text copied from this app's windows (not from other programs)."""
        clipboard = QApplication.clipboard()
        ours = clipboard.ownsClipboard() or QApplication.activeWindow() is not None
        self._clipboard_text = clipboard.text() if ours else None

    def _clear_clipboard(self) -> None:
        clipboard = QApplication.clipboard()
        if self._clipboard_text is not None and clipboard.text() == self._clipboard_text:
            clipboard.clear()
        self._clipboard_text = None

    def _on_about_to_quit(self) -> None:
        self._clear_clipboard()
        if self.vault.is_unlocked:
            self.vault.lock("quit")

    # -- settings, backup, restore ---------------------------------------
    def open_settings(self) -> None:
        if self.services is None or self.main_window is None:
            return
        dialog = SettingsDialog(self.services, self.settings, self.main_window)
        if dialog.exec() == QDialog.DialogCode.Accepted and self.idle is not None:
            self.idle.timeout_s = self.settings.get("idle_timeout_min") * 60
            self._apply_theme()
            self.main_window.statusBar().showMessage(self.tr("Settings saved."), 4000)

    def _apply_theme(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, self.settings.get("theme"))

    def _backup_dir(self) -> Path:
        chosen = self.settings.get("backup_dir")
        return Path(chosen) if chosen else self.vault.backup_dir

    def backup_now(self, quiet: bool = False) -> None:
        window = self.main_window
        if window is None:
            return
        progress = None
        if not quiet:
            progress = QProgressDialog(self.tr("Writing an encrypted backup…"), "", 0, 0, window)
            progress.setCancelButton(None)
            progress.setWindowTitle(self.tr("Backup"))
            progress.setMinimumDuration(200)
            progress.setObjectName("backup_progress")
        vault, target, keep = self.vault, self._backup_dir(), self.settings.get("backup_keep")

        def work() -> BackupInfo:
            return vault.backup(target, keep)

        def done(info: BackupInfo) -> None:
            if progress is not None:
                progress.close()
            self.settings.set("last_backup_at", datetime.now(UTC).isoformat())
            if self.main_window is not None:
                self.main_window.statusBar().showMessage(
                    self.tr("Backup written and verified: %1").replace("%1", info.path.name),
                    8000,
                )

        def failed(error: BaseException) -> None:
            if progress is not None:
                progress.close()
            if self.main_window is not None:
                report(self.main_window, self.tr("Backup"), error)

        run_task(work, done, failed)

    def _on_backup_timer(self) -> None:
        if is_due(self.settings.get("last_backup_at"), self.settings.get("backup_interval_hours")):
            self.backup_now(quiet=True)

    def restore_from_backup(self) -> None:
        window = self.main_window
        if window is None:
            return
        chosen = self._ask_for_backup(window)
        if chosen is None:
            return
        self.lock("restore")
        if self.gate is not None:
            self.gate.setEnabled(False)
        self._restore(*chosen)

    def _ask_for_backup(self, window: QWidget) -> tuple[Path, str] | None:
        """The backup file and its passphrase, once the therapist confirms the replacement."""
        path, _ = QFileDialog.getOpenFileName(
            window,
            self.tr("Restore from backup"),
            str(self._backup_dir()),
            self.tr("Session Console backups (*.scbackup)"),
        )
        if not path:
            return None
        secret, ok = QInputDialog.getText(
            window,
            self.tr("Restore from backup"),
            self.tr("Passphrase that was in force when the backup was made:"),
            QLineEdit.EchoMode.Password,
        )
        if not ok or not secret:
            return None
        answer = QMessageBox.question(
            window,
            self.tr("Restore from backup"),
            self.tr(
                "Replace the open vault with this backup? The current vault is kept in a "
                "folder beside it, not deleted."
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return Path(path), secret

    def _restore(self, path: Path, secret: str, allow_empty: bool = False) -> None:
        """Restore in the background; an empty backup is restored only once confirmed."""
        data_dir = self.data_dir

        def done(result: tuple[Vault, Path | None]) -> None:
            vault, moved = result
            if self.gate is not None:
                self.gate.setEnabled(True)
            self._on_vault_ready(vault)
            if moved is not None and self.main_window is not None:
                self.main_window.statusBar().showMessage(
                    self.tr("Restored. The replaced vault is kept in %1").replace("%1", str(moved)),
                    15000,
                )

        def failed(error: BaseException) -> None:
            if self.gate is None:
                return
            self.gate.setEnabled(True)
            if isinstance(error, EmptyBackupError) and _confirm_empty(self.gate):
                self.gate.setEnabled(False)
                self._restore(path, secret, allow_empty=True)
                return
            report(self.gate, self.tr("Restore"), error)

        run_task(
            lambda: Vault.restore(
                path, data_dir, secret, replace_existing=True, allow_empty=allow_empty
            ),
            done,
            failed,
        )

    def _print_emergency_sheet(self, code: str) -> None:
        wizard = self.gate
        vault = getattr(wizard, "vault", None)
        if vault is not None:
            print_emergency_sheet(wizard, code, vault)
