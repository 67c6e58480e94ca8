"""All services of one unlocked vault, built once and passed to whoever needs them."""

from __future__ import annotations

from dataclasses import dataclass

from console.clinical.medicine_safety import MedicinePolicy
from console.services import audit
from console.services.art import ArtService
from console.services.bls import BlsSetService
from console.services.changes import ChangeBus
from console.services.clients import ClientService
from console.services.clinician import ClinicianService
from console.services.course import CourseService
from console.services.emdr import EmdrService
from console.services.ifs import IfsService
from console.services.measures import MeasureService
from console.services.medicine import MedicineService
from console.services.notes import NoteService
from console.services.programs import ProgramService
from console.services.rescripting import RescriptingService
from console.services.screening import ScreeningService
from console.services.search import SearchService
from console.services.sessions import SessionService
from console.vault import Vault


@dataclass(frozen=True)
class VerifyReport:
    audit_events: int
    problems: tuple[str, ...]

    @property
    def sound(self) -> bool:
        return not self.problems


class Services:
    def __init__(self, vault: Vault, changes: ChangeBus | None = None) -> None:
        self.vault = vault
        self.changes = changes or ChangeBus()
        self.clinician = ClinicianService(vault, self.changes)
        self.clients = ClientService(vault, self.changes)
        self.programs = ProgramService(vault, self.changes)
        self.sessions = SessionService(vault, self.changes)
        self.notes = NoteService(vault, self.changes)
        self.search = SearchService(vault, self.changes)
        self.bls_sets = BlsSetService(vault, self.changes)
        self.measures = MeasureService(vault, self.changes)
        self.emdr = EmdrService(vault, self.changes)
        self.art = ArtService(vault, self.changes)
        self.rescripting = RescriptingService(vault, self.changes)
        self.ifs = IfsService(vault, self.changes)
        self.screening = ScreeningService(vault, self.changes)
        self.medicine = MedicineService(vault, self.changes)
        self.course = CourseService(vault, self.changes)

    def use_medicine_policy(self, policy: MedicinePolicy) -> None:
        """The clinic's medicine settings, for screening states and sessions alike."""
        self.screening.use_policy(policy)
        self.medicine.use_policy(policy)

    def verify(self) -> VerifyReport:
        """Pages, triggers and the anchored head; the keyed audit chain; every signature.

        A signature is checked twice: its content hash against what is stored
        now, and its keyed seal and signing event, which someone with only the
        database key cannot recompute.
        """
        problems = list(self.vault.integrity_problems())
        with self.vault.session() as db:
            count, broken = audit.verify_chain(db)
        if broken:
            problems.append(broken)
        altered = self.notes.first_altered_signature() or self.vault.first_unsealed_signature()
        if altered:
            problems.append(altered)
        problems.extend(self.vault.missing_triggers())
        return VerifyReport(count, tuple(problems))

    def recent_audit(self, limit: int = 100) -> list[audit.AuditEntry]:
        with self.vault.session() as db:
            return audit.recent(db, limit)
