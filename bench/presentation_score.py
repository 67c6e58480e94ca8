"""Score one pacer run from what was measured outside the app: frames and recorded sound.

The ideal motion is fixed by the specification (centre W/2, reach 0.4·W − 24 px, left
end at set time 0, sinusoidal or constant profile); only the start time — the phase —
is fitted, because the set starts whenever the app gets round to showing its window.
Frequency is then the speed fitted to all presented frames against the monotonic
clock; turn times are each turn's own one-parameter fit over the half pass either
side of it, so they rest on many frames, not on the single frame nearest the extreme.

Targets: the brief states frequency (< 1e-4), position (≤ 2 px), width (48 ± 1),
blobs, long intervals (< 0.5 %) and CPU (< 10 %). Drift and last-turn lag are held to
what 1e-4 allows over their spans; the audio offset bound (±20 ms) is this bench's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from presentation_framebuffer import DOT_DIAMETER, FrameLog
from presentation_sound import Recording, find_tones

Array = npt.NDArray[Any]

FREQUENCY_REL_ERROR_MAX = 1e-4
POSITION_ERROR_PX_MAX = 2.0
WIDTH_TOLERANCE_PX = 1
LONG_INTERVAL_FACTOR = 1.5
LONG_INTERVAL_SHARE_MAX = 0.005
CPU_PERCENT_MAX = 10.0
AUDIO_OFFSET_MS_MAX = 20.0
TONE_S = 0.080
# A tone found above the threshold loses well under a millisecond at each ramp.
TONE_SHORT_S = 0.075
PHASE_WINDOW_S = 10.0
PRE_START_S_MAX = 3.0
# A frame this far from the fitted path is a wrong picture (a flash elsewhere), not
# timing jitter: it counts in the position errors and frames_off_path, not in the fits.
OFF_PATH_PX = 100.0


@dataclass(frozen=True)
class Motion:
    """The specified dot centre x over set time, and its derivative.

    Before set time 0 the dot waits at the left end and after the set's last turn it
    rests there, so frames shown before the motion starts are held to the start.
    """

    speed: float
    profile: str  # "sinusoidal" or "constant"
    centre: float
    reach: float
    duration: float  # the set's length: --seconds rounded up to the next turn

    @classmethod
    def on_screen(cls, width: int, speed: float, profile: str, seconds: float) -> Motion:
        passes = math.ceil(seconds * 2 * speed - 1e-9)
        reach = 0.4 * width - DOT_DIAMETER / 2
        return cls(speed, profile, width / 2, reach, passes / (2 * speed))

    def with_speed(self, speed: float) -> Motion:
        return Motion(speed, self.profile, self.centre, self.reach, self.duration)

    def x(self, t: Array) -> Array:
        u = np.mod(self.speed * np.clip(t, 0.0, self.duration), 1.0)
        if self.profile == "sinusoidal":
            return self.centre - self.reach * np.cos(2 * math.pi * u)
        return self.centre + self.reach * (1 - 4 * np.abs(u - 0.5))

    def dx(self, t: Array) -> Array:
        u = np.mod(self.speed * t, 1.0)
        moving = (t >= 0) & (t <= self.duration)
        if self.profile == "sinusoidal":
            rate = 2 * math.pi * self.speed * self.reach * np.sin(2 * math.pi * u)
        else:
            rate = 4 * self.speed * self.reach * np.sign(0.5 - u)
        return np.where(moving, rate, 0.0)


def fit_start(motion: Motion, t: Array, x: Array, low: float, high: float) -> float:
    """The set start t0 in [low, high] minimising Σ(x − ideal(t − t0))² over the frames on
    the path (see OFF_PATH_PX): a 0.5 ms grid, then Gauss–Newton."""
    grid = np.arange(low, high, 0.0005)
    costs = [float(np.sum(np.minimum((x - motion.x(t - t0)) ** 2, OFF_PATH_PX**2))) for t0 in grid]
    t0 = float(grid[int(np.argmin(costs))])
    for _ in range(20):
        residual = x - motion.x(t - t0)
        on_path = np.abs(residual) < OFF_PATH_PX
        slope = motion.dx(t - t0)[on_path]  # d(residual)/d(t0)
        denominator = float(slope @ slope)
        if denominator == 0:
            break
        step = -float(slope @ residual[on_path]) / denominator
        t0 += step
        if abs(step) < 1e-7:
            break
    return t0


def fit_start_and_speed(motion: Motion, t: Array, x: Array, t0: float) -> tuple[float, float]:
    """Start time and speed together (Gauss–Newton from the set speed), frames on the path."""
    speed = motion.speed
    for _ in range(30):
        trial = motion.with_speed(speed)
        since = t - t0
        residual = x - trial.x(since)
        on_path = np.abs(residual) < OFF_PATH_PX
        rate = trial.dx(since)  # d x / d(set time) at the set speed
        jacobian = np.column_stack((rate, -rate * since / speed))[on_path]
        step, *_ = np.linalg.lstsq(jacobian, -residual[on_path], rcond=None)
        t0 += float(step[0])
        speed += float(step[1])
        if abs(step[0]) < 1e-8 and abs(step[1]) < 1e-10:
            break
    return t0, speed


def set_frames(log: FrameLog, launched: float) -> Array:
    """Indices of the frames of the set: from the first dot after launch to the window's end."""
    after = np.flatnonzero((log.t > launched) & (log.shown > 0))
    with_dot = after[log.blobs[after] > 0]
    if with_dot.size == 0:
        return with_dot
    first = int(with_dot[0])
    ended = np.flatnonzero((np.arange(log.t.size) > first) & (log.shown == 0))
    last = int(ended[0]) if ended.size else log.t.size
    return after[(after >= first) & (after < last)]


def percentile(values: Array, q: float) -> float:
    return float(np.percentile(values, q)) if values.size else float("nan")


def score_frames(log: FrameLog, launched: float, motion: Motion) -> tuple[dict[str, Any], Array]:
    """Motion, geometry and timing figures, and the refined turn times (index = turn k)."""
    frames = set_frames(log, launched)
    if frames.size < 10:
        return {"frames": int(frames.size), "error": "too few frames with the dot"}, np.array([])
    dotted = frames[log.blobs[frames] > 0]
    t, x = log.t[dotted], log.centre[dotted]
    period = 1 / motion.speed
    # The window may show the waiting dot a while before the motion starts.
    t0 = fit_start(motion, t, x, float(t[0]) - period / 4, float(t[0]) + PRE_START_S_MAX)
    _, speed = fit_start_and_speed(motion, t, x, t0)
    # The sampler knows each frame's arrival only to within its read bracket, so the
    # error is the distance to the ideal path anywhere in that bracket: what remains
    # is the app's, not the sampler's. The error at the bracket's middle is kept too.
    ends = [
        motion.x(log.t_before[dotted] - t0),
        motion.x(t - t0),
        motion.x(log.t_after[dotted] - t0),
    ]
    low, high = np.minimum.reduce(ends), np.maximum.reduce(ends)
    error = np.maximum(0.0, np.maximum(low - x, x - high))
    at_middle = np.abs(x - ends[1])
    # The middle error as time, where the dot is fast enough for that to be well defined.
    rate = motion.dx(t - t0)
    fast = np.abs(rate) >= 0.5 * np.abs(rate).max()
    timing = at_middle[fast] / np.abs(rate[fast]) * 1000

    turns = refine_turns(motion, t, x, t0)
    last = len(turns) - 1
    lag = (turns[last] - (turns[0] + last / (2 * motion.speed))) * 1000 if last > 0 else np.nan
    end = t0 + motion.duration
    span = min(PHASE_WINDOW_S, motion.duration / 3)
    early, late = (t >= t0) & (t < t0 + span), (t > end - span) & (t <= end)
    drift = (
        fit_start(motion, t[late], x[late], t0 - 0.02, t0 + 0.02)
        - fit_start(motion, t[early], x[early], t0 - 0.02, t0 + 0.02)
    ) * 1000

    # Intervals count from the set's start, which the waiting frame already shows: the
    # wait before it is pre_start_ms, not a late frame.
    moving = log.t[frames][log.t[frames] > t0]
    widths = log.width[frames]
    wrong = (np.abs(widths - DOT_DIAMETER) > WIDTH_TOLERANCE_PX) | (log.blobs[frames] == 0)
    shown_for = np.append(np.diff(log.t[frames]), 0.0) * 1000  # the last: unknown
    intervals = np.diff(moving, prepend=t0) * 1000
    median = float(np.median(intervals))
    long_share = float(np.mean(intervals > LONG_INTERVAL_FACTOR * median))
    seconds = float(moving[-1] - t0)
    drift_max = FREQUENCY_REL_ERROR_MAX * max(seconds - span, 0) * 1000
    lag_max = FREQUENCY_REL_ERROR_MAX * seconds * 1000
    figures: dict[str, Any] = {
        "frames": int(frames.size),
        "pre_start_ms": round((t0 - float(t[0])) * 1000, 1),
        "first_frame_x": round(float(x[0]), 1),
        "last_frame_x": round(float(x[-1]), 1),
        "seconds_presented": round(seconds, 3),
        "turns": len(turns),
        "speed_fitted_hz": round(speed, 7),
        "frequency_rel_error": float(f"{abs(speed - motion.speed) / motion.speed:.3g}"),
        "drift_ms": round(float(drift), 3),
        "last_turn_lag_ms": round(float(lag), 3),
        "position_error_px_max": round(float(error.max()), 3),
        "position_error_px_p99": round(percentile(error, 99), 3),
        "position_error_px_p99_at_middle": round(percentile(at_middle, 99), 3),
        "position_bias_px": round(float(np.median(x - motion.x(t - t0))), 3),
        "frames_off_path": int((error >= OFF_PATH_PX).sum()),
        "position_error_as_time_ms_p99": round(percentile(timing, 99), 3),
        "travel_px": round(float(x.max() - x.min()), 2),
        "travel_px_specified": round(2 * motion.reach, 2),
        "width_px_min": int(widths.min()),
        "width_px_max": int(widths.max()),
        "frames_with_wrong_width": int(wrong.sum()),
        "frames_with_two_blobs": int((log.blobs[frames] >= 2).sum()),
        "two_blobs_ms_max": round(float(shown_for[log.blobs[frames] >= 2].max(initial=0)), 3),
        # How precisely the sampler dated the frames: half its read bracket.
        "frame_time_uncertainty_ms_p99": round(
            percentile((log.t_after[frames] - log.t_before[frames]) * 500, 99), 3
        ),
        "frame_interval_ms_p50": round(median, 3),
        "frame_interval_ms_p99": round(percentile(intervals, 99), 3),
        "frame_interval_ms_max": round(float(intervals.max()), 3),
        "long_interval_share": round(long_share, 5),
    }
    figures["target_met"] = {
        "frequency_rel_error": figures["frequency_rel_error"] < FREQUENCY_REL_ERROR_MAX,
        "drift_ms": bool(abs(drift) <= drift_max),
        "last_turn_lag_ms": bool(abs(lag) <= lag_max),
        "position_error_px_max": figures["position_error_px_max"] <= POSITION_ERROR_PX_MAX,
        "position_error_px_p99": figures["position_error_px_p99"] <= POSITION_ERROR_PX_MAX,
        "width_px": bool(
            abs(figures["width_px_min"] - DOT_DIAMETER) <= WIDTH_TOLERANCE_PX
            and abs(figures["width_px_max"] - DOT_DIAMETER) <= WIDTH_TOLERANCE_PX
        ),
        "frames_with_wrong_width": figures["frames_with_wrong_width"] == 0,
        "frames_with_two_blobs": figures["frames_with_two_blobs"] == 0,
        "long_interval_share": bool(long_share < LONG_INTERVAL_SHARE_MAX),
    }
    return figures, turns


def refine_turns(motion: Motion, t: Array, x: Array, t0: float) -> Array:
    """Each turn's time: turn k's own start-time fit on the frames within a quarter period.

    The first turn (k = 0, the set start) and the last have frames on one side only;
    the model's shape is fixed, so one side is enough.
    """
    quarter = 1 / (4 * motion.speed)
    count = round((t[-1] - t0) * 2 * motion.speed)
    turns = []
    for k in range(count + 1):
        due = t0 + k / (2 * motion.speed)
        near = np.abs(t - due) <= quarter
        if near.sum() < 4:
            break
        shifted = fit_start(motion, t[near], x[near], t0 - 0.01, t0 + 0.01)
        turns.append(shifted + k / (2 * motion.speed))
    return np.array(turns)


def score_sound(recording: Recording, turns: Array, sound: str) -> dict[str, Any]:
    """Each turn's tone (turn 0 is silent) against that turn's framebuffer time.

    A tone belongs to the turn nearest to it; it counts for that turn if it is in that
    side's channel, and as in the wrong channel if not (a left tone heard while the dot
    is at the right, whatever the app meant). A turn without its tone, a tone shorter
    than 75 ms or broken by silence, and a second tone at one turn are audio gaps.
    """
    tones = find_tones(recording.samples)
    figures: dict[str, Any] = {
        "tones_found": len(tones),
        "audio_clock_drift_ppm": round(recording.drift_ppm, 2),
        "audio_arrival_spread_ms": round(recording.arrival_spread_ms, 3),
    }
    if sound == "off":
        figures["target_met"] = {"silent": not tones}
        return figures
    onsets = np.array([float(recording.time_of(tone.onset)) for tone in tones])
    reach = float(np.median(np.diff(turns))) / 2 if turns.size > 1 else 0.0
    offsets, gaps, wrong, stray, matched = [], 0, 0, 0, set()
    for k in range(1, len(turns)):
        side = 0 if k % 2 == 0 else 1
        candidates = [
            i
            for i, tone in enumerate(tones)
            if tone.channel == side and abs(onsets[i] - turns[k]) < reach
        ]
        if not candidates:
            gaps += 1
            continue
        best = min(candidates, key=lambda i: abs(onsets[i] - turns[k]))
        matched.add(best)
        offsets.append((onsets[best] - turns[k]) * 1000)
        if tones[best].broken or tones[best].duration_s < TONE_SHORT_S:
            gaps += 1
    for i, tone in enumerate(tones):
        if i in matched:
            continue
        nearest = int(np.argmin(np.abs(turns - onsets[i]))) if turns.size else -1
        if nearest >= 1 and abs(turns[nearest] - onsets[i]) < reach:
            wrong += int(tone.channel != (0 if nearest % 2 == 0 else 1))
            # A second tone at a turn in the right channel is a broken tone, not a stray.
            gaps += int(tone.channel == (0 if nearest % 2 == 0 else 1))
        else:
            stray += 1
    spread = np.array(offsets)
    durations = [tone.duration_s * 1000 for i, tone in enumerate(tones) if i in matched]
    worst = float(spread[np.argmax(np.abs(spread))]) if spread.size else float("nan")
    figures.update(
        {
            "tones_expected": max(len(turns) - 1, 0),
            "audio_offset_ms_median": round(float(np.median(spread)), 3) if spread.size else None,
            "audio_offset_ms_worst": round(worst, 3) if spread.size else None,
            "audio_offset_ms_spread": round(float(np.ptp(spread)), 3) if spread.size else None,
            "tone_ms_min": round(min(durations), 2) if durations else None,
            "tones_in_wrong_channel": wrong,
            "tones_stray": stray,
            "audio_gaps": gaps,
        }
    )
    figures["target_met"] = {
        "audio_offset_ms_worst": bool(spread.size and abs(worst) <= AUDIO_OFFSET_MS_MAX),
        "tones_in_wrong_channel": wrong == 0,
        "audio_gaps": gaps == 0 and stray == 0,
    }
    return figures
