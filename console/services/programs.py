"""Programs (a course of treatment) and the goals that belong to them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from console.errors import ValidationError
from console.services import validation as v
from console.services.base import Service
from console.services.changes import Action, Kind
from models import Client, Goal, Program, ProgramKind
from models.note import note_goals


@dataclass(frozen=True)
class ProgramFields:
    kind: ProgramKind
    title: str
    start_date: date
    end_date: date | None = None
    description: str = ""
    goals: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoalRecord:
    id: uuid.UUID
    text: str
    achieved: bool


@dataclass(frozen=True)
class ProgramRecord:
    id: uuid.UUID
    client_id: uuid.UUID
    kind: ProgramKind
    title: str
    start_date: date
    end_date: date | None
    description: str
    goals: tuple[GoalRecord, ...]


def _validated(data: ProgramFields) -> tuple[dict[str, object], tuple[str, ...]]:
    start = v.a_date("start_date", data.start_date, required=True)
    end = v.a_date("end_date", data.end_date)
    if start and end and end < start:
        raise ValidationError("end_date", "cannot be before the start date")
    goals = tuple(data.goals)
    for i, goal in enumerate(goals):
        v.text(f"goals[{i + 1}]", goal, required=True, max_len=2000)
    return {
        "kind": v.choice("kind", data.kind, ProgramKind),
        "title": v.line("title", data.title, required=True),
        "start_date": start,
        "end_date": end,
        "description": v.text("description", data.description, max_len=20000),
    }, goals


def to_record(p: Program) -> ProgramRecord:
    return ProgramRecord(
        p.id,
        p.client_id,
        p.kind,
        p.title,
        p.start_date,
        p.end_date,
        p.description,
        tuple(GoalRecord(g.id, g.text, g.achieved) for g in p.goals),
    )


class ProgramService(Service):
    def create(self, client_id: uuid.UUID, data: ProgramFields) -> ProgramRecord:
        values, goals = _validated(data)
        with self.write(Action.CREATED) as op:
            client = self.fetch(op.db, Client, v.record_id("client", client_id), "client")
            program = Program(client_id=client.id, **values)
            program.goals = [Goal(text=t, position=i) for i, t in enumerate(goals)]
            op.db.add(program)
            op.db.flush()
            op.audit("create", "program", program.id)
            op.touched(Kind.PROGRAM, program.id, client=client.id)
            return to_record(program)

    def update(self, program_id: uuid.UUID, data: ProgramFields) -> ProgramRecord:
        """Edit a program; goals are matched by position, so ones notes cite keep their id."""
        values, goals = _validated(data)
        with self.write() as op:
            db = op.db
            program = self.fetch(db, Program, v.record_id("program", program_id), "program")
            for key, val in values.items():
                setattr(program, key, val)
            for i, goal_text in enumerate(goals):
                if i < len(program.goals):
                    program.goals[i].text = goal_text
                else:
                    program.goals.append(Goal(text=goal_text, position=i))
            for goal in list(program.goals[len(goals) :]):
                cited = db.scalar(
                    select(func.count())
                    .select_from(note_goals)
                    .where(note_goals.c.goal_id == goal.id)
                )
                if cited:
                    raise ValidationError(
                        "goals", "a goal that notes refer to cannot be removed; mark it achieved"
                    )
                program.goals.remove(goal)
            db.flush()
            op.audit("update", "program", program.id)
            op.touched(Kind.PROGRAM, program.id, client=program.client_id)
            return to_record(program)

    def set_goal_achieved(self, goal_id: uuid.UUID, achieved: bool) -> GoalRecord:
        with self.write() as op:
            goal = self.fetch(op.db, Goal, v.record_id("goal", goal_id), "goal")
            goal.achieved = bool(achieved)
            op.db.flush()
            op.audit("update", "goal", goal.id, f"achieved: {goal.achieved}")
            program = self.fetch(op.db, Program, goal.program_id, "program")
            op.touched(Kind.PROGRAM, program.id, client=program.client_id)
            return GoalRecord(goal.id, goal.text, goal.achieved)

    def get(self, program_id: uuid.UUID) -> ProgramRecord:
        with self.unit() as db:
            return to_record(self.fetch(db, Program, v.record_id("program", program_id), "program"))

    def list_for_client(self, client_id: uuid.UUID) -> list[ProgramRecord]:
        with self.unit() as db:
            rows = db.scalars(
                select(Program)
                .where(Program.client_id == v.record_id("client", client_id))
                .order_by(Program.start_date.desc())
            )
            return [to_record(p) for p in rows]
