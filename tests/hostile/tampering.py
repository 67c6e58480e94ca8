"""Edits an attacker with the database key (but not the vault key) can make.

Each attack opens vault.db with SQLCipher's raw key, drops whatever trigger is
in its way and rewrites rows, recomputing every plain SHA-256 it can. Shared
by tests/hostile/test_tamper.py and bench/hostile_tamper_bench.py.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from console.services.canonical import sha256_hex
from console.services.notes import note_hash
from console.vault.database import make_engine, raw_connect
from console.vault.header import read_header
from console.vault.keyslots import PASSPHRASE as PASSPHRASE_SLOT
from console.vault.keyslots import unwrap_with_key, unwrap_with_secret
from models import Note, NoteStatus


def database_key(folder: Path, passphrase: str) -> bytes:
    header = read_header(folder)
    slot = header.slot(PASSPHRASE_SLOT)
    assert slot is not None
    vault_key = unwrap_with_secret(slot, passphrase, header.vault_id)
    return unwrap_with_key(header.db_key, vault_key, header.vault_id)


def _sql(folder: Path, key: bytes, *statements: str) -> None:
    conn = raw_connect(folder / "vault.db", key)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def delete_last_events(folder: Path, key: bytes) -> None:
    _sql(
        folder,
        key,
        "DROP TRIGGER audit_no_delete",
        "DELETE FROM audit_events WHERE seq > (SELECT max(seq) - 3 FROM audit_events)",
    )


def _sha_chain(rows: list[Any]) -> list[tuple[str, str, int]]:
    prev = "0" * 64
    out = []
    for seq, event_id, at, actor, action, kind, entity, detail in rows:
        when = datetime.fromisoformat(str(at))
        digest = sha256_hex(
            {
                "seq": seq,
                "id": str(uuid.UUID(hex=event_id) if len(event_id) == 32 else event_id),
                "at": when.isoformat(),
                "actor": actor,
                "action": action,
                "entity_kind": kind,
                "entity_id": entity,
                "detail": detail,
                "prev": prev,
            }
        )
        out.append((prev, digest, seq))
        prev = digest
    return out


def rebuild_hashes(folder: Path, key: bytes) -> None:
    """Rewrite an event's detail, then recompute the whole chain as plain SHA-256."""
    conn = raw_connect(folder / "vault.db", key)
    try:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit_events SET detail = 'nothing happened' WHERE seq = 2")
        rows = conn.execute(
            "SELECT seq, id, at, actor, action, entity_kind, entity_id, detail "
            "FROM audit_events ORDER BY seq"
        ).fetchall()
        for prev, digest, seq in _sha_chain(rows):
            conn.execute(
                "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq)
            )
    finally:
        conn.close()


def rebuild_hashes_and_drop_the_head(folder: Path, key: bytes) -> None:
    """As above, and take the anchored head out of vault.json as well."""
    rebuild_hashes(folder, key)
    path = folder / "vault.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["audit_head"] = None
    path.write_text(json.dumps(data), encoding="utf-8")


def unsign_note(folder: Path, key: bytes) -> None:
    _sql(
        folder,
        key,
        "DROP TRIGGER notes_signed_no_update",
        "UPDATE notes SET status = 'draft', signed_at = NULL, content_hash = ''",
    )


def delete_signed_note(folder: Path, key: bytes) -> None:
    _sql(
        folder,
        key,
        "DROP TRIGGER notes_signed_no_delete",
        "DELETE FROM search_index WHERE kind = 'note'",
        "DELETE FROM notes",
    )


def resign_edited_text(folder: Path, key: bytes) -> None:
    """Change a signed note's words and store the SHA-256 anyone can recompute for them."""
    _sql(folder, key, "DROP TRIGGER notes_signed_no_update")
    engine = make_engine(folder / "vault.db", key)
    try:
        with DbSession(engine) as db, db.begin():
            for note in db.scalars(select(Note).where(Note.status == NoteStatus.SIGNED)):
                assert note.signed_at is not None
                note.sections = {"note": "The client denied any difficulty."}
                note.content_hash = note_hash(
                    note.id, note.template, note.sections, note.signer_name, note.signed_at
                )
    finally:
        engine.dispose()


def delete_seals(folder: Path, key: bytes) -> None:
    _sql(folder, key, "DROP TRIGGER signature_seals_no_delete", "DELETE FROM signature_seals")


def drop_triggers(folder: Path, key: bytes) -> None:
    _sql(folder, key, "DROP TRIGGER audit_no_update", "DROP TRIGGER notes_signed_no_delete")


ATTACKS: dict[str, Callable[[Path, bytes], None]] = {
    "delete the last audit events": delete_last_events,
    "rebuild the audit hashes": rebuild_hashes,
    "rebuild the audit hashes and drop the head": rebuild_hashes_and_drop_the_head,
    "set a signed note back to draft": unsign_note,
    "delete a signed note": delete_signed_note,
    "re-sign edited text with a recomputed hash": resign_edited_text,
    "delete the signature seals": delete_seals,
    "drop the protective triggers": drop_triggers,
}
