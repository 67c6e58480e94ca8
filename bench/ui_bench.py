"""Desktop console figures: start-up, memory, opening a large client, PDF export speed.

Prints one JSON object per line; the last holds startup_s, rss_mb,
client_open_ms and export_pages_per_s. Run from the repository root:
`.venv/bin/python bench/ui_bench.py`. It never fails on a slow machine.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STARTUP = r"""
import time
t0 = time.perf_counter()
import os, sys, json, resource
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QEventLoop, QTimer
app = QApplication([sys.argv[0]])
from ui.app import configure, quiet_qt_messages
quiet_qt_messages(); configure(app)
from ui.controller import AppController
controller = AppController(__import__("pathlib").Path(sys.argv[1]))
controller.start()
controller.gate.keychain_button.click()
while controller.main_window is None:
    loop = QEventLoop(); QTimer.singleShot(5, loop.quit); loop.exec()
window = controller.main_window
window.resize(1366, 768)
window.show()
app.processEvents()
elapsed = time.perf_counter() - t0
with open("/proc/self/status") as status:
    rss_kb = next(int(l.split()[1]) for l in status if l.startswith("VmRSS:"))
print(json.dumps({"startup_s": round(elapsed, 3), "rss_mb": round(rss_kb / 1024, 1)}))
controller.lock("bench")
"""


def emit(**values: object) -> None:
    print(json.dumps(values), flush=True)


def main() -> None:
    from console.demo import build_demo
    from console.export.service import ExportService
    from console.services.bundle import Services
    from console.services.clients import ClientFields
    from console.services.sessions import SessionFields
    from console.vault import Vault
    from console.vocabulary import SessionKind

    work = Path(tempfile.mkdtemp(prefix="ui-bench-"))
    keyring_file = work / "keyring.json"
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
        "PYTHON_KEYRING_BACKEND": "keyring_double.FileKeyring",
        "BENCH_KEYRING_FILE": str(keyring_file),
    }
    os.environ.update({k: env[k] for k in ("PYTHON_KEYRING_BACKEND", "BENCH_KEYRING_FILE")})
    sys.path.insert(0, str(ROOT / "bench"))
    import keyring
    from keyring_double import FileKeyring

    keyring.set_keyring(FileKeyring())
    vault_dir = work / "vault"
    vault, _ = Vault.create(vault_dir, "benchmark passphrase one", "Dr Bench")
    services = Services(vault)
    build_demo(services)
    vault.enable_keychain()

    client = services.clients.create(ClientFields(name="Large Chart (bench)"))
    start = datetime.now(UTC) - timedelta(days=400)
    kinds = list(SessionKind)
    for i in range(200):
        session = services.sessions.create(
            client.id,
            SessionFields(starts_at=start + timedelta(days=2 * i), kind=kinds[i % len(kinds)]),
        )
        note = services.notes.create(
            session.id,
            "soap",
            {
                "subjective": "Client reported a calmer week. " * 8,
                "assessment": "Progressing; SUD reduced. " * 6,
                "plan": "Continue. " * 4,
            },
        )
        if i % 2:
            services.notes.sign(note.id)
    emit(setup="200 sessions added", sessions=200)

    pdf_path = work / "chart.pdf"
    t = time.perf_counter()
    pages = ExportService(vault, services).export_client(client.id, pdf_path)
    export_s = time.perf_counter() - t
    emit(export_pages=pages, export_s=round(export_s, 3))
    vault.lock()

    # An installed app starts from bytecode (pip and the bundle both compile it); this
    # machine may set PYTHONDONTWRITEBYTECODE, so compile once rather than on every start.
    for package in ("console", "models", "ui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", STARTUP, str(vault_dir)],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
        if not line:
            raise SystemExit(f"start-up run failed: {out.stderr[-400:]}")
        runs.append(json.loads(line[-1]))
        emit(startup_run=runs[-1])
    startup = statistics.median(r["startup_s"] for r in runs)
    rss = statistics.median(r["rss_mb"] for r in runs)

    from PySide6.QtWidgets import QApplication

    from ui.changes import ChangeBridge
    from ui.clients.overview import ClientOverview

    app = QApplication.instance() or QApplication([sys.argv[0]])
    vault = Vault(vault_dir)
    vault.unlock_with_keychain()
    services = Services(vault)
    overview = ClientOverview(services, ChangeBridge(services.changes))
    overview.resize(1000, 700)
    overview.show()
    times = []
    for _ in range(7):
        overview.show_client(None)
        t = time.perf_counter()
        overview.show_client(client.id)
        app.processEvents()
        times.append((time.perf_counter() - t) * 1000)
    emit(client_open_runs_ms=[round(x, 1) for x in times])
    vault.lock()
    emit(
        startup_s=round(startup, 3),
        rss_mb=round(rss, 1),
        client_open_ms=round(statistics.median(times), 1),
        export_pages_per_s=round(pages / export_s, 1),
    )


if __name__ == "__main__":
    main()
