"""A web page's CPU in Chromium, measured as the client page's is: one JSON line.

Issue 17 compares the client page's CPU (`page_cpu_percent` from
`bench/remote_pacer_bench.py`) against web peers: other browser-based EMDR
bilateral-stimulation tools that animate a dot or light bar with the browser's own
timers. A figure for a peer means something only beside ours if it was taken the same
way, so this bench borrows the conditions of `remote_pacer_bench.py` by importing them:

- an Xvfb of its own at 1280x720 (`bench.presentation_framebuffer.xvfb`);
- Debian's Chromium (`CHROMIUM`), headful on that display, full screen in kiosk mode,
  started by Playwright with the same flags (`CHROMIUM_ARGS`, `--kiosk`,
  `--window-size=1280,720`, `--window-position=0,0`) and a fresh profile;
- a PulseAudio null sink of its own (`bench.presentation_sound.pulse_server`), so a page
  that plays tones renders them as ours does;
- the CPU of Chromium's whole process tree (`CpuWatch`, rooted at `_chromium_root`), as %
  of one core, over `--seconds` once the stimulus has run for `--warmup` seconds.

What it does not copy: the framebuffer sampler and sound recorder that
`remote_pacer_bench.py` runs beside Chromium (separate processes, outside the figure but
on the same two cores) and its delaying relay.

Peers' code is not in this repository and must not be put here: check a peer out
elsewhere (e.g. under /tmp/peers/), build it if it needs building, and give its folder
or URL as an argument. The peers measured for issue 17, with their commits, set-up and
command lines, are in docs/remote_pacer.md.

Run from the repository root, e.g.:

    .venv/bin/python bench/web_peer_cpu.py --name lightbar \\
        --folder /tmp/peers/emdr-lightbar/site --path /session/ABC-123/
    .venv/bin/python bench/web_peer_cpu.py --name webapp2 \\
        --folder /tmp/peers/emdr-therapy-webapp2 --press 'ArrowUp*45' \\
        --click 'role=button,name=Start'
    .venv/bin/python bench/web_peer_cpu.py --ours          # our page, same harness

`--folder` is served on a loopback port by Python's http.server (in a thread of this
process, so outside the figure); `--url` takes a page that is already served. The steps a
peer needs to start its stimulus run in the order given: `--click 'role=R,name=N'` (or
`'css=SELECTOR'`, `'text=T'`), `--click-text T`, `--press KEY` or `--press 'KEY*N'`, and
`--wait S`. After measuring, `--report-js EXPR` records a value from the page (a peer's
speed setting, say) and `--screenshot PNG` what the screen showed.

`--ours` shares a link to our client page (Mosquitto serving it, the console's end in this
process), clicks its Start button and starts an open 1.0 Hz set with tones, as
`remote_pacer_bench.py` does, without the relay. It never asserts; it measures and prints.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench.pacer_presentation_bench import STARTUP_S, CpuWatch, stat_fields  # noqa: E402
from bench.presentation_framebuffer import xvfb  # noqa: E402
from bench.presentation_sound import pulse_server  # noqa: E402
from bench.remote_pacer_bench import (  # noqa: E402
    HEIGHT,
    SETTINGS,
    WIDTH,
    _chromium_root,
    kiosk_chromium,
)
from tests.integration.remote_parts import CHROMIUM  # noqa: E402


def emit(**values: object) -> None:
    print(json.dumps(values), flush=True)


# --- steps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing done to the page before measuring: click, click-text, press or wait."""

    kind: str
    value: str

    def describe(self) -> str:
        return f"{self.kind} {self.value}"

    def run(self, page: Page) -> None:
        if self.kind == "click":
            locate(page, self.value).click()
        elif self.kind == "click-text":
            page.get_by_text(self.value).first.click()
        elif self.kind == "press":
            key, _, times = self.value.partition("*")
            for _ in range(int(times or 1)):
                page.keyboard.press(key)
        elif self.kind == "wait":
            time.sleep(float(self.value))
        else:  # pragma: no cover - argparse only makes the kinds above
            raise ValueError(self.kind)


def locate(page: Page, spec: str) -> Any:
    """`role=button,name=Start` / `css=#start` / `text=Start`: the first match."""
    fields = dict(part.split("=", 1) for part in spec.split(",") if "=" in part)
    if "css" in fields:
        return page.locator(spec.split("=", 1)[1]).first
    if "text" in fields:
        return page.get_by_text(fields["text"]).first
    if "role" in fields:
        if "name" in fields:
            return page.get_by_role(fields["role"], name=fields["name"]).first  # type: ignore[arg-type]
        return page.get_by_role(fields["role"]).first  # type: ignore[arg-type]
    raise argparse.ArgumentTypeError(f"--click wants role=..,name=.. or css=.. or text=..: {spec}")


class StepAction(argparse.Action):
    """Collects --click/--click-text/--press/--wait into one list, in command-line order."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        steps: list[Step] = list(getattr(namespace, "steps", None) or [])
        steps.append(Step(str(option_string).lstrip("-"), str(values)))
        namespace.steps = steps


# --- serving ----------------------------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` over HTTP on a loopback port, from a thread; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- our own page -----------------------------------------------------------------------


@dataclass
class Ours:
    """Our client page behind a shared link, as remote_pacer_bench.py drives it (direct)."""

    folder: Path

    @contextmanager
    def running(self) -> Iterator[tuple[str, Callable[[], None]]]:
        """Yields the page's URL and what starts the set once the page has loaded."""
        from console.pacer.clock import SetClock
        from console.remote.share import SharedLink
        from tests.integration.remote_parts import broker

        with broker(self.folder) as running:
            link = SharedLink(running.address, datetime.now(UTC) + timedelta(hours=1))
            link.open()

            def start() -> None:
                deadline = time.monotonic() + 30
                while not (link.status().started and link.status().uncertainty_s is not None):
                    if time.monotonic() > deadline:
                        raise RuntimeError("the page did not join")
                    time.sleep(0.1)
                time.sleep(4)  # a few clock round trips, as before a real set
                t0 = link.clock() + 0.25
                link.send_state(SETTINGS, SetClock().start(t0), at=link.clock())

            try:
                yield running.address.page_url(link.secret), start
            finally:
                link.close()


# --- measuring --------------------------------------------------------------------------


def descendants(root: int) -> list[int]:
    """`root` and its live descendants."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        children = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree.extend(children)
        frontier = children
    return tree


def process_kind(pid: int) -> str:
    """Chromium's name for a process's job: browser, renderer, gpu-process, an audio utility."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "gone"
    # Chromium's children rewrite their command line as one space-separated string.
    words = command.replace(b"\0", b" ").split()
    flags = dict(w.decode(errors="replace").split("=", 1) for w in words if b"=" in w)
    kind = flags.get("--type", "browser")
    sub = flags.get("--utility-sub-type", "")
    return f"{kind}:{sub.rsplit('.', 1)[-1]}" if sub else kind


def cpu_by_kind(root: int) -> dict[str, float]:
    """CPU seconds so far of each kind of process in the tree (the live ones)."""
    totals: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for pid in descendants(root):
        if (fields := stat_fields(pid)) is None:
            continue
        kind = process_kind(pid)
        totals[kind] = totals.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return totals


def frame_rate(page: Page) -> float | None:
    """requestAnimationFrame callbacks per second, over one second (after measuring)."""
    try:
        rate = page.evaluate(
            """() => new Promise(done => {
                let n = 0; const t0 = performance.now();
                const tick = t => { n++; if (t - t0 < 1000) requestAnimationFrame(tick);
                    else done(n * 1000 / (t - t0)); };
                requestAnimationFrame(tick);
            })"""
        )
    except Exception:  # a figure we can do without
        return None
    return float(rate)


def screen_changing(page: Page) -> bool | None:
    """Whether two screenshots 0.13 s apart differ: is anything still moving?"""
    try:
        first = page.screenshot()
        time.sleep(0.13)
        return first != page.screenshot()
    except Exception:
        return None


def chromium_version() -> str | None:
    try:
        answer = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True)
    except OSError:
        return None
    return answer.stdout.strip() or None


def run(**options: Any) -> dict[str, Any]:
    """`measure` in a scratch folder of its own (profile, broker files), removed after."""
    work = Path(tempfile.mkdtemp(prefix="web-peer-bench-"))
    try:
        return measure(work, **options)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(
    work: Path,
    url: str | None,
    folder: Path | None,
    path: str,
    steps: list[Step],
    settle: float,
    warmup: float,
    seconds: float,
    ours: bool,
    report_js: str | None = None,
    screenshot: Path | None = None,
) -> dict[str, Any]:
    profile = work / "chromium"
    own: AbstractContextManager[tuple[str, Callable[[], None]] | None] = (
        Ours(work).running() if ours else nullcontext()
    )
    serving: AbstractContextManager[str | None] = (
        served(folder) if folder is not None else nullcontext()
    )
    with (
        xvfb(WIDTH, HEIGHT) as (display, _fb),
        pulse_server() as audio,
        own as our_page,
        serving as base,
    ):
        start_set: Callable[[], None] | None = None
        if our_page is not None:
            url, start_set = our_page
        elif base is not None:
            url = base + path
        assert url is not None
        with sync_playwright() as p:
            context = kiosk_chromium(p, display, profile, audio)
            try:
                page = context.pages[0] if context.pages else context.new_page()
                page.goto(url)
                time.sleep(settle)
                for step in steps:
                    step.run(page)
                if start_set is not None:
                    start_set()
                time.sleep(warmup)
                root = _chromium_root(profile)
                watch = CpuWatch(root) if root is not None else None
                processes = len(descendants(root)) if root is not None else None
                time.sleep(STARTUP_S)  # CpuWatch leaves its first 2 s out
                kinds_from = cpu_by_kind(root) if root is not None else {}
                kinds_t0 = time.monotonic()
                time.sleep(seconds + 0.3)
                kinds_to = cpu_by_kind(root) if root is not None else {}
                kinds_s = time.monotonic() - kinds_t0
                steady = watch.percent()[0] if watch is not None else None
                measured_s = None
                if watch is not None and watch.settled is not None and watch.last is not None:
                    measured_s = watch.last[0] - watch.settled[0]
                rate = frame_rate(page)
                moving = screen_changing(page)
                reported = page.evaluate(report_js) if report_js else None
                if screenshot is not None:
                    page.screenshot(path=str(screenshot))
            finally:
                context.close()
    return {
        "url": url.split("#", 1)[0] if ours else url,  # our link's secret stays out
        "seconds": seconds,
        "measured_s": measured_s,
        "page_cpu_percent": steady,
        "cpu_percent_by_process": {
            kind: round((kinds_to[kind] - kinds_from.get(kind, 0.0)) / kinds_s * 100, 1)
            for kind in sorted(kinds_to)
        },
        "chromium_processes": processes,
        "raf_per_s_after": rate,
        "screen_changing_after": moving,
        "page_report": reported,
        "steps": [s.describe() for s in steps] + (["start 1.0 Hz set, tones"] if ours else []),
        "settle_s": settle,
        "warmup_s": warmup,
        "window": f"{WIDTH}x{HEIGHT} kiosk",
        "chromium": chromium_version(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder", type=Path, help="a static folder to serve on loopback")
    where.add_argument("--url", help="a page that is already served")
    where.add_argument("--ours", action="store_true", help="our client page, 1.0 Hz, tones")
    parser.add_argument("--path", default="/", help="the page's path under --folder")
    parser.add_argument("--name", help="the peer's name in the JSON line")
    for option, meta in (
        ("--click", "role=R,name=N | css=SEL | text=T"),
        ("--click-text", "TEXT"),
        ("--press", "KEY or KEY*N"),
        ("--wait", "S"),
    ):
        parser.add_argument(option, action=StepAction, metavar=meta, dest="steps", default=[])
    parser.add_argument("--settle", type=float, default=2.0, help="after load, before steps")
    parser.add_argument("--warmup", type=float, default=4.0, help="after steps, before CPU")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--report-js", help="a JS expression evaluated after measuring (e.g. the speed setting)"
    )
    parser.add_argument("--screenshot", type=Path, help="a PNG of the page after measuring")
    args = parser.parse_args(argv)
    if args.folder is not None and not args.folder.is_dir():
        parser.error(f"not a folder: {args.folder}")
    name = args.name or ("session-console" if args.ours else args.folder or args.url)
    if args.ours and not args.steps:
        args.steps = [Step("click", "role=button,name=Start")]  # as remote_pacer_bench does
    figures = run(
        url=args.url,
        folder=args.folder.resolve() if args.folder is not None else None,
        path=args.path,
        steps=args.steps,
        settle=args.settle,
        warmup=args.warmup,
        seconds=args.seconds,
        ours=args.ours,
        report_js=args.report_js,
        screenshot=args.screenshot,
    )
    emit(bench="web_peer_cpu", peer=str(name), **figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
