"""A self-check of the vault's defences, run by `session-console self-test`.

It makes a throw-away vault and tries on it what tests/hostile/ tries at
length: a second opener, an un-signed note, an emptied database and an old
vault.json after the keys were replaced. Each must be refused or named.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from console.errors import VaultBusyError, VaultCorruptError
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from console.vault import KdfParams, Vault
from models import NoteTemplate, SessionKind


def check_defences(folder: Path, passphrase: str) -> None:
    """Raise AssertionError naming the first defence that did not hold."""
    vault, _ = Vault.create(folder, passphrase, "Self-test", kdf=KdfParams(65536, 3))
    services = Services(vault)
    client = services.clients.create(ClientFields(name="Self-test Client"))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.EMDR)
    )
    note = services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": "Checked."})
    services.notes.sign(note.id)
    second = Vault(folder)
    second.lock_wait_s = 0.0
    try:
        second.unlock_with_passphrase(passphrase)
        raise AssertionError("a second opener was let in")
    except VaultBusyError:
        pass
    old_header = (folder / "vault.json").read_bytes()
    vault.rotate_key(passphrase)
    with vault.session(write=True) as db:
        db.execute(text("DROP TRIGGER notes_signed_no_update"))
        db.execute(text("UPDATE notes SET status = 'draft'"))
    report = services.verify()
    if not any("set back to draft" in p for p in report.problems):
        raise AssertionError(f"an un-signed note went unnoticed: {report.problems}")
    vault.lock()
    for damage, words in ((b"", "empty"), (None, "does not open")):
        saved = {n: (folder / n).read_bytes() for n in ("vault.db", "vault.json")}
        if damage is not None:
            (folder / "vault.db").write_bytes(damage)
        else:
            (folder / "vault.json").write_bytes(old_header)
        try:
            Vault(folder).unlock_with_passphrase(passphrase)
            raise AssertionError(f"opened a vault whose database {words}")
        except VaultCorruptError as exc:
            if words not in exc.message:
                raise AssertionError(exc.message) from None
        for name, data in saved.items():
            (folder / name).write_bytes(data)
    shutil.rmtree(folder)
