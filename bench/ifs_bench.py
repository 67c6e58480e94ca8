"""Parts-map editor figures on a 200-part, 400-relationship map.

Prints one JSON object per line; the last holds load_ms (service load and
building the editor), drag_frame_ms (one drag step plus an offscreen paint
of the view) and save_ms (saving after a drag, in a session). Run from the
repository root: `.venv/bin/python bench/ifs_bench.py`. It never fails on a
slow machine.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PARTS, RELATIONS = 200, 400
LOADS, DRAG_STEPS, SAVES = 7, 60, 15


def emit(**values: object) -> None:
    print(json.dumps(values), flush=True)


def _map() -> object:
    from console.clinical import ifs as c

    rng = random.Random(7)
    kinds = ("manager", "firefighter", "exile", "unknown", "trailhead")
    parts = tuple(
        c.Part(uuid.uuid4(), f"Part {i}", kinds[i % 5], activation=rng.randint(0, 10))
        for i in range(PARTS)
    )
    parts_map = c.tidy_layout(c.PartsMap(parts))
    relations = []
    while len(relations) < RELATIONS:
        a, b = rng.sample(parts, 2)
        kind = (
            "leads_to"
            if a.kind == "trailhead"
            else rng.choice(("protects", "polarised", "allied", "exiled_by"))
        )
        strength = rng.randint(0, 10) if kind == "polarised" else None
        relations.append(c.Relation(uuid.uuid4(), kind, a.id, b.id, strength))
    return c.PartsMap(parts_map.parts, tuple(relations), self_energy=6, self_cs=("calm",))


class _PaintCounter:
    """Counts the viewport's paint events, to time a frame up to the paint it causes."""

    def __init__(self, widget: object) -> None:
        from PySide6.QtCore import QEvent, QObject

        counter = self

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    counter.count += 1
                return False

        self.count = 0
        self._filter = Filter()
        widget.installEventFilter(self._filter)  # type: ignore[attr-defined]


def main() -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from console.services.bundle import Services
    from console.services.clients import ClientFields
    from console.services.sessions import SessionFields
    from console.vault import Vault
    from console.vocabulary import SessionKind
    from ui.ifs_map import MapEditor

    app = QApplication.instance() or QApplication([sys.argv[0]])
    work = Path(tempfile.mkdtemp(prefix="ifs-bench-"))
    vault, _ = Vault.create(work / "vault", "benchmark passphrase one", "Dr Bench")
    services = Services(vault)
    client = services.clients.create(ClientFields(name="Parts Bench")).id
    session = services.sessions.create(
        client, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.IFS)
    ).id
    services.ifs.save(client, _map(), session)  # type: ignore[arg-type]
    emit(setup=f"{PARTS} parts, {RELATIONS} relationships saved")

    loads = []
    editors: list[MapEditor] = []
    for _ in range(LOADS):
        if editors:
            editors.pop().deleteLater()
            app.processEvents()
        t0 = time.perf_counter()
        editor = MapEditor(services, client, session)
        editors.append(editor)
        editor.resize(1366, 768)
        editor.show()
        app.processEvents()
        loads.append((time.perf_counter() - t0) * 1000)
    editor = editors[-1]
    emit(load_runs_ms=[round(x, 1) for x in loads])

    view = editor.view
    view.fit()
    viewport = view.viewport()
    paints = _PaintCounter(viewport)
    busiest = max(editor.scene.part_items.values(), key=lambda i: len(i.edges))
    frames = []
    for step in range(DRAG_STEPS):
        seen = paints.count
        t0 = time.perf_counter()
        # What a drag costs on screen: the move, then the event loop's repaint of what changed.
        busiest.setPos(busiest.pos() + QPointF(3.0, 2.0 if step % 2 else -2.0))
        while paints.count == seen:
            app.processEvents()
        frames.append((time.perf_counter() - t0) * 1000)
    image = QImage(viewport.size(), QImage.Format.Format_ARGB32_Premultiplied)
    full = []
    for _ in range(10):
        t0 = time.perf_counter()
        painter = QPainter(image)
        view.render(painter)
        painter.end()
        full.append((time.perf_counter() - t0) * 1000)
    emit(full_render_ms=round(statistics.median(full), 2))
    emit(drag_edges=len(busiest.edges), drag_frames=len(frames))

    saves = []
    for _ in range(SAVES):
        busiest.setPos(busiest.pos() + QPointF(5.0, 0.0))
        editor.scene.commit_moves()
        t0 = time.perf_counter()
        editor.flush()
        saves.append((time.perf_counter() - t0) * 1000)
    editor.shutdown()
    vault.lock("bench")
    emit(
        load_ms=round(statistics.median(loads), 1),
        drag_frame_ms=round(statistics.median(frames), 2),
        save_ms=round(statistics.median(saves), 1),
    )


if __name__ == "__main__":
    main()
