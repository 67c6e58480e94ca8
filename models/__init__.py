"""SQLAlchemy models of the vault's records. Imports nothing of the application."""

from models.audit import AuditEvent
from models.base import Base
from models.bls import BlsSet
from models.client import AnxietyFocus, Client, ClientDiagnosis, ClientStatus
from models.clinician import Clinician
from models.ifs import IfsPart, IfsPartWork, IfsRelation, IfsSessionMap
from models.integrity import SignatureSeal, VaultIdentity
from models.measure import MeasureResponse
from models.medicine import AdverseEvent, MedicineSession, ProgramTemplate, Screening, VitalReading
from models.note import Addendum, Note, NoteStatus, NoteTemplate
from models.program import Goal, Program, ProgramKind
from models.search import SearchRow
from models.session import Session, SessionAttendance, SessionKind, SessionLocation
from models.worksheets import ArtWorksheet, EmdrSessionWork, EmdrTarget, RescriptingWorksheet

__all__ = [
    "Addendum",
    "AdverseEvent",
    "AnxietyFocus",
    "ArtWorksheet",
    "AuditEvent",
    "Base",
    "BlsSet",
    "Client",
    "ClientDiagnosis",
    "ClientStatus",
    "Clinician",
    "EmdrSessionWork",
    "EmdrTarget",
    "Goal",
    "IfsPart",
    "IfsPartWork",
    "IfsRelation",
    "IfsSessionMap",
    "MeasureResponse",
    "MedicineSession",
    "Note",
    "NoteStatus",
    "NoteTemplate",
    "Program",
    "ProgramKind",
    "ProgramTemplate",
    "RescriptingWorksheet",
    "Screening",
    "SearchRow",
    "Session",
    "SessionAttendance",
    "SessionKind",
    "SessionLocation",
    "SignatureSeal",
    "VaultIdentity",
    "VitalReading",
]
