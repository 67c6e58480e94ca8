"""Scoring of the outcome measures: band edges, missing items, flags, change labels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.clinical import measures as m
from console.errors import ValidationError

ITEMISED = [k for k, d in m.MEASURES.items() if not d.total_only]


def answers_for(key: str, total: int) -> list[int | None]:
    """An answer vector with the given total, filled from the first item."""
    measure = m.MEASURES[key]
    out: list[int | None] = []
    left = total
    for _ in measure.items:
        take = min(left, measure.item_hi)
        out.append(take)
        left -= take
    assert left == 0
    return out


BAND_EDGES = [
    ("gad7", 0, "minimal"),
    ("gad7", 4, "minimal"),
    ("gad7", 5, "mild"),
    ("gad7", 9, "mild"),
    ("gad7", 10, "moderate"),
    ("gad7", 14, "moderate"),
    ("gad7", 15, "severe"),
    ("gad7", 21, "severe"),
    ("phq9", 0, "minimal"),
    ("phq9", 4, "minimal"),
    ("phq9", 5, "mild"),
    ("phq9", 9, "mild"),
    ("phq9", 10, "moderate"),
    ("phq9", 14, "moderate"),
    ("phq9", 15, "moderately severe"),
    ("phq9", 19, "moderately severe"),
    ("phq9", 20, "severe"),
    ("phq9", 27, "severe"),
    ("pcl5", 0, "below threshold"),
    ("pcl5", 31, "below threshold"),
    ("pcl5", 32, "below threshold"),
    ("pcl5", 33, "probable PTSD"),
    ("pcl5", 80, "probable PTSD"),
    ("oasis", 0, "below clinical threshold"),
    ("oasis", 7, "below clinical threshold"),
    ("oasis", 8, "clinically significant"),
    ("oasis", 20, "clinically significant"),
]


@pytest.mark.parametrize(("key", "total", "band"), BAND_EDGES)
def test_every_band_edge(key: str, total: int, band: str) -> None:
    answers = answers_for(key, total)
    if key == "phq9":
        # Keep item 9 at 0 unless the total needs it, so the edge is about bands.
        answers = sorted(answers, key=lambda a: a or 0, reverse=True)
    result = m.score(key, answers)
    assert result == m.Score(total, band, True, result.flags)


@pytest.mark.parametrize("key", ITEMISED)
def test_bands_cover_the_whole_range_without_gaps(key: str) -> None:
    measure = m.MEASURES[key]
    assert measure.bands[0].lo == measure.lo and measure.bands[-1].hi == measure.hi
    for before, after in zip(measure.bands, measure.bands[1:], strict=False):
        assert after.lo == before.hi + 1
    assert measure.hi == len(measure.items) * measure.item_hi


def test_item_counts_and_ranges() -> None:
    shape = {k: (len(d.items), d.item_hi, d.lo, d.hi) for k, d in m.MEASURES.items()}
    assert shape == {
        "gad7": (7, 3, 0, 21),
        "phq9": (9, 3, 0, 27),
        "pcl5": (20, 4, 0, 80),
        "oasis": (5, 4, 0, 20),
        "pdss": (0, 0, 0, 28),
        "spin": (0, 0, 0, 68),
    }


def test_every_item_has_wording_and_a_full_set_of_options() -> None:
    for key in ITEMISED:
        measure = m.MEASURES[key]
        assert measure.source and measure.instructions
        for item in measure.items:
            assert item.text.strip()
            values = [o.value for o in measure.item_options(item)]
            assert values == list(range(measure.item_lo, measure.item_hi + 1))


def test_sources_are_credited() -> None:
    assert "Pfizer" in m.GAD7.source and m.GAD7.source == m.PHQ9.source
    assert m.PCL5.source == "National Center for PTSD (public domain)"
    assert m.OASIS.source == "Norman et al., 2006 (free to use)"
    assert "In the past month, how much were you bothered by:" in m.PCL5.instructions
    assert "31" in m.PCL5.threshold_note


def test_copyrighted_measures_carry_no_item_text() -> None:
    for key in ("pdss", "spin"):
        assert m.MEASURES[key].total_only and not m.MEASURES[key].items


@pytest.mark.parametrize("key", ITEMISED)
@pytest.mark.parametrize("missing", [0, -1])
def test_a_missing_item_leaves_it_incomplete_and_unscored(key: str, missing: int) -> None:
    answers: list[int | None] = [0] * len(m.MEASURES[key].items)
    answers[missing] = None
    result = m.score(key, answers)
    assert result.total is None and not result.complete and result.band == ""


def test_a_missing_item_is_never_scored_as_zero() -> None:
    answers: list[int | None] = [3, 3, 3, 3, 3, 3, None]
    assert m.score("gad7", answers).total is None


@pytest.mark.parametrize("key", ITEMISED)
@pytest.mark.parametrize("bad", [-1, 99])
def test_an_out_of_range_item_is_refused_by_name(key: str, bad: int) -> None:
    measure = m.MEASURES[key]
    answers: list[int | None] = [0] * len(measure.items)
    answers[2] = measure.item_hi + 1 if bad > 0 else bad
    with pytest.raises(ValidationError) as err:
        m.score(key, answers)
    assert err.value.field == "item 3"


@pytest.mark.parametrize("bad", [1.5, "2", True])
def test_an_item_that_is_not_a_whole_number_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError, match="item 1"):
        m.score("gad7", [bad, 0, 0, 0, 0, 0, 0])  # type: ignore[list-item]


@pytest.mark.parametrize("length", [0, 6, 8])
def test_the_wrong_number_of_answers_is_refused(length: int) -> None:
    with pytest.raises(ValidationError, match="7 items"):
        m.score("gad7", [0] * length)


def test_an_unknown_measure_is_refused() -> None:
    with pytest.raises(ValidationError, match="measure"):
        m.score("bdi", [0])


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item_9_above_zero_is_flagged(item9: int) -> None:
    result = m.score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, item9])
    assert result.flags == (m.SELF_HARM_FLAG,)
    assert result.band == "minimal"  # a low total does not hide the flag


def test_phq9_item_9_flag_survives_an_incomplete_form() -> None:
    result = m.score("phq9", [None, 0, 0, 0, 0, 0, 0, 0, 1])
    assert not result.complete and result.flags == (m.SELF_HARM_FLAG,)


def test_phq9_item_9_at_zero_or_skipped_raises_no_flag() -> None:
    assert m.score("phq9", [3] * 8 + [0]).flags == ()
    assert m.score("phq9", [3] * 8 + [None]).flags == ()
    assert m.score("gad7", [3] * 7).flags == ()


@pytest.mark.parametrize(("key", "top"), [("pdss", 28), ("spin", 68)])
def test_clinician_totals_are_checked_against_the_range(key: str, top: int) -> None:
    assert m.score_total(key, 0) == m.Score(0, "", True)
    assert m.score_total(key, top).total == top
    for bad in (-1, top + 1):
        with pytest.raises(ValidationError, match="total"):
            m.score_total(key, bad)
    with pytest.raises(ValidationError):
        m.score(key, [1])


def test_itemised_measures_cannot_take_a_bare_total() -> None:
    with pytest.raises(ValidationError, match="total"):
        m.score_total("gad7", 10)


@pytest.mark.parametrize(
    ("key", "baseline", "latest", "label"),
    [
        ("gad7", 16, 12, "improvement"),
        ("gad7", 16, 13, "no change"),
        ("gad7", 16, 19, "no change"),
        ("gad7", 16, 20, "worsening"),
        ("gad7", 10, 10, "no change"),
        ("phq9", 20, 14, "improvement"),
        ("phq9", 20, 15, "no change"),
        ("phq9", 10, 15, "no change"),
        ("phq9", 10, 16, "worsening"),
        ("pcl5", 50, 40, "improvement"),
        ("pcl5", 50, 41, "no change"),
        ("pcl5", 40, 49, "no change"),
        ("pcl5", 40, 50, "worsening"),
        ("oasis", 12, 8, "improvement"),
        ("oasis", 12, 9, "no change"),
        ("oasis", 8, 12, "worsening"),
    ],
)
def test_change_labels_follow_reliable_change(
    key: str, baseline: int, latest: int, label: str
) -> None:
    assert m.change_label(key, baseline, latest) == label
    assert m.change_label(m.MEASURES[key], baseline, latest) == label


def test_no_change_label_without_a_reliable_change_figure() -> None:
    assert m.change_label("pdss", 20, 5) is None
    assert m.change_label("spin", 10, 60) is None


@st.composite
def answer_vectors(draw: st.DrawFn) -> tuple[str, list[int | None]]:
    key = draw(st.sampled_from(ITEMISED))
    measure = m.MEASURES[key]
    item = st.integers(measure.item_lo, measure.item_hi)
    answers = draw(
        st.lists(
            st.one_of(st.none(), item) if draw(st.booleans()) else item,
            min_size=len(measure.items),
            max_size=len(measure.items),
        )
    )
    return key, answers


@settings(max_examples=500, deadline=None)
@given(answer_vectors())
def test_total_is_the_sum_and_complete_means_no_gaps(vector: tuple[str, list[int | None]]) -> None:
    key, answers = vector
    result = m.score(key, answers)
    if None in answers:
        assert result.total is None and not result.complete
    else:
        assert result.complete
        assert result.total == sum(a for a in answers if a is not None)
        assert result.band == m.MEASURES[key].band(result.total)
    assert (m.SELF_HARM_FLAG in result.flags) == (key == "phq9" and (answers[8] or 0) > 0)


@settings(max_examples=300, deadline=None)
@given(answer_vectors(), st.integers(min_value=0), st.integers(min_value=0, max_value=4))
def test_raising_one_answer_never_lowers_the_band(
    vector: tuple[str, list[int | None]], index: int, bump: int
) -> None:
    key, answers = vector
    measure = m.MEASURES[key]
    complete = [0 if a is None else a for a in answers]
    i = index % len(complete)
    higher = list(complete)
    higher[i] = min(measure.item_hi, complete[i] + bump)
    labels = [b.label for b in measure.bands]
    before, after = m.score(key, complete), m.score(key, higher)
    assert after.total is not None and before.total is not None
    assert after.total >= before.total
    assert labels.index(after.band) >= labels.index(before.band)


@given(st.sampled_from(ITEMISED), st.integers(0, 80), st.integers(0, 80))
def test_change_label_is_antisymmetric(key: str, a: int, b: int) -> None:
    flip = {"improvement": "worsening", "worsening": "improvement", "no change": "no change"}
    forward = m.change_label(key, a, b)
    assert forward is not None
    assert m.change_label(key, b, a) == flip[forward]
