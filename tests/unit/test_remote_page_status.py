"""What the therapist is told about the client's page: its reports are the client's device's,
so a hostile or broken one changes nothing it should not."""

from __future__ import annotations

import math

import pytest

from console.remote.share import PageStatus, status_from
from ui.pacer.share_dialog import status_words


@pytest.mark.parametrize("hostile", [-1, 5, 1e300, math.nan, math.inf, "2", True, None, [2]])
def test_a_count_of_controllers_out_of_reason_is_taken_as_none(hostile: object) -> None:
    status = status_from({"controllers": hostile, "tapped": True}, 1.0, PageStatus())
    assert status.controllers == 0
    assert "controller" not in status_words(status)


@pytest.mark.parametrize(
    ("pads", "words"), [(1, "vibrating 1 game controller,"), (2, "vibrating 2 game controllers,")]
)
def test_the_therapist_reads_how_many_controllers_vibrate(pads: int, words: str) -> None:
    status = status_from(
        {"controllers": pads, "tapped": True, "uncertainty": 0.002}, 1.0, PageStatus()
    )
    assert words in status_words(status)
