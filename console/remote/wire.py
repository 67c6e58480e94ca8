"""What the console tells a client page about a set, as JSON the page's engine reads.

The page runs resources/remote/src/engine.js, the same formulas as console/pacer,
so it is sent what those formulas need and nothing about the client: the
speed as the decimal the therapist set (so turn times are exact on both
ends) and the passes the console counted (so a limit in seconds ends at the
same turn).
"""

from __future__ import annotations

import dataclasses

from console.pacer.motion import Motion
from console.pacer.settings import PacerSettings


def settings_message(settings: PacerSettings) -> dict[str, object]:
    fields = dataclasses.asdict(settings)
    fields["speed_hz"] = repr(settings.speed_hz)
    fields["passes"] = Motion(settings).passes
    return fields
