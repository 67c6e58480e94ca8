"""The set's stereo sound, rendered for any sample range so the sink can pull it in chunks.

Each sample is a function of its index alone (the burst template is copied,
never accumulated), so rendering in chunks of any size gives the same bits as
rendering at once, and the audio device's play position can be the clock the
picture follows. A burst starts at sample round(event_time * rate), sounds only
in the ear of the side the stimulus reaches (or, at a midline crossing, is
heading to), and the other channel holds exact zeros. Bursts open and close
with raised-cosine ramps so they never click; every sample is taken at its
centre, so even the first sample of a burst is non-zero and onsets can be
found by looking for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from console.errors import ValidationError
from console.pacer.motion import Motion, Side, side_of_turn

TONE_S = 0.08
TONE_RAMP_S = 0.01
# A click: a few cycles of a high tone under a Hann window, short and deterministic.
CLICK_S = 0.003
CLICK_HZ = 2000.0
MIN_RATE, MAX_RATE = 8000, 192000


def sound_events(motion: Motion, t0: float, t1: float) -> list[tuple[float, Side]]:
    """The sounded events with t0 <= time < t1, in order, with the ear each belongs to.

    Sounds mark only where the stimulus really reaches a side or crosses the
    centre: the start is silent, and so is the glide of an eased ending.
    """
    s = motion.settings
    if s.sound == "off" or t1 <= t0:
        return []
    passes = motion.passes
    sounded = None if passes is None else passes - (s.ending == "ease_to_centre")
    first = max(0, math.floor(t0 * 2 * s.speed_hz) - 1)
    last = math.ceil(t1 * 2 * s.speed_hz) + 1
    events: list[tuple[float, Side]] = []
    for k in range(first, last + 1):
        if s.sound_at == "turn":
            if k < 1 or (sounded is not None and k > sounded):
                continue
            time, side = motion.turn_time(k), side_of_turn(k)
        else:
            if sounded is not None and k >= sounded:
                continue
            time, side = motion.midline_time(k), side_of_turn(k + 1)
        if t0 <= time < t1:
            events.append((time, side))
    return events


def onset_sample(event_time: float, rate: int) -> int:
    """The one rounding rule for onsets, shared by the renderer, tests and bench."""
    return round(event_time * rate)


def _raised_cosine(n: int, ramp: int) -> npt.NDArray[np.float64]:
    i = np.arange(n, dtype=np.float64)
    ends = np.minimum(i, n - 1 - i) + 0.5
    return np.where(ends < ramp, 0.5 * (1.0 - np.cos(np.pi * ends / ramp)), 1.0)


@dataclass
class AudioRenderer:
    """Renders the stereo stream of one set; one renderer per set and sample rate."""

    motion: Motion
    _templates: dict[int, npt.NDArray[np.float64]] = field(default_factory=dict, repr=False)

    def _burst(self, rate: int) -> npt.NDArray[np.float64]:
        template = self._templates.get(rate)
        if template is None:
            s = self.motion.settings
            if s.sound == "click":
                n = round(CLICK_S * rate)
                envelope, hz = _raised_cosine(n, n // 2), CLICK_HZ
            else:
                n = round(TONE_S * rate)
                envelope, hz = _raised_cosine(n, round(TONE_RAMP_S * rate)), s.tone_hz
            centres = (np.arange(n, dtype=np.float64) + 0.5) / rate
            template = s.volume * envelope * np.sin(2.0 * np.pi * hz * centres)
            self._templates[rate] = template
        return template

    def render(self, n0: int, n1: int, sample_rate: int) -> npt.NDArray[np.float32]:
        """Samples [n0, n1) of the set's stream, columns left and right."""
        if not MIN_RATE <= sample_rate <= MAX_RATE:
            raise ValidationError("sample_rate", f"must be between {MIN_RATE} and {MAX_RATE}")
        if not 0 <= n0 <= n1:
            raise ValidationError("n0", "sample range must satisfy 0 <= n0 <= n1")
        out = np.zeros((n1 - n0, 2), dtype=np.float32)
        if self.motion.settings.sound == "off":
            return out
        burst = self._burst(sample_rate)
        # Whole bursts that overlap the range started at most one burst before it.
        t0 = (n0 - len(burst) - 1) / sample_rate
        t1 = (n1 + 1) / sample_rate
        for time, side in sound_events(self.motion, t0, t1):
            onset = onset_sample(time, sample_rate)
            lo, hi = max(n0, onset), min(n1, onset + len(burst))
            if lo < hi:
                channel = 0 if side == "left" else 1
                out[lo - n0 : hi - n0, channel] = burst[lo - onset : hi - onset]
        return out
