"""The record kinds the UI shows and chooses from, without importing the models."""

from models import (
    ClientStatus,
    NoteStatus,
    NoteTemplate,
    ProgramKind,
    SessionAttendance,
    SessionKind,
    SessionLocation,
)

SESSION_KIND_LABELS: dict[SessionKind, str] = {
    SessionKind.INTAKE: "Intake",
    SessionKind.PREPARATION: "Preparation",
    SessionKind.MEDICINE: "Medicine session",
    SessionKind.INTEGRATION: "Integration",
    SessionKind.EMDR: "EMDR",
    SessionKind.ART: "ART",
    SessionKind.IFS: "IFS",
    SessionKind.MAINTENANCE: "Maintenance",
    SessionKind.OTHER: "Other",
}
SESSION_KIND_CODES: dict[SessionKind, str] = {
    SessionKind.INTAKE: "IN",
    SessionKind.PREPARATION: "PR",
    SessionKind.MEDICINE: "Rx",
    SessionKind.INTEGRATION: "IG",
    SessionKind.EMDR: "EM",
    SessionKind.ART: "AR",
    SessionKind.IFS: "IF",
    SessionKind.MAINTENANCE: "MT",
    SessionKind.OTHER: "OT",
}
LOCATION_LABELS: dict[SessionLocation, str] = {
    SessionLocation.IN_PERSON: "In person",
    SessionLocation.TELEHEALTH: "Telehealth",
}
ATTENDANCE_LABELS: dict[SessionAttendance, str] = {
    SessionAttendance.PLANNED: "Planned",
    SessionAttendance.DONE: "Done",
    SessionAttendance.MISSED: "Missed",
    SessionAttendance.CANCELLED: "Cancelled",
}
# A symbol for each, so that no state is told by colour alone.
ATTENDANCE_SYMBOLS: dict[SessionAttendance, str] = {
    SessionAttendance.PLANNED: "○",
    SessionAttendance.DONE: "✓",
    SessionAttendance.MISSED: "✗",
    SessionAttendance.CANCELLED: "–",
}
PROGRAM_KIND_LABELS: dict[ProgramKind, str] = {
    ProgramKind.INTENSIVE: "Intensive",
    ProgramKind.WEEKLY: "Weekly",
    ProgramKind.OTHER: "Other",
}

__all__ = [
    "ATTENDANCE_LABELS",
    "ATTENDANCE_SYMBOLS",
    "LOCATION_LABELS",
    "PROGRAM_KIND_LABELS",
    "SESSION_KIND_CODES",
    "SESSION_KIND_LABELS",
    "ClientStatus",
    "NoteStatus",
    "NoteTemplate",
    "ProgramKind",
    "SessionAttendance",
    "SessionKind",
    "SessionLocation",
]
