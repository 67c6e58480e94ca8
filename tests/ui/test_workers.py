"""Background tasks never free the caller's Qt objects on a worker thread.

A widget's bound method or a closure over `self` is what most tasks run.
If the worker held the last reference, the widget's wrapper would be freed
there, and Qt would delete a GUI-thread object from another thread: memory
corruption that surfaces later as a crash in the garbage collector.
"""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from console.services.changes import Initiator, current_initiator, initiated_by
from ui.workers import run_progress_task, run_task, use_inline_pool


class _Screen(QObject):
    def work(self) -> int:
        return 7


def _freed_on(obj: object) -> list[str]:
    threads: list[str] = []
    weakref.finalize(obj, lambda: threads.append(threading.current_thread().name))
    return threads


def test_a_widget_whose_method_runs_in_the_background_is_freed_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    results: list[int] = []
    screen = _Screen()
    freed = _freed_on(screen)
    run_task(screen.work, results.append)
    del screen
    qtbot.waitUntil(lambda: results == [7], timeout=5_000)
    gc.collect()
    qtbot.waitUntil(lambda: bool(freed), timeout=5_000)
    assert freed == [threading.main_thread().name]


def test_a_task_runs_at_once_on_the_calling_thread_under_the_inline_pool() -> None:
    ran_on: list[str] = []
    results: list[int] = []
    with use_inline_pool():
        run_task(lambda: ran_on.append(threading.current_thread().name) or 7, results.append)
        assert results == [7], "delivered before run_task returned"
    assert ran_on == [threading.main_thread().name]


def test_an_inline_task_that_fails_reaches_on_error_at_once() -> None:
    errors: list[BaseException] = []

    def fail() -> int:
        raise ValueError("no")

    with use_inline_pool():
        run_task(fail, None, errors.append)
    assert [str(e) for e in errors] == ["no"]


def test_an_inline_progress_task_reports_then_finishes() -> None:
    steps: list[tuple[int, int]] = []
    results: list[str] = []

    def count(progress) -> str:  # type: ignore[no-untyped-def]
        progress.report(1, 2)
        progress.report(2, 2)
        return "done"

    with use_inline_pool():
        run_progress_task(count, results.append, None, lambda d, t: steps.append((d, t)))
    assert steps == [(1, 2), (2, 2)] and results == ["done"]


def test_the_initiator_marked_around_a_task_marks_the_work_on_the_worker(qtbot) -> None:  # type: ignore[no-untyped-def]
    who = Initiator("a view")
    seen: list[object] = []
    with initiated_by(who):
        run_task(current_initiator, seen.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert seen == [who]


def test_qt_garbage_left_by_the_gui_is_freed_on_the_gui_thread_while_a_worker_allocates(
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    """A closed window's wrappers often sit in a reference cycle; whichever thread allocates
    next runs Python's collector, and a worker building a query allocates a great deal."""
    gc.collect()
    screen = _Screen()
    screen.itself = screen  # type: ignore[attr-defined]
    freed = _freed_on(screen)
    del screen
    finished: list[int] = []

    def allocate() -> int:
        kept = [[n] for n in range(200_000)]
        return len(kept)

    run_task(allocate, finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    gc.collect()
    assert freed == [threading.main_thread().name]
