"""Clients: create, edit, archive, list and find."""

from __future__ import annotations

import builtins
import re
import unicodedata
import uuid
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select

from console.errors import ValidationError
from console.services import search
from console.services import validation as v
from console.services.base import Service
from console.services.changes import Action, Kind
from models import Client, ClientDiagnosis, ClientStatus

SortKey = Literal["name", "updated", "created"]
DEMO_MARK = "(demo)"
MAX_DIAGNOSES = 30
MAX_DIAGNOSIS_LABEL = 2000
_CODE_SEPARATORS = re.compile(r"[\s,;/]+")


@dataclass(frozen=True)
class DiagnosisFields:
    """One diagnosis: an ICD-10 code, its label in words (either may be blank, not both), and
    whether it is the one the record leads with."""

    code: str = ""
    label: str = ""
    primary: bool = False


@dataclass(frozen=True)
class ClientFields:
    """What a person can type about a client; also what `create` and `update` take."""

    name: str
    preferred_name: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    presenting_concerns: str = ""
    diagnoses: tuple[DiagnosisFields, ...] = ()
    anxiety_cognitive: bool = False
    anxiety_somatic: bool = False
    anxiety_behavioural: bool = False
    treatment_history: str = ""


@dataclass(frozen=True)
class ClientRecord(ClientFields):
    id: uuid.UUID = uuid.UUID(int=0)
    status: ClientStatus = ClientStatus.ACTIVE
    is_demo: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def display_name(self) -> str:
        """The name as lists and headings show it: a preferred name once, in quotes, only when
        the client goes by something other than their first name; a demo client's mark last,
        so a fictional record is never mistaken for a real one."""
        base = self.name.removesuffix(f" {DEMO_MARK}") if self.is_demo else self.name
        first = next(iter(base.split()), "")
        preferred = self.preferred_name.strip()
        if preferred and _folded(preferred) not in {_folded(base), _folded(first)}:
            base = f"{base} “{preferred}”"
        return f"{base} {DEMO_MARK}" if self.is_demo else base

    def fields(self) -> ClientFields:
        return ClientFields(**{f.name: getattr(self, f.name) for f in fields(ClientFields)})


def _quoted(value: str) -> str:
    shown = value.strip()
    return f"“{shown[:20]}…”" if len(shown) > 20 else f"“{shown}”"


def _diagnosis(number: int, row: DiagnosisFields) -> DiagnosisFields:
    """One row tidied; a refusal says which row, numbered as the dialog shows them."""
    where = f"Diagnosis {number}"
    if not isinstance(row.primary, bool):
        raise ValidationError("diagnoses", f"{where}: primary must be yes or no")
    try:
        code = v.icd10("diagnoses", row.code)
    except ValidationError as exc:
        if not isinstance(row.code, str) or "\x00" in row.code:
            raise ValidationError("diagnoses", f"{where}: the code {exc.reason}") from None
        parts = [p for p in _CODE_SEPARATORS.split(row.code.upper()) if p]
        if len(parts) > 1 and all(v.ICD10.fullmatch(p) for p in parts):
            raise ValidationError(
                "diagnoses",
                f"{where}: {_quoted(row.code)} holds {len(parts)} codes; give each its own row",
            ) from None
        raise ValidationError("diagnoses", f"{where}: {_quoted(row.code)} {exc.reason}") from None
    try:
        label = v.line("diagnoses", row.label, max_len=MAX_DIAGNOSIS_LABEL)
    except ValidationError as exc:
        raise ValidationError("diagnoses", f"{where}: the label {exc.reason}") from None
    if not code and not label:
        raise ValidationError(
            "diagnoses", f"{where}: give an ICD-10 code or a label (or remove the row)"
        )
    return DiagnosisFields(code, label, row.primary)


def _diagnoses(rows: object) -> tuple[DiagnosisFields, ...]:
    """Checked and tidied, the primary first; with none marked, the first row is primary."""
    if not isinstance(rows, tuple | list) or not all(isinstance(r, DiagnosisFields) for r in rows):
        raise ValidationError("diagnoses", "must be a list of diagnoses")
    if len(rows) > MAX_DIAGNOSES:
        raise ValidationError("diagnoses", f"can hold at most {MAX_DIAGNOSES} diagnoses")
    tidy: list[DiagnosisFields] = []
    numbers: dict[str, int] = {}
    primary: int | None = None
    for number, row in enumerate(rows, 1):
        diagnosis = _diagnosis(number, row)
        if diagnosis.code in numbers:
            raise ValidationError(
                "diagnoses",
                f"Diagnosis {number}: {diagnosis.code} is already diagnosis "
                f"{numbers[diagnosis.code]}",
            )
        if diagnosis.code:
            numbers[diagnosis.code] = number
        if diagnosis.primary:
            if primary is not None:
                raise ValidationError(
                    "diagnoses",
                    f"Diagnosis {number}: only one diagnosis can be primary, "
                    f"and diagnosis {primary} already is",
                )
            primary = number
        tidy.append(diagnosis)
    if not tidy:
        return ()
    lead = tidy.pop((primary or 1) - 1)
    return (replace(lead, primary=True), *(replace(d, primary=False) for d in tidy))


def _validated(data: ClientFields) -> tuple[dict[str, object], tuple[DiagnosisFields, ...]]:
    for flag in ("anxiety_cognitive", "anxiety_somatic", "anxiety_behavioural"):
        if not isinstance(getattr(data, flag), bool):
            raise ValidationError(flag, "must be yes or no")
    values: dict[str, object] = {
        "name": v.line("name", data.name, required=True),
        "preferred_name": v.line("preferred_name", data.preferred_name),
        "date_of_birth": v.past_date("date_of_birth", data.date_of_birth),
        "phone": v.phone("phone", data.phone),
        "email": v.email("email", data.email),
        "address": v.text("address", data.address, max_len=2000),
        "emergency_contact_name": v.line("emergency_contact_name", data.emergency_contact_name),
        "emergency_contact_phone": v.phone("emergency_contact_phone", data.emergency_contact_phone),
        "presenting_concerns": v.text("presenting_concerns", data.presenting_concerns),
        "anxiety_cognitive": data.anxiety_cognitive,
        "anxiety_somatic": data.anxiety_somatic,
        "anxiety_behavioural": data.anxiety_behavioural,
        "treatment_history": v.text("treatment_history", data.treatment_history),
    }
    return values, _diagnoses(data.diagnoses)


def _folded(text: str) -> str:
    """Case- and accent-blind form, so "zoe" finds "Zoë" and "Élodie" sorts among the Es."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _diagnosis_rows(diagnoses: tuple[DiagnosisFields, ...]) -> list[ClientDiagnosis]:
    return [
        ClientDiagnosis(position=i, code=d.code, label=d.label, is_primary=d.primary)
        for i, d in enumerate(diagnoses)
    ]


def _stored_diagnoses(client: Client) -> tuple[DiagnosisFields, ...]:
    rows = sorted(client.diagnoses, key=lambda d: (not d.is_primary, d.position))
    return tuple(DiagnosisFields(d.code, d.label, d.is_primary) for d in rows)


def to_record(client: Client) -> ClientRecord:
    values = {
        f.name: getattr(client, f.name) for f in fields(ClientFields) if f.name != "diagnoses"
    }
    return ClientRecord(
        **values,
        diagnoses=_stored_diagnoses(client),
        id=client.id,
        status=client.status,
        is_demo=client.is_demo,
        created_at=client.created_at,
        updated_at=client.updated_at,
    )


def _index(db: object, client: Client) -> None:
    diagnoses = [f"{d.code} {d.label}".strip() for d in client.diagnoses]
    body = "\n".join([client.presenting_concerns, *diagnoses, client.treatment_history])
    search.index(
        db,  # type: ignore[arg-type]
        search.CLIENT,
        client.id,
        client.id,
        f"{client.name} {client.preferred_name}".strip(),
        body,
    )


class ClientService(Service):
    def create(self, data: ClientFields, *, is_demo: bool = False) -> ClientRecord:
        values, diagnoses = _validated(data)
        with self.write(Action.CREATED) as op:
            client = Client(**values, diagnoses=_diagnosis_rows(diagnoses), is_demo=is_demo)
            op.db.add(client)
            op.db.flush()
            _index(op.db, client)
            op.audit("create", "client", client.id)
            op.touched(Kind.CLIENT, client.id, client=client.id)
            return to_record(client)

    def update(self, client_id: uuid.UUID, data: ClientFields) -> ClientRecord:
        values, diagnoses = _validated(data)
        with self.write() as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            changed = [k for k, val in values.items() if getattr(client, k) != val]
            for key, val in values.items():
                setattr(client, key, val)
            if _stored_diagnoses(client) != diagnoses:
                changed.append("diagnoses")
                client.diagnoses = _diagnosis_rows(diagnoses)
                op.touched(Kind.DIAGNOSES, client.id, client=client.id)
            changed.sort()
            db.flush()
            _index(db, client)
            op.audit("update", "client", client.id, "fields: " + ", ".join(changed))
            op.touched(Kind.CLIENT, client.id, client=client.id)
            return to_record(client)

    def set_status(self, client_id: uuid.UUID, status: ClientStatus) -> ClientRecord:
        status = v.choice("status", status, ClientStatus)
        with self.write() as op:
            client = self.fetch(op.db, Client, v.record_id("client", client_id), "client")
            client.status = status
            op.db.flush()
            op.audit(
                "archive" if status is ClientStatus.ARCHIVED else "update",
                "client",
                client.id,
                f"status: {status.value}",
            )
            op.touched(Kind.CLIENT, client.id, client=client.id)
            return to_record(client)

    def archive(self, client_id: uuid.UUID) -> ClientRecord:
        return self.set_status(client_id, ClientStatus.ARCHIVED)

    def reactivate(self, client_id: uuid.UUID) -> ClientRecord:
        return self.set_status(client_id, ClientStatus.ACTIVE)

    def get(self, client_id: uuid.UUID) -> ClientRecord:
        with self.unit() as db:
            return to_record(self.fetch(db, Client, v.record_id("client", client_id), "client"))

    def list(
        self,
        status: ClientStatus | None = ClientStatus.ACTIVE,
        name_contains: str = "",
        sort: SortKey = "name",
    ) -> builtins.list[ClientRecord]:
        """The caseload: by status (None for all), name filter, sorted for display."""
        query = select(Client)
        if status is not None:
            query = query.where(Client.status == v.choice("status", status, ClientStatus))
        order = {
            "name": Client.name,
            "updated": Client.updated_at.desc(),
            "created": Client.created_at.desc(),
        }[sort]
        with self.unit() as db:
            clients = [to_record(c) for c in db.scalars(query.order_by(order))]
        needle = _folded(name_contains.strip())
        if needle:
            clients = [
                c
                for c in clients
                if needle in _folded(c.name) or needle in _folded(c.preferred_name)
            ]
        if sort == "name":
            clients.sort(key=lambda c: _folded(c.name))
        return clients

    def find(self, name_contains: str) -> builtins.list[ClientRecord]:
        """Every client, active or archived, whose name contains the text (any script)."""
        return self.list(status=None, name_contains=name_contains)
