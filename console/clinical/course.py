"""Course templates: how an intensive or a weekly ketamine-assisted course lays out its sessions.

(docs/clinical.md "Who and when".) A template is a list of steps, each a session
kind on a day counted from the course's first day. The clinic edits its own
templates; these two are the defaults a new vault starts with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from console.errors import ValidationError

STEP_KINDS: tuple[str, ...] = (
    "intake",
    "preparation",
    "medicine",
    "integration",
    "emdr",
    "art",
    "ifs",
    "maintenance",
    "other",
)
COURSE_KINDS: tuple[str, ...] = ("intensive", "weekly", "other")
MAX_DAY = 730
MAX_STEPS = 120


@dataclass(frozen=True)
class Step:
    day: int  # 0 = the course's first day
    kind: str
    title: str = ""


@dataclass(frozen=True)
class Template:
    name: str
    kind: str
    steps: tuple[Step, ...]

    @property
    def summary(self) -> str:
        """ "2 preparation, 6 medicine, 6 integration, 2 follow-up over 7 weeks"."""
        counts: dict[str, int] = {}
        for step in self.steps:
            counts[step.kind] = counts.get(step.kind, 0) + 1
        parts = [f"{n} {kind}" for kind, n in counts.items()]
        span = max((s.day for s in self.steps), default=0)
        weeks = span // 7 + 1
        return ", ".join(parts) + f" over {weeks} week{'' if weeks == 1 else 's'}"


def _with_integration(days: Sequence[int], gap: int) -> list[Step]:
    steps: list[Step] = []
    for n, day in enumerate(days, start=1):
        steps.append(Step(day, "medicine", f"Medicine session {n}"))
        steps.append(Step(day + gap, "integration", f"Integration {n}"))
    return steps


DEFAULT_TEMPLATES: tuple[Template, ...] = (
    Template(
        "Intensive: 2 preparation, 6 medicine with integration over 2 weeks, 2 follow-ups",
        "intensive",
        (
            Step(0, "preparation", "Preparation 1"),
            Step(3, "preparation", "Preparation 2"),
            *_with_integration((7, 9, 11, 14, 16, 18), 1),
            Step(33, "maintenance", "Follow-up 1"),
            Step(49, "maintenance", "Follow-up 2"),
        ),
    ),
    Template(
        "Weekly: 2 preparation, 6 weekly medicine with integration, 2 follow-ups",
        "weekly",
        (
            Step(0, "preparation", "Preparation 1"),
            Step(7, "preparation", "Preparation 2"),
            *_with_integration((14, 21, 28, 35, 42, 49), 2),
            Step(70, "maintenance", "Follow-up 1"),
            Step(84, "maintenance", "Follow-up 2"),
        ),
    ),
)


def check_template(template: Template) -> Template:
    """A template as it may be saved: a name, a known kind, steps in day order."""
    name = template.name.strip()
    if not name:
        raise ValidationError("Template name", "is required")
    if len(name) > 120 or "\n" in name:
        raise ValidationError("Template name", "must be one line of at most 120 characters")
    if template.kind not in COURSE_KINDS:
        raise ValidationError("Course kind", "must be one of: " + ", ".join(COURSE_KINDS))
    if not template.steps:
        raise ValidationError("Steps", "a template needs at least one session")
    if len(template.steps) > MAX_STEPS:
        raise ValidationError("Steps", f"at most {MAX_STEPS} sessions")
    for n, step in enumerate(template.steps, start=1):
        if isinstance(step.day, bool) or not isinstance(step.day, int):
            raise ValidationError(f"Step {n}", "the day must be a whole number")
        if not 0 <= step.day <= MAX_DAY:
            raise ValidationError(f"Step {n}", f"the day must be between 0 and {MAX_DAY}")
        if step.kind not in STEP_KINDS:
            raise ValidationError(f"Step {n}", "kind must be one of: " + ", ".join(STEP_KINDS))
        if len(step.title) > 200 or "\n" in step.title:
            raise ValidationError(f"Step {n}", "the title must be one line")
    steps = tuple(sorted(template.steps, key=lambda s: s.day))
    return Template(name, template.kind, tuple(Step(s.day, s.kind, s.title.strip()) for s in steps))


@dataclass(frozen=True)
class CalendarGrid:
    """The weeks a program's calendar shows: whole weeks from Monday, course days marked."""

    mondays: tuple[date, ...]
    start: date
    end: date

    def in_course(self, day: date) -> bool:
        return self.start <= day <= self.end


def calendar_grid(start: date, end: date | None, session_days: Sequence[date]) -> CalendarGrid:
    """Every week from the program's start (or an earlier session) to its end (or a later one).

    A session moved outside the program's dates still gets a cell to show it in.
    """
    first = min([start, *session_days])
    last = max([end or first, *session_days])
    monday = first - timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    return CalendarGrid(
        tuple(monday + timedelta(days=7 * w) for w in range(weeks)), start, end or last
    )
