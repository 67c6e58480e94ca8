"""The set's sound, rendered ahead off the GUI thread and handed to the device on demand.

The stream is deterministic, so a worker renders it well before it is
needed; the device's read then only copies bytes and cannot starve because
the GUI thread is busy. The device stays open between sets, playing silence:
a newly opened device takes a second or two before it reports any progress,
which would hold every set back. Device frames map to the set's own frames by
one number, `begin`: until the set's sound begins the device gets silence,
and a resync (`skip`) drops content so the sound catches up with the picture
instead of the picture slowing down. Reads that find nothing rendered are
counted as underruns and filled with silence, keeping the mapping exact.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

Render = Callable[[int, int], npt.NDArray[np.float32]]
BYTES_PER_FRAME = 4  # stereo int16
CHUNK_FRAMES = 2048


def to_pcm(samples: npt.NDArray[np.float32]) -> bytes:
    pcm = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    return (pcm * 32767.0).astype("<i2").tobytes()


class AheadStream:
    """Bytes for the device: silence, then the set's stream from frame `begin` on."""

    def __init__(self, rate: int, ahead_s: float = 1.5) -> None:
        self.rate = rate
        self.handed = 0  # device frames handed so far
        self.begin: int | None = None
        self.underruns = 0
        self.dropped = 0  # content frames skipped so far: device frame n plays n - begin + dropped
        self._render: Render | None = None
        self._generation = 0
        self._limit = max(1, round(ahead_s * rate / CHUNK_FRAMES))
        self._chunks: deque[bytes] = deque()
        self._head = b""  # a partly handed chunk
        self._next = 0  # next content frame the worker renders
        self._drop = 0  # content frames to discard (a resync)
        self._wake = threading.Condition()
        self._closed = False
        self._worker = threading.Thread(target=self._fill, name="pacer-sound", daemon=True)
        self._worker.start()

    def _fill(self) -> None:
        while True:
            with self._wake:
                while not self._closed and (
                    self._render is None or len(self._chunks) >= self._limit
                ):
                    self._wake.wait()
                if self._closed:
                    return
                render, generation, start = self._render, self._generation, self._next
                self._next += CHUNK_FRAMES
            assert render is not None
            chunk = to_pcm(render(start, start + CHUNK_FRAMES))
            with self._wake:
                if generation == self._generation:
                    self._chunks.append(chunk)
                    self._wake.notify_all()

    def play(self, render: Render) -> None:
        """A new set's sound: rendering starts now; it plays from `start_now` on."""
        with self._wake:
            self._render = render
            self._generation += 1
            self._chunks.clear()
            self._head = b""
            self._next = self._drop = self.dropped = 0
            self.begin = None
            self.underruns = 0
            self._wake.notify_all()

    def silence(self) -> None:
        """Between sets: the device keeps playing, silence."""
        with self._wake:
            self._render = None
            self._generation += 1
            self._chunks.clear()
            self._head = b""
            self.begin = None

    def ready(self, timeout_s: float) -> bool:
        """Wait until the worker has rendered as far ahead as it keeps; False on timeout."""
        with self._wake:
            return self._wake.wait_for(
                lambda: self._closed or self._render is None or len(self._chunks) >= self._limit,
                timeout_s,
            )

    def start_now(self) -> int:
        """The set's first frame goes to the device next; returns that device frame."""
        with self._wake:
            if self.begin is None:
                self.begin = self.handed
            return self.begin

    def skip(self, seconds: float) -> None:
        """Drop this much of the set's sound so it catches up with the picture."""
        with self._wake:
            frames = max(0, round(seconds * self.rate))
            self._drop += frames
            self.dropped += frames

    def _take(self, nbytes: int) -> bytes:
        """Up to nbytes of rendered content (caller holds the lock)."""
        out = bytearray()
        while len(out) < nbytes:
            if not self._head:
                if not self._chunks:
                    break
                self._head = self._chunks.popleft()
                self._wake.notify_all()
            if self._drop:
                cut = min(len(self._head), self._drop * BYTES_PER_FRAME)
                self._head = self._head[cut:]
                self._drop -= cut // BYTES_PER_FRAME
                continue
            part = self._head[: nbytes - len(out)]
            self._head = self._head[len(part) :]
            out += part
        return bytes(out)

    def read(self, nbytes: int) -> bytes:
        frames = max(0, nbytes // BYTES_PER_FRAME)
        with self._wake:
            if self.begin is None:
                data = bytes(frames * BYTES_PER_FRAME)
            else:
                data = self._take(frames * BYTES_PER_FRAME)
                if len(data) < frames * BYTES_PER_FRAME:
                    self.underruns += 1
                    missing = frames - len(data) // BYTES_PER_FRAME
                    self._drop += missing
                    self.dropped += missing
                    data += bytes(missing * BYTES_PER_FRAME)
            self.handed += frames
        return data

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        self._worker.join(timeout=1.0)
