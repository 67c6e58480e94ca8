"""Which LED of a light bar is lit, so the window draws only what the cap allows.

The bar lights the LED under the stimulus's horizontal position. How many
LEDs it has is not the window's choice: it is the most that keeps every LED
within the photosensitivity cap at this speed and profile (see
`photosensitivity.light_bar_leds`); at the fastest speeds that is two halves
alternating.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from console.pacer.motion import Motion
from console.pacer.photosensitivity import light_bar_leds


@dataclass(frozen=True)
class LightBar:
    motion: Motion

    @cached_property
    def leds(self) -> int:
        return light_bar_leds(self.motion.settings.speed_hz, self.motion.x_progress)

    def lit(self, t: float) -> int:
        """Index of the lit LED at set time t, 0 at the left.

        While a set eases to the centre, the glide's changing speed could make
        an LED switch on again too soon after the last full pass lit it, so the
        side LED stays lit through the glide and the centre LED lights at rest.
        """
        motion = self.motion
        passes, duration = motion.passes, motion.duration_s
        if motion.settings.ending == "ease_to_centre" and passes and duration is not None:
            glide_start = motion.turn_time(passes - 1)
            if glide_start <= t < duration:
                t = glide_start
            elif t >= duration:
                t = duration
        x = motion.position(t)[0]
        leds = self.leds
        return min(leds - 1, max(0, math.floor((x + 1.0) / 2.0 * leds)))
