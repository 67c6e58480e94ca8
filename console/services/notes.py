"""Session notes: drafts that autosave, signing that locks, addenda that correct.

A signed note never changes: this service refuses, and a database trigger
refuses again. Its SHA-256 over the canonical content is stored at signing
and printed on the record, so anyone can check a printout against the vault.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from console.clinical.note_templates import template
from console.errors import ImmutableRecordError, ValidationError
from console.services import search
from console.services import validation as v
from console.services.base import Service, Write
from console.services.canonical import sha256_hex
from console.services.changes import Action, Kind
from models import Addendum, Client, Clinician, Goal, Note, NoteStatus, NoteTemplate, Session
from models.base import utcnow


@dataclass(frozen=True)
class AddendumRecord:
    id: uuid.UUID
    note_id: uuid.UUID
    author_name: str
    created_at: datetime
    text: str
    status: NoteStatus
    signed_at: datetime | None
    content_hash: str

    @property
    def is_signed(self) -> bool:
        return self.status is NoteStatus.SIGNED


@dataclass(frozen=True)
class NoteRecord:
    id: uuid.UUID
    session_id: uuid.UUID
    client_id: uuid.UUID
    template: NoteTemplate
    sections: dict[str, str]
    status: NoteStatus
    created_at: datetime
    updated_at: datetime
    signed_at: datetime | None
    signer_name: str
    content_hash: str
    goal_ids: tuple[uuid.UUID, ...]
    addenda: tuple[AddendumRecord, ...]

    @property
    def is_signed(self) -> bool:
        return self.status is NoteStatus.SIGNED

    @property
    def is_psychotherapy(self) -> bool:
        return self.template is NoteTemplate.PSYCHOTHERAPY


def note_hash(
    note_id: uuid.UUID,
    kind: NoteTemplate,
    sections: dict[str, str],
    signer: str,
    signed_at: datetime,
) -> str:
    return sha256_hex(
        {
            "note": str(note_id),
            "template": kind.value,
            "sections": sections,
            "signer": signer,
            "signed_at": signed_at.isoformat(),
        }
    )


def addendum_hash(
    addendum_id: uuid.UUID, note_hash_value: str, author: str, text: str, signed_at: datetime
) -> str:
    return sha256_hex(
        {
            "addendum": str(addendum_id),
            "note_hash": note_hash_value,
            "author": author,
            "text": text,
            "signed_at": signed_at.isoformat(),
        }
    )


def _addendum_record(a: Addendum) -> AddendumRecord:
    return AddendumRecord(
        a.id, a.note_id, a.author_name, a.created_at, a.text, a.status, a.signed_at, a.content_hash
    )


def to_record(n: Note, client_id: uuid.UUID) -> NoteRecord:
    return NoteRecord(
        id=n.id,
        session_id=n.session_id,
        client_id=client_id,
        template=n.template,
        sections=dict(n.sections),
        status=n.status,
        created_at=n.created_at,
        updated_at=n.updated_at,
        signed_at=n.signed_at,
        signer_name=n.signer_name,
        content_hash=n.content_hash,
        goal_ids=tuple(g.id for g in n.goals),
        addenda=tuple(_addendum_record(a) for a in n.addenda),
    )


def _sections(kind: NoteTemplate, sections: dict[str, str] | None) -> dict[str, str]:
    keys = template(kind).section_keys()
    given = dict(sections or {})
    unknown = sorted(set(given) - set(keys))
    if unknown:
        raise ValidationError(unknown[0], f"is not a section of a {template(kind).label}")
    return {k: v.text(k, given.get(k, "")) for k in keys}


def _index(db: DbSession, note: Note, client_id: uuid.UUID) -> None:
    tpl = template(note.template)
    body = "\n".join(note.sections.get(k, "") for k in tpl.section_keys())
    search.index(db, search.NOTE, note.id, client_id, tpl.label, body, private=tpl.kept_apart)


def _index_addendum(db: DbSession, addendum: Addendum, note: Note, client_id: uuid.UUID) -> None:
    search.index(
        db,
        search.ADDENDUM,
        addendum.id,
        client_id,
        f"Addendum to {template(note.template).label}",
        addendum.text,
        private=template(note.template).kept_apart,
    )


def _touched(op: Write, note: Note, client_id: uuid.UUID) -> None:
    op.touched(Kind.NOTE, note.id, client=client_id, session=note.session_id)


class NoteService(Service):
    def _load(self, db: DbSession, note_id: uuid.UUID) -> tuple[Note, uuid.UUID]:
        note = self.fetch(db, Note, v.record_id("note", note_id), "note")
        session = db.get(Session, note.session_id)
        assert session is not None
        return note, session.client_id

    def _signer(self, db: DbSession) -> Clinician:
        clinician = db.scalars(select(Clinician).order_by(Clinician.created_at)).first()
        if clinician is None:
            raise ValidationError("signer", "this vault has no clinician profile")
        return clinician

    def create(
        self,
        session_id: uuid.UUID,
        kind: NoteTemplate | str,
        sections: dict[str, str] | None = None,
    ) -> NoteRecord:
        """A new draft; several notes per session and per day are allowed."""
        kind = v.choice("template", kind, NoteTemplate)
        values = _sections(kind, sections)
        with self.write(Action.CREATED) as op:
            db = op.db
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            note = Note(session_id=session.id, template=kind, sections=values)
            db.add(note)
            db.flush()
            _index(db, note, session.client_id)
            op.audit("create", "note", note.id, f"template: {kind.value}")
            _touched(op, note, session.client_id)
            return to_record(note, session.client_id)

    def save_draft(self, note_id: uuid.UUID, sections: dict[str, str]) -> NoteRecord:
        """Autosave: called every few seconds while typing; only a change is audited."""
        with self.write(Action.TEXT_SAVED) as op:
            note, client_id = self._load(op.db, note_id)
            if note.status is NoteStatus.SIGNED:
                raise ImmutableRecordError("this note is signed; add an addendum instead")
            values = _sections(note.template, sections)
            if values != note.sections:
                note.sections = values
                note.updated_at = utcnow()
                op.db.flush()
                _index(op.db, note, client_id)
                op.audit("update", "note", note.id, "draft saved")
                _touched(op, note, client_id)
            return to_record(note, client_id)

    def discard(self, note_id: uuid.UUID) -> None:
        """Remove a draft begun by mistake; a signed note is part of the record and stays.

        The database refuses to delete a signed note too. The audit trail keeps that the
        draft existed and was discarded, but not what it said.
        """
        with self.write(Action.DISCARDED) as op:
            db = op.db
            note, client_id = self._load(db, note_id)
            if note.status is NoteStatus.SIGNED:
                raise ImmutableRecordError(
                    "a signed note cannot be discarded; correct it with an addendum"
                )
            _touched(op, note, client_id)
            note.goals = []
            search.unindex(db, search.NOTE, note.id)
            db.delete(note)
            db.flush()
            op.audit("void", "note", note_id, f"draft discarded: {note.template.value}")

    def set_goals(self, note_id: uuid.UUID, goal_ids: list[uuid.UUID]) -> NoteRecord:
        """Which of the program's goals this note worked on."""
        with self.write() as op:
            db = op.db
            note, client_id = self._load(db, note_id)
            if note.status is NoteStatus.SIGNED:
                raise ImmutableRecordError("this note is signed; add an addendum instead")
            goals = [self.fetch(db, Goal, v.record_id("goal", g), "goal") for g in goal_ids]
            for goal in goals:
                if goal.program.client_id != client_id:
                    raise ValidationError("goals", "a goal of another client's program")
            note.goals = goals
            note.updated_at = utcnow()
            db.flush()
            op.audit("update", "note", note.id, f"goals: {len(goals)}")
            _touched(op, note, client_id)
            return to_record(note, client_id)

    def sign(self, note_id: uuid.UUID) -> NoteRecord:
        with self.write(Action.SIGNED) as op:
            db = op.db
            note, client_id = self._load(db, note_id)
            if note.status is NoteStatus.SIGNED:
                raise ImmutableRecordError("this note is already signed")
            if not any(text.strip() for text in note.sections.values()):
                raise ValidationError("note", "an empty note cannot be signed")
            signer = self._signer(db)
            when = utcnow()
            note.signer_id = signer.id
            note.signer_name = signer.name
            note.signed_at = when
            note.content_hash = note_hash(note.id, note.template, note.sections, signer.name, when)
            note.status = NoteStatus.SIGNED
            db.flush()
            self.vault.seal_signature(db, "note", note.id, note.content_hash)
            op.audit("sign", "note", note.id)
            _touched(op, note, client_id)
            return to_record(note, client_id)

    def add_addendum(self, note_id: uuid.UUID, text: str) -> AddendumRecord:
        body = v.text("addendum", text, required=True)
        with self.write(Action.ADDENDUM) as op:
            db = op.db
            note, client_id = self._load(db, note_id)
            if note.status is not NoteStatus.SIGNED:
                raise ValidationError("addendum", "the note is still a draft: edit it instead")
            author = self._signer(db)
            addendum = Addendum(
                note_id=note.id, author_id=author.id, author_name=author.name, text=body
            )
            db.add(addendum)
            db.flush()
            _index_addendum(db, addendum, note, client_id)
            op.audit("addendum", "note", note.id, f"addendum {addendum.id}")
            _touched(op, note, client_id)
            return _addendum_record(addendum)

    def save_addendum(self, addendum_id: uuid.UUID, text: str) -> AddendumRecord:
        body = v.text("addendum", text, required=True)
        with self.write(Action.ADDENDUM) as op:
            db = op.db
            addendum = self.fetch(db, Addendum, v.record_id("addendum", addendum_id), "addendum")
            if addendum.status is NoteStatus.SIGNED:
                raise ImmutableRecordError("this addendum is signed; add another addendum")
            if addendum.text == body:
                return _addendum_record(addendum)
            note, client_id = self._load(db, addendum.note_id)
            addendum.text = body
            db.flush()
            _index_addendum(db, addendum, note, client_id)
            op.audit("update", "addendum", addendum.id)
            _touched(op, note, client_id)
            return _addendum_record(addendum)

    def sign_addendum(self, addendum_id: uuid.UUID) -> AddendumRecord:
        with self.write(Action.ADDENDUM) as op:
            db = op.db
            addendum = self.fetch(db, Addendum, v.record_id("addendum", addendum_id), "addendum")
            if addendum.status is NoteStatus.SIGNED:
                raise ImmutableRecordError("this addendum is already signed")
            note, client_id = self._load(db, addendum.note_id)
            when = utcnow()
            addendum.signed_at = when
            addendum.content_hash = addendum_hash(
                addendum.id, note.content_hash, addendum.author_name, addendum.text, when
            )
            addendum.status = NoteStatus.SIGNED
            db.flush()
            self.vault.seal_signature(db, "addendum", addendum.id, addendum.content_hash)
            op.audit("sign", "addendum", addendum.id)
            _touched(op, note, client_id)
            return _addendum_record(addendum)

    def get(self, note_id: uuid.UUID) -> NoteRecord:
        with self.unit() as db:
            note, client_id = self._load(db, note_id)
            return to_record(note, client_id)

    def list_for_session(self, session_id: uuid.UUID) -> list[NoteRecord]:
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            return [to_record(n, session.client_id) for n in session.notes]

    def list_for_client(
        self, client_id: uuid.UUID, *, include_psychotherapy: bool = False
    ) -> list[NoteRecord]:
        """The chart's notes, oldest first; psychotherapy notes only when asked for."""
        query = (
            select(Note)
            .join(Session, Session.id == Note.session_id)
            .where(Session.client_id == v.record_id("client", client_id))
            .order_by(Session.starts_at, Note.created_at)
        )
        if not include_psychotherapy:
            query = query.where(Note.template != NoteTemplate.PSYCHOTHERAPY)
        with self.unit() as db:
            self.fetch(db, Client, v.record_id("client", client_id), "client")
            return [to_record(n, client_id) for n in db.scalars(query)]

    def first_altered_signature(self) -> str | None:
        """The first signed note or addendum whose stored content no longer matches its hash."""
        with self.unit() as db:
            for note in db.scalars(select(Note).where(Note.status == NoteStatus.SIGNED)):
                if note.signed_at is None or note.content_hash != note_hash(
                    note.id, note.template, note.sections, note.signer_name, note.signed_at
                ):
                    return f"signed note {note.id} no longer matches its signature hash"
                for a in note.addenda:
                    if a.status is NoteStatus.SIGNED and (
                        a.signed_at is None
                        or a.content_hash
                        != addendum_hash(
                            a.id, note.content_hash, a.author_name, a.text, a.signed_at
                        )
                    ):
                        return f"signed addendum {a.id} no longer matches its signature hash"
        return None

    def verify_hash(self, note_id: uuid.UUID) -> bool:
        """Recompute a signed note's hash from what is stored now."""
        record = self.get(note_id)
        if not record.is_signed or record.signed_at is None:
            return False
        return record.content_hash == note_hash(
            record.id, record.template, record.sections, record.signer_name, record.signed_at
        )
