"""Full-text search (SQLite FTS5 inside the encrypted file).

Services call `index` in the same transaction as every save, so the index is
never behind the records. Psychotherapy notes are indexed as private and
left out of results unless asked for (45 CFR 164.501).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session as DbSession

from console.services.base import Service
from models import SearchRow

CLIENT = "client"
NOTE = "note"
ADDENDUM = "addendum"


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record_id: str
    client_id: str
    title: str
    snippet: str
    private: bool


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
