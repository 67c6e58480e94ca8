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

from ui.workers import pending_tasks, run_task


class _DiskFull(OSError):
    pass


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
    qtbot.waitUntil(lambda: results == [7] and pending_tasks() == 0, timeout=5_000)
    gc.collect()
    qtbot.waitUntil(lambda: bool(freed), timeout=5_000)
    assert freed == [threading.main_thread().name]


def test_a_result_and_an_error_are_let_go_of_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    delivered: list[object] = []
    errors: list[BaseException] = []
    freed_result: list[str] = []
    freed_error: list[str] = []

    def make() -> QObject:
        made = QObject()
        weakref.finalize(made, lambda: freed_result.append(threading.current_thread().name))
        return made

    def fail() -> None:
        error = _DiskFull("the disk is full")
        weakref.finalize(error, lambda: freed_error.append(threading.current_thread().name))
        raise error

    run_task(make, lambda made: delivered.append(type(made).__name__))
    run_task(fail, None, errors.append)
    qtbot.waitUntil(lambda: bool(delivered and errors) and pending_tasks() == 0, timeout=5_000)
    assert "the disk is full" in str(errors[0])
    assert "_DiskFull" in errors[0].__traceback_text__  # type: ignore[attr-defined]
    errors.clear()
    gc.collect()
    qtbot.waitUntil(lambda: bool(freed_result and freed_error), timeout=5_000)
    assert freed_result == [threading.main_thread().name]
    assert freed_error == [threading.main_thread().name]
