"""The vault owner's profile: name, credentials and the letterhead on records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from console.errors import NotFoundError
from console.services import validation as v
from console.services.base import Service
from console.services.changes import Kind
from models import Clinician


@dataclass(frozen=True)
class ClinicianFields:
    name: str
    credentials: str = ""
    licence_number: str = ""
    clinic_name: str = ""
    clinic_address: str = ""
    clinic_phone: str = ""


@dataclass(frozen=True)
class ClinicianRecord(ClinicianFields):
    id: uuid.UUID = uuid.UUID(int=0)


class ClinicianService(Service):
    def get(self) -> ClinicianRecord:
        with self.unit() as db:
            found = db.scalars(select(Clinician).order_by(Clinician.created_at)).first()
            if found is None:
                raise NotFoundError("this vault has no clinician profile")
            return _record(found)

    def update(self, data: ClinicianFields) -> ClinicianRecord:
        values = {
            "name": v.line("name", data.name, required=True),
            "credentials": v.line("credentials", data.credentials),
            "licence_number": v.line("licence_number", data.licence_number, max_len=100),
            "clinic_name": v.line("clinic_name", data.clinic_name),
            "clinic_address": v.text("clinic_address", data.clinic_address, max_len=2000),
            "clinic_phone": v.phone("clinic_phone", data.clinic_phone),
        }
        with self.write() as op:
            found = op.db.scalars(select(Clinician).order_by(Clinician.created_at)).first()
            if found is None:
                raise NotFoundError("this vault has no clinician profile")
            for key, val in values.items():
                setattr(found, key, val)
            op.db.flush()
            op.audit("update", "clinician", found.id)
            op.touched(Kind.CLINICIAN, found.id)
            record = _record(found)
        self.vault.actor = record.name
        return record


def _record(c: Clinician) -> ClinicianRecord:
    return ClinicianRecord(
        name=c.name,
        credentials=c.credentials,
        licence_number=c.licence_number,
        clinic_name=c.clinic_name,
        clinic_address=c.clinic_address,
        clinic_phone=c.clinic_phone,
        id=c.id,
    )
