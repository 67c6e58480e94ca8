"""Medicine sessions (KAP) as data and rules (CLINICAL.md "Medicine sessions (KAP)").

Pure rules for the screening checklist, medication interactions, dose and
mg/kg, vital signs and their flags, the reminder schedule for readings, adverse
events, discharge and the dissociation total. Nothing here reads a clock or a
database: times come in as arguments (an injected ``now``), so every rule can
be tested at its edges. Datetimes passed together must all be naive or all be
aware; the caller decides which.

This module records and flags; it never decides to dose. A "hold" flag or a
blocked screening tells the clinician to stop and look, and the clinic's own
protocol and the prescriber decide what happens next.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Literal

from console.errors import ValidationError


@dataclass(frozen=True)
class Item:
    key: str
    label: str


def _keys(items: Sequence[Item]) -> tuple[str, ...]:
    return tuple(i.key for i in items)


def _labels(items: Sequence[Item]) -> dict[str, str]:
    return {i.key: i.label for i in items}


def _number(value: object, field_name: str) -> float:
    """A finite int or float (never a bool, which is an int in Python)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(field_name, "must be a number")
    if not math.isfinite(value):
        raise ValidationError(field_name, "must be a finite number")
    return float(value)


def _show(value: float) -> str:
    """182.0 -> '182', 0.55 -> '0.55': values as a clinician writes them."""
    return f"{value:g}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --------------------------------------------------------------------------- screening

# The contraindications CLINICAL.md lists, in its order, each answered yes/no/unknown
# with notes. The labels are CLINICAL.md's words, capitalised.
CONTRAINDICATIONS: tuple[Item, ...] = (
    Item("uncontrolled_hypertension", "Uncontrolled hypertension"),
    Item("heart_disease", "Heart disease or arrhythmia"),
    Item("pregnancy", "Pregnancy"),
    Item(
        "psychosis_dissociation",
        "Psychotic or dissociative disorder, or family history of psychosis",
    ),
    Item("mania", "Current mania"),
    Item("substance_use", "Active substance use disorder"),
    Item("opioids", "Concurrent opioids"),
    Item("hyperthyroidism", "Uncontrolled hyperthyroidism"),
    Item("intracranial_pressure", "Raised intracranial pressure"),
    Item("liver_disease", "Liver disease"),
    Item("bladder", "Bladder problems/cystitis"),
    Item("ketamine_allergy", "Ketamine allergy"),
    Item("suicide_risk", "Acute suicide risk"),
)
CONTRAINDICATION_KEYS: tuple[str, ...] = _keys(CONTRAINDICATIONS)
CONTRAINDICATION_LABELS: dict[str, str] = _labels(CONTRAINDICATIONS)

# The preparation CLINICAL.md asks for besides the checklist. `screening_state` takes
# consent as one flag and the fasting instructions and ride home as the other.
PREPARATION: tuple[Item, ...] = (
    Item("consent", "Informed consent given (date)"),
    Item("fasting", "Fasting instructions given"),
    Item("ride_home", "Ride home arranged"),
)

Answer = Literal["yes", "no", "unknown"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "unknown")
ANSWER_LABELS: dict[str, str] = {"yes": "Yes", "no": "No", "unknown": "Unknown"}

ScreeningStatus = Literal["cleared", "blocked", "overridden", "needs_review"]


@dataclass(frozen=True)
class ScreeningState:
    """Where screening stands, and the one line the session overview shows.

    ``blocking`` lists every item that is not a plain "no" (answered yes,
    unknown, or not answered), in checklist order: an unknown is treated like a
    yes, because "we have not checked" is not "it is safe". ``yes``,
    ``unknown`` and ``unanswered`` split the same keys for the summary.
    """

    status: ScreeningStatus
    blocking: tuple[str, ...]
    yes: tuple[str, ...]
    unknown: tuple[str, ...]
    unanswered: tuple[str, ...]
    consent_given: bool
    instructions_acknowledged: bool
    override_reason: str | None
    summary: str
    review: tuple[str, ...] = ()

    @property
    def cleared(self) -> bool:
        return self.status == "cleared"

    @property
    def blocked(self) -> bool:
        return self.status == "blocked"

    @property
    def can_be_overridden(self) -> bool:
        """An override answers checklist items that block; a review reason is answered by a
        prescriber's review, never by an override."""
        return bool(self.blocking)

    @property
    def overridden(self) -> bool:
        return self.status == "overridden"

    @property
    def needs_review(self) -> bool:
        return self.status == "needs_review"

    @property
    def may_start(self) -> bool:
        """A medicine session may start only when screening is cleared or overridden."""
        return self.status in ("cleared", "overridden")


def _answer(key: str, value: object) -> Answer | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(CONTRAINDICATION_LABELS[key], "must be yes, no or unknown")
    folded = value.strip().casefold()
    if folded == "":
        return None
    for answer in ANSWERS:
        if folded == answer:
            return answer
    raise ValidationError(CONTRAINDICATION_LABELS[key], "must be yes, no or unknown")


def screening_state(
    answers: Mapping[str, str],
    consent_given: bool,
    instructions_acknowledged: bool,
    override_reason: str | None,
    review: Sequence[str] = (),
) -> ScreeningState:
    """Cleared, blocked, overridden or needs review, from the answers, preparation and review.

    * Cleared: every item answered "no", consent given, instructions acknowledged.
    * Overridden: some items block, but the clinician gave a reason (not blank)
      for going ahead; consent and instructions are still required, because no
      reason can stand in for informed consent.
    * Blocked: anything else.
    * Needs review: it would be cleared or overridden, but something a
      prescriber must look at (``review``: a hold-level baseline, an
      unacknowledged interacting medication, an expired consent, each one line)
      has not been reviewed. It stops a first dose as "Blocked" does.

    Answers are read case-insensitively ("Yes" is "yes"); a blank answer is
    unanswered; anything else is refused. Keys that are not on the checklist
    are ignored, so answers to an item retired from a later checklist do not
    break an old record. A reason given when nothing blocks is not an override
    and is dropped.
    """
    yes: list[str] = []
    unknown: list[str] = []
    unanswered: list[str] = []
    blocking: list[str] = []
    for key in CONTRAINDICATION_KEYS:
        answer = _answer(key, answers.get(key))
        if answer == "no":
            continue
        blocking.append(key)
        if answer == "yes":
            yes.append(key)
        elif answer == "unknown":
            unknown.append(key)
        else:
            unanswered.append(key)

    reason = override_reason.strip() if isinstance(override_reason, str) else ""
    prepared = bool(consent_given) and bool(instructions_acknowledged)
    missing: list[str] = []
    if yes:
        missing.append(_plural(len(yes), "item") + " yes")
    if unknown:
        missing.append(f"{len(unknown)} unknown")
    if unanswered:
        missing.append(f"{len(unanswered)} unanswered")
    if not consent_given:
        missing.append("no consent")
    if not instructions_acknowledged:
        missing.append("instructions not acknowledged")

    status: ScreeningStatus
    if not blocking and prepared:
        status, summary, kept_reason = "cleared", "Cleared", None
    elif blocking and prepared and reason:
        status = "overridden"
        summary = f"Overridden: {_plural(len(blocking), 'item')}"
        kept_reason = reason
    else:
        status, summary, kept_reason = "blocked", "Blocked: " + ", ".join(missing), None
    pending = tuple(review)
    if status != "blocked" and pending:
        status, summary = "needs_review", "Needs review: " + "; ".join(pending)
    return ScreeningState(
        status=status,
        blocking=tuple(blocking),
        yes=tuple(yes),
        unknown=tuple(unknown),
        unanswered=tuple(unanswered),
        consent_given=bool(consent_given),
        instructions_acknowledged=bool(instructions_acknowledged),
        override_reason=kept_reason,
        summary=summary,
        review=pending if status == "needs_review" else (),
    )


# --------------------------------------------------------------------------- medications

# Classes clinics screen for before ketamine: opioids (added sedation and breathing
# depression; "concurrent opioids" is also a screening item), benzodiazepines and
# lamotrigine (both commonly reported to blunt ketamine's effect, and benzodiazepines
# add sedation) and MAOIs (ketamine raises blood pressure; an MAOI can add to it).
# Generic and common brand names; a brand reports its generic. Brand names that are
# ordinary English words (midazolam's "Versed") are left out to avoid false flags.
INTERACTION_CLASSES: dict[str, str] = {
    "opioid": "Opioid",
    "benzodiazepine": "Benzodiazepine",
    "lamotrigine": "Lamotrigine",
    "maoi": "MAOI",
}
UNSPECIFIED = "unspecified"
_MEDICATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "opioid": {
        "morphine": ("morphine", "ms contin", "oramorph", "kadian"),
        "oxycodone": ("oxycodone", "oxycontin", "percocet", "roxicodone", "oxynorm", "endocet"),
        "hydrocodone": ("hydrocodone", "vicodin", "norco", "hysingla", "zohydro", "lortab"),
        "fentanyl": ("fentanyl", "duragesic", "actiq", "abstral"),
        "tramadol": ("tramadol", "ultram", "tramal", "zydol", "ultracet"),
        "codeine": ("codeine", "co-codamol", "tylenol 3", "tylenol #3"),
        "dihydrocodeine": ("dihydrocodeine",),
        "methadone": ("methadone", "dolophine", "methadose"),
        "buprenorphine": (
            "buprenorphine",
            "subutex",
            "suboxone",
            "butrans",
            "sublocade",
            "zubsolv",
            "belbuca",
        ),
        "tapentadol": ("tapentadol", "nucynta", "palexia"),
        "hydromorphone": ("hydromorphone", "dilaudid", "palladone"),
        "oxymorphone": ("oxymorphone", "opana"),
        "pethidine": ("pethidine", "meperidine", "demerol"),
        "diamorphine": ("diamorphine", "heroin"),
        "levorphanol": ("levorphanol",),
        UNSPECIFIED: ("opioid", "opioids", "opiate", "opiates"),
    },
    "benzodiazepine": {
        "alprazolam": ("alprazolam", "xanax"),
        "lorazepam": ("lorazepam", "ativan"),
        "clonazepam": ("clonazepam", "klonopin", "rivotril"),
        "diazepam": ("diazepam", "valium"),
        "temazepam": ("temazepam", "restoril"),
        "midazolam": ("midazolam", "buccolam"),
        "chlordiazepoxide": ("chlordiazepoxide", "librium"),
        "oxazepam": ("oxazepam", "serax"),
        "clobazam": ("clobazam", "onfi", "frisium"),
        "nitrazepam": ("nitrazepam", "mogadon"),
        "triazolam": ("triazolam", "halcion"),
        "clorazepate": ("clorazepate", "tranxene"),
        "bromazepam": ("bromazepam", "lexotan"),
        "flurazepam": ("flurazepam", "dalmane"),
        "estazolam": ("estazolam",),
        UNSPECIFIED: ("benzodiazepine", "benzodiazepines", "benzo", "benzos"),
    },
    "lamotrigine": {
        "lamotrigine": ("lamotrigine", "lamictal", "subvenite"),
    },
    "maoi": {
        "phenelzine": ("phenelzine", "nardil"),
        "tranylcypromine": ("tranylcypromine", "parnate"),
        "isocarboxazid": ("isocarboxazid", "marplan"),
        "selegiline": ("selegiline", "emsam", "eldepryl", "zelapar"),
        "moclobemide": ("moclobemide", "manerix", "aurorix"),
        "rasagiline": ("rasagiline", "azilect"),
        "safinamide": ("safinamide", "xadago"),
        "linezolid": ("linezolid", "zyvox"),  # an antibiotic that is also a weak MAOI
        UNSPECIFIED: ("maoi", "maois", "monoamine oxidase inhibitor"),
    },
}


def _fold(text: str) -> str:
    """Case- and accent-blind text: 'VALÍUM' and 'valium' read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold()


_NAME_TO_DRUG: dict[str, tuple[str, str]] = {
    _fold(name): (cls, generic)
    for cls, generics in _MEDICATIONS.items()
    for generic, names in generics.items()
    for name in names
}
# A name counts only as a whole word: not preceded or followed by a letter (digits
# may touch it, as in "oxycodone10mg"), so "codeine" is not found in "dihydrocodeine".
_LETTER = r"[^\W\d_]"
_MEDICATION_RE = re.compile(
    rf"(?<!{_LETTER})("
    + "|".join(
        re.escape(name).replace(r"\ ", r"\s+")
        for name in sorted(_NAME_TO_DRUG, key=len, reverse=True)
    )
    + rf")(?!{_LETTER})"
)


def _medication_label(cls: str, generic: str) -> str:
    label = INTERACTION_CLASSES[cls]
    return label if generic == cls else f"{label} ({generic})"


def interacting_medications(text: str) -> tuple[str, ...]:
    """Interacting medications named in free text, e.g. ("Benzodiazepine (lorazepam)",).

    One label per medicine, in the order first mentioned; a brand reports its
    generic ("Ativan" gives lorazepam). A class word alone ("benzos",
    "opioids", "MAOI") gives "<Class> (unspecified)", dropped when a named
    medicine of that class is also found.

    Negation is deliberately not read: "no benzos", "stopped oxycodone in May"
    and "allergic to codeine" are all flagged. Free-text negation is easy to get
    wrong, and a flag the clinician dismisses costs a glance where a missed
    interaction could cost harm. Any text is safe: case, accents and
    compatibility forms are folded before matching.
    """
    if not isinstance(text, str) or not text:
        return ()
    found: dict[tuple[str, str], None] = {}
    for match in _MEDICATION_RE.finditer(_fold(text)):
        name = re.sub(r"\s+", " ", match.group(1))
        found.setdefault(_NAME_TO_DRUG[name], None)
    named_classes = {cls for cls, generic in found if generic != UNSPECIFIED}
    return tuple(
        _medication_label(cls, generic)
        for cls, generic in found
        if not (generic == UNSPECIFIED and cls in named_classes)
    )


# --------------------------------------------------------------------------- routes

ROUTES: tuple[Item, ...] = (
    Item("sublingual", "Sublingual (lozenge)"),
    Item("intramuscular", "Intramuscular (IM)"),
    Item("intravenous", "Intravenous (IV)"),
    Item("oral", "Oral"),
    Item("intranasal", "Intranasal"),
)
ROUTE_KEYS: tuple[str, ...] = _keys(ROUTES)
ROUTE_LABELS: dict[str, str] = _labels(ROUTES)
# Usual doses and timing from CLINICAL.md, shown as hints beside the dose field;
# never enforced, since the prescriber sets the dose.
ROUTE_HINTS: dict[str, str] = {
    "sublingual": "Commonly 50/100 mg tablets, 100–400 mg; onset 15–20 min, "
    "peak about 40 min, fades over 1–2 h",
    "intramuscular": "About 0.5–0.75 mg/kg; onset about 5 min, lasts about 1 h",
    "intravenous": "0.5 mg/kg over about 40 min",
    "oral": "",
    "intranasal": "Esketamine: observe at least 2 h",
}
# The least observation CLINICAL.md names (esketamine); clinics may ask for longer.
MIN_OBSERVATION_MIN = 120


def validate_route(route: str) -> str:
    if route not in ROUTE_LABELS:
        raise ValidationError("Route", "must be one of: " + ", ".join(ROUTE_KEYS))
    return route


# --------------------------------------------------------------------------- dose

# Far above any KAP dose (sublingual tops out near 400 mg), low enough to catch a
# dose typed in micrograms or with an extra zero.
MAX_DOSE_MG = 1000.0
WEIGHT_MIN_KG, WEIGHT_MAX_KG = 20.0, 350.0


def validate_dose_mg(dose_mg: float, field_name: str = "Dose") -> float:
    """A dose in mg: more than 0 and at most `MAX_DOSE_MG`."""
    value = _number(dose_mg, field_name)
    if value <= 0:
        raise ValidationError(field_name, "must be more than 0 mg")
    if value > MAX_DOSE_MG:
        raise ValidationError(field_name, f"must be at most {_show(MAX_DOSE_MG)} mg")
    return value


def validate_weight_kg(weight_kg: float) -> float:
    """A weight in kg, 20–350 inclusive: an adult, or a weight typed in pounds or grams."""
    value = _number(weight_kg, "Weight")
    if not WEIGHT_MIN_KG <= value <= WEIGHT_MAX_KG:
        raise ValidationError(
            "Weight", f"must be between {_show(WEIGHT_MIN_KG)} and {_show(WEIGHT_MAX_KG)} kg"
        )
    return value


def mg_per_kg(dose_mg: float | None, weight_kg: float | None) -> float | None:
    """The dose per kg of the recorded weight, to 2 decimals.

    None (not 0) when the dose or the weight is not recorded, so a missing
    weight can never read as a tiny dose. Both values are validated first.
    """
    if dose_mg is None or weight_kg is None:
        return None
    return round(validate_dose_mg(dose_mg) / validate_weight_kg(weight_kg), 2)


def validate_doses(
    first_mg: float | None,
    first_at: datetime | None,
    second_mg: float | None = None,
    second_at: datetime | None = None,
) -> None:
    """The dose pair of one session: a second (top-up) dose needs a first, and follows it.

    Either dose may be recorded before its time is known (planned, not yet
    given); each amount given is checked by `validate_dose_mg`.
    """
    if first_mg is not None:
        validate_dose_mg(first_mg)
    if second_mg is not None:
        validate_dose_mg(second_mg, "Second dose")
    if (second_mg is not None or second_at is not None) and first_mg is None:
        raise ValidationError("Second dose", "needs a first dose recorded")
    if second_at is not None:
        if first_at is None:
            raise ValidationError("Second dose", "needs the time of the first dose")
        if second_at < first_at:
            raise ValidationError(
                "Second dose",
                f"time {second_at:%H:%M} is before the first dose at {first_at:%H:%M}",
            )


# --------------------------------------------------------------------------- vitals

# Inclusive ranges a live person can show; outside them the value is a typing or
# device error, not a reading. Diastolic reaches lower than systolic so that every
# systolic in range has a diastolic below it.
VITAL_RANGES: dict[str, tuple[float, float]] = {
    "systolic": (40, 300),
    "diastolic": (20, 200),
    "heart_rate": (20, 250),
    "spo2": (50, 100),
    "respiratory_rate": (4, 60),
}
VITAL_LABELS: dict[str, str] = {
    "systolic": "Systolic",
    "diastolic": "Diastolic",
    "heart_rate": "Heart rate",
    "spo2": "SpO2",
    "respiratory_rate": "Respiratory rate",
}
VITAL_UNITS: dict[str, str] = {
    "systolic": "mmHg",
    "diastolic": "mmHg",
    "heart_rate": "/min",
    "spo2": "%",
    "respiratory_rate": "/min",
}


def _vital(name: str, value: object) -> float:
    label = VITAL_LABELS[name]
    if value is None:
        raise ValidationError(label, "is required")
    number = _number(value, label)
    lo, hi = VITAL_RANGES[name]
    if not lo <= number <= hi:
        raise ValidationError(
            label, f"{_show(number)} is out of range ({_show(lo)}–{_show(hi)} {VITAL_UNITS[name]})"
        )
    return number


@dataclass(frozen=True)
class VitalsReading:
    """One set of vital signs; constructing one validates it.

    Blood pressure, heart rate and SpO2 are required (CLINICAL.md lists all
    three); the respiratory rate is optional. Diastolic must be below systolic.
    """

    systolic: float
    diastolic: float
    heart_rate: float
    spo2: float
    respiratory_rate: float | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None and f.name == "respiratory_rate":
                continue
            object.__setattr__(self, f.name, _vital(f.name, value))
        if self.diastolic >= self.systolic:
            raise ValidationError(
                "Diastolic",
                f"{_show(self.diastolic)} must be below systolic {_show(self.systolic)}",
            )

    def whole(self) -> dict[str, int | None]:
        """The reading in whole numbers, as it is entered and stored, by field name."""
        return {f.name: _whole(getattr(self, f.name)) for f in fields(self)}


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def validate_vitals(
    systolic: float | None,
    diastolic: float | None,
    heart_rate: float | None,
    spo2: float | None,
    respiratory_rate: float | None = None,
) -> VitalsReading:
    """A `VitalsReading` from form values, naming the first missing or wrong field."""
    return VitalsReading(
        _vital("systolic", systolic),
        _vital("diastolic", diastolic),
        _vital("heart_rate", heart_rate),
        _vital("spo2", spo2),
        None if respiratory_rate is None else _vital("respiratory_rate", respiratory_rate),
    )


def pre_dose_after(taken_at: datetime, dose_at: datetime) -> bool:
    """A pre-dose reading counts as after the dose only from the next minute on: times are
    written to the minute, and a baseline taken seconds before "Time given now" is pressed
    shares the dose's minute."""
    return taken_at.replace(second=0, microsecond=0) > dose_at.replace(second=0, microsecond=0)


def validate_reading_time(
    taken_at: datetime, dose_at: datetime | None, *, pre_dose: bool = False
) -> None:
    """A reading during the session is not before the dose; a pre-dose one is not after it.

    The baseline taken before dosing is recorded as ``pre_dose``; every other
    reading belongs to the time since dose, so one timed before the dose (or
    with no dose recorded yet) is refused rather than plotted at a negative minute.
    """
    if pre_dose:
        if dose_at is not None and pre_dose_after(taken_at, dose_at):
            raise ValidationError(
                "Reading time",
                f"a pre-dose reading at {taken_at:%H:%M} is after the dose at {dose_at:%H:%M}",
            )
        return
    if dose_at is None:
        raise ValidationError(
            "Reading time", "no dose time is recorded yet: record this as a pre-dose reading"
        )
    if taken_at < dose_at:
        raise ValidationError(
            "Reading time",
            f"{taken_at:%H:%M} is before the dose at {dose_at:%H:%M}: "
            "record it as a pre-dose reading or correct the time",
        )


def minutes_since_dose(taken_at: datetime, dose_at: datetime | None) -> float | None:
    """Minutes from dose to reading (negative before the dose); None with no dose time."""
    if dose_at is None:
        return None
    return (taken_at - dose_at).total_seconds() / 60


# --------------------------------------------------------------------------- thresholds


# The vital sign each threshold setting is about, for its range check.
THRESHOLD_VITAL: dict[str, str] = {
    "hold_systolic": "systolic",
    "hold_diastolic": "diastolic",
    "alert_systolic_high": "systolic",
    "alert_diastolic_high": "diastolic",
    "alert_systolic_low": "systolic",
    "alert_heart_rate_high": "heart_rate",
    "alert_heart_rate_low": "heart_rate",
    "alert_spo2_low": "spo2",
    "alert_respiratory_rate_low": "respiratory_rate",
    "alert_respiratory_rate_high": "respiratory_rate",
}


@dataclass(frozen=True)
class Thresholds:
    """When a reading is flagged: a clinic setting, with these defaults. Edges are inclusive.

    Before dosing ("hold": do not dose until the prescriber has reviewed):

    * systolic ≥ 180 or diastolic ≥ 110 mmHg, CLINICAL.md's example, the
      usual cut-off for blood pressure too high to give ketamine.

    After dosing ("alert": look at the client now and follow the protocol):

    * systolic ≥ 160 or diastolic ≥ 100 mmHg (JNC 7 stage 2): ketamine
      commonly raises blood pressure for up to about an hour, so a modest
      rise from a normal baseline stays under these, while a rise into
      stage-2 hypertension is caught well before the hold levels.

    At any time, before or after dosing ("alert"):

    * systolic ≤ 90 mmHg (hypotension);
    * heart rate ≥ 120 (tachycardia, an adverse event in CLINICAL.md) or ≤ 50/min;
    * SpO2 ≤ 92 % (below the usual 94–98 % target, early enough to act before 90 %);
    * respiratory rate ≤ 8 (breathing depression) or ≥ 24/min.
    """

    hold_systolic: float = 180
    hold_diastolic: float = 110
    alert_systolic_high: float = 160
    alert_diastolic_high: float = 100
    alert_systolic_low: float = 90
    alert_heart_rate_high: float = 120
    alert_heart_rate_low: float = 50
    alert_spo2_low: float = 92
    alert_respiratory_rate_low: float = 8
    alert_respiratory_rate_high: float = 24

    def __post_init__(self) -> None:
        for f in fields(self):
            value = _number(getattr(self, f.name), f.name)
            lo, hi = VITAL_RANGES[THRESHOLD_VITAL[f.name]]
            if not lo <= value <= hi:
                raise ValidationError(f.name, f"must be between {_show(lo)} and {_show(hi)}")
            object.__setattr__(self, f.name, value)
        for low, high in (
            ("alert_systolic_low", "alert_systolic_high"),
            ("alert_heart_rate_low", "alert_heart_rate_high"),
            ("alert_respiratory_rate_low", "alert_respiratory_rate_high"),
        ):
            if getattr(self, low) >= getattr(self, high):
                raise ValidationError(low, f"must be below {high}")

    @classmethod
    def from_settings(cls, values: Mapping[str, object]) -> Thresholds:
        """Thresholds from the clinic's settings; a setting not given keeps its default."""
        known = {f.name for f in fields(cls)}
        for name in values:
            if name not in known:
                raise ValidationError(name, "is not a threshold setting")
        return cls(**{k: _number(v, k) for k, v in values.items()})


DEFAULT_THRESHOLDS = Thresholds()


def thresholds_from_json(text: str) -> Thresholds:
    """The clinic's thresholds as stored in settings (JSON of changed fields); defaults when
    unset or unreadable, so a damaged settings file never stops a medicine session."""
    if not text:
        return DEFAULT_THRESHOLDS
    try:
        values = json.loads(text)
        return Thresholds.from_settings(values) if isinstance(values, dict) else DEFAULT_THRESHOLDS
    except (ValueError, ValidationError):
        return DEFAULT_THRESHOLDS


FlagLevel = Literal["hold", "alert"]


@dataclass(frozen=True)
class Flag:
    field: str  # a key of VITAL_LABELS
    level: FlagLevel
    message: str  # e.g. "Systolic 182 ≥ 180: hold dose"


def flags(
    reading: VitalsReading,
    minutes_since_dose: float | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[Flag, ...]:
    """The flags one reading raises, in the order systolic, diastolic, HR, SpO2, RR.

    ``minutes_since_dose`` None or negative means before dosing (the hold
    rules apply); 0 or more means after (the dose has been given). At most one
    flag per field.
    """
    t = thresholds
    before = minutes_since_dose is None or minutes_since_dose < 0
    out: list[Flag] = []

    def high(name: str, value: float | None, limit: float, level: FlagLevel) -> bool:
        if value is None or value < limit:
            return False
        action = "hold dose" if level == "hold" else "alert"
        message = f"{VITAL_LABELS[name]} {_show(value)} ≥ {_show(limit)}: {action}"
        out.append(Flag(name, level, message))
        return True

    def low(name: str, value: float | None, limit: float) -> bool:
        if value is None or value > limit:
            return False
        message = f"{VITAL_LABELS[name]} {_show(value)} ≤ {_show(limit)}: alert"
        out.append(Flag(name, "alert", message))
        return True

    if before:
        if not high("systolic", reading.systolic, t.hold_systolic, "hold"):
            low("systolic", reading.systolic, t.alert_systolic_low)
        high("diastolic", reading.diastolic, t.hold_diastolic, "hold")
    else:
        if not high("systolic", reading.systolic, t.alert_systolic_high, "alert"):
            low("systolic", reading.systolic, t.alert_systolic_low)
        high("diastolic", reading.diastolic, t.alert_diastolic_high, "alert")
    if not high("heart_rate", reading.heart_rate, t.alert_heart_rate_high, "alert"):
        low("heart_rate", reading.heart_rate, t.alert_heart_rate_low)
    low("spo2", reading.spo2, t.alert_spo2_low)
    rr = reading.respiratory_rate
    if not high("respiratory_rate", rr, t.alert_respiratory_rate_high, "alert"):
        low("respiratory_rate", rr, t.alert_respiratory_rate_low)
    return tuple(out)


# --------------------------------------------------------------------------- reminders

# Minutes after the dose at which a reading is due (CLINICAL.md: 0/15/30/45/60/90,
# and at least 2 h of observation, hence 120).
DEFAULT_SCHEDULE: tuple[int, ...] = (0, 15, 30, 45, 60, 90, 120)
MAX_SCHEDULE_MIN = 8 * 60  # a session longer than a working day is a typo
MAX_SCHEDULE_LEN = 48


def validate_schedule(schedule: Sequence[int]) -> tuple[int, ...]:
    """Whole minutes from 0 to `MAX_SCHEDULE_MIN`, strictly increasing, at least one."""
    values = tuple(schedule)
    if not values:
        raise ValidationError("Schedule", "needs at least one time")
    if len(values) > MAX_SCHEDULE_LEN:
        raise ValidationError("Schedule", f"has more than {MAX_SCHEDULE_LEN} times")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("Schedule", "times must be whole minutes")
        if not 0 <= value <= MAX_SCHEDULE_MIN:
            raise ValidationError(
                "Schedule", f"{value} is out of range (0–{MAX_SCHEDULE_MIN} minutes after dose)"
            )
    for earlier, later in itertools.pairwise(values):
        if later <= earlier:
            raise ValidationError("Schedule", "times must be in increasing order, each once")
    return values


_SCHEDULE_SPLIT = re.compile(r"[\s,;]+")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def parse_schedule(text: str) -> tuple[int, ...]:
    """The setting's text ("0, 15, 30") as minutes after dose.

    Commas, semicolons or spaces separate the times; they may come in any
    order (they are sorted) but each only once. Only ASCII digits count, so a
    stray character never turns into a time.
    """
    parts = [p for p in _SCHEDULE_SPLIT.split(text.strip()) if p]
    if not parts:
        raise ValidationError("Schedule", "needs at least one time, e.g. 0, 15, 30")
    minutes: list[int] = []
    for part in parts:
        if not _ASCII_DIGITS.fullmatch(part):
            raise ValidationError("Schedule", f"{part!r} is not a whole number of minutes")
        minutes.append(int(part))
    if len(set(minutes)) != len(minutes):
        raise ValidationError("Schedule", "lists a time twice")
    return validate_schedule(sorted(minutes))


def format_schedule(schedule: Sequence[int]) -> str:
    """The inverse of `parse_schedule`, for the settings field."""
    return ", ".join(str(m) for m in validate_schedule(schedule))


@dataclass(frozen=True)
class ReminderState:
    """Which scheduled readings are done, due, overdue, missed or next.

    * ``due``: a slot whose window (scheduled time ± grace) holds ``now``,
      with no reading yet.
    * ``overdue``: the latest slot whose window has passed with no reading,
      while a late reading can still count for it (until the next slot's
      window opens; for the last slot, until a reading comes).
    * ``missed``: slots passed with no reading and no longer overdue.
    * ``next``: the first slot whose window has not opened, and its scheduled time.
    """

    done: tuple[int, ...]
    due: int | None
    overdue: int | None
    overdue_by_min: float | None
    missed: tuple[int, ...]
    next: int | None
    next_at: datetime | None
    summary: str

    @property
    def finished(self) -> bool:
        """Nothing left to take: no slot due, overdue or still to come."""
        return self.due is None and self.overdue is None and self.next is None


def _assign(slots: Sequence[int], dose_at: datetime, taken: datetime, grace: timedelta) -> int:
    """The slot a reading counts for, or -1 for none.

    A reading within ± grace of slot times counts for the nearest (the earlier
    on a tie); one between windows counts, late, for the slot before it; one
    before the first window counts for nothing.
    """
    times = [dose_at + timedelta(minutes=m) for m in slots]
    near = [(abs(taken - t), i) for i, t in enumerate(times) if abs(taken - t) <= grace]
    if near:
        return min(near)[1]
    before = [i for i, t in enumerate(times) if t + grace < taken]
    return before[-1] if before else -1


def due_readings(
    schedule: Sequence[int],
    dose_at: datetime,
    readings_at: Sequence[datetime],
    now: datetime,
    grace_min: float = 5,
) -> ReminderState:
    """The reminder state at ``now`` for readings due ``schedule`` minutes after ``dose_at``.

    Each reading counts for at most one slot (see `_assign`), so a reading
    taken between 15 and 30 min is not also taken as the 30-min one.
    """
    slots = validate_schedule(schedule)
    grace_value = _number(grace_min, "Grace")
    if grace_value < 0:
        raise ValidationError("Grace", "must be 0 minutes or more")
    grace = timedelta(minutes=grace_value)
    satisfied = {_assign(slots, dose_at, r, grace) for r in readings_at} - {-1}

    done: list[int] = []
    missed: list[int] = []
    due: int | None = None
    overdue: int | None = None
    overdue_by: float | None = None
    nxt: int | None = None
    nxt_at: datetime | None = None
    for i, minute in enumerate(slots):
        at = dose_at + timedelta(minutes=minute)
        if i in satisfied:
            done.append(minute)
        elif now < at - grace:
            if nxt is None:
                nxt, nxt_at = minute, at
        elif now <= at + grace:
            if due is None:
                due = minute
        else:
            following = (
                i + 1 < len(slots) and now >= dose_at + timedelta(minutes=slots[i + 1]) - grace
            )
            if following:
                missed.append(minute)
            else:
                overdue = minute
                overdue_by = (now - at).total_seconds() / 60

    if due is not None:
        summary = f"{due}-min reading due now"
    elif overdue is not None and overdue_by is not None:
        summary = f"{overdue}-min reading overdue by {math.floor(overdue_by)} min"
    elif nxt is not None and nxt_at is not None:
        summary = f"Next reading at {nxt} min ({nxt_at:%H:%M})"
    else:
        summary = "All scheduled readings done"
    if missed:
        summary += f"; missed: {', '.join(f'{m} min' for m in missed)}"
    return ReminderState(
        done=tuple(done),
        due=due,
        overdue=overdue,
        overdue_by_min=overdue_by,
        missed=tuple(missed),
        next=nxt,
        next_at=nxt_at,
        summary=summary,
    )


# --------------------------------------------------------------------------- adverse events

ADVERSE_EVENT_KINDS: tuple[Item, ...] = (
    Item("raised_bp", "Raised blood pressure"),
    Item("nausea_vomiting", "Nausea/vomiting"),
    Item("agitation", "Agitation"),
    Item("tachycardia", "Tachycardia"),
    Item("nystagmus", "Nystagmus"),
    Item("vision", "Blurred/double vision"),
    Item("confusion", "Confusion"),
    Item("other", "Other"),
)
ADVERSE_EVENT_KEYS: tuple[str, ...] = _keys(ADVERSE_EVENT_KINDS)
ADVERSE_EVENT_LABELS: dict[str, str] = _labels(ADVERSE_EVENT_KINDS)

Severity = Literal["mild", "moderate", "severe"]
SEVERITIES: tuple[Severity, ...] = ("mild", "moderate", "severe")
SEVERITY_LABELS: dict[str, str] = {
    "mild": "Mild (noticed, no action needed)",
    "moderate": "Moderate (action or medication needed)",
    "severe": "Severe (session stopped or outside help called)",
}

OUTCOMES: tuple[Item, ...] = (
    Item("resolved", "Resolved during the session"),
    Item("improving", "Improving at discharge"),
    Item("ongoing", "Ongoing at discharge"),
    Item("escalated", "Referred on / emergency services called"),
)
OUTCOME_KEYS: tuple[str, ...] = _keys(OUTCOMES)
OUTCOME_LABELS: dict[str, str] = _labels(OUTCOMES)


def validate_adverse_event(kind: str, severity: str, outcome: str, description: str = "") -> None:
    """Kind, severity and outcome from the lists; "other" needs a description.

    Time and action taken (medication given) are recorded beside these as a
    time and free text.
    """
    if kind not in ADVERSE_EVENT_LABELS:
        raise ValidationError("Adverse event", "must be one of: " + ", ".join(ADVERSE_EVENT_KEYS))
    if severity not in SEVERITY_LABELS:
        raise ValidationError("Severity", "must be one of: " + ", ".join(SEVERITIES))
    if outcome not in OUTCOME_LABELS:
        raise ValidationError("Outcome", "must be one of: " + ", ".join(OUTCOME_KEYS))
    if kind == "other" and not description.strip():
        raise ValidationError("Adverse event", "describe the event when the kind is Other")


# --------------------------------------------------------------------------- discharge


def discharge_problems(alert: bool, vitals_in_range: bool, escort_present: bool) -> tuple[str, ...]:
    """What still stands in the way of discharge, one message each; empty when ready."""
    problems: list[str] = []
    if not alert:
        problems.append("Client is not yet alert and oriented")
    if not vitals_in_range:
        problems.append("Vital signs are not back in range")
    if not escort_present:
        problems.append("No escort present: the client must not drive or travel home alone")
    return tuple(problems)


# --------------------------------------------------------------------------- dissociation


@dataclass(frozen=True)
class DissociationScale:
    key: str
    short: str
    name: str
    items: int
    lo: int
    hi: int


# CLINICAL.md: the CADSS licence is unclear, so only the total is recorded (with
# free text), never the items. Each item is rated 0-4, hence the total ranges.
DISSOCIATION_SCALES: tuple[DissociationScale, ...] = (
    DissociationScale(
        "cadss", "CADSS", "Clinician-Administered Dissociative States Scale", 23, 0, 92
    ),
    DissociationScale("cadss6", "CADSS-6", "CADSS short form (6 items)", 6, 0, 24),
)
DISSOCIATION_SCALE_KEYS: tuple[str, ...] = tuple(s.key for s in DISSOCIATION_SCALES)
_DISSOCIATION: dict[str, DissociationScale] = {s.key: s for s in DISSOCIATION_SCALES}


def validate_dissociation_total(scale_key: str, total: int) -> int:
    """A whole-number total within the scale's range (CADSS 0–92, CADSS-6 0–24)."""
    scale = _DISSOCIATION.get(scale_key)
    if scale is None:
        raise ValidationError(
            "Dissociation scale", "must be one of: " + ", ".join(DISSOCIATION_SCALE_KEYS)
        )
    if isinstance(total, bool) or not isinstance(total, int):
        raise ValidationError("Dissociation total", "must be a whole number")
    if not scale.lo <= total <= scale.hi:
        raise ValidationError(
            "Dissociation total", f"{scale.short} must be between {scale.lo} and {scale.hi}"
        )
    return total
