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
