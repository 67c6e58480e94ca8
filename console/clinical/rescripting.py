"""Imagery rescripting (Arntz) as data (docs/clinical.md "Imagery rescripting")."""

from __future__ import annotations

from typing import Literal

WhoRescripts = Literal["therapist", "client", "adult_self"]
WHO_RESCRIPTS: tuple[WhoRescripts, ...] = ("therapist", "client", "adult_self")
WHO_RESCRIPTS_LABELS: dict[str, str] = {
    "therapist": "Therapist (early sessions)",
    "client": "Client",
    "adult_self": "Adult self entering the scene",
}
# No standard scale exists; a 0-10 SUD is used for distress before and after.
DISTRESS_MIN, DISTRESS_MAX = 0, 10
