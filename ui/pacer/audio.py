"""Stereo sound for the pacer through Qt Multimedia, pulled from the engine's renderer.

The engine renders any sample range; this device hands the sink the next
range whenever it asks, so sound is exact to the sample and never drifts from
the picture: the picture's clock is read back from how much the device has
played (audio-master sync, as media players do).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QIODevice, QObject
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

Renderer = Callable[[int, int], np.ndarray]
RATE = 48_000
BYTES_PER_FRAME = 4  # stereo int16


class _Stream(QIODevice):
    def __init__(self, render: Renderer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.render = render
        self.position = 0

    def readData(self, maxlen: int) -> bytes:
        frames = max(0, maxlen // BYTES_PER_FRAME)
        if frames == 0:
            return b""
        chunk = self.render(self.position, self.position + frames)
        self.position += frames
        pcm = np.clip(np.asarray(chunk, dtype=np.float32), -1.0, 1.0)
        return (pcm * 32767.0).astype("<i2").tobytes()

    def writeData(self, _data: bytes) -> int:
        return -1

    def bytesAvailable(self) -> int:
        return 1 << 20

    def isSequential(self) -> bool:
        return True


def output_available() -> tuple[bool, str]:
    """Whether a sound device exists; without one the visual pacer still works."""
    try:
        device = QMediaDevices.defaultAudioOutput()
    except RuntimeError:
        return False, "Qt Multimedia could not start"
    if device.isNull():
        return False, "no sound output device was found on this computer"
    return True, ""


class AudioOutput(QObject):
    """Plays the set's stereo stream; `played_seconds` is the clock the picture follows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sink: QAudioSink | None = None
        self._stream: _Stream | None = None
        self.available, self.reason = output_available()

    def start(self, render: Renderer) -> bool:
        self.stop()
        if not self.available:
            return False
        fmt = QAudioFormat()
        fmt.setSampleRate(RATE)
        fmt.setChannelCount(2)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        device = QMediaDevices.defaultAudioOutput()
        if not device.isFormatSupported(fmt):
            self.available, self.reason = False, "the sound device cannot play 48 kHz stereo"
            return False
        self._sink = QAudioSink(device, fmt, self)
        self._stream = _Stream(render, self)
        self._stream.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink.start(self._stream)
        # Compared by name: PySide6 exposes this enum as both QAudio.Error and QtAudio.Error.
        if self._sink.error().name not in ("NoError", "UnderrunError"):
            self.stop()
            self.available, self.reason = False, "the sound device refused to start"
            return False
        return True

    def played_seconds(self) -> float | None:
        """Seconds of the stream that have reached the speaker, or None without sound."""
        if self._sink is None:
            return None
        return self._sink.processedUSecs() / 1e6

    def stop(self) -> None:
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._stream is not None:
            self._stream.close()
            self._stream = None
