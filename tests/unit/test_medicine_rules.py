"""Medicine-session rules: screening, medications, dose, vitals, flags, reminders, discharge."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.clinical import medicine as m
from console.errors import ValidationError

DOSE_AT = datetime(2026, 3, 4, 10, 0)
ALL_NO = dict.fromkeys(m.CONTRAINDICATION_KEYS, "no")


def at(minutes: float) -> datetime:
    return DOSE_AT + timedelta(minutes=minutes)


def reading(**overrides: float | None) -> m.VitalsReading:
    values: dict[str, float | None] = {
        "systolic": 120,
        "diastolic": 80,
        "heart_rate": 70,
        "spo2": 98,
        "respiratory_rate": 14,
    }
    values.update(overrides)
    return m.validate_vitals(**values)


# --------------------------------------------------------------------------- screening


def test_checklist_is_clinical_md_in_order() -> None:
    assert [i.label for i in m.CONTRAINDICATIONS] == [
        "Uncontrolled hypertension",
        "Heart disease or arrhythmia",
        "Pregnancy",
        "Psychotic or dissociative disorder, or family history of psychosis",
        "Current mania",
        "Active substance use disorder",
        "Concurrent opioids",
        "Uncontrolled hyperthyroidism",
        "Raised intracranial pressure",
        "Liver disease",
        "Bladder problems/cystitis",
        "Ketamine allergy",
        "Acute suicide risk",
    ]
    assert len(set(m.CONTRAINDICATION_KEYS)) == len(m.CONTRAINDICATION_KEYS)
    assert all(re.fullmatch(r"[a-z_]+", k) for k in m.CONTRAINDICATION_KEYS)


def test_all_no_with_consent_and_instructions_is_cleared() -> None:
    state = m.screening_state(ALL_NO, True, True, None)
    assert state.status == "cleared"
    assert state.cleared and state.may_start
    assert not state.blocked and not state.overridden
    assert state.blocking == ()
    assert state.summary == "Cleared"
    assert state.override_reason is None


def test_yes_and_unknown_block_and_are_counted() -> None:
    answers = ALL_NO | {"pregnancy": "yes", "mania": "yes", "liver_disease": "unknown"}
    state = m.screening_state(answers, True, True, None)
    assert state.blocked and not state.may_start
    assert state.blocking == ("pregnancy", "mania", "liver_disease")  # checklist order
    assert state.yes == ("pregnancy", "mania")
    assert state.unknown == ("liver_disease",)
    assert state.summary == "Blocked: 2 items yes, 1 unknown"


def test_one_yes_is_singular() -> None:
    state = m.screening_state(ALL_NO | {"bladder": "yes"}, True, True, None)
    assert state.summary == "Blocked: 1 item yes"


def test_unanswered_items_block() -> None:
    answers = dict(ALL_NO)
    del answers["suicide_risk"]
    answers["ketamine_allergy"] = "  "
    state = m.screening_state(answers, True, True, None)
    assert state.blocked
    assert state.unanswered == ("ketamine_allergy", "suicide_risk")
    assert state.summary == "Blocked: 2 unanswered"
    assert m.screening_state({}, True, True, None).unanswered == m.CONTRAINDICATION_KEYS


@pytest.mark.parametrize(
    ("consent", "instructions", "summary"),
    [
        (False, True, "Blocked: no consent"),
        (True, False, "Blocked: instructions not acknowledged"),
        (False, False, "Blocked: no consent, instructions not acknowledged"),
    ],
)
def test_consent_and_instructions_are_required(
    consent: bool, instructions: bool, summary: str
) -> None:
    state = m.screening_state(ALL_NO, consent, instructions, None)
    assert state.blocked
    assert state.blocking == ()
    assert state.summary == summary


def test_override_with_reason_lets_the_session_start() -> None:
    answers = ALL_NO | {"uncontrolled_hypertension": "yes", "heart_disease": "unknown"}
    state = m.screening_state(answers, True, True, "  Cardiologist cleared, letter on file ")
    assert state.overridden and state.may_start
    assert state.override_reason == "Cardiologist cleared, letter on file"
    assert state.blocking == ("uncontrolled_hypertension", "heart_disease")
    assert state.summary == "Overridden: 2 items"
    one = m.screening_state(ALL_NO | {"pregnancy": "unknown"}, True, True, "test negative")
    assert one.summary == "Overridden: 1 item"


@pytest.mark.parametrize("reason", [None, "", "   \n\t"])
def test_override_needs_a_reason(reason: str | None) -> None:
    state = m.screening_state(ALL_NO | {"mania": "yes"}, True, True, reason)
    assert state.blocked and not state.may_start
    assert state.override_reason is None


def test_override_does_not_replace_consent_or_instructions() -> None:
    answers = ALL_NO | {"mania": "yes"}
    assert m.screening_state(answers, False, True, "reason").blocked
    assert m.screening_state(answers, True, False, "reason").blocked


def test_only_blocking_items_can_be_overridden() -> None:
    assert m.screening_state(ALL_NO | {"mania": "yes"}, True, True, None).can_be_overridden
    assert not m.screening_state(ALL_NO, True, True, None).can_be_overridden
    assert not m.screening_state(ALL_NO, False, True, None).can_be_overridden, "consent is not"


def test_reason_without_anything_blocking_is_just_cleared() -> None:
    state = m.screening_state(ALL_NO, True, True, "not needed")
    assert state.cleared
    assert state.override_reason is None


def test_answers_are_case_blind_and_other_values_refused() -> None:
    answers = ALL_NO | {"pregnancy": " YES ", "mania": "Unknown", "bladder": "No"}
    state = m.screening_state(answers, True, True, None)
    assert state.yes == ("pregnancy",)
    assert state.unknown == ("mania",)
    with pytest.raises(ValidationError) as info:
        m.screening_state(ALL_NO | {"pregnancy": "maybe"}, True, True, None)
    assert info.value.field == "Pregnancy"
    assert "yes, no or unknown" in info.value.reason


def test_keys_not_on_the_checklist_are_ignored() -> None:
    state = m.screening_state(ALL_NO | {"retired_item": "yes"}, True, True, None)
    assert state.cleared


def test_preparation_items_are_listed() -> None:
    assert [i.key for i in m.PREPARATION] == ["consent", "fasting", "ride_home"]


# --------------------------------------------------------------------------- medications


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lorazepam 1 mg prn", ("Benzodiazepine (lorazepam)",)),
        ("ATIVAN at night", ("Benzodiazepine (lorazepam)",)),
        ("Xanax", ("Benzodiazepine (alprazolam)",)),
        ("klonopin 0.5mg", ("Benzodiazepine (clonazepam)",)),
        ("Valium", ("Benzodiazepine (diazepam)",)),
        ("temazepam; midazolam", ("Benzodiazepine (temazepam)", "Benzodiazepine (midazolam)")),
        (
            "chlordiazepoxide, oxazepam",
            ("Benzodiazepine (chlordiazepoxide)", "Benzodiazepine (oxazepam)"),
        ),
        ("oxycodone10mg", ("Opioid (oxycodone)",)),
        ("Percocet", ("Opioid (oxycodone)",)),
        ("tramadol 50", ("Opioid (tramadol)",)),
        ("morphine / MS  Contin", ("Opioid (morphine)",)),
        ("Suboxone film", ("Opioid (buprenorphine)",)),
        ("fentanyl patch", ("Opioid (fentanyl)",)),
        ("codeine", ("Opioid (codeine)",)),
        (
            "methadone, hydrocodone, hydromorphone, tapentadol",
            (
                "Opioid (methadone)",
                "Opioid (hydrocodone)",
                "Opioid (hydromorphone)",
                "Opioid (tapentadol)",
            ),
        ),
        ("Lamictal 200 mg", ("Lamotrigine",)),
        ("lamotrigine", ("Lamotrigine",)),
        ("Nardil", ("MAOI (phenelzine)",)),
        ("parnate", ("MAOI (tranylcypromine)",)),
        ("Marplan", ("MAOI (isocarboxazid)",)),
        ("Emsam patch", ("MAOI (selegiline)",)),
        ("moclobemide; rasagiline", ("MAOI (moclobemide)", "MAOI (rasagiline)")),
        ("linezolid course last week", ("MAOI (linezolid)",)),
    ],
)
def test_interacting_medications_found(text: str, expected: tuple[str, ...]) -> None:
    assert m.interacting_medications(text) == expected


def test_medications_are_reported_once_in_order_of_mention() -> None:
    text = "Lamictal; Ativan (lorazepam) nightly; tramadol; lorazepam again; Nardil"
    assert m.interacting_medications(text) == (
        "Lamotrigine",
        "Benzodiazepine (lorazepam)",
        "Opioid (tramadol)",
        "MAOI (phenelzine)",
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "sertraline 100 mg, propranolol 10 mg prn",
        "dihydrocodeinex",  # not a word on its own
        "Nardilx",
        "he is well versed in DBT",  # midazolam's brand 'Versed' is left out on purpose
        "zolpidem at night",  # a Z-drug, not a benzodiazepine
        "naltrexone",  # an opioid antagonist
    ],
)
def test_no_interacting_medication(text: str) -> None:
    assert m.interacting_medications(text) == ()


def test_codeine_is_not_found_inside_dihydrocodeine() -> None:
    assert m.interacting_medications("dihydrocodeine 30 mg") == ("Opioid (dihydrocodeine)",)


def test_negation_is_not_read_so_no_benzos_is_still_flagged() -> None:
    # Documented choice: any mention is flagged for the clinician to confirm.
    assert m.interacting_medications("no benzos") == ("Benzodiazepine (unspecified)",)
    assert m.interacting_medications("stopped oxycodone in May") == ("Opioid (oxycodone)",)
    assert m.interacting_medications("denies opioids") == ("Opioid (unspecified)",)
    assert m.interacting_medications("never had an MAOI") == ("MAOI (unspecified)",)


def test_class_word_is_dropped_when_a_named_medicine_of_the_class_is_found() -> None:
    assert m.interacting_medications("benzos: diazepam") == ("Benzodiazepine (diazepam)",)
    assert m.interacting_medications("opiates; Xanax") == (
        "Opioid (unspecified)",
        "Benzodiazepine (alprazolam)",
    )


def test_unicode_text_is_folded() -> None:
    assert m.interacting_medications("VALÍUM") == ("Benzodiazepine (diazepam)",)
    assert m.interacting_medications("Ｘａｎａｘ") == ("Benzodiazepine (alprazolam)",)
    assert m.interacting_medications("Zoë takes LORAZEPAM") == ("Benzodiazepine (lorazepam)",)
    assert m.interacting_medications("\ud800 ß ﬁ \x00 🙂") == ()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_safe(text: str) -> None:
    found = m.interacting_medications(text)
    assert isinstance(found, tuple)
    assert len(set(found)) == len(found)
    assert all(f.split(" ")[0] in m.INTERACTION_CLASSES.values() for f in found)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Ll", "Lu", "Zs", "Nd", "Po"])), st.text())
def test_a_name_is_found_in_any_surrounding(prefix: str, suffix: str) -> None:
    text = f"{prefix} lorazepam {suffix}"
    assert "Benzodiazepine (lorazepam)" in m.interacting_medications(text)


# --------------------------------------------------------------------------- routes


def test_routes() -> None:
    assert m.ROUTE_KEYS == ("sublingual", "intramuscular", "intravenous", "oral", "intranasal")
    assert set(m.ROUTE_HINTS) == set(m.ROUTE_KEYS)
    assert m.validate_route("oral") == "oral"
    with pytest.raises(ValidationError, match="Route"):
        m.validate_route("rectal")


# --------------------------------------------------------------------------- dose


def test_mg_per_kg_rounds_to_two_decimals() -> None:
    assert m.mg_per_kg(100, 70) == 1.43
    assert m.mg_per_kg(50, 100) == 0.5
    assert m.mg_per_kg(35.5, 71) == 0.5


@pytest.mark.parametrize(("dose", "weight"), [(100, None), (None, 70), (None, None)])
def test_mg_per_kg_is_none_not_zero_without_weight_or_dose(
    dose: float | None, weight: float | None
) -> None:
    assert m.mg_per_kg(dose, weight) is None


@pytest.mark.parametrize("dose", [0, -1, 1000.01, math.nan, math.inf, True])
def test_bad_dose_is_refused(dose: float) -> None:
    with pytest.raises(ValidationError) as info:
        m.validate_dose_mg(dose)
    assert info.value.field == "Dose"
    with pytest.raises(ValidationError):
        m.mg_per_kg(dose, 70)


@pytest.mark.parametrize("dose", [0.01, 1, 400, 1000])
def test_dose_in_range(dose: float) -> None:
    assert m.validate_dose_mg(dose) == dose


@pytest.mark.parametrize("weight", [19.99, 350.01, 0, -70, math.nan])
def test_bad_weight_is_refused(weight: float) -> None:
    with pytest.raises(ValidationError) as info:
        m.validate_weight_kg(weight)
    assert info.value.field == "Weight"
    with pytest.raises(ValidationError):
        m.mg_per_kg(100, weight)


@pytest.mark.parametrize("weight", [20, 70.5, 350])
def test_weight_in_range(weight: float) -> None:
    assert m.validate_weight_kg(weight) == weight


@settings(max_examples=300)
@given(
    st.floats(min_value=0.01, max_value=m.MAX_DOSE_MG),
    st.floats(min_value=m.WEIGHT_MIN_KG, max_value=m.WEIGHT_MAX_KG),
)
def test_mg_per_kg_property(dose: float, weight: float) -> None:
    value = m.mg_per_kg(dose, weight)
    assert value is not None
    assert value >= 0
    assert abs(value - dose / weight) <= 0.005 + 1e-9
    assert value == round(value, 2)
    assert value <= m.MAX_DOSE_MG / m.WEIGHT_MIN_KG


def test_doses_first_only_or_both_in_order() -> None:
    m.validate_doses(None, None)
    m.validate_doses(200, None)  # planned, not yet given
    m.validate_doses(200, at(0))
    m.validate_doses(200, at(0), 100, at(40))
    m.validate_doses(200, at(0), 100, at(0))  # same minute is allowed
    m.validate_doses(200, at(0), 100, None)  # top-up planned


def test_second_dose_needs_a_first() -> None:
    with pytest.raises(ValidationError, match="needs a first dose"):
        m.validate_doses(None, None, 100, at(40))
    with pytest.raises(ValidationError, match="needs a first dose"):
        m.validate_doses(None, None, 100, None)
    with pytest.raises(ValidationError, match="time of the first dose"):
        m.validate_doses(200, None, 100, at(40))


def test_second_dose_not_before_the_first() -> None:
    with pytest.raises(ValidationError) as info:
        m.validate_doses(200, at(0), 100, at(-1))
    assert info.value.field == "Second dose"
    assert "09:59 is before the first dose at 10:00" in info.value.reason


def test_second_dose_amount_is_checked() -> None:
    with pytest.raises(ValidationError) as info:
        m.validate_doses(200, at(0), 0, at(30))
    assert info.value.field == "Second dose"


# --------------------------------------------------------------------------- vitals

RANGE_EDGES = [
    ("systolic", 40, 300),
    ("diastolic", 20, 200),
    ("heart_rate", 20, 250),
    ("spo2", 50, 100),
    ("respiratory_rate", 4, 60),
]
# Companion values that keep diastolic below systolic at every edge.
COMPANION: dict[str, dict[str, float | None]] = {
    "systolic": {"diastolic": 30},
    "diastolic": {"systolic": 300},
}


@pytest.mark.parametrize(("name", "lo", "hi"), RANGE_EDGES)
def test_vital_range_edges(name: str, lo: float, hi: float) -> None:
    base = COMPANION.get(name, {})
    for ok in (lo, hi):
        assert getattr(reading(**base, **{name: ok}), name) == ok
    label = m.VITAL_LABELS[name]
    for bad in (lo - 1, hi + 1, lo - 0.1, hi + 0.1):
        with pytest.raises(ValidationError) as info:
            reading(**base, **{name: bad})
        assert info.value.field == label
        assert "out of range" in info.value.reason


def test_diastolic_must_be_below_systolic() -> None:
    assert reading(systolic=120, diastolic=119).diastolic == 119
    for diastolic in (120, 121):
        with pytest.raises(ValidationError) as info:
            reading(systolic=120, diastolic=diastolic)
        assert info.value.field == "Diastolic"
        assert "below systolic 120" in info.value.reason


@pytest.mark.parametrize("name", ["systolic", "diastolic", "heart_rate", "spo2"])
def test_required_vitals(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        reading(**{name: None})
    assert info.value.field == m.VITAL_LABELS[name]
    assert info.value.reason == "is required"


def test_respiratory_rate_is_optional() -> None:
    assert reading(respiratory_rate=None).respiratory_rate is None


@pytest.mark.parametrize("bad", [math.nan, math.inf, True])
def test_vitals_must_be_finite_numbers(bad: float) -> None:
    with pytest.raises(ValidationError, match="Heart rate"):
        reading(heart_rate=bad)


def test_constructing_a_reading_validates_it() -> None:
    with pytest.raises(ValidationError, match="SpO2"):
        m.VitalsReading(120, 80, 70, 101)


@settings(max_examples=300)
@given(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
)
def test_vitals_either_valid_or_a_validation_error(
    systolic: float, diastolic: float, heart_rate: float, spo2: float
) -> None:
    try:
        r = m.validate_vitals(systolic, diastolic, heart_rate, spo2)
    except ValidationError as error:
        assert error.field in m.VITAL_LABELS.values()
        return
    assert 20 <= r.diastolic < r.systolic <= 300
    assert r.diastolic <= 200
    assert 20 <= r.heart_rate <= 250
    assert 50 <= r.spo2 <= 100


def test_reading_time_during_the_session() -> None:
    m.validate_reading_time(at(0), DOSE_AT)
    m.validate_reading_time(at(15), DOSE_AT)
    with pytest.raises(ValidationError) as info:
        m.validate_reading_time(at(-1), DOSE_AT)
    assert info.value.field == "Reading time"
    assert "09:59 is before the dose at 10:00" in info.value.reason
    with pytest.raises(ValidationError, match="no dose time"):
        m.validate_reading_time(at(5), None)


def test_pre_dose_reading_time() -> None:
    m.validate_reading_time(at(-10), DOSE_AT, pre_dose=True)
    m.validate_reading_time(at(0), DOSE_AT, pre_dose=True)
    m.validate_reading_time(at(-10), None, pre_dose=True)
    with pytest.raises(ValidationError, match="after the dose"):
        m.validate_reading_time(at(1), DOSE_AT, pre_dose=True)


def test_a_baseline_in_the_minute_of_the_dose_is_before_it() -> None:
    """Times are written to the minute: a baseline taken seconds before "Time given now"."""
    m.validate_reading_time(at(0.5), DOSE_AT, pre_dose=True)
    assert not m.pre_dose_after(at(0.9), DOSE_AT)
    assert m.pre_dose_after(at(1), DOSE_AT)


def test_minutes_since_dose() -> None:
    assert m.minutes_since_dose(at(15), DOSE_AT) == 15
    assert m.minutes_since_dose(at(-5), DOSE_AT) == -5
    assert m.minutes_since_dose(at(2.5), DOSE_AT) == 2.5
    assert m.minutes_since_dose(at(5), None) is None


# --------------------------------------------------------------------------- thresholds


def fields_flagged(r: m.VitalsReading, minutes: float | None) -> dict[str, str]:
    return {f.field: f.level for f in m.flags(r, minutes)}


def test_normal_reading_raises_no_flag() -> None:
    assert m.flags(reading(), None) == ()
    assert m.flags(reading(), 30) == ()


def test_hold_messages() -> None:
    (flag,) = m.flags(reading(systolic=182), None)
    assert flag == m.Flag("systolic", "hold", "Systolic 182 ≥ 180: hold dose")
    (flag,) = m.flags(reading(diastolic=110), -5)
    assert flag == m.Flag("diastolic", "hold", "Diastolic 110 ≥ 110: hold dose")


# (field, value just inside the flag, value just outside, minutes since dose, level)
FLAG_EDGES = [
    ("systolic", 180, 179, None, "hold"),
    ("diastolic", 110, 109, None, "hold"),
    ("systolic", 160, 159, 0, "alert"),
    ("diastolic", 100, 99, 30, "alert"),
    ("systolic", 90, 91, None, "alert"),
    ("systolic", 90, 91, 30, "alert"),
    ("heart_rate", 120, 119, None, "alert"),
    ("heart_rate", 120, 119, 30, "alert"),
    ("heart_rate", 50, 51, 30, "alert"),
    ("heart_rate", 50, 51, None, "alert"),
    ("spo2", 92, 93, None, "alert"),
    ("spo2", 92, 93, 30, "alert"),
    ("respiratory_rate", 8, 9, 30, "alert"),
    ("respiratory_rate", 8, 9, None, "alert"),
    ("respiratory_rate", 24, 23, 30, "alert"),
    ("respiratory_rate", 24, 23, None, "alert"),
]


@pytest.mark.parametrize(("name", "flagged", "clear", "minutes", "level"), FLAG_EDGES)
def test_flag_edges_are_inclusive(
    name: str, flagged: float, clear: float, minutes: float | None, level: str
) -> None:
    # The other values stay at the normal defaults (diastolic 80, systolic 120).
    assert fields_flagged(reading(**{name: flagged}), minutes) == {name: level}
    assert fields_flagged(reading(**{name: clear}), minutes) == {}


def test_pre_dose_bp_below_hold_is_not_flagged_but_after_dose_it_is() -> None:
    r = reading(systolic=170, diastolic=105)
    assert m.flags(r, None) == ()
    assert m.flags(r, -1) == ()
    assert fields_flagged(r, 0) == {"systolic": "alert", "diastolic": "alert"}


def test_after_the_dose_high_bp_is_an_alert_never_a_hold() -> None:
    flagged = m.flags(reading(systolic=185, diastolic=115), 20)
    assert [(f.field, f.level) for f in flagged] == [("systolic", "alert"), ("diastolic", "alert")]
    assert flagged[0].message == "Systolic 185 ≥ 160: alert"


def test_several_flags_in_field_order() -> None:
    r = reading(systolic=182, diastolic=112, heart_rate=48, spo2=90, respiratory_rate=30)
    assert [f.field for f in m.flags(r, None)] == [
        "systolic",
        "diastolic",
        "heart_rate",
        "spo2",
        "respiratory_rate",
    ]
    assert m.flags(r, None)[2].message == "Heart rate 48 ≤ 50: alert"


def test_decimal_values_show_as_written() -> None:
    (flag,) = m.flags(reading(spo2=91.5), 10)
    assert flag.message == "SpO2 91.5 ≤ 92: alert"


def test_clinic_thresholds() -> None:
    strict = replace(m.DEFAULT_THRESHOLDS, hold_systolic=160, alert_spo2_low=94)
    assert fields_flagged(reading(systolic=165), None) == {}
    assert {f.field for f in m.flags(reading(systolic=165, spo2=94), None, strict)} == {
        "systolic",
        "spo2",
    }
    assert m.Thresholds.from_settings({"hold_diastolic": 100}).hold_diastolic == 100
    assert m.Thresholds.from_settings({}) == m.DEFAULT_THRESHOLDS


def test_default_thresholds_are_documented() -> None:
    t = m.DEFAULT_THRESHOLDS
    assert (t.hold_systolic, t.hold_diastolic) == (180, 110)
    doc = m.Thresholds.__doc__ or ""
    for value in ("180", "110", "160", "100", "90", "120", "50", "92", "8", "24"):
        assert value in doc


@pytest.mark.parametrize(
    "bad",
    [
        {"hold_systolic": 301},
        {"alert_spo2_low": 49},
        {"alert_heart_rate_low": 130},  # above the high alert
        {"alert_respiratory_rate_low": 24},
        {"hold_systolic": "180"},
        {"hold_systolic": math.nan},
        {"no_such_setting": 1},
    ],
)
def test_bad_thresholds_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        m.Thresholds.from_settings(bad)


# --------------------------------------------------------------------------- reminders


def test_default_schedule() -> None:
    assert m.DEFAULT_SCHEDULE == (0, 15, 30, 45, 60, 90, 120)
    assert m.parse_schedule(m.format_schedule(m.DEFAULT_SCHEDULE)) == m.DEFAULT_SCHEDULE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0, 15, 30", (0, 15, 30)),
        ("0,15,30", (0, 15, 30)),
        (" 0 15\t30 ", (0, 15, 30)),
        ("30; 0; 15", (0, 15, 30)),
        ("480", (480,)),
    ],
)
def test_parse_schedule(text: str, expected: tuple[int, ...]) -> None:
    assert m.parse_schedule(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", " , ", "0, 15, 15", "0, -15", "0, 15.5", "0, ten", "481", "0, ١٥", "0, 15min"],
)
def test_parse_schedule_refuses(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        m.parse_schedule(text)
    assert info.value.field == "Schedule"


def test_schedule_length_is_bounded() -> None:
    m.parse_schedule(", ".join(str(i) for i in range(m.MAX_SCHEDULE_LEN)))
    with pytest.raises(ValidationError):
        m.parse_schedule(", ".join(str(i) for i in range(m.MAX_SCHEDULE_LEN + 1)))


@pytest.mark.parametrize("bad", [(), (15, 0), (0, 0), (-1,), (0, 1.5), (True,)])
def test_validate_schedule_refuses(bad: tuple[int, ...]) -> None:
    with pytest.raises(ValidationError):
        m.validate_schedule(bad)


SCHEDULE = (0, 15, 30)


def state(now_min: float, readings_min: list[float], grace: float = 5) -> m.ReminderState:
    return m.due_readings(SCHEDULE, DOSE_AT, [at(r) for r in readings_min], at(now_min), grace)


def words(s: m.ReminderState) -> str:
    return m.reminder_words(s, lambda moment: f"{moment:%H:%M}")


def test_before_anything_is_due() -> None:
    s = state(-10, [])
    assert (s.due, s.overdue, s.next) == (None, None, 0)
    assert s.next_at == DOSE_AT
    assert words(s) == "Next at 10:00 (0 min)"
    assert not s.finished


@pytest.mark.parametrize(("now", "due"), [(-5.01, None), (-5, 0), (0, 0), (5, 0)])
def test_due_window_opens_and_closes_on_its_edges(now: float, due: int | None) -> None:
    assert state(now, []).due == due


def test_overdue_just_after_the_window() -> None:
    s = state(5.5, [])
    assert (s.due, s.overdue) == (None, 0)
    assert s.overdue_by_min == 5.5
    assert words(s) == "Overdue by 5 min (0 min)"
    assert s.next == 15


def test_overdue_becomes_missed_when_the_next_window_opens() -> None:
    assert state(9.99, []).overdue == 0
    s = state(10, [])
    assert (s.overdue, s.due, s.missed) == (None, 15, (0,))
    assert words(s) == "Reading due now (15 min); missed: 0 min"


@pytest.mark.parametrize(("reading_min", "done"), [(-5, (0,)), (5, (0,)), (-5.5, ())])
def test_reading_within_the_window_satisfies_the_slot(
    reading_min: float, done: tuple[int, ...]
) -> None:
    assert state(6, [reading_min]).done == done


def test_late_reading_still_counts_for_the_overdue_slot() -> None:
    s = state(23, [0, 22])
    assert s.done == (0, 15)
    assert (s.due, s.overdue, s.next) == (None, None, 30)


def test_one_reading_counts_for_one_slot_only() -> None:
    schedule = (0, 5, 10)
    s = m.due_readings(schedule, DOSE_AT, [at(2.5)], at(2.5), grace_min=5)
    assert s.done == (0,)  # a tie goes to the earlier slot
    assert s.due == 5


def test_readings_before_the_first_window_count_for_nothing() -> None:
    assert state(0, [-30]).done == ()


def test_all_done_is_finished() -> None:
    s = state(40, [1, 14, 31])
    assert s.done == SCHEDULE
    assert s.finished
    assert words(s) == "All scheduled readings done"


def test_last_slot_stays_overdue_until_a_reading() -> None:
    s = state(300, [0, 15])
    assert s.overdue == 30
    assert not s.finished
    assert state(300, [0, 15, 299]).finished


def test_finished_with_missed_slots() -> None:
    s = state(200, [0, 30])
    assert s.finished
    assert s.missed == (15,)
    assert words(s) == "All scheduled readings done; missed: 15 min"


def test_due_readings_default_schedule_and_aware_times() -> None:
    dose = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    s = m.due_readings(m.DEFAULT_SCHEDULE, dose, [dose], dose + timedelta(minutes=44))
    assert s.due == 45
    assert s.missed == (15, 30)


def test_zero_grace_is_exact() -> None:
    assert state(0, [], grace=0).due == 0
    assert state(0.01, [], grace=0).overdue == 0
    with pytest.raises(ValidationError):
        state(0, [], grace=-1)


# --------------------------------------------------------------------------- adverse events


def test_adverse_event_kinds_from_clinical_md_plus_other() -> None:
    assert [i.label for i in m.ADVERSE_EVENT_KINDS] == [
        "Raised blood pressure",
        "Nausea/vomiting",
        "Agitation",
        "Tachycardia",
        "Nystagmus",
        "Blurred/double vision",
        "Confusion",
        "Other",
    ]
    assert m.SEVERITIES == ("mild", "moderate", "severe")
    assert set(m.SEVERITY_LABELS) == set(m.SEVERITIES)
    assert "resolved" in m.OUTCOME_KEYS


def test_validate_adverse_event() -> None:
    m.validate_adverse_event("nausea_vomiting", "mild", "resolved")
    m.validate_adverse_event("other", "moderate", "ongoing", "headache")
    with pytest.raises(ValidationError, match="describe"):
        m.validate_adverse_event("other", "moderate", "ongoing", "  ")
    with pytest.raises(ValidationError, match="Adverse event"):
        m.validate_adverse_event("rash", "mild", "resolved")
    with pytest.raises(ValidationError, match="Severity"):
        m.validate_adverse_event("agitation", "critical", "resolved")
    with pytest.raises(ValidationError, match="Outcome"):
        m.validate_adverse_event("agitation", "mild", "fine")


# --------------------------------------------------------------------------- discharge


def test_ready_for_discharge() -> None:
    assert m.discharge_problems(True, True, True) == ()


def test_discharge_problems_name_what_is_missing() -> None:
    problems = m.discharge_problems(False, False, False)
    assert len(problems) == 3
    assert "alert" in problems[0]
    assert "Vital signs" in problems[1]
    assert "escort" in problems[2]
    assert m.discharge_problems(True, True, False) == (problems[2],)
    assert m.discharge_problems(False, True, True) == (problems[0],)
    assert m.discharge_problems(True, False, True) == (problems[1],)


# --------------------------------------------------------------------------- dissociation


def test_dissociation_scales() -> None:
    cadss, short = m.DISSOCIATION_SCALES
    assert (cadss.short, cadss.items, cadss.lo, cadss.hi) == ("CADSS", 23, 0, 92)
    assert (short.short, short.items, short.lo, short.hi) == ("CADSS-6", 6, 0, 24)


@pytest.mark.parametrize(
    ("key", "ok", "bad"), [("cadss", (0, 92), (-1, 93)), ("cadss6", (0, 24), (-1, 25))]
)
def test_dissociation_total_edges(key: str, ok: tuple[int, int], bad: tuple[int, int]) -> None:
    for total in ok:
        assert m.validate_dissociation_total(key, total) == total
    for total in bad:
        with pytest.raises(ValidationError) as info:
            m.validate_dissociation_total(key, total)
        assert info.value.field == "Dissociation total"
        assert f"between 0 and {ok[1]}" in info.value.reason


@pytest.mark.parametrize("total", [1.5, True, "10"])
def test_dissociation_total_is_a_whole_number(total: object) -> None:
    with pytest.raises(ValidationError, match="whole number"):
        m.validate_dissociation_total("cadss", total)  # type: ignore[arg-type]


def test_unknown_dissociation_scale() -> None:
    with pytest.raises(ValidationError, match="Dissociation scale"):
        m.validate_dissociation_total("des", 10)
