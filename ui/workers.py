"""The one way to run slow work off the GUI thread (the Picard `run_task` pattern).

`run_task(fn, on_done, on_error)` runs `fn` on a small thread pool; the
callbacks always run on the GUI thread (a queued Qt signal carries the
result back). Database writes are serialised by a lock, so a background
export never races an autosave. Python's own executor is used rather than
QThreadPool/QRunnable, whose Python bindings crashed under load here.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

WRITE_LOCK = threading.RLock()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class Progress:
    """Handed to a task that reports progress; `cancelled` is set by the UI."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self.cancelled = threading.Event()

    def report(self, done: int, total: int) -> None:
        self._relay.progressed.emit(done, total)


_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="session-console-worker")


def _run(fn: Callable[[], Any], relay: _Relay) -> None:
    try:
        result = fn()
    except BaseException as exc:  # delivered to on_error on the GUI thread
        exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
        relay.failed.emit(exc)
    else:
        relay.done.emit(result)


_live: set[_Relay] = set()


def run_task(
    fn: Callable[..., Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    with_progress: bool = False,
) -> Progress:
    """Run `fn` in the background; with `with_progress`, `fn` receives a `Progress`."""
    relay = _Relay()
    _live.add(relay)
    progress = Progress(relay)

    def finished(handler: Callable[[Any], None] | None) -> Callable[[Any], None]:
        def deliver(value: Any) -> None:
            _live.discard(relay)
            if handler is not None:
                handler(value)

        return deliver

    relay.done.connect(finished(on_done))
    relay.failed.connect(finished(on_error))
    if on_progress is not None:
        relay.progressed.connect(on_progress)
    call = (lambda: fn(progress)) if with_progress else fn
    _POOL.submit(_run, call, relay)
    return progress


def pending_tasks() -> int:
    return len(_live)
