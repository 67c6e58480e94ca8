"""The one way to run slow work off the GUI thread (the Picard `run_task` pattern).

`run_task(fn, on_done, on_error)` runs `fn` on a small thread pool and
`run_progress_task` hands `fn` a `Progress` to report through; the callbacks
always run on the GUI thread (a queued Qt signal carries the result back).
The vault serialises writes itself, so a background export never races an
autosave. Python's own executor is used rather than QThreadPool/QRunnable,
whose Python bindings crashed under load here. A task runs in a copy of the
caller's context, so an `initiated_by` mark set around `run_task` marks the
writes the task makes.

Qt objects must be created and destroyed on the thread they live on, and a
task's callable often holds a widget (a bound method, a closure over
`self`). So the worker never holds the last reference to anything of the
caller's: the GUI thread keeps the task (callable and callbacks) until its
result is delivered, the worker lets go of the callable and hands the result
over in a box the GUI thread empties, and the one relay that carries
results across is made once on the GUI thread and never destroyed.

Tests swap the pool for an `InlinePool` (`use_inline_pool()`): a task then
runs at once on the calling thread and its callbacks are called before
`run_task` returns, so a test needs no wait for background work.
"""

from __future__ import annotations

import contextvars
import itertools
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

R = TypeVar("R")


@dataclass
class _Task:
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[int, int], None] | None
    call: Callable[[], Any] | None


class _Relay(QObject):
    """Lives on the GUI thread; workers emit on it and Qt queues the slots there."""

    done = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int)

    def __init__(self) -> None:
        super().__init__()
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_failed)
        self.progressed.connect(self._deliver_progress)

    @Slot(int, object)
    def _deliver_done(self, task_id: int, box: list[Any]) -> None:
        task, result = _tasks.pop(task_id), box.pop()
        if task.on_done is not None:
            task.on_done(result)

    @Slot(int, object)
    def _deliver_failed(self, task_id: int, box: list[BaseException]) -> None:
        task, error = _tasks.pop(task_id), box.pop()
        if task.on_error is not None:
            task.on_error(error)

    @Slot(int, int, int)
    def _deliver_progress(self, task_id: int, done: int, total: int) -> None:
        task = _tasks.get(task_id)
        if task is not None and task.on_progress is not None:
            task.on_progress(done, total)


class Progress:
    """Handed to a task that reports progress; `cancelled` is set by the UI."""

    def __init__(self, task_id: int) -> None:
        self._task_id = task_id
        self.cancelled = threading.Event()

    def report(self, done: int, total: int) -> None:
        _relay().progressed.emit(self._task_id, done, total)


class _Job:
    """What the pool holds: a task number and, until it runs, the callable."""

    def __init__(self, task_id: int, call: Callable[[], Any]) -> None:
        self.task_id = task_id
        self.call: Callable[[], Any] | None = call


class InlinePool(Executor):
    """Runs each submitted call at once on the submitting thread (for tests)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


_pool: list[Executor] = [
    ThreadPoolExecutor(max_workers=4, thread_name_prefix="session-console-worker")
]
_tasks: dict[int, _Task] = {}
_numbers = itertools.count(1)
_the_relay: list[_Relay] = []


def set_pool(pool: Executor) -> Executor:
    """Run tasks on `pool` from now on; returns the pool it replaces."""
    previous, _pool[0] = _pool[0], pool
    return previous


@contextmanager
def use_inline_pool() -> Iterator[InlinePool]:
    """Within the block, tasks run synchronously and deliver their callbacks at once."""
    inline = InlinePool()
    previous = set_pool(inline)
    try:
        yield inline
    finally:
        set_pool(previous)


def _relay() -> _Relay:
    if not _the_relay:
        _the_relay.append(_Relay())
    return _the_relay[0]


def _forget_traceback(error: BaseException) -> None:
    """Frames hold the task's locals (widgets among them); the text is kept instead."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__


def _run(job: _Job) -> None:
    call, job.call = job.call, None
    assert call is not None
    try:
        box: list[Any] = [call()]
    except BaseException as exc:  # delivered to on_error on the GUI thread
        exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]  # kept for the error report
        _forget_traceback(exc)
        failure: list[BaseException] = [exc]
        del call, exc
        _relay().failed.emit(job.task_id, failure)
    else:
        del call
        _relay().done.emit(job.task_id, box)


def _submit(
    call: Callable[[], Any],
    task_id: int,
    on_done: Callable[[Any], None] | None,
    on_error: Callable[[BaseException], None] | None,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    _tasks[task_id] = _Task(on_done, on_error, on_progress, call)
    context = contextvars.copy_context()
    _pool[0].submit(context.run, _run, _Job(task_id, call))


def tasks_in_flight() -> int:
    """Tasks submitted whose result has not reached the GUI thread yet (tests wait on it)."""
    return len(_tasks)


def run_task(
    fn: Callable[[], R],
    on_done: Callable[[R], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run `fn` in the background; its result or error comes back on the GUI thread."""
    _relay()
    _submit(fn, next(_numbers), on_done, on_error, None)


def run_progress_task(
    fn: Callable[[Progress], R],
    on_done: Callable[[R], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Progress:
    """Run `fn(progress)` in the background; `progress.report` reaches `on_progress`."""
    _relay()
    task_id = next(_numbers)
    progress = Progress(task_id)
    _submit(lambda: fn(progress), task_id, on_done, on_error, on_progress)
    return progress
