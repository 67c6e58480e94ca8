"""The pacer as a client sees and hears it, measured from outside the app process.

`bench/pacer_bench.py` scores the numbers the app computes about its own frames; this
bench trusts none of them. It runs the real `session-console pacer` command full screen
on an Xvfb of its own, samples Xvfb's framebuffer file from a separate process, records
a PulseAudio null sink's monitor, and scores frequency, drift, position, width, frame
intervals, audio-to-picture offset and CPU — idle and with one busy loop per core,
with the tone and without. The framebuffer sampler is validated first on a synthetic
square with known times and positions; if it fails, nothing else is measured.

Run from the repository root:
    .venv/bin/python bench/pacer_presentation_bench.py [--seconds 30] [--quick]
        [--app auto|real|stand-in] [--command "PROGRAM ARGS"]
One JSON line per step to stdout, then a summary line. `--app stand-in` (the default
while the real command is missing) measures a small PySide6 window drawing the same
dot with the same motion, which `... pacer_presentation_bench.py stand-in --speed 1 ...`
runs; it exists to exercise the pipeline, not as a reference.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from presentation_framebuffer import (  # noqa: E402
    BACKGROUND,
    DOT,
    DOT_DIAMETER,
    FRAME_FIELDS,
    Sampler,
    validate_sampler,
    xvfb,
)
from presentation_score import (  # noqa: E402
    CPU_PERCENT_MAX,
    Motion,
    score_frames,
    score_sound,
)
from presentation_sound import Recorder, pulse_server  # noqa: E402

REAL_COMMAND = [str(ROOT / ".venv" / "bin" / "session-console"), "pacer"]
SAMPLES_PER_S_MIN = 500.0
# At most this share of the validation frames may pass while the sampler is descheduled.
UNREAD_FRACTION_MAX = 0.05
VALIDATION_POSITION_PX_MAX = 0.5
VALIDATION_TIME_MS_P99_MAX = 2.0


def emit(**values: object) -> None:
    print(json.dumps(values), flush=True)


def real_command_available() -> bool:
    try:
        probe = subprocess.run([*REAL_COMMAND, "--help"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def pacer_arguments(speed: float, profile: str, sound: str, seconds: float) -> list[str]:
    return [
        "--speed",
        f"{speed:g}",
        "--path",
        "horizontal",
        "--profile",
        profile,
        "--sound",
        sound,
        "--seconds",
        f"{seconds:g}",
    ]


# --- CPU of the app's process tree, from /proc ----------------------------------------


def stat_fields(pid: int | str) -> list[str] | None:
    """/proc/PID/stat's fields after the command name (which may hold spaces), or None once
    the process is gone: field 1 is the parent, 11 and 12 utime and stime in ticks."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()


def tree_cpu_seconds(root: int) -> float | None:
    """utime+stime of `root` and its live descendants, plus its reaped children's."""
    parents: dict[int, int] = {}
    times: dict[int, tuple[float, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or (fields := stat_fields(entry)) is None:
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])
        own = float(fields[11]) + float(fields[12])
        reaped = float(fields[13]) + float(fields[14])
        times[pid] = (own, reaped)
    if root not in times:
        return None
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    ticks = sum(times[pid][0] for pid in tree) + times[root][1]
    return ticks / os.sysconf("SC_CLK_TCK")


STARTUP_S = 2.0  # Python and Qt starting up; the steady figure leaves it out


class CpuWatch:
    """Samples the app tree's CPU time every 200 ms, from launch to the last sample before exit."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.started = time.monotonic()
        self.last: tuple[float, float] | None = None
        self.settled: tuple[float, float] | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            seconds = tree_cpu_seconds(self.pid)
            if seconds is None:
                return
            self.last = (time.monotonic(), seconds)
            if self.settled is None and self.last[0] - self.started >= STARTUP_S:
                self.settled = self.last

    def percent(self) -> tuple[float | None, float | None]:
        """CPU as % of one core: steady (after start-up), and including start-up."""
        self._stop.set()
        self._thread.join(5)
        if self.last is None:
            return None, None
        wall = self.last[0] - self.started
        whole = self.last[1] / wall * 100 if wall > 0 else None
        if self.settled is None or self.last[0] <= self.settled[0]:
            return None, whole
        steady = (self.last[1] - self.settled[1]) / (self.last[0] - self.settled[0]) * 100
        return steady, whole


# --- load -------------------------------------------------------------------------------


@contextlib.contextmanager
def busy_loops(loaded: bool) -> Iterator[None]:
    """One pinned busy loop per core (docs/testing.md "A busy machine"), ended by PID."""
    loops: list[subprocess.Popen[bytes]] = []
    if loaded:
        for core in range(os.cpu_count() or 1):
            loops.append(
                subprocess.Popen(["taskset", "-c", str(core), "python3", "-c", "while 1: pass"])
            )
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait(10)


# --- one scenario -------------------------------------------------------------------------


def run_scenario(
    name: str,
    command: Sequence[str],
    env: dict[str, str],
    fb: Path,
    *,
    speed: float,
    profile: str,
    sound: str,
    seconds: float,
    loaded: bool,
    save: Path | None = None,
    offset_ms: int = 0,
) -> dict[str, Any]:
    """Run the app once under the sampler and the recorder; score what they saw and heard."""
    app_env = {**os.environ, **env, "QT_QPA_PLATFORM": "xcb"}
    arguments = [*command, *pacer_arguments(speed, profile, sound, seconds)]
    if offset_ms:
        arguments += ["--audio-offset-ms", str(offset_ms)]
    sampler = Sampler(fb).start()
    recorder: Recorder | None = None
    app: subprocess.Popen[bytes] | None = None
    try:
        recorder = Recorder(env)
        recorder.wait_for_data()
        with busy_loops(loaded), tempfile.TemporaryDirectory(prefix="pacer-app-") as scratch:
            app_env["SESSION_CONSOLE_DATA_DIR"] = str(Path(scratch) / "data")
            time.sleep(0.5 if loaded else 0.1)  # let the loops (if any) take their cores
            launched = time.monotonic()
            app = subprocess.Popen(
                arguments, env=app_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            watch = CpuWatch(app.pid)
            try:
                out, err = app.communicate(timeout=seconds + 60)
            except subprocess.TimeoutExpired:
                app.kill()
                out, err = app.communicate()
            cpu, cpu_with_start = watch.percent()
            time.sleep(0.5)  # the last tone and the window's end reach the recorders
    finally:
        if app is not None and app.poll() is None:
            app.kill()
            app.wait(10)
        log = sampler.stop()
        if recorder is not None:
            recording = recorder.stop()
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        np.savez(
            save / f"{name}.npz",
            launched=launched,
            audio=recording.samples,
            audio_arrivals=recording.arrivals,
            audio_t0=recording.t0,
            audio_drift_ppm=recording.drift_ppm,
            **{field: getattr(log, field) for field in FRAME_FIELDS},
        )
    width = sampler.layout.width
    figures, turns = score_frames(log, launched, Motion.on_screen(width, speed, profile, seconds))
    result: dict[str, Any] = {
        "scenario": name,
        "command": " ".join(arguments[:2]),
        "exit_code": app.returncode,
        "samples_per_s": round(log.samples_per_s, 1),
        "sampler_stalls": int(log.stalls.shape[0]),
        "sampler_stall_ms_max": round(float(np.diff(log.stalls).max(initial=0.0)) * 1000, 2),
        **figures,
    }
    if app.returncode != 0:
        result["stderr_tail"] = err.decode(errors="replace")[-800:]
    if out.strip():
        result["stdout_tail"] = out.decode(errors="replace")[-400:]
    targets: dict[str, bool] = result.pop("target_met", {})
    if turns.size:
        sound_figures = score_sound(recording, turns, sound)
        targets.update(sound_figures.pop("target_met"))
        result.update(sound_figures)
    result["cpu_percent"] = round(cpu, 2) if cpu is not None else None
    result["cpu_percent_with_start"] = (
        round(cpu_with_start, 2) if cpu_with_start is not None else None
    )
    targets["cpu_percent"] = cpu is not None and cpu < CPU_PERCENT_MAX
    targets["exit_code"] = app.returncode == 0
    targets["samples_per_s"] = log.samples_per_s >= SAMPLES_PER_S_MIN
    result["target_met"] = targets
    return result


def validate(fb: Path, seconds: float) -> bool:
    """The sampler against the synthetic square: every write it read seen, in place, on time."""
    figures = validate_sampler(fb, seconds)
    written = figures["frames_written"]
    ok = bool(
        figures["frames_seen"] + figures["frames_unread"] == written
        and figures["frames_unread"] <= written * UNREAD_FRACTION_MAX
        and figures["samples_unexplained"] == 0
        and figures.get("position_error_px_max", math.inf) <= VALIDATION_POSITION_PX_MAX
        and figures.get("time_error_ms_p99", math.inf) <= VALIDATION_TIME_MS_P99_MAX
        and figures.get("width_px_min") == figures.get("width_px_max") == DOT_DIAMETER
        and figures.get("blobs_wrong") == 0
        and figures.get("samples_per_s", 0) >= SAMPLES_PER_S_MIN
    )
    emit(step="sampler_validation", ok=ok, **figures)
    return ok


CALIBRATION_S = 10.0


def loopback_calibration(
    command: Sequence[str], env: dict[str, str], fb: Path, speed: float, profile: str
) -> int:
    """The app's latency offset measured through the null sink's monitor, a true loopback.

    This is the calibration the panel's Calibrate… does by tapping, done by
    measurement where a loopback exists: the median offset of one idle run
    becomes the offset the tone scenarios run with.
    """
    result = run_scenario(
        "calibration",
        command,
        env,
        fb,
        speed=speed,
        profile=profile,
        sound="tone",
        seconds=CALIBRATION_S,
        loaded=False,
    )
    median = result.get("audio_offset_ms_median")
    offset = round(median) if isinstance(median, int | float) and math.isfinite(median) else 0
    emit(step="loopback_calibration", audio_offset_ms_median=median, offset_ms=offset)
    return offset


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--profile", choices=("sinusoidal", "constant"), default="sinusoidal")
    parser.add_argument("--quick", action="store_true", help="two 10 s scenarios (CI)")
    parser.add_argument("--app", choices=("auto", "real", "stand-in"), default="auto")
    parser.add_argument("--command", help="the program to measure (pacer options are appended)")
    parser.add_argument("--only", help="comma-separated scenario names to run")
    parser.add_argument("--save", type=Path, help="keep each run's frames and sound here (.npz)")
    parser.add_argument(
        "--no-calibrate",
        action="store_true",
        help="skip the loopback latency calibration (the real app's tone runs use offset 0)",
    )
    args = parser.parse_args(argv)

    if args.command:
        command, app = shlex.split(args.command), "command"
    elif args.app == "real" or (args.app == "auto" and real_command_available()):
        command, app = REAL_COMMAND, "real"
    else:
        command, app = [sys.executable, str(Path(__file__).resolve()), "stand-in"], "stand-in"
    seconds = min(args.seconds, 10.0) if args.quick else args.seconds
    scenarios = [
        ("idle_tone", False, "tone"),
        ("idle_off", False, "off"),
        ("loaded_tone", True, "tone"),
        ("loaded_off", True, "off"),
    ]
    if args.quick:
        scenarios = [scenarios[0], scenarios[2]]
    if args.only:
        wanted = set(args.only.split(","))
        scenarios = [s for s in scenarios if s[0] in wanted]
    emit(step="setup", app=app, command=command, seconds=seconds, speed=args.speed)

    # SIGINT/SIGTERM unwind through the context managers, which end Xvfb and PulseAudio
    # (SIGINT explicitly: a shell starts background jobs with it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    failed: list[str] = []
    with xvfb() as (display, fb), pulse_server() as pulse:
        if not validate(fb, 2.0 if args.quick else 4.0):
            emit(summary=True, ok=False, reason="the framebuffer sampler failed its validation")
            return 1
        env = {**pulse, "DISPLAY": display}
        offset_ms = 0
        if app == "real" and not args.no_calibrate and any(s[2] != "off" for s in scenarios):
            offset_ms = loopback_calibration(command, env, fb, args.speed, args.profile)
        for name, loaded, sound in scenarios:
            result = run_scenario(
                name,
                command,
                env,
                fb,
                speed=args.speed,
                profile=args.profile,
                sound=sound,
                seconds=seconds,
                loaded=loaded,
                save=args.save,
                offset_ms=offset_ms if sound != "off" else 0,
            )
            result["audio_offset_setting_ms"] = offset_ms if sound != "off" else 0
            emit(**result)
            failed += [f"{name}.{key}" for key, met in result["target_met"].items() if not met]
    emit(summary=True, ok=not failed, app=app, scenarios=len(scenarios), targets_missed=failed)
    return 0


# --- the stand-in app -------------------------------------------------------------------


def stand_in(argv: Sequence[str]) -> int:
    """A full-screen PySide6 window with the specified dot, motion and tones.

    Driven by a 16 ms timer and time.monotonic(); the tones are rendered ahead and
    played through `pacat` from the set's start. Only for exercising the bench.
    """
    from PySide6.QtCore import QPointF, Qt, QTimer
    from PySide6.QtGui import QColor, QPainter, QPaintEvent
    from PySide6.QtWidgets import QApplication, QWidget

    parser = argparse.ArgumentParser(prog="stand-in")
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--path", default="horizontal")
    parser.add_argument("--profile", default="sinusoidal")
    parser.add_argument("--sound", default="tone")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--screen")
    args = parser.parse_args(argv)
    passes = math.ceil(args.seconds * 2 * args.speed - 1e-9)

    app = QApplication([sys.argv[0]])
    geometry = app.primaryScreen().geometry()
    motion = Motion.on_screen(geometry.width(), args.speed, args.profile, args.seconds)
    middle = geometry.height() / 2
    duration = motion.duration
    player: subprocess.Popen[bytes] | None = None
    if args.sound == "tone":
        rate, tone = 48_000, int(0.080 * 48_000)
        ramp = int(0.010 * 48_000)
        envelope = np.ones(tone)
        envelope[:ramp] = 0.5 - 0.5 * np.cos(np.pi * np.arange(ramp) / ramp)
        envelope[-ramp:] = envelope[:ramp][::-1]
        burst = 0.3 * 32767 * envelope * np.sin(2 * np.pi * 440 * np.arange(tone) / rate)
        stream = np.zeros((int((duration + 0.5) * rate), 2), dtype=np.int16)
        for k in range(1, passes + 1):
            start = round(k / (2 * args.speed) * rate)
            stream[start : start + tone, 0 if k % 2 == 0 else 1] = burst.astype(np.int16)
        player = subprocess.Popen(
            [
                "pacat",
                "--format=s16le",
                "--rate=48000",
                "--channels=2",
                "--latency-msec=20",
                "--raw",
            ],
            stdin=subprocess.PIPE,
        )
        data = stream.tobytes()
    started: list[float] = []

    class Window(QWidget):
        def paintEvent(self, event: QPaintEvent) -> None:
            now = time.monotonic()
            if not started:
                started.append(now)
                if player is not None and player.stdin is not None:
                    threading.Thread(target=feed, daemon=True).start()
            t = min(now - started[0], duration)
            painter = QPainter(self)
            painter.fillRect(self.rect(), QColor(*BACKGROUND))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(*DOT))
            x = float(motion.x(np.array(t)))
            radius = DOT_DIAMETER / 2
            painter.drawEllipse(QPointF(x, middle), radius, radius)
            painter.end()
            if t >= duration:
                timer.stop()
                QTimer.singleShot(600, app.quit)

    def feed() -> None:
        assert player is not None and player.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            player.stdin.write(data)
            player.stdin.close()

    window = Window()
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint)
    window.setGeometry(geometry)
    timer = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=16)
    timer.timeout.connect(window.update)
    window.showFullScreen()
    timer.start()
    app.exec()
    if player is not None:
        player.kill()
        player.wait(5)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["stand-in"]:
        sys.exit(stand_in(sys.argv[2:]))
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        emit(summary=True, ok=False, reason="interrupted")
        sys.exit(130)
