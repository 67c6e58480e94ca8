"""The contraindication checklist and preparation, and whether a first dose may go ahead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from console.clinical.medicine.common import Item, item_keys, item_labels, plural
from console.errors import ValidationError

# The contraindications docs/clinical.md lists, in its order, each answered yes/no/unknown
# with notes. The labels are docs/clinical.md's words, capitalised.
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
CONTRAINDICATION_KEYS: tuple[str, ...] = item_keys(CONTRAINDICATIONS)
CONTRAINDICATION_LABELS: dict[str, str] = item_labels(CONTRAINDICATIONS)

# The preparation docs/clinical.md asks for besides the checklist. `screening_state` takes
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
    sorted_answers = _sort_answers(answers)
    reason = override_reason.strip() if isinstance(override_reason, str) else ""
    status, summary, kept_reason = _decide(
        sorted_answers, bool(consent_given), bool(instructions_acknowledged), reason
    )
    pending = tuple(review)
    if status != "blocked" and pending:
        status, summary = "needs_review", "Needs review: " + "; ".join(pending)
    return ScreeningState(
        status=status,
        blocking=sorted_answers.blocking,
        yes=sorted_answers.yes,
        unknown=sorted_answers.unknown,
        unanswered=sorted_answers.unanswered,
        consent_given=bool(consent_given),
        instructions_acknowledged=bool(instructions_acknowledged),
        override_reason=kept_reason,
        summary=summary,
        review=pending if status == "needs_review" else (),
    )


@dataclass(frozen=True)
class _SortedAnswers:
    """Checklist keys that are not a plain "no", split by the answer given."""

    blocking: tuple[str, ...]
    yes: tuple[str, ...]
    unknown: tuple[str, ...]
    unanswered: tuple[str, ...]


def _sort_answers(answers: Mapping[str, str]) -> _SortedAnswers:
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
    return _SortedAnswers(tuple(blocking), tuple(yes), tuple(unknown), tuple(unanswered))


def _decide(
    found: _SortedAnswers, consent_given: bool, instructions_acknowledged: bool, reason: str
) -> tuple[ScreeningStatus, str, str | None]:
    """Status, summary and the override reason kept, before any prescriber review."""
    prepared = consent_given and instructions_acknowledged
    if not found.blocking and prepared:
        return "cleared", "Cleared", None
    if found.blocking and prepared and reason:
        return "overridden", f"Overridden: {plural(len(found.blocking), 'item')}", reason
    missing = _missing(found, consent_given, instructions_acknowledged)
    return "blocked", "Blocked: " + ", ".join(missing), None


def _missing(
    found: _SortedAnswers, consent_given: bool, instructions_acknowledged: bool
) -> list[str]:
    """What a blocked summary names, in the order the clinician fixes it."""
    missing: list[str] = []
    if found.yes:
        missing.append(plural(len(found.yes), "item") + " yes")
    if found.unknown:
        missing.append(f"{len(found.unknown)} unknown")
    if found.unanswered:
        missing.append(f"{len(found.unanswered)} unanswered")
    if not consent_given:
        missing.append("no consent")
    if not instructions_acknowledged:
        missing.append("instructions not acknowledged")
    return missing
