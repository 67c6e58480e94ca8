"""Python's cycle collector runs only on the GUI thread.

The collector runs on whichever thread happens to allocate when a generation
fills, and a worker building a query allocates a great deal. A closed window's
wrappers often sit in a reference cycle, so the worker would free them, and Qt
would delete GUI objects from another thread: memory corruption that surfaces
later as a segmentation fault somewhere unrelated. pyqtgraph's
`GarbageCollector` turns automatic collection off and collects, by the same
generation thresholds, from a timer on the GUI thread.
"""

from __future__ import annotations

from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QCoreApplication

_collector: list[GarbageCollector] = []


def collect_on_gui_thread() -> GarbageCollector:
    """Install the collector once, from the GUI thread, after the application exists."""
    if QCoreApplication.instance() is None:
        raise RuntimeError("the collector's timer needs the application's event loop")
    if not _collector:
        _collector.append(GarbageCollector(interval=1.0))
    return _collector[0]
