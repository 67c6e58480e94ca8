"""The one autosave: what a form shows is saved after a pause, and on demand.

A form tells its `Autosaver` it was `touched()`; after `interval_ms` without
another touch, a snapshot of the form (taken on the GUI thread) is saved in
the background and the saved record is handed back to `apply`. `flush()`
saves at once on the GUI thread: before close, lock, export and history.

Every save gets a number, and only the result of the newest save started is
applied: an older background save that finishes after a newer flush never
puts its older record back on the form. The background save also checks
its number again inside `exclusive` (the vault's write lock), so once a
flush has begun, a background save that had not yet started writing skips
and never writes older state over the flushed one.

Saves run under `initiated_by(initiator)`, so the `Changes` they announce
name the view that made them and it can skip refreshing from its own work.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QLabel

from console.errors import ConsoleError, ValidationError
from console.services.bundle import Services
from console.services.changes import Initiator, initiated_by
from ui.dates import show_datetime, show_time
from ui.widgets import report
from ui.workers import run_task

S = TypeVar("S")
R = TypeVar("R")

AUTOSAVE_MS = 2000  # the pause in typing after which a form saves itself


class SaveState(enum.Enum):
    """What a form's save status says."""

    SAVED = "saved"
    DIRTY = "dirty"
    SAVING = "saving"
    FAILED = "failed"


class _Skipped:
    """A background save that found a newer save begun and wrote nothing."""


_SKIPPED = _Skipped()


class _Sequence:
    """The newest save's number, read by the worker (a plain object, never a widget)."""

    def __init__(self) -> None:
        self.newest = 0

    def next(self) -> int:
        self.newest += 1
        return self.newest


class Autosaver(QObject, Generic[S, R]):
    """Saves a form's snapshot after a pause in the background, or now with `flush()`."""

    def __init__(
        self,
        snapshot: Callable[[], S],
        save: Callable[[S], R],
        apply: Callable[[R], None],
        interval_ms: int,
        *,
        initiator: Initiator,
        exclusive: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
        on_error: Callable[[BaseException], None] | None = None,
        on_state: Callable[[SaveState], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.initiator = initiator
        self._snapshot = snapshot
        self._save = save
        self._apply = apply
        self._exclusive = exclusive
        self._on_error = on_error
        self._on_state = on_state
        self._sequence = _Sequence()
        self._dirty = False
        self._in_flight = 0  # the number of the background save under way, if any
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._save_in_background)

    @property
    def dirty(self) -> bool:
        """Changes were made that no save has started on since."""
        return self._dirty

    @property
    def pending(self) -> bool:
        """Something typed is not yet known to be in the vault."""
        return self._dirty or (self._in_flight != 0 and self._in_flight == self._sequence.newest)

    def touched(self) -> None:
        """The form changed: save after the pause, counted from now."""
        if self._stopped:
            return
        self._dirty = True
        self._tell(SaveState.DIRTY)
        self._timer.start()

    def flush(self, *, force: bool = False) -> None:
        """Save now on this thread if anything is pending (or `force`); a failure is raised."""
        self._timer.stop()
        if not (self.pending or force):
            return
        record = self._save_now(self._snapshot())
        self._dirty = False  # before `apply`, which may tell the form it is saved
        if not self._stopped:
            self._apply(record)
        self._tell(SaveState.SAVED)

    def save_now(self, data: S) -> R:
        """Save `data`, not the form, now on this thread (part of what is typed, when the
        whole is refused). The form stays pending; its record is returned, not applied."""
        self._timer.stop()
        record = self._save_now(data)
        self._dirty = True
        return record

    def _save_now(self, data: S) -> R:
        self._sequence.next()
        try:
            with initiated_by(self.initiator):
                return self._save(data)
        except BaseException:
            self._dirty = True
            self._tell(SaveState.FAILED)
            raise

    def discard(self) -> None:
        """Nothing typed is to be saved (the record is going): drop it and any late result."""
        self._timer.stop()
        self._dirty = False
        self._sequence.next()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """No background save starts within the block (a question about the record is open)."""
        self._timer.stop()
        try:
            yield
        finally:
            if self._dirty and not self._stopped:
                self._timer.start()

    def stop(self) -> None:
        """The form is going: no more saves start and no late result is applied."""
        self._stopped = True
        self._timer.stop()

    def _save_in_background(self) -> None:
        if not self._dirty or self._stopped:
            return
        if self._in_flight:
            self._timer.start()
            return
        self._dirty = False
        number, data = self._sequence.next(), self._snapshot()
        self._in_flight = number
        self._tell(SaveState.SAVING)
        save, exclusive, sequence = self._save, self._exclusive, self._sequence

        def work() -> R | _Skipped:
            with exclusive():
                if sequence.newest != number:
                    return _SKIPPED
                return save(data)

        with initiated_by(self.initiator):
            run_task(work, lambda record: self._saved(number, record), self._failed(number))

    def _saved(self, number: int, record: R | _Skipped) -> None:
        self._in_flight = 0
        if not isinstance(record, _Skipped):
            self._finished(number, record)
        if self._dirty and not self._stopped:
            self._timer.start()

    def _failed(self, number: int) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            self._in_flight = 0
            if self._stopped or number != self._sequence.newest:
                return  # a newer save holds what this one would have
            self._dirty = True
            self._tell(SaveState.FAILED)
            if self._on_error is not None:
                self._on_error(error)

        return failed

    def _finished(self, number: int, record: R) -> None:
        if self._stopped or number != self._sequence.newest:
            return
        self._apply(record)
        if not self._dirty:
            self._tell(SaveState.SAVED)

    def _tell(self, state: SaveState) -> None:
        if self._on_state is not None and not self._stopped:
            self._on_state(state)


def vault_writes(services: Services) -> AbstractContextManager[object]:
    """The vault's own write lock, held by a background save while it checks its number."""
    return services.vault.write_lock


def _tr(text: str) -> str:
    return QCoreApplication.translate("Autosave", text)


def state_words(state: SaveState) -> str:
    """What every form's status line says for a save state (a save's time: `saved_words`)."""
    return {
        SaveState.SAVED: _tr("Saved"),
        SaveState.DIRTY: _tr("Unsaved changes…"),
        SaveState.SAVING: _tr("Saving…"),
        SaveState.FAILED: _tr("Not saved — see message"),
    }[state]


def saved_words(at: datetime) -> str:
    """ "Saved" and when: the time alone today, the date too for an older save."""
    same_day = at.astimezone().date() == datetime.now().astimezone().date()
    return _tr("Saved %1").replace(
        "%1", show_time(at, seconds=True) if same_day else show_datetime(at)
    )


class StatusLine:
    """A worksheet's save-status label: one wording for saving, refusals and failures.

    A refusal (a value the vault will not take) is said on the line and never
    raised, so a lock or a close always completes; any other failure also
    opens the standard error message.
    """

    def __init__(self, label: QLabel, title: str) -> None:
        self.label = label
        self.title = title

    def show_state(self, state: SaveState) -> None:
        if state is not SaveState.SAVED:  # the form says when, with `saved_words`
            self.label.setText(state_words(state))

    def show_failure(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self.refused(error)
            return
        self.label.setText(state_words(SaveState.FAILED))
        report(self.label.window(), self.title, error)

    def refused(self, error: ConsoleError) -> None:
        self.label.setText(_tr("Not saved: %1").replace("%1", error.message))

    def flush(self, autosave: Autosaver[Any, Any], *, force: bool = False) -> bool:
        """Save now on this thread; False (and the reason on the line) if it was refused."""
        try:
            autosave.flush(force=force)
        except ConsoleError as exc:
            self.refused(exc)
            return False
        return True


def worksheet_autosaver(
    form: QObject,
    services: Services,
    name: str,
    status: StatusLine,
    snapshot: Callable[[], S],
    save: Callable[[S], R],
    apply: Callable[[R], None],
) -> Autosaver[S, R]:
    """A session worksheet's autosave: after the usual pause, its words on `status`,
    its `Changes` named `name`, its number checked under the vault's write lock."""
    return Autosaver(
        snapshot,
        save,
        apply,
        AUTOSAVE_MS,
        initiator=Initiator(name),
        exclusive=lambda: vault_writes(services),
        on_error=status.show_failure,
        on_state=status.show_state,
        parent=form,
    )
