"""Clients: create, edit, archive, list and find."""

from __future__ import annotations

import builtins
import unicodedata
import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select

from console.errors import ValidationError
from console.services import search
from console.services import validation as v
from console.services.base import Service
from models import Client, ClientStatus

SortKey = Literal["name", "updated", "created"]
DEMO_MARK = "(demo)"


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
    diagnoses: str = ""
    icd10_code: str = ""
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


def _validated(data: ClientFields) -> dict[str, object]:
    for flag in ("anxiety_cognitive", "anxiety_somatic", "anxiety_behavioural"):
        if not isinstance(getattr(data, flag), bool):
            raise ValidationError(flag, "must be yes or no")
    return {
        "name": v.line("name", data.name, required=True),
        "preferred_name": v.line("preferred_name", data.preferred_name),
        "date_of_birth": v.past_date("date_of_birth", data.date_of_birth),
        "phone": v.phone("phone", data.phone),
        "email": v.email("email", data.email),
        "address": v.text("address", data.address, max_len=2000),
        "emergency_contact_name": v.line("emergency_contact_name", data.emergency_contact_name),
        "emergency_contact_phone": v.phone("emergency_contact_phone", data.emergency_contact_phone),
        "presenting_concerns": v.text("presenting_concerns", data.presenting_concerns),
        "diagnoses": v.text("diagnoses", data.diagnoses),
        "icd10_code": v.icd10("icd10_code", data.icd10_code),
        "anxiety_cognitive": data.anxiety_cognitive,
        "anxiety_somatic": data.anxiety_somatic,
        "anxiety_behavioural": data.anxiety_behavioural,
        "treatment_history": v.text("treatment_history", data.treatment_history),
    }


def _folded(text: str) -> str:
    """Case- and accent-blind form, so "zoe" finds "Zoë" and "Élodie" sorts among the Es."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def to_record(client: Client) -> ClientRecord:
    values = {f.name: getattr(client, f.name) for f in fields(ClientFields)}
    return ClientRecord(
        **values,
        id=client.id,
        status=client.status,
        is_demo=client.is_demo,
        created_at=client.created_at,
        updated_at=client.updated_at,
    )


def _index(db: object, client: Client) -> None:
    body = "\n".join(
        [client.presenting_concerns, client.diagnoses, client.icd10_code, client.treatment_history]
    )
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
        values = _validated(data)
        with self.unit() as db:
            client = Client(**values, is_demo=is_demo)
            db.add(client)
            db.flush()
            _index(db, client)
            self.audit(db, "create", "client", client.id)
            record = to_record(client)
        self.changes.emit("client", record.id, "created")
        return record

    def update(self, client_id: uuid.UUID, data: ClientFields) -> ClientRecord:
        values = _validated(data)
        with self.unit() as db:
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            changed = sorted(k for k, val in values.items() if getattr(client, k) != val)
            for key, val in values.items():
                setattr(client, key, val)
            db.flush()
            _index(db, client)
            self.audit(db, "update", "client", client.id, "fields: " + ", ".join(changed))
            record = to_record(client)
        self.changes.emit("client", record.id, "updated")
        return record

    def set_status(self, client_id: uuid.UUID, status: ClientStatus) -> ClientRecord:
        status = v.choice("status", status, ClientStatus)
        with self.unit() as db:
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            client.status = status
            db.flush()
            self.audit(
                db,
                "archive" if status is ClientStatus.ARCHIVED else "update",
                "client",
                client.id,
                f"status: {status.value}",
            )
            record = to_record(client)
        self.changes.emit("client", record.id, "updated")
        return record

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
