"""Note templates: the sections each kind of note holds (docs/clinical.md "Session notes")."""

from __future__ import annotations

from dataclasses import dataclass

from models import NoteTemplate


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    hint: str


@dataclass(frozen=True)
class Template:
    kind: NoteTemplate
    label: str
    sections: tuple[Section, ...]
    kept_apart: bool = False

    def section_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sections)


TEMPLATES: dict[NoteTemplate, Template] = {
    t.kind: t
    for t in (
        Template(
            NoteTemplate.SOAP,
            "SOAP note",
            (
                Section("subjective", "Subjective", "What the client reports, in their words"),
                Section("objective", "Objective", "What you observed; measures and vitals"),
                Section("assessment", "Assessment", "Your clinical understanding of today"),
                Section("plan", "Plan", "Next steps, homework, next session"),
            ),
        ),
        Template(
            NoteTemplate.DAP,
            "DAP note",
            (
                Section("data", "Data", "What happened in session, reported and observed"),
                Section("assessment", "Assessment", "Your interpretation and progress"),
                Section("plan", "Plan", "Next steps"),
            ),
        ),
        Template(
            NoteTemplate.BIRP,
            "BIRP note",
            (
                Section("behaviour", "Behaviour", "Presentation and what the client brought"),
                Section("intervention", "Intervention", "What you did (EMDR, ART, IFS, …)"),
                Section("response", "Response", "How the client responded"),
                Section("plan", "Plan", "Next steps"),
            ),
        ),
        Template(
            NoteTemplate.PROGRESS,
            "Progress note",
            (Section("note", "Progress note", "Free progress note"),),
        ),
        Template(
            NoteTemplate.INTAKE,
            "Intake / assessment",
            (
                Section(
                    "reason", "Reason for referral", "Presenting concerns in the client's words"
                ),
                Section(
                    "history", "History", "History of the presenting problem, treatment history"
                ),
                Section(
                    "mental_status", "Mental status", "Appearance, mood, affect, thought, insight"
                ),
                Section(
                    "risk", "Risk assessment", "Suicide, self-harm, harm to others, safety plan"
                ),
                Section("formulation", "Formulation and diagnosis", "Working formulation, ICD-10"),
                Section("plan", "Plan", "Treatment plan and goals"),
            ),
        ),
        Template(
            NoteTemplate.PSYCHOTHERAPY,
            "Psychotherapy note (kept apart)",
            (Section("process", "Process notes", "Kept apart from the record (45 CFR 164.501)"),),
            kept_apart=True,
        ),
    )
}


def template(kind: NoteTemplate | str) -> Template:
    return TEMPLATES[NoteTemplate(kind)]
