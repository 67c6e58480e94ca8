"""A short chime for the lock screen, made in memory and played through Qt Multimedia.

The tone is generated (two soft bell notes, under a second), so no sound file
has to ship or be written anywhere. With no sound device the chime is simply
not heard: `play()` says so and the lock screen's visual cue carries on alone.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtMultimedia import QAudio, QAudioSink, QMediaDevices

from console.pacer.ahead import to_pcm
from ui.pacer.audio import RATE, output_available, stereo_format

NOTES = ((880.0, 0.0), (660.0, 0.28))  # (Hz, start in s): a falling pair, as a doorbell
LENGTH_S = 0.9
VOLUME = 0.3


def chime_samples() -> np.ndarray:
    """Stereo float32 samples: each note a sine with a 5 ms rise and an exponential fade."""
    t = np.arange(round(LENGTH_S * RATE)) / RATE
    mono = np.zeros_like(t)
    for hz, start in NOTES:
        local = t - start
        on = local >= 0
        rise = np.clip(local / 0.005, 0, 1)
        mono += np.where(on, np.sin(2 * np.pi * hz * local) * rise * np.exp(-local * 6), 0)
    mono *= VOLUME / max(1e-9, float(np.abs(mono).max()))
    return np.repeat(mono[:, None], 2, axis=1).astype(np.float32)


class Chime(QObject):
    """Plays the chime on the default output; `played` counts the times the device took it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available, self.reason = output_available()
        self.played = 0
        self._pcm = QByteArray(to_pcm(chime_samples()))
        self._sink: QAudioSink | None = None
        self._buffer: QBuffer | None = None

    def play(self) -> bool:
        """Start the chime; False (and nothing else) when there is no device to play it."""
        if not self.available:
            return False
        fmt = stereo_format()
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull() or not device.isFormatSupported(fmt):
            self.available, self.reason = False, "the sound device cannot play the chime"
            return False
        self.stop()
        self._buffer = QBuffer(self)
        self._buffer.setData(self._pcm)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._sink = QAudioSink(device, fmt, self)
        self._sink.stateChanged.connect(self._on_state)
        self._sink.start(self._buffer)
        # Compared by name: PySide6 exposes this enum as both QAudio.Error and QtAudio.Error.
        if self._sink.error().name != "NoError":
            self.stop()
            return False
        self.played += 1
        return True

    def _on_state(self, state: QAudio.State) -> None:
        if state.name in ("IdleState", "StoppedState"):
            self.stop()

    def stop(self) -> None:
        if self._sink is not None:
            sink, self._sink = self._sink, None
            sink.stateChanged.disconnect(self._on_state)
            sink.stop()
            sink.deleteLater()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
