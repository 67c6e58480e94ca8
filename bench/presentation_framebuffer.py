"""What Xvfb has on screen, sampled from outside the app: its XWD framebuffer file, polled.

`Xvfb -fbdir DIR` keeps `DIR/Xvfb_screen0` as an XWD image that the server updates in
place, so a separate process can watch every frame the app presents without asking the
app (whose own frame statistics are what is under test) or the X server. The sampler
polls a band of rows around the centre line and, each time the band changes, records
when it changed and the stimulus' geometry: edges, width, number of separate blobs and
centre. Before its figures are trusted, `validate_sampler` writes a moving square with
known times and positions into the same pixel area and checks that they come back.

The XWD header is 25 big-endian 32-bit fields; the pixels start after `header_size`
(field 0, which includes the window name, 160 bytes for Xvfb — not 100) plus 12 bytes
per colour-map entry (field 19). Channel byte positions follow the masks and the byte
order fields, so the parse does not assume BGRX.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

BACKGROUND = (0x1E, 0x1E, 0x1E)
DOT = (0x5B, 0x9B, 0xD5)
DOT_DIAMETER = 48
# Half the band height: the 48 px dot and a margin for slivers above or below it.
BAND_HALF = 32
# A pixel belongs to the stimulus when it is at least this far from the background
# towards the dot colour (antialiased edges are in between).
STIMULUS_COVERAGE = 0.5
# Fainter remnants still count when telling blobs apart (a detached sliver).
BLOB_COVERAGE = 0.2
# Distance in 8-bit units off the background–dot line beyond which a pixel is foreign.
FOREIGN_DISTANCE = 24.0
# A band counts as showing the stimulus window when almost no pixel is foreign.
FOREIGN_SHARE_MAX = 0.01
# A synthetic write that took longer than this was interrupted by the scheduler.
INTERRUPTED_WRITE_S = 0.0005
# A pause between two reads longer than this is kept as a stall of the sampler itself.
STALL_S = 0.002
# A change's content is what then stays put this long (a read can catch a copy half-done).
SETTLE_S = 0.001

Array = npt.NDArray[Any]


@dataclass(frozen=True)
class XwdLayout:
    """Where the pixels of an XWD framebuffer file are and how one pixel is laid out."""

    width: int
    height: int
    bytes_per_line: int
    bytes_per_pixel: int
    pixel_offset: int
    red: int  # byte index of each channel within a pixel
    green: int
    blue: int


def read_layout(path: Path) -> XwdLayout:
    """Parse the XWD header of `path` (as Xvfb -fbdir writes it)."""
    with open(path, "rb") as handle:
        head = handle.read(100)
    if len(head) < 100:
        raise ValueError(f"{path}: {len(head)} bytes, too short for an XWD header")
    fields = struct.unpack(">25I", head)
    header_size, version, pixmap_format = fields[0], fields[1], fields[2]
    width, height, byte_order = fields[4], fields[5], fields[7]
    bits_per_pixel, bytes_per_line, colours = fields[11], fields[12], fields[19]
    if version != 7 or pixmap_format != 2 or bits_per_pixel not in (24, 32):
        raise ValueError(
            f"{path}: XWD version {version}, format {pixmap_format}, "
            f"{bits_per_pixel} bpp; expected version 7 ZPixmap at 24 or 32 bpp"
        )
    bytes_per_pixel = bits_per_pixel // 8

    def byte_of(mask: int) -> int:
        shift = (mask & -mask).bit_length() - 1
        index = shift // 8
        return index if byte_order == 0 else bytes_per_pixel - 1 - index

    layout = XwdLayout(
        width=width,
        height=height,
        bytes_per_line=bytes_per_line,
        bytes_per_pixel=bytes_per_pixel,
        pixel_offset=header_size + 12 * colours,
        red=byte_of(fields[14]),
        green=byte_of(fields[15]),
        blue=byte_of(fields[16]),
    )
    needed = layout.pixel_offset + bytes_per_line * height
    if os.path.getsize(path) < needed:
        raise ValueError(f"{path}: smaller than the {needed} bytes its header describes")
    return layout


def pixel_rows(path: Path, layout: XwdLayout, writable: bool = False) -> np.memmap[Any, Any]:
    """The pixel area of the framebuffer file as a (height, bytes_per_line) uint8 memmap."""
    return np.memmap(
        path,
        dtype=np.uint8,
        mode="r+" if writable else "r",
        offset=layout.pixel_offset,
        shape=(layout.height, layout.bytes_per_line),
    )


def band_rows(layout: XwdLayout) -> tuple[int, int]:
    """First and past-the-last row of the band sampled around the vertical centre line."""
    middle = layout.height // 2
    return max(0, middle - BAND_HALF), min(layout.height, middle + BAND_HALF)


@dataclass(frozen=True)
class Geometry:
    """The stimulus as one sample of the band shows it (x in continuous pixel units)."""

    shown: bool  # the band is the stimulus window (background and dot colours only)
    blobs: int
    left: int  # first and last stimulus pixel column of the widest blob, -1 if none
    right: int
    width: int  # widest row run of stimulus pixels within that blob
    centre: float  # coverage-weighted centroid of that blob; pixel i spans [i, i+1)


def measure(band: bytes, layout: XwdLayout) -> Geometry:
    """Classify one band's pixels by closeness to the dot vs the background colour."""
    rows = len(band) // layout.bytes_per_line
    raw = np.frombuffer(band, dtype=np.uint8).reshape(rows, layout.bytes_per_line)
    pixels = raw[:, : layout.width * layout.bytes_per_pixel].reshape(
        rows, layout.width, layout.bytes_per_pixel
    )
    channels = [layout.red, layout.green, layout.blue]
    background = np.array(BACKGROUND, dtype=np.uint8)
    differs = (pixels[:, :, channels] != background).any(axis=2)
    columns = np.flatnonzero(differs.any(axis=0))
    if columns.size == 0:
        return Geometry(True, 0, -1, -1, 0, float("nan"))
    lo, hi = int(columns[0]), int(columns[-1]) + 1
    rgb = pixels[:, lo:hi, channels].astype(np.float32) - background.astype(np.float32)
    towards = np.array(DOT, dtype=np.float32) - background.astype(np.float32)
    coverage = rgb @ towards / float(towards @ towards)
    off_line = np.abs(rgb - coverage[..., None] * towards).max(axis=2)
    foreign = (off_line > FOREIGN_DISTANCE) | (coverage < -0.1) | (coverage > 1.1)
    shown = foreign.sum() <= FOREIGN_SHARE_MAX * rows * layout.width
    coverage = np.where(foreign, 0.0, np.clip(coverage, 0.0, 1.0))
    runs = _runs(np.asarray((coverage >= BLOB_COVERAGE).any(axis=0)))
    if not runs:
        return Geometry(bool(shown), 0, -1, -1, 0, float("nan"))
    blob_lo, blob_hi = max(runs, key=lambda run: run[1] - run[0])
    blob = coverage[:, blob_lo:blob_hi]
    stimulus = blob >= STIMULUS_COVERAGE
    width = max((hi_ - lo_ for row in stimulus for lo_, hi_ in _runs(row)), default=0)
    inside = np.flatnonzero(stimulus.any(axis=0))
    left = lo + blob_lo + int(inside[0]) if inside.size else -1
    right = lo + blob_lo + int(inside[-1]) if inside.size else -1
    weights = blob.sum(axis=0)
    xs = np.arange(lo + blob_lo, lo + blob_hi, dtype=np.float64) + 0.5
    centre = float(weights @ xs / weights.sum())
    return Geometry(bool(shown), len(runs), left, right, int(width), centre)


def _runs(mask: Array) -> list[tuple[int, int]]:
    """Half-open [start, end) index ranges of the True runs of a 1-D boolean array."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


FRAME_FIELDS = ("t", "t_before", "t_after", "shown", "blobs", "left", "right", "width", "centre")


@dataclass
class FrameLog:
    """Every change of the band: `t` is the estimated time the new content arrived, the
    middle of `t_before` (start of the last read that did not see it) and `t_after` (end
    of the first read that did)."""

    t: Array
    t_before: Array
    t_after: Array
    shown: Array
    blobs: Array
    left: Array
    right: Array
    width: Array
    centre: Array
    polls: int
    seconds: float
    stalls: Array = field(default_factory=lambda: np.empty((0, 2)))

    @property
    def samples_per_s(self) -> float:
        return self.polls / self.seconds if self.seconds > 0 else 0.0

    def unread(self, start: Array, end: Array) -> Array:
        """Which spans [start, end] fell wholly inside one of the sampler's own stalls.

        On a loaded machine the scheduler can keep the poller off the CPU for longer
        than a frame stays on screen; such a frame was never read, which is not the
        same failure as a frame read and not recognised.
        """
        if self.stalls.size == 0:
            return np.zeros(start.size, dtype=bool)
        inside = (self.stalls[:, 0][None, :] <= start[:, None]) & (
            end[:, None] <= self.stalls[:, 1][None, :]
        )
        return inside.any(axis=1)


def _sample(
    fb: str,
    layout: XwdLayout,
    out: str,
    ready: Event,
    stop: Event,
    pause_s: float,
) -> None:
    """The poller (its own process): read the band, and on change settle and measure it.

    Each read is bracketed by clock readings taken before and after it, so a poller the
    scheduler stopped between reading the clock and reading the pixels cannot date a
    frame too early. A change is dated by the bracket from the start of the last read
    that did not see it to the end of the first that did; its content is what then
    stays unchanged for SETTLE_S, because a read can land in the middle of a copy.
    """
    top, bottom = band_rows(layout)
    band = pixel_rows(Path(fb), layout)[top:bottom]
    records: list[tuple[float, ...]] = []
    stalls: list[tuple[float, float]] = []
    clock = time.monotonic
    polls = 0
    t_previous = clock()
    previous = band.tobytes()
    started = last_read = t_previous
    ready.set()
    while True:
        if polls % 64 == 0 and stop.is_set():
            break
        t_start = clock()
        if t_start - last_read > STALL_S:
            stalls.append((last_read, t_start))
        current = band.tobytes()
        t_end = last_read = clock()
        polls += 1
        if current != previous:
            since = t_end
            while clock() - since < SETTLE_S:
                again = band.tobytes()
                if again != current:
                    current, since = again, clock()
            last_read = clock()
            g = measure(current, layout)
            records.append(
                (
                    (t_previous + t_end) / 2,
                    t_previous,
                    t_end,
                    float(g.shown),
                    g.blobs,
                    g.left,
                    g.right,
                    g.width,
                    g.centre,
                )
            )
            previous = current
        t_previous = t_start
        if pause_s > 0:
            time.sleep(pause_s)
    seconds = clock() - started
    table = np.array(records, dtype=np.float64).reshape(-1, len(FRAME_FIELDS))
    columns: dict[str, Any] = {name: table[:, i] for i, name in enumerate(FRAME_FIELDS)}
    np.savez(
        out,
        polls=polls,
        seconds=seconds,
        stalls=np.array(stalls, dtype=np.float64).reshape(-1, 2),
        **columns,
    )


class Sampler:
    """The framebuffer poller in a separate process; `stop()` returns its `FrameLog`.

    `pause_s` is slept between polls: about 2.5 kHz here instead of tens of kHz, which
    dates frames to a fraction of a millisecond and leaves most of a core to the app.
    """

    def __init__(self, fb: Path, pause_s: float = 0.0002) -> None:
        self.fb = fb
        self.layout = read_layout(fb)
        self._out = Path(tempfile.mkdtemp(prefix="fbsampler-")) / "frames.npz"
        context = mp.get_context("spawn")
        self._ready = context.Event()
        self._stop = context.Event()
        self._process = context.Process(
            target=_sample,
            args=(str(fb), self.layout, str(self._out), self._ready, self._stop, pause_s),
            daemon=True,
        )

    def start(self) -> Sampler:
        self._process.start()
        if not self._ready.wait(30):
            self._process.kill()
            raise RuntimeError("the framebuffer sampler did not start")
        return self

    def stop(self) -> FrameLog:
        self._stop.set()
        self._process.join(30)
        if self._process.exitcode != 0:
            self._process.kill()
            raise RuntimeError(f"the framebuffer sampler failed ({self._process.exitcode})")
        with np.load(self._out) as data:
            log = FrameLog(
                **{name: data[name] for name in FRAME_FIELDS},
                polls=int(data["polls"]),
                seconds=float(data["seconds"]),
                stalls=data["stalls"],
            )
        shutil.rmtree(self._out.parent, ignore_errors=True)
        return log


# --- Xvfb ------------------------------------------------------------------------------


def free_display(start: int = 90) -> int:
    """A display number with no X lock file or socket."""
    for number in range(start, start + 400):
        lock = Path(f"/tmp/.X{number}-lock")
        socket = Path(f"/tmp/.X11-unix/X{number}")
        if not lock.exists() and not socket.exists():
            return number
    raise RuntimeError("no free X display number")


@contextlib.contextmanager
def xvfb(width: int = 1920, height: int = 1080) -> Iterator[tuple[str, Path]]:
    """An Xvfb of its own with its framebuffer in a file; yields (DISPLAY, fb path)."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed (apt-get install -y xvfb)")
    fbdir = Path(tempfile.mkdtemp(prefix="fbdir-"))
    for _attempt in range(5):
        number = free_display()
        process = subprocess.Popen(
            [
                "Xvfb",
                f":{number}",
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-fbdir",
                str(fbdir),
                "-nolisten",
                "tcp",
                "-noreset",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        if _wait_for_x(f":{number}", process, fbdir / "Xvfb_screen0"):
            break
        _end(process)
    else:
        shutil.rmtree(fbdir, ignore_errors=True)
        raise RuntimeError("Xvfb did not start")
    fb = fbdir / "Xvfb_screen0"
    if shutil.which("xdotool") is not None:
        # Xvfb draws the pointer into the framebuffer, at the centre of the screen: on the
        # dot's path. A corner is out of the sampled band.
        subprocess.run(
            ["xdotool", "mousemove", "0", "0"],
            env={**os.environ, "DISPLAY": f":{number}"},
            capture_output=True,
            check=False,
        )
    try:
        yield f":{number}", fb
    finally:
        _end(process)
        shutil.rmtree(fbdir, ignore_errors=True)


def _wait_for_x(display: str, process: subprocess.Popen[bytes], fb: Path) -> bool:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        probe = subprocess.run(["xdpyinfo", "-display", display], capture_output=True, check=False)
        # Ours, not another server that took the number first: it is alive with its file.
        if probe.returncode == 0 and process.poll() is None and fb.exists():
            return True
        time.sleep(0.1)  # waiting for another process to come up
    return False


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


# --- validation on a synthetic square with known truth ---------------------------------


def synthetic_schedule(
    layout: XwdLayout, seconds: float, seed: int = 7
) -> tuple[Array, Array, Array]:
    """Known truth: per frame the delay before it (s), the square's centre x, sliver flag.

    Triangle motion across 80 % of the width at about 700 px/s; frame delays vary from
    6 to 30 ms so the time recovery is tested at irregular intervals; every 17th frame
    carries a detached two-pixel sliver, which must count as a second blob.
    """
    rng = np.random.default_rng(seed)
    delays = rng.uniform(0.006, 0.030, size=int(seconds / 0.018))
    t = np.cumsum(delays)
    reach = 0.4 * layout.width - DOT_DIAMETER / 2
    phase = (t * 700.0 / (4 * reach)) % 1.0
    xs = layout.width / 2 + reach * (1 - 4 * np.abs(phase - 0.5)) + rng.uniform(-0.5, 0.5, t.size)
    slivers = (np.arange(t.size) % 17) == 5
    return delays, xs, slivers


def draw_square(layout: XwdLayout, x: float, sliver: bool) -> bytes:
    """The band's bytes with the background and an antialiased 48 px square centred at x."""
    top, bottom = band_rows(layout)
    rows = bottom - top
    background = np.array(BACKGROUND, dtype=np.float64)
    towards = np.array(DOT, dtype=np.float64) - background
    columns = np.arange(layout.width, dtype=np.float64)
    half = DOT_DIAMETER / 2
    coverage = np.clip(np.minimum(columns + 1, x + half) - np.maximum(columns, x - half), 0, 1)
    if sliver:
        start = int(x + half) + 12
        coverage[start : start + 2] = 1.0
    middle = layout.height // 2 - top
    band = np.zeros((rows, layout.bytes_per_line), dtype=np.uint8)
    pixels = band[:, : layout.width * layout.bytes_per_pixel].reshape(
        rows, layout.width, layout.bytes_per_pixel
    )
    line = np.rint(background + coverage[:, None] * towards).astype(np.uint8)
    plain = np.rint(background).astype(np.uint8)
    for channel, index in enumerate((layout.red, layout.green, layout.blue)):
        pixels[:, :, index] = plain[channel]
        pixels[middle - int(half) : middle + int(half), :, index] = line[:, channel]
    return band.tobytes()


def _write_frames(fb: str, layout: XwdLayout, seconds: float, out: str, go: Event) -> None:
    """The writer (its own process): present each scheduled frame, note when it landed.

    Each frame copies only the block that differs from the previous one (a few kB), so
    a write is short; the times before and after it are both kept, and a write the
    scheduler interrupted (that took over 0.5 ms) is set aside by the comparison.
    """
    delays, xs, slivers = synthetic_schedule(layout, seconds)
    top, bottom = band_rows(layout)
    shape = (bottom - top, layout.bytes_per_line)
    frames = [np.frombuffer(draw_square(layout, -1000.0, False), np.uint8).reshape(shape)]
    frames += [
        np.frombuffer(draw_square(layout, float(x), bool(s)), np.uint8).reshape(shape)
        for x, s in zip(xs, slivers, strict=True)
    ]
    blocks = []
    for before, after in itertools.pairwise(frames):
        changed = before != after
        rows, columns = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
        window = np.s_[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
        blocks.append((window, np.ascontiguousarray(after[window])))
    band = pixel_rows(Path(fb), layout, writable=True)[top:bottom]
    band[:] = frames[0]
    go.wait(30)
    time.sleep(0.2)
    written = np.empty((len(blocks), 2))
    due = time.monotonic()
    for i, (window, block) in enumerate(blocks):
        due += delays[i]
        # Sleep, not spin: a spinning writer takes a core and starves the sampler right
        # when a frame lands. The actual times are recorded, so lateness does not matter.
        time.sleep(max(0.0, due - time.monotonic()))
        start = time.monotonic()
        band[window] = block
        written[i] = start, time.monotonic()
    np.save(out, written)


def validate_sampler(fb: Path, seconds: float = 3.0, pause_s: float = 0.0002) -> dict[str, Any]:
    """Run the sampler against the synthetic square and compare with the truth."""
    layout = read_layout(fb)
    context = mp.get_context("spawn")
    go = context.Event()
    out = Path(tempfile.mkdtemp(prefix="fbtruth-")) / "written.npy"
    writer = context.Process(target=_write_frames, args=(str(fb), layout, seconds, str(out), go))
    writer.start()
    sampler = Sampler(fb, pause_s).start()
    go.set()
    writer.join(seconds * 4 + 30)
    time.sleep(0.1)
    log = sampler.stop()
    if writer.exitcode != 0:
        raise RuntimeError(f"the synthetic writer failed ({writer.exitcode})")
    written = np.load(out)
    shutil.rmtree(out.parent, ignore_errors=True)
    _delays, xs, slivers = synthetic_schedule(layout, seconds)
    return compare_with_truth(log, written, xs, slivers)


def compare_with_truth(log: FrameLog, written: Array, xs: Array, slivers: Array) -> dict[str, Any]:
    """Pair each written frame with the first sampled change that shows it.

    `written` holds each write's start and end time. A write is seen if a change that
    began no earlier than the write and before the next write had ended shows its
    square (within 1 px). A write the scheduler interrupted may also be sampled
    half-done, as an extra, torn change; those writes are counted apart and left out
    of the error figures, and any other change that matches no write is unexplained.
    """
    start, end = written[:, 0], written[:, 1]
    clean = end - start <= INTERRUPTED_WRITE_S
    window = (log.t_after >= start[0]) & (log.shown > 0) & (log.blobs > 0)
    t, centre, blobs, width = (
        log.t[window],
        log.centre[window],
        log.blobs[window],
        log.width[window],
    )
    t_before, t_after = log.t_before[window], log.t_after[window]
    next_end = np.append(end[1:], np.inf)
    match = np.full(end.size, -1)
    for i in range(end.size):
        fits = (t_after >= start[i]) & (t_before <= next_end[i]) & (np.abs(centre - xs[i]) < 1.0)
        hits = np.flatnonzero(fits)
        if hits.size:
            match[i] = hits[0]
    seen = match >= 0
    unread = ~seen & log.unread(end, np.append(start[1:], np.inf))
    used = match[seen]
    unmatched = np.setdiff1d(np.arange(t.size), used)
    torn_windows = [(start[i], end[i] + SETTLE_S + 0.001) for i in np.flatnonzero(~clean)]
    unexplained = sum(
        not any(lo <= t_after[j] and t_before[j] <= hi for lo, hi in torn_windows)
        for j in unmatched
    )
    both = seen & clean
    position_error = np.abs(centre[match[both]] - xs[both])
    time_error = (t[match[both]] - (start + end)[both] / 2) * 1000
    figures: dict[str, Any] = {
        "frames_written": int(end.size),
        "frames_seen": int(seen.sum()),
        "frames_unread": int(unread.sum()),
        "sampler_stalls": int(log.stalls.shape[0]),
        "sampler_stall_ms_max": round(float(np.diff(log.stalls).max(initial=0.0)) * 1000, 2),
        "frames_sampled": int(t.size),
        "writes_interrupted": int((~clean).sum()),
        "samples_unexplained": int(unexplained),
        "samples_per_s": round(log.samples_per_s, 1),
    }
    if not both.any():
        return figures
    return figures | {
        "position_error_px_max": round(float(position_error.max()), 4),
        "time_error_ms_median": round(float(np.median(time_error)), 3),
        "time_error_ms_p99": round(float(np.percentile(np.abs(time_error), 99)), 3),
        "time_error_ms_max": round(float(np.abs(time_error).max()), 3),
        "width_px_min": int(width[used].min()),
        "width_px_max": int(width[used].max()),
        "blobs_wrong": int(((blobs[used] == 2) != slivers[seen]).sum()),
    }
