"""Outcome measures as data, and their scoring (docs/clinical.md "Outcome measures").

Definitions live here rather than in the database so every vault scores the
same answers the same way, and a corrected band edge reaches old records too.
Only instruments free to reproduce carry item wording; PDSS and SPIN are
copyrighted, so the clinician enters their total and no item text ships.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from console.errors import ValidationError

ChangeLabel = Literal["improvement", "no change", "worsening"]

SELF_HARM_FLAG = "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) above 0"
SELF_HARM_ITEM = 9

# How a clinician answers a risk flag: a risk assessment written down, or the
# clinic's own safety-plan document followed (docs/clinical.md: item 9 must reach
# the clinician; the record must show it was acted on).
RiskMethod = Literal["assessment", "safety_plan"]
RISK_METHODS: dict[RiskMethod, str] = {
    "assessment": "Risk assessment",
    "safety_plan": "Safety plan",
}


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    # Empty when the measure's shared response options apply (all but OASIS).
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Band:
    lo: int
    hi: int
    label: str


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    title: str
    lo: int
    hi: int
    bands: tuple[Band, ...]
    # Points a total must move before the change is called real, not noise;
    # None where no figure is settled enough to label change automatically.
    reliable_change: int | None
    source: str
    instructions: str = ""
    items: tuple[Item, ...] = ()
    options: tuple[Option, ...] = ()
    item_lo: int = 0
    item_hi: int = 0
    threshold_note: str = ""

    @property
    def total_only(self) -> bool:
        """True for copyrighted measures: the clinician enters a total, never items."""
        return not self.items

    def item_options(self, item: Item) -> tuple[Option, ...]:
        return item.options or self.options

    def band(self, total: int) -> str:
        for band in self.bands:
            if band.lo <= total <= band.hi:
                return band.label
        return ""


@dataclass(frozen=True)
class Score:
    total: int | None
    band: str
    complete: bool
    flags: tuple[str, ...] = ()


def _bands(hi: int, *edges: tuple[int, str]) -> tuple[Band, ...]:
    """Contiguous bands from (lower edge, label) pairs, the last running to `hi`."""
    uppers = [lo - 1 for lo, _ in edges[1:]] + [hi]
    return tuple(Band(lo, up, label) for (lo, label), up in zip(edges, uppers, strict=True))


PFIZER = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)

FREQUENCY = (
    Option(0, "Not at all"),
    Option(1, "Several days"),
    Option(2, "More than half the days"),
    Option(3, "Nearly every day"),
)

BOTHERED = (
    Option(0, "Not at all"),
    Option(1, "A little bit"),
    Option(2, "Moderately"),
    Option(3, "Quite a bit"),
    Option(4, "Extremely"),
)


def _items(*texts: str) -> tuple[Item, ...]:
    return tuple(Item(n, t) for n, t in enumerate(texts, start=1))


GAD7 = Measure(
    key="gad7",
    name="GAD-7",
    title="Generalized Anxiety Disorder 7-item scale",
    lo=0,
    hi=21,
    bands=_bands(21, (0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
    reliable_change=4,
    source=PFIZER,
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by the following problems?"
    ),
    items=_items(
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ),
    options=FREQUENCY,
    item_hi=3,
)

PHQ9 = Measure(
    key="phq9",
    name="PHQ-9",
    title="Patient Health Questionnaire 9-item depression scale",
    lo=0,
    hi=27,
    bands=_bands(
        27,
        (0, "minimal"),
        (5, "mild"),
        (10, "moderate"),
        (15, "moderately severe"),
        (20, "severe"),
    ),
    reliable_change=6,
    source=PFIZER,
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=_items(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself \N{EM DASH} or that you are a failure or have let "
        "yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite "
        "\N{EM DASH} being so fidgety or restless that you have been moving around a lot more "
        "than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    options=FREQUENCY,
    item_hi=3,
)

PCL5 = Measure(
    key="pcl5",
    name="PCL-5",
    title="PTSD Checklist for DSM-5",
    lo=0,
    hi=80,
    # The National Center for PTSD gives 31-33 as the cut-point range for probable
    # PTSD; we band at the top of it (33) so a "probable PTSD" label is not
    # over-called, and say so next to the chart.
    bands=_bands(80, (0, "below threshold"), (33, "probable PTSD")),
    threshold_note=(
        "Probable PTSD from 33; the published cut-point range is 31\N{EN DASH}33, "
        "so a total of 31 or 32 deserves a clinical look."
    ),
    reliable_change=10,
    source="National Center for PTSD (public domain)",
    instructions=(
        "Below is a list of problems that people sometimes have in response to a very "
        "stressful experience. In the past month, how much were you bothered by:"
    ),
    items=_items(
        "Repeated, disturbing, and unwanted memories of the stressful experience?",
        "Repeated, disturbing dreams of the stressful experience?",
        "Suddenly feeling or acting as if the stressful experience were actually happening "
        "again (as if you were actually back there reliving it)?",
        "Feeling very upset when something reminded you of the stressful experience?",
        "Having strong physical reactions when something reminded you of the stressful "
        "experience (for example, heart pounding, trouble breathing, sweating)?",
        "Avoiding memories, thoughts, or feelings related to the stressful experience?",
        "Avoiding external reminders of the stressful experience (for example, people, "
        "places, conversations, activities, objects, or situations)?",
        "Trouble remembering important parts of the stressful experience?",
        "Having strong negative beliefs about yourself, other people, or the world (for "
        "example, having thoughts such as: I am bad, there is something seriously wrong "
        "with me, no one can be trusted, the world is completely dangerous)?",
        "Blaming yourself or someone else for the stressful experience or what happened after it?",
        "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
        "Loss of interest in activities that you used to enjoy?",
        "Feeling distant or cut off from other people?",
        "Trouble experiencing positive feelings (for example, being unable to feel "
        "happiness or have loving feelings for people close to you)?",
        "Irritable behavior, angry outbursts, or acting aggressively?",
        "Taking too many risks or doing things that could cause you harm?",
        'Being "superalert" or watchful or on guard?',
        "Feeling jumpy or easily startled?",
        "Having difficulty concentrating?",
        "Trouble falling or staying asleep?",
    ),
    options=BOTHERED,
    item_hi=4,
)

OASIS = Measure(
    key="oasis",
    name="OASIS",
    title="Overall Anxiety Severity and Impairment Scale",
    lo=0,
    hi=20,
    bands=_bands(20, (0, "below clinical threshold"), (8, "clinically significant")),
    # No reliable-change index is well established for OASIS; 4 points (a fifth
    # of the range, about the same share as GAD-7's) is a conservative choice.
    reliable_change=4,
    source="Norman et al., 2006 (free to use)",
    instructions=(
        "The following items ask about anxiety and fear. For each item, choose the answer "
        "that best describes your experience over the past week."
    ),
    items=(
        Item(
            1,
            "In the past week, how often have you felt anxious?",
            (
                Option(0, "No anxiety in the past week."),
                Option(1, "Infrequent anxiety. Felt anxious a few times."),
                Option(
                    2,
                    "Occasional anxiety. Felt anxious as much of the time as not. "
                    "It was hard to relax.",
                ),
                Option(
                    3,
                    "Frequent anxiety. Felt anxious most of the time. "
                    "It was very difficult to relax.",
                ),
                Option(
                    4,
                    "Constant anxiety. Felt anxious all of the time and never really relaxed.",
                ),
            ),
        ),
        Item(
            2,
            "In the past week, when you have felt anxious, how intense or severe was your anxiety?",
            (
                Option(0, "Little or none: anxiety was absent or barely noticeable."),
                Option(
                    1,
                    "Mild: anxiety was at a low level. It was possible to relax when I tried. "
                    "Physical symptoms were only slightly uncomfortable.",
                ),
                Option(
                    2,
                    "Moderate: anxiety was distressing at times. It was hard to relax or "
                    "concentrate, but I could do it if I tried. Physical symptoms were "
                    "uncomfortable.",
                ),
                Option(
                    3,
                    "Severe: anxiety was intense much of the time. It was very difficult to "
                    "relax or focus on anything else. Physical symptoms were extremely "
                    "uncomfortable.",
                ),
                Option(
                    4,
                    "Extreme: anxiety was overwhelming. It was impossible to relax at all. "
                    "Physical symptoms were unbearable.",
                ),
            ),
        ),
        Item(
            3,
            "In the past week, how often did you avoid situations, places, objects, or "
            "activities because of anxiety or fear?",
            (
                Option(
                    0,
                    "None: I do not avoid places, situations, activities, or things because "
                    "of fear.",
                ),
                Option(
                    1,
                    "Infrequent: I avoid something once in a while, but will usually face the "
                    "situation or confront the object. My lifestyle is not affected.",
                ),
                Option(
                    2,
                    "Occasional: I have some fear of certain situations, places, or objects, "
                    "but it is still manageable. My lifestyle has only changed in minor ways. "
                    "I always or almost always avoid the things I fear when I'm alone, but "
                    "can handle them if someone comes with me.",
                ),
                Option(
                    3,
                    "Frequent: I have considerable fear and really try to avoid the things "
                    "that frighten me. I have made significant changes in my lifestyle to "
                    "avoid the object, situation, activity, or place.",
                ),
                Option(
                    4,
                    "All the time: avoiding objects, situations, activities, or places has "
                    "taken over my life. My lifestyle has been extensively affected and I no "
                    "longer do things that I used to enjoy.",
                ),
            ),
        ),
        Item(
            4,
            "In the past week, how much did your anxiety interfere with your ability to do "
            "the things you needed to do at work, at school, or at home?",
            (
                Option(0, "None: no interference at work/home/school caused by anxiety."),
                Option(
                    1,
                    "Mild: my anxiety has caused some interference at work/home/school. "
                    "Things are more difficult, but everything that needs to be done is "
                    "still getting done.",
                ),
                Option(
                    2,
                    "Moderate: my anxiety definitely interferes with tasks. Most things are "
                    "still getting done, but few things are being done as well as in the "
                    "past.",
                ),
                Option(
                    3,
                    "Severe: my anxiety has really changed my ability to get things done. "
                    "Some tasks are still being done, but many things are not. My "
                    "performance has definitely suffered.",
                ),
                Option(
                    4,
                    "Extreme: my anxiety has become incapacitating. I am unable to complete "
                    "tasks and have had to leave school, have quit or been fired from my "
                    "job, or have been unable to complete tasks at home and have faced "
                    "consequences like bill collectors, eviction, etc.",
                ),
            ),
        ),
        Item(
            5,
            "In the past week, how much has anxiety interfered with your social life and "
            "relationships?",
            (
                Option(0, "None: my anxiety doesn't affect my relationships."),
                Option(
                    1,
                    "Mild: my anxiety slightly interferes with my relationships. Some of my "
                    "friendships and other relationships have suffered, but, overall, my "
                    "social life is still fulfilling.",
                ),
                Option(
                    2,
                    "Moderate: I have experienced some interference with my social life, but "
                    "I still have a few close relationships. I don't spend as much time with "
                    "others as in the past, but I still socialize sometimes.",
                ),
                Option(
                    3,
                    "Severe: my friendships and other relationships have suffered a lot "
                    "because of anxiety. I do not enjoy social activities. I socialize very "
                    "little.",
                ),
                Option(
                    4,
                    "Extreme: my anxiety has completely disrupted my social activities. All "
                    "of my relationships have suffered or ended, and my family life is "
                    "extremely strained.",
                ),
            ),
        ),
    ),
    item_hi=4,
)

# Copyrighted: totals only, entered by the clinician, and no bands or
# reliable-change figure of our own making.
PDSS = Measure(
    key="pdss",
    name="PDSS",
    title="Panic Disorder Severity Scale (total entered by the clinician)",
    lo=0,
    hi=28,
    bands=(),
    reliable_change=None,
    source="Shear et al., 1997 (copyrighted; item text not reproduced)",
)

SPIN = Measure(
    key="spin",
    name="SPIN",
    title="Social Phobia Inventory (total entered by the clinician)",
    lo=0,
    hi=68,
    bands=(),
    reliable_change=None,
    source="Connor et al., 2000 (copyrighted; item text not reproduced)",
)

MEASURES: dict[str, Measure] = {m.key: m for m in (GAD7, PHQ9, PCL5, OASIS, PDSS, SPIN)}


def get(key: str | Measure) -> Measure:
    if isinstance(key, Measure):
        return key
    try:
        return MEASURES[key]
    except (KeyError, TypeError):
        known = ", ".join(MEASURES)
        raise ValidationError("measure", f"must be one of: {known}") from None


def _flags(measure: Measure, answers: Sequence[int | None]) -> tuple[str, ...]:
    # Raised even on an incomplete form: a self-harm answer must reach the
    # clinician whether or not the rest was filled in.
    if measure is PHQ9 and (answers[SELF_HARM_ITEM - 1] or 0) > 0:
        return (SELF_HARM_FLAG,)
    return ()


def needs_risk_response(flags: Sequence[str]) -> bool:
    """True when a flag asks the clinician to act and record what was done (item 9 today)."""
    return SELF_HARM_FLAG in flags


def answer_label(measure_key: str | Measure, number: int, value: int | None) -> str:
    """An item's answer in the words the client chose, e.g. "Several days (1)"."""
    measure = get(measure_key)
    if value is None:
        return "not answered"
    item = measure.items[number - 1]
    label = next((o.label for o in measure.item_options(item) if o.value == value), "")
    return f"{label} ({value})" if label else str(value)


def score(measure_key: str | Measure, answers: Sequence[int | None]) -> Score:
    """Total, band and flags; a skipped item leaves the form unscored, never counted as 0."""
    measure = get(measure_key)
    if measure.total_only:
        raise ValidationError("answers", f"{measure.name} is entered as a total, not item by item")
    if isinstance(answers, str | bytes) or len(answers) != len(measure.items):
        raise ValidationError("answers", f"{measure.name} has {len(measure.items)} items")
    for item, answer in zip(measure.items, answers, strict=True):
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValidationError(f"item {item.number}", "must be a whole number")
        if not measure.item_lo <= answer <= measure.item_hi:
            raise ValidationError(
                f"item {item.number}", f"must be between {measure.item_lo} and {measure.item_hi}"
            )
    flags = _flags(measure, answers)
    if any(a is None for a in answers):
        return Score(None, "", False, flags)
    total = sum(a for a in answers if a is not None)
    return Score(total, measure.band(total), True, flags)


def score_total(measure_key: str | Measure, total: int) -> Score:
    """A total entered by the clinician, for measures whose items we may not show."""
    measure = get(measure_key)
    if not measure.total_only:
        raise ValidationError("total", f"{measure.name} is scored from its items")
    if isinstance(total, bool) or not isinstance(total, int):
        raise ValidationError("total", "must be a whole number")
    if not measure.lo <= total <= measure.hi:
        raise ValidationError("total", f"must be between {measure.lo} and {measure.hi}")
    return Score(total, measure.band(total), True)


def change_label(measure: str | Measure, baseline: int, latest: int) -> ChangeLabel | None:
    """Improvement / no change / worsening by the measure's reliable-change figure.

    Lower is better on every measure here. A move smaller than the figure is
    "no change": it may be noise. None where the measure has no figure.
    """
    definition = get(measure)
    if definition.reliable_change is None:
        return None
    moved = latest - baseline
    if moved <= -definition.reliable_change:
        return "improvement"
    if moved >= definition.reliable_change:
        return "worsening"
    return "no change"
