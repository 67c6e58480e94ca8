"""Stereo sound for the pacer through Qt Multimedia, fed from a stream rendered ahead.

The device pulls bytes from `console.pacer.ahead.AheadStream`, which a
worker thread keeps filled, so a busy GUI thread cannot starve the sound. The
device's own position (`processedUSecs`) is read only as an observation for
the picture's clock, which slews towards it (`console.pacer.sync`).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QIODevice, QObject
from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSink, QMediaDevices

from console.pacer.ahead import BYTES_PER_FRAME, AheadStream, Render

RATE = 48_000
# Enough queued at the device to ride out a GUI thread held up for a third of a second.
BUFFER_S = 0.35


def stereo_format() -> QAudioFormat:
    """The one format the app plays in: 48 kHz, stereo, 16-bit (the pacer and the chime)."""
    fmt = QAudioFormat()
    fmt.setSampleRate(RATE)
    fmt.setChannelCount(2)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return fmt


class _Device(QIODevice):
    def __init__(self, stream: AheadStream, parent: QObject) -> None:
        super().__init__(parent)
        self.stream = stream

    def readData(self, maxlen: int) -> bytes:
        return self.stream.read(maxlen)

    def writeData(self, _data: bytes | bytearray | memoryview, _size: int, /) -> int:
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
    """One open device for the pacer's life; each set's stream plays through it in turn."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sink: QAudioSink | None = None
        self._device: _Device | None = None
        self.stream: AheadStream | None = None
        self.device_underruns = 0
        self.available, self.reason = output_available()

    def start(self, render: Render) -> bool:
        """Play a set's stream; the device is opened once and then kept open."""
        if self.stream is not None and self._sink is not None and self._sink_healthy():
            self.stream.play(render)
            self.stream.ready(0.5)
            return True
        self.stop()
        if not self.available:
            return False
        fmt = stereo_format()
        device = QMediaDevices.defaultAudioOutput()
        if not device.isFormatSupported(fmt):
            self.available, self.reason = False, "the sound device cannot play 48 kHz stereo"
            return False
        self.stream = AheadStream(RATE)
        self.stream.play(render)
        self.stream.ready(0.5)
        self._sink = QAudioSink(device, fmt, self)
        self._sink.setBufferSize(round(BUFFER_S * RATE) * BYTES_PER_FRAME)
        self._sink.stateChanged.connect(self._on_state)
        self._device = _Device(self.stream, self)
        self._device.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink.start(self._device)
        # Compared by name: PySide6 exposes this enum as both QAudio.Error and QtAudio.Error.
        if self._sink.error().name not in ("NoError", "UnderrunError"):
            self.stop()
            self.available, self.reason = False, "the sound device refused to start"
            return False
        return True

    def warm(self) -> None:
        """Open the device now, playing silence, so the first set need not wait for it."""
        if self.stream is None and self.available:
            self.start(lambda n0, n1: np.zeros((n1 - n0, 2), dtype=np.float32))
            self.silence()

    def _sink_healthy(self) -> bool:
        return self._sink is not None and self._sink.error().name in ("NoError", "UnderrunError")

    def silence(self) -> None:
        """The set's sound ends; the device stays open, ready for the next set."""
        if self.stream is not None:
            self.stream.silence()

    def _on_state(self, state: QAudio.State) -> None:
        if state.name == "IdleState" and self.stream is not None and self.stream.begin is not None:
            self.device_underruns += 1

    @property
    def underruns(self) -> int:
        return self.device_underruns + (self.stream.underruns if self.stream else 0)

    def device_frames(self) -> int | None:
        """Frames the device has taken from the stream, or None without sound."""
        if self._sink is None:
            return None
        return round(self._sink.processedUSecs() * RATE / 1_000_000)

    def stop(self) -> None:
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = None
        if self._device is not None:
            self._device.close()
            self._device = None
        if self.stream is not None:
            self.stream.close()
            self.stream = None
