"""Full-text search (SQLite FTS5 inside the encrypted file).

Services call `index` in the same transaction as every save, so the index is
never behind the records. Psychotherapy notes are indexed as private and
left out of results unless asked for (45 CFR 164.501); worksheets, EMDR
targets and IFS parts are part of the record, not psychotherapy notes, so
they are indexed as the chart is. `place` says where a hit opens.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session as DbSession

from console.errors import NotFoundError
from console.services.base import Service
from models import (
    Addendum,
    ArtWorksheet,
    EmdrSessionWork,
    EmdrTarget,
    IfsPart,
    IfsPartWork,
    Note,
    RescriptingWorksheet,
    SearchRow,
    Session,
)

CLIENT = "client"
NOTE = "note"
ADDENDUM = "addendum"
EMDR_TARGET = "emdr_target"
EMDR_WORKSHEET = "emdr_worksheet"
ART_WORKSHEET = "art_worksheet"
RESCRIPTING_WORKSHEET = "rescripting"
PART = "ifs_part"
PART_WORK = "ifs_part_work"

_Worksheet = type[EmdrSessionWork] | type[ArtWorksheet] | type[RescriptingWorksheet]
# The session tab each kind of hit opens, by the tab's registry key.
_SESSION_TOOLS: dict[str, tuple[_Worksheet, str]] = {
    EMDR_WORKSHEET: (EmdrSessionWork, "emdr"),
    ART_WORKSHEET: (ArtWorksheet, "art"),
    RESCRIPTING_WORKSHEET: (RescriptingWorksheet, "rescripting"),
}


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record_id: str
    client_id: str
    title: str
    snippet: str
    private: bool


@dataclass(frozen=True)
class HitPlace:
    """Where a hit opens: a tool of one session, or (no session) the client's own view.

    `tool` is the session tab's key ("notes", "emdr", "art", "rescripting", "ifs");
    with no session it is "" for the overview or "ifs" for the client's parts map.
    `item_id` is the note, target or part to bring forward there.
    """

    client_id: uuid.UUID
    session_id: uuid.UUID | None
    tool: str
    item_id: uuid.UUID | None = None


def index(
    db: DbSession,
    kind: str,
    record_id: uuid.UUID,
    client_id: uuid.UUID,
    title: str,
    body: str,
    private: bool = False,
) -> None:
    row = db.get(SearchRow, (kind, str(record_id)))
    if row is not None:
        db.execute(text("DELETE FROM search_index WHERE rowid = :r"), {"r": row.fts_rowid})
    result = db.execute(
        text(
            "INSERT INTO search_index (kind, record_id, client_id, private, title, body) "
            "VALUES (:kind, :rid, :cid, :private, :title, :body)"
        ),
        {
            "kind": kind,
            "rid": str(record_id),
            "cid": str(client_id),
            "private": 1 if private else 0,
            "title": title,
            "body": body,
        },
    )
    rowid = int(result.lastrowid)  # type: ignore[attr-defined]
    if row is None:
        db.add(SearchRow(kind=kind, record_id=str(record_id), fts_rowid=rowid))
    else:
        row.fts_rowid = rowid
    db.flush()


def unindex(db: DbSession, kind: str, record_id: uuid.UUID) -> None:
    """Forget a record that is gone, so its words cannot be found any more."""
    row = db.get(SearchRow, (kind, str(record_id)))
    if row is None:
        return
    db.execute(text("DELETE FROM search_index WHERE rowid = :r"), {"r": row.fts_rowid})
    db.delete(row)
    db.flush()


def fts_query(user_text: str) -> str:
    """Turn what a person typed into an FTS5 query of quoted terms, last one a prefix.

    Quoting every term means no input can be read as FTS syntax (AND, NEAR,
    column filters, stray quotes), whatever script it is in.
    """
    printable = "".join(ch if ch.isprintable() else " " for ch in user_text)
    terms = [t.replace('"', '""') for t in printable.split() if t.strip('"')]
    if not terms:
        return ""
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


class SearchService(Service):
    def search(
        self, query: str, *, include_private: bool = False, limit: int = 50
    ) -> list[SearchHit]:
        match = fts_query(query)
        if not match:
            return []
        sql = (
            "SELECT kind, record_id, client_id, title, private, "
            "snippet(search_index, -1, '[', ']', '…', 12) AS snip "
            "FROM search_index WHERE search_index MATCH :q "
            + ("" if include_private else "AND private = 0 ")
            + "ORDER BY rank LIMIT :limit"
        )
        with self.unit() as db:
            rows = db.execute(text(sql), {"q": match, "limit": limit}).all()
        return [
            SearchHit(r.kind, r.record_id, r.client_id, r.title, r.snip, bool(int(r.private)))
            for r in rows
        ]

    def place(self, hit: SearchHit) -> HitPlace:
        """Where to show a hit; an EMDR target opens in the latest session that worked on it."""
        record = uuid.UUID(hit.record_id)
        client = uuid.UUID(hit.client_id)
        with self.unit() as db:
            if hit.kind == CLIENT:
                return HitPlace(client, None, "")
            if hit.kind in (NOTE, ADDENDUM):
                note_id = record
                if hit.kind == ADDENDUM:
                    note_id = self.fetch(db, Addendum, record, "addendum").note_id
                note = self.fetch(db, Note, note_id, "note")
                return HitPlace(client, note.session_id, "notes", note.id)
            if hit.kind in _SESSION_TOOLS:
                model, tool = _SESSION_TOOLS[hit.kind]
                return HitPlace(client, self.fetch(db, model, record, "worksheet").session_id, tool)
            if hit.kind == PART:
                return HitPlace(client, None, "ifs", self.fetch(db, IfsPart, record, "part").id)
            if hit.kind == PART_WORK:
                work = self.fetch(db, IfsPartWork, record, "part's work")
                return HitPlace(client, work.session_id, "ifs", work.part_id)
            if hit.kind == EMDR_TARGET:
                target = self.fetch(db, EmdrTarget, record, "target")
                return HitPlace(client, _emdr_session(db, target), "emdr", target.id)
        raise NotFoundError(f"no record of kind {hit.kind!r} to open")


def _emdr_session(db: DbSession, target: EmdrTarget) -> uuid.UUID | None:
    """The latest session that processed the target, else the client's latest EMDR worksheet.

    The target plan is shown inside a session's EMDR tab; one that already
    works on the target shows it without changing that session's worksheet.
    """
    latest = (
        select(Session.id)
        .join(EmdrSessionWork, EmdrSessionWork.session_id == Session.id)
        .where(Session.client_id == target.client_id)
        .order_by(Session.starts_at.desc())
        .limit(1)
    )
    found = db.scalar(latest.where(EmdrSessionWork.target_id == target.id))
    return found if found is not None else db.scalar(latest)
