"""A client's IFS parts map: the live map, one snapshot per session, and each part's work.

The editor hands over a whole `PartsMap`; saving compares it with the rows
and writes only what changed, so a dragged part costs one UPDATE even on a
200-part map. Saving within a session also keeps the map as it now stands
as that session's snapshot: the history the slider walks through. The audit
trail counts what changed, never names a part (the names are the client's
words).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from console.clinical import ifs as c
from console.errors import ValidationError
from console.services import search
from console.services import validation as v
from console.services.base import Service
from console.services.changes import Action, Kind
from console.services.session_worksheet import text_or_update
from models import Client, IfsPart, IfsPartWork, IfsRelation, IfsSessionMap, Session
from models.base import utcnow

_PART_COLUMNS = tuple(f.name for f in fields(c.Part) if f.name != "id")
SIX_F_KEYS = tuple(key for key, _, _ in c.SIX_FS)


@dataclass(frozen=True)
class SaveResult:
    map: c.PartsMap
    duplicates: dict[str, tuple[uuid.UUID, ...]]
    parts_added: int
    parts_changed: int
    parts_removed: int
    relations_changed: int


@dataclass(frozen=True)
class SessionMapRecord:
    """The map as it stood at one session (with that session's Self reading)."""

    session_id: uuid.UUID
    starts_at: datetime
    map: c.PartsMap
    updated_at: datetime


@dataclass(frozen=True)
class PartWorkFields:
    six_fs: tuple[str, ...] = ()  # keys of c.SIX_FS done
    six_fs_notes: tuple[tuple[str, str], ...] = ()  # (key, note)
    witnessing: str = ""
    do_over: str = ""
    retrieval: str = ""
    release_element: str = ""
    qualities_invited: str = ""
    new_roles: str = ""

    def note(self, key: str) -> str:
        return dict(self.six_fs_notes).get(key, "")

    @property
    def unburdening(self) -> bool:
        return any(getattr(self, key) for key, _ in c.UNBURDENING_FIELDS)

    @property
    def empty(self) -> bool:
        return not (self.six_fs or any(n for _, n in self.six_fs_notes) or self.unburdening)

    def typed_in(self, after: PartWorkFields) -> tuple[str, ...] | None:
        """The one note that changed between two states, if typing there is all that changed.

        The editor merges such edits into one undo step; a ticked box or a chosen
        release element is a step of its own (None).
        """
        if self.six_fs != after.six_fs or self.release_element != after.release_element:
            return None
        before_notes, after_notes = dict(self.six_fs_notes), dict(after.six_fs_notes)
        changed = [
            k for k in {*before_notes, *after_notes} if before_notes.get(k) != after_notes.get(k)
        ]
        changed += [
            key
            for key, _ in c.UNBURDENING_FIELDS
            if key != "release_element" and getattr(self, key) != getattr(after, key)
        ]
        return ("work", *changed) if len(changed) == 1 else None


@dataclass(frozen=True)
class PartWorkRecord(PartWorkFields):
    id: uuid.UUID = uuid.UUID(int=0)
    session_id: uuid.UUID = uuid.UUID(int=0)
    part_id: uuid.UUID = uuid.UUID(int=0)
    part_name: str = ""
    part_kind: str = "unknown"

    @property
    def fields(self) -> PartWorkFields:
        return PartWorkFields(**{f.name: getattr(self, f.name) for f in fields(PartWorkFields)})


_PART_TEXT = tuple(key for key, _ in c.PART_TEXT_FIELDS)
_WORK_TEXT = tuple(key for key, _ in c.UNBURDENING_FIELDS if key != "release_element")


def index_part(db: DbSession, row: IfsPart) -> None:
    """Found by its name and what is known of it; a part taken off the map is not found."""
    body = "\n".join(getattr(row, key) for key in _PART_TEXT)
    search.index(db, search.PART, row.id, row.client_id, row.name, body)


def index_part_work(db: DbSession, row: IfsPartWork) -> None:
    """Found by its six F's notes and unburdening, titled by the part's name."""
    part = db.get(IfsPart, row.part_id)
    assert part is not None
    notes = [row.six_fs_notes.get(k, "") for k in SIX_F_KEYS]
    body = "\n".join([*notes, *(getattr(row, key) for key in _WORK_TEXT)])
    search.index(db, search.PART_WORK, row.id, part.client_id, part.name, body)


def _part(row: IfsPart) -> c.Part:
    return c.Part(id=row.id, **{k: getattr(row, k) for k in _PART_COLUMNS})


def _relation(row: IfsRelation) -> c.Relation:
    return c.Relation(row.id, row.kind, row.source_id, row.target_id, row.strength)


def _work_record(row: IfsPartWork, part: IfsPart) -> PartWorkRecord:
    notes = tuple((k, row.six_fs_notes[k]) for k in SIX_F_KEYS if row.six_fs_notes.get(k))
    return PartWorkRecord(
        six_fs=tuple(k for k in SIX_F_KEYS if row.six_fs.get(k)),
        six_fs_notes=notes,
        witnessing=row.witnessing,
        do_over=row.do_over,
        retrieval=row.retrieval,
        release_element=row.release_element,
        qualities_invited=row.qualities_invited,
        new_roles=row.new_roles,
        id=row.id,
        session_id=row.session_id,
        part_id=row.part_id,
        part_name=part.name,
        part_kind=part.kind,
    )


def _work_values(data: PartWorkFields) -> dict[str, object]:
    unknown = [k for k in data.six_fs if k not in SIX_F_KEYS]
    unknown += [k for k, _ in data.six_fs_notes if k not in SIX_F_KEYS]
    if unknown:
        raise ValidationError("Six F's", "unknown step: " + ", ".join(sorted(set(unknown))))
    if data.release_element not in c.RELEASE_ELEMENTS:
        raise ValidationError(
            "Release to", "must be one of: " + ", ".join(k for k in c.RELEASE_ELEMENTS if k)
        )
    values: dict[str, object] = {
        "six_fs": {k: k in data.six_fs for k in SIX_F_KEYS},
        "six_fs_notes": {k: v.text(f"Six F's: {k}", n) for k, n in data.six_fs_notes if n},
        "release_element": data.release_element,
    }
    for key, label in c.UNBURDENING_FIELDS:
        if key != "release_element":
            values[key] = v.text(label, getattr(data, key))
    return values


class IfsService(Service):
    # -- the map ------------------------------------------------------------------

    def load(self, client_id: uuid.UUID, session_id: uuid.UUID | None = None) -> c.PartsMap:
        """The live map; with a session, Self's reading from that session (if taken)."""
        with self.unit() as db:
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            parts_map = self._live(db, client.id)
            if session_id is not None:
                session = self._session_of(db, client.id, session_id)
                row = self._session_map(db, session.id)
                if row is not None:
                    parts_map = replace(
                        parts_map, self_energy=row.self_energy, self_cs=tuple(row.self_cs)
                    )
            return parts_map

    def save(
        self, client_id: uuid.UUID, parts_map: c.PartsMap, session_id: uuid.UUID | None = None
    ) -> SaveResult:
        """Write the map; within a session, also its snapshot and Self's reading.

        Everything is checked before anything is written: a refused part or
        line leaves the stored map as it was. A map saved as it is stored
        writes nothing, so the autosave of an untouched map is silent.
        """
        checked = c.check_map(parts_map)
        with self.write() as op:
            db = op.db
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            session = None if session_id is None else self._session_of(db, client.id, session_id)
            added, changed, removed = self._sync_parts(db, client.id, checked.parts)
            relations_changed = self._sync_relations(db, client.id, checked.relations)
            snapshot = session is not None and self._keep_snapshot(db, session, checked)
            db.flush()
            if added or changed or removed or relations_changed or snapshot:
                detail = (
                    f"parts +{added} ~{changed} -{removed}; relations changed {relations_changed}"
                    + ("" if session is None else "; session snapshot")
                )
                op.audit("update", "ifs_map", client.id, detail)
                op.touched(
                    Kind.IFS_MAP,
                    client.id,
                    client=client.id,
                    session=None if session is None else session.id,
                )
        return SaveResult(
            checked, c.duplicate_names(checked), added, changed, removed, relations_changed
        )

    def _sync_parts(
        self, db: DbSession, client_id: uuid.UUID, parts: tuple[c.Part, ...]
    ) -> tuple[int, int, int]:
        """Bring the stored parts to `parts`; how many were added, changed and removed.

        A removed part is kept (marked removed) so the session work that names it stays.
        """
        rows = {r.id: r for r in db.scalars(select(IfsPart).where(IfsPart.client_id == client_id))}
        added = changed = removed = 0
        reindex: list[IfsPart] = []
        renamed: list[uuid.UUID] = []
        for part in parts:
            row = rows.get(part.id)
            values = {k: getattr(part, k) for k in _PART_COLUMNS}
            if row is None:
                if db.get(IfsPart, part.id) is not None:
                    raise ValidationError("Parts map", "holds a part of another client")
                row = IfsPart(id=part.id, client_id=client_id, **values)
                db.add(row)
                reindex.append(row)
                added += 1
                continue
            if row.removed_at is not None or any(
                getattr(row, k) != values[k] for k in ("name", *_PART_TEXT)
            ):
                reindex.append(row)
            if row.name != part.name:
                renamed.append(row.id)
            if row.removed_at is not None:
                row.removed_at = None
                added += 1
            elif any(getattr(row, k) != val for k, val in values.items()):
                changed += 1
            for key, val in values.items():
                if getattr(row, key) != val:
                    setattr(row, key, val)
        removed = self._remove_parts(db, rows, {p.id for p in parts})
        db.flush()
        self._reindex(db, reindex, renamed)
        return added, changed, removed

    @staticmethod
    def _remove_parts(db: DbSession, rows: dict[uuid.UUID, IfsPart], wanted: set[uuid.UUID]) -> int:
        now = utcnow()
        removed = 0
        for part_id, row in rows.items():
            if part_id not in wanted and row.removed_at is None:
                row.removed_at = now
                search.unindex(db, search.PART, part_id)
                removed += 1
        return removed

    @staticmethod
    def _reindex(db: DbSession, parts: list[IfsPart], renamed: list[uuid.UUID]) -> None:
        """Search finds parts by their words, and part work by its part's name."""
        for row in parts:
            index_part(db, row)
        if renamed:
            works = select(IfsPartWork).where(IfsPartWork.part_id.in_(renamed))
            for work in db.scalars(works).all():
                index_part_work(db, work)

    def history(self, client_id: uuid.UUID) -> list[SessionMapRecord]:
        """Every session's map, oldest first."""
        with self.unit() as db:
            client = self.fetch(db, Client, v.record_id("client", client_id), "client")
            rows = db.execute(
                select(IfsSessionMap, Session.starts_at)
                .join(Session, Session.id == IfsSessionMap.session_id)
                .where(IfsSessionMap.client_id == client.id)
                .order_by(Session.starts_at)
            ).all()
            return [self._map_record(row, starts_at) for row, starts_at in rows]

    def session_map(self, session_id: uuid.UUID) -> SessionMapRecord | None:
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            row = self._session_map(db, session.id)
            return None if row is None else self._map_record(row, session.starts_at)

    def previous_map(self, session_id: uuid.UUID) -> SessionMapRecord | None:
        """The client's map at the session before this one: the base of this session's diff."""
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            found = db.execute(
                select(IfsSessionMap, Session.starts_at)
                .join(Session, Session.id == IfsSessionMap.session_id)
                .where(
                    IfsSessionMap.client_id == session.client_id,
                    Session.starts_at < session.starts_at,
                )
                .order_by(Session.starts_at.desc())
                .limit(1)
            ).first()
            return None if found is None else self._map_record(found[0], found[1])

    def part_names(self, client_id: uuid.UUID) -> dict[uuid.UUID, str]:
        """Every part the client ever named, removed ones too (records still name them)."""
        with self.unit() as db:
            rows = db.execute(
                select(IfsPart.id, IfsPart.name).where(IfsPart.client_id == client_id)
            ).all()
            return {part_id: name for part_id, name in rows}

    # -- per part, per session ---------------------------------------------------

    def part_work(self, session_id: uuid.UUID, part_id: uuid.UUID) -> PartWorkRecord | None:
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            part = self._part_of(db, session, part_id)
            row = self._work_row(db, session.id, part.id)
            return None if row is None else _work_record(row, part)

    def save_part_work(
        self, session_id: uuid.UUID, part_id: uuid.UUID, data: PartWorkFields
    ) -> PartWorkRecord:
        """Save one part's six F's and unburdening for this session (created on first save).

        Saving what is stored writes nothing and announces nothing.
        """
        values = _work_values(data)
        with self.write() as op:
            db = op.db
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            part = self._part_of(db, session, part_id)
            row = self._work_row(db, session.id, part.id)
            created = row is None
            if row is None:
                row = IfsPartWork(session_id=session.id, part_id=part.id)
                db.add(row)
            changed = sorted(k for k, val in values.items() if getattr(row, k, None) != val)
            if not created and not changed:
                return _work_record(row, part)
            op.action = Action.CREATED if created else text_or_update(values[k] for k in changed)
            for key, val in values.items():
                setattr(row, key, val)
            db.flush()
            index_part_work(db, row)
            record = _work_record(row, part)
            op.audit(
                "create" if created else "update",
                "ifs_part_work",
                record.id,
                "fields: " + ", ".join(changed),
            )
            op.touched(Kind.IFS_PART_WORK, record.id, client=session.client_id, session=session.id)
            return record

    def session_work(self, session_id: uuid.UUID) -> list[PartWorkRecord]:
        """Every part worked with in this session, in the order the legend lists kinds."""
        with self.unit() as db:
            session = self.fetch(db, Session, v.record_id("session", session_id), "session")
            rows = db.execute(
                select(IfsPartWork, IfsPart)
                .join(IfsPart, IfsPart.id == IfsPartWork.part_id)
                .where(IfsPartWork.session_id == session.id)
            ).all()
            records = [_work_record(work, part) for work, part in rows]
        order: dict[str, int] = {k: i for i, k in enumerate(c.PART_KINDS)}
        return sorted(records, key=lambda r: (order.get(r.part_kind, 99), r.part_name.casefold()))

    # -- internals ----------------------------------------------------------------

    def _live(self, db: DbSession, client_id: uuid.UUID) -> c.PartsMap:
        parts = db.scalars(
            select(IfsPart)
            .where(IfsPart.client_id == client_id, IfsPart.removed_at.is_(None))
            .order_by(IfsPart.created_at, IfsPart.id)
        ).all()
        relations = db.scalars(
            select(IfsRelation)
            .where(IfsRelation.client_id == client_id)
            .order_by(IfsRelation.created_at, IfsRelation.id)
        ).all()
        return c.PartsMap(tuple(_part(p) for p in parts), tuple(_relation(r) for r in relations))

    def _sync_relations(
        self, db: DbSession, client_id: uuid.UUID, relations: tuple[c.Relation, ...]
    ) -> int:
        rows = {
            r.id: r
            for r in db.scalars(select(IfsRelation).where(IfsRelation.client_id == client_id))
        }
        changed = 0
        wanted = {r.id for r in relations}
        for row_id, stale in rows.items():
            if row_id not in wanted:
                db.delete(stale)
                changed += 1
        for rel in relations:
            row = rows.get(rel.id)
            if row is None:
                if db.get(IfsRelation, rel.id) is not None:
                    raise ValidationError("Parts map", "holds a relationship of another client")
                db.add(
                    IfsRelation(
                        id=rel.id,
                        client_id=client_id,
                        kind=rel.kind,
                        source_id=rel.source,
                        target_id=rel.target,
                        strength=rel.strength,
                    )
                )
                changed += 1
            elif (row.kind, row.source_id, row.target_id, row.strength) != (
                rel.kind,
                rel.source,
                rel.target,
                rel.strength,
            ):
                row.kind, row.source_id, row.target_id = rel.kind, rel.source, rel.target
                row.strength = rel.strength
                changed += 1
        return changed

    def _keep_snapshot(self, db: DbSession, session: Session, parts_map: c.PartsMap) -> bool:
        """Keep the session's picture of the map; whether it differed from the one kept."""
        row = self._session_map(db, session.id)
        snapshot = c.to_json(parts_map)
        if row is not None and (row.self_energy, list(row.self_cs), row.snapshot) == (
            parts_map.self_energy,
            list(parts_map.self_cs),
            snapshot,
        ):
            return False
        if row is None:
            row = IfsSessionMap(session_id=session.id, client_id=session.client_id)
            db.add(row)
        row.self_energy = parts_map.self_energy
        row.self_cs = list(parts_map.self_cs)
        row.snapshot = snapshot
        return True

    @staticmethod
    def _map_record(row: IfsSessionMap, starts_at: datetime) -> SessionMapRecord:
        return SessionMapRecord(
            row.session_id, starts_at, c.from_json(row.snapshot), row.updated_at
        )

    @staticmethod
    def _session_map(db: DbSession, session_id: uuid.UUID) -> IfsSessionMap | None:
        return db.scalar(select(IfsSessionMap).where(IfsSessionMap.session_id == session_id))

    def _session_of(self, db: DbSession, client_id: uuid.UUID, session_id: uuid.UUID) -> Session:
        session = self.fetch(db, Session, v.record_id("session", session_id), "session")
        if session.client_id != client_id:
            raise ValidationError("Session", "belongs to another client")
        return session

    def _part_of(self, db: DbSession, session: Session, part_id: uuid.UUID) -> IfsPart:
        part = self.fetch(db, IfsPart, v.record_id("part", part_id), "part")
        if part.client_id != session.client_id:
            raise ValidationError("Part", "belongs to another client")
        return part

    @staticmethod
    def _work_row(db: DbSession, session_id: uuid.UUID, part_id: uuid.UUID) -> IfsPartWork | None:
        return db.scalar(
            select(IfsPartWork).where(
                IfsPartWork.session_id == session_id, IfsPartWork.part_id == part_id
            )
        )
