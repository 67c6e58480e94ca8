"""An autosave never puts older work back: not on the form, not in the vault.

A background save that finishes after a newer flush (before a lock, a
close, an export) is stale: what it saved is older than what the form
shows and the vault holds, so nothing of it is applied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QPlainTextEdit

from console.services.changes import Initiator, current_initiator
from tests.ui.conftest import open_tab
from ui.autosave import Autosaver, SaveState
from ui.controller import AppController
from ui.session.tabs.notes import NotesTab
from ui.workers import set_pool, tasks_in_flight, use_inline_pool

LEFT = Qt.MouseButton.LeftButton
OLDER = "Slept badly."
NEWER = " Then slept through the night."


def _section(tab: NotesTab, name: str) -> QPlainTextEdit:
    found = [w for w in tab.findChildren(QPlainTextEdit) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} sections named {name!r}"
    return found[0]


def test_a_slow_autosave_overtaken_by_a_flush_never_puts_the_older_note_back(
    qtbot, unlocked: AppController, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = unlocked.services
    assert services is not None
    tab = open_tab(unlocked, "notes", NotesTab)
    tab.template.setCurrentIndex(tab.template.findData("soap"))
    new_note = [b for b in tab.findChildren(QAbstractButton) if b.accessibleName() == "New note"]
    qtbot.mouseClick(new_note[0], LEFT)
    started, go, returned = threading.Event(), threading.Event(), threading.Event()
    real_save = services.notes.save_draft

    def slow_first_background_save(note_id, sections):
        if threading.current_thread() is threading.main_thread() or started.is_set():
            return real_save(note_id, sections)
        started.set()
        go.wait(10)  # the write is under way when the flush comes
        try:
            return real_save(note_id, sections)
        finally:
            returned.set()

    monkeypatch.setattr(services.notes, "save_draft", slow_first_background_save)
    subjective = _section(tab, "Subjective")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is subjective)  # a new note's first
    qtbot.keyClicks(QApplication.focusWidget(), OLDER)
    qtbot.waitUntil(started.is_set, timeout=10_000)  # the autosave's pause has passed
    qtbot.keyClicks(QApplication.focusWidget(), NEWER)
    go.set()
    tab.flush()  # as a lock or an export does: waits for the older write, then saves the newer
    assert returned.wait(10)
    qtbot.waitUntil(lambda: tasks_in_flight() == 0, timeout=10_000)  # the older result is in
    note = tab.editor.note
    assert note is not None
    assert subjective.toPlainText() == OLDER + NEWER
    assert note.sections["subjective"] == OLDER + NEWER, "the editor holds the newer record"
    assert services.notes.get(note.id).sections["subjective"] == OLDER + NEWER
    assert tab.editor.status.text().startswith("Saved")


# -- the Autosaver itself, its background saves run inline -------------------------------


class _HeldPool(Executor):
    """Keeps submitted work until `run_all`: a background save that has not begun yet."""

    def __init__(self) -> None:
        self.held: list[Callable[[], Any]] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.held.append(lambda: fn(*args, **kwargs))
        return Future()

    def run_all(self) -> None:
        held, self.held = self.held, []
        for work in held:
            work()


class _Form:
    """A form's state, what was written to the 'vault', what came back to the form."""

    def __init__(self) -> None:
        self.text = ""
        self.written: list[str] = []
        self.applied: list[str] = []
        self.states: list[SaveState] = []
        self.errors: list[BaseException] = []
        self.initiators: list[object] = []
        self.fail_next = False
        self.during_save: Callable[[], None] | None = None

    def save(self, text: str) -> str:
        self.initiators.append(current_initiator())
        if self.during_save is not None:
            during, self.during_save = self.during_save, None
            during()
        if self.fail_next:
            self.fail_next = False
            raise OSError("disk full")
        self.written.append(text)
        return text


@pytest.fixture
def form() -> _Form:
    return _Form()


@pytest.fixture
def saver(qapp: QApplication, form: _Form) -> Iterator[Autosaver[str, str]]:
    autosaver: Autosaver[str, str] = Autosaver(
        lambda: form.text,
        form.save,
        form.applied.append,
        10,
        initiator=Initiator("test form"),
        on_error=form.errors.append,
        on_state=form.states.append,
    )
    yield autosaver
    autosaver.stop()
    autosaver.deleteLater()


def _type(form: _Form, saver: Autosaver[str, str], text: str) -> None:
    form.text += text
    saver.touched()


def test_a_pause_after_typing_saves_once_and_applies_the_record(qtbot, form, saver) -> None:
    with use_inline_pool():
        _type(form, saver, "a")
        _type(form, saver, "b")
        qtbot.waitUntil(lambda: form.applied == ["ab"], timeout=2_000)
        qtbot.wait(50)
    assert form.written == ["ab"]
    assert form.states == [SaveState.DIRTY, SaveState.DIRTY, SaveState.SAVING, SaveState.SAVED]
    assert not saver.pending


def test_a_save_carries_the_initiator_of_its_form(qtbot, form, saver) -> None:
    with use_inline_pool():
        _type(form, saver, "a")
        qtbot.waitUntil(lambda: bool(form.applied), timeout=2_000)
        _type(form, saver, "b")
        saver.flush()
    assert form.initiators == [saver.initiator, saver.initiator]


def test_flush_after_typing_saves_now_and_the_pause_saves_nothing_more(qtbot, form, saver) -> None:
    with use_inline_pool():
        _type(form, saver, "typed")
        saver.flush()
        assert form.written == ["typed"] and form.applied == ["typed"]
        qtbot.wait(50)
    assert form.written == ["typed"], "the pending timer was stopped by the flush"
    saver.flush()
    assert form.written == ["typed"], "nothing pending: a flush writes nothing"


def test_a_background_save_not_begun_before_a_flush_writes_nothing(qtbot, form, saver) -> None:
    pool = _HeldPool()
    previous = set_pool(pool)
    try:
        _type(form, saver, "old")
        qtbot.waitUntil(lambda: bool(pool.held), timeout=2_000)
        assert form.states[-1] is SaveState.SAVING and saver.pending
        _type(form, saver, " new")
        saver.flush()
        pool.run_all()
    finally:
        set_pool(previous)
    assert form.written == ["old new"], "the older snapshot was never written"
    assert form.applied == ["old new"]


def test_an_older_save_finishing_after_a_newer_flush_is_not_applied(qtbot, form, saver) -> None:
    def flush_newer() -> None:
        _type(form, saver, " new")
        saver.flush()

    form.during_save = flush_newer  # the flush comes while the older save is writing
    with use_inline_pool():
        _type(form, saver, "old")
        qtbot.waitUntil(lambda: len(form.written) == 2, timeout=2_000)
    assert form.written == ["old new", "old"]
    assert form.applied == ["old new"], "the older record never came back to the form"


def test_a_failed_save_is_reported_and_stays_pending_for_the_next_flush(qtbot, form, saver) -> None:
    form.fail_next = True
    with use_inline_pool():
        _type(form, saver, "words")
        qtbot.waitUntil(lambda: bool(form.errors), timeout=2_000)
    assert str(form.errors[0]) == "disk full"
    assert form.states[-1] is SaveState.FAILED and saver.pending
    saver.flush()
    assert form.written == ["words"] and form.applied == ["words"]


def test_a_failed_flush_raises_and_stays_pending(form, saver) -> None:
    form.fail_next = True
    _type(form, saver, "words")
    with pytest.raises(OSError):
        saver.flush()
    assert saver.pending and form.states[-1] is SaveState.FAILED


def test_stop_ends_saving_and_a_late_result_is_not_applied(qtbot, form, saver) -> None:
    pool = _HeldPool()
    previous = set_pool(pool)
    try:
        _type(form, saver, "typed")
        qtbot.waitUntil(lambda: bool(pool.held), timeout=2_000)
        saver.stop()
        pool.run_all()
    finally:
        set_pool(previous)
    assert form.written == ["typed"] and form.applied == [], "the form is gone"
    with use_inline_pool():
        _type(form, saver, " more")
        qtbot.wait(50)
    assert form.written == ["typed"], "a stopped autosaver starts no save"


def test_held_keeps_a_background_save_from_starting_while_a_question_is_up(
    qtbot, form, saver
) -> None:
    with use_inline_pool():
        _type(form, saver, "typed")
        with saver.held():
            qtbot.wait(50)
            assert form.written == []
        qtbot.waitUntil(lambda: form.written == ["typed"], timeout=2_000)
