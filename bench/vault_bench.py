"""Vault speed figures, printed as one JSON object per line (run: make bench).

Run from the repository root: `.venv/bin/python bench/vault_bench.py`. It never
asserts on time; it measures and prints. The last line holds the summary:
unlock_s, open_ms, save_p50_ms, save_p99_ms, search_p50_ms,
encrypted_plain_save_ratio, encrypted_plain_search_ratio (and a few more).

What is measured
- unlock_s: Vault.unlock_with_passphrase with the production Argon2id
  parameters (KdfParams() defaults), median of 3.
- open_ms: make_engine + verify_key with the raw database key, median of 20.
- save_p50_ms / save_p99_ms: Services.notes.save_draft of a ~2 KB note (new
  text each time, so every call writes, re-indexes and audits), ~500 saves, in
  a vault holding 10,000 notes. create_p50_ms: Services.notes.create, same vault.
- search_p50_ms: Services.search.search over the same 10,000 notes, 50 queries
  of a few different words (rare, common, two-word, prefix).
- The same save and search measurements on a plain, unencrypted SQLite file
  with the same schema, built in this run; the ratios are encrypted / plain,
  p50 against p50.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlcipher3  # noqa: E402
from sqlalchemy import Engine, create_engine, event  # noqa: E402
from sqlalchemy.orm import Session as DbSession  # noqa: E402
from sqlalchemy.pool import QueuePool  # noqa: E402

from console.clinical.note_templates import template  # noqa: E402
from console.services import audit, search  # noqa: E402
from console.services.bundle import Services  # noqa: E402
from console.services.clients import ClientFields  # noqa: E402
from console.services.sessions import SessionFields  # noqa: E402
from console.vault import Vault, migrate  # noqa: E402
from console.vault.database import _on_connect, make_engine, verify_key  # noqa: E402
from console.vault.keyslots import KdfParams  # noqa: E402
from models import Clinician, Note, NoteTemplate, Session, SessionKind  # noqa: E402

PASSPHRASE = "bench passphrase, long enough"
CLINICIAN = "Dr Bench"
NOTES = 10_000
CLIENTS = 50
SESSIONS_PER_CLIENT = 20  # 1,000 sessions, 10 notes each
NOTES_PER_TRANSACTION = 1_000
NOTE_CHARS = 2_000
SAVES = 500
CREATES = 100
SEARCHES = 50

_started = time.perf_counter()


def emit(record: dict[str, Any]) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


# -- text ----------------------------------------------------------------------


def vocabulary(size: int = 4_000) -> list[str]:
    """Pseudo-words (plus a few clinical ones), most frequent first; the same every run."""
    rnd = random.Random(0)
    syllables = [
        "ka",
        "lo",
        "mi",
        "ren",
        "sa",
        "tu",
        "vel",
        "or",
        "an",
        "dri",
        "po",
        "xe",
        "qua",
        "li",
        "mon",
        "ter",
        "shi",
        "ga",
        "bru",
        "nel",
    ]
    words = [
        "client",
        "session",
        "anxiety",
        "breath",
        "body",
        "safe",
        "memory",
        "target",
        "calm",
        "parts",
        "sleep",
        "trigger",
        "grounding",
        "image",
        "belief",
    ]
    seen = set(words)
    while len(words) < size:
        word = "".join(rnd.choice(syllables) for _ in range(rnd.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class TextMaker:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.words = vocabulary()
        # Zipf-like: the k-th word is about 1/k as frequent as the first.
        self.cum_weights = list(itertools.accumulate(1 / (k + 1) for k in range(len(self.words))))

    def note(self, chars: int = NOTE_CHARS) -> str:
        parts: list[str] = []
        length = 0
        while length < chars:
            picked = self.rnd.choices(self.words, cum_weights=self.cum_weights, k=12)
            sentence = " ".join(picked).capitalize()
            parts.append(sentence + ".")
            length += len(sentence) + 2
        return " ".join(parts)[:chars]


# -- stores --------------------------------------------------------------------


class PlainStore:
    """A stand-in for Vault over a plain, unencrypted SQLite file.

    The services use exactly two things of a vault: `session()` (one unit of
    work) and `actor`, so the very same service code runs on both stores and
    the comparison isolates the cost of encryption. To keep it that way the
    plain file is opened through the same SQLite library build (the sqlcipher3
    module, simply never keyed, which writes an ordinary "SQLite format 3"
    file), with the vault's connection pragmas (WAL, synchronous=FULL,
    foreign keys, secure_delete) and, like the vault, a small QueuePool. The schema
    comes from the same Alembic migrations.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.actor = CLINICIAN
        self.engine: Engine = create_engine(
            f"sqlite:///{path}",
            module=sqlcipher3,
            poolclass=QueuePool,
            pool_size=2,
            max_overflow=6,
            hide_parameters=True,
        )
        event.listen(self.engine, "connect", _on_connect)
        self.integrity_key = os.urandom(32)  # the same keyed audit chain as the vault
        migrate.upgrade(self.engine)
        with self.session() as db:
            db.add(Clinician(name=CLINICIAN))
            audit.append(db, self.actor, "create", "vault", "plain")

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[DbSession]:
        """As `Vault.session`, writes beginning IMMEDIATE, so only the cipher differs."""
        with DbSession(self.engine, expire_on_commit=False) as db, db.begin():
            if write:
                db.connection().exec_driver_sql("BEGIN IMMEDIATE")
            db.info[audit.KEY_INFO] = self.integrity_key
            yield db


def index_new_note(db: DbSession, note: Note, client_id: uuid.UUID) -> None:
    """What NoteService.create writes to the search index for a note (search.index)."""
    tpl = template(note.template)
    search.index(
        db,
        search.NOTE,
        note.id,
        client_id,
        tpl.label,
        "\n".join(note.sections.get(k, "") for k in tpl.section_keys()),
        private=tpl.kept_apart,
    )


def populate(services: Services, store: Any, texts: TextMaker) -> list[uuid.UUID]:
    """10,000 notes in a few big transactions, built from the services' own pieces.

    One notes.create per note would commit (and fsync) 10,000 times; instead
    each note is written the way NoteService.create writes it (the Note row,
    its search-index entry, one audit event through audit.append) with 1,000
    notes per transaction. Clients go through the services; sessions are added
    alongside with their audit events. Returns the ids of the notes, all drafts.
    """
    base = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    clients = [
        services.clients.create(ClientFields(name=f"Client {i:03d} {texts.words[i]}")).id
        for i in range(CLIENTS)
    ]
    sessions: list[tuple[uuid.UUID, uuid.UUID]] = []
    with store.session() as db:
        for c, client_id in enumerate(clients):
            for s in range(SESSIONS_PER_CLIENT):
                row = Session(
                    client_id=client_id,
                    starts_at=base + timedelta(days=7 * s, hours=c % 8),
                    kind=SessionKind.EMDR,
                )
                db.add(row)
                db.flush()
                audit.append(db, store.actor, "create", "session", row.id)
                sessions.append((row.id, client_id))
    note_ids: list[uuid.UUID] = []
    per_session = NOTES // len(sessions)
    work = [pair for pair in sessions for _ in range(per_session)]
    for start in range(0, len(work), NOTES_PER_TRANSACTION):
        with store.session() as db:
            for session_id, client_id in work[start : start + NOTES_PER_TRANSACTION]:
                note = Note(
                    session_id=session_id,
                    template=NoteTemplate.PROGRESS,
                    sections={"note": texts.note()},
                )
                db.add(note)
                db.flush()
                index_new_note(db, note, client_id)
                audit.append(db, store.actor, "create", "note", note.id, "template: progress")
                note_ids.append(note.id)
    return note_ids


def measure(label: str, services: Services, note_ids: list[uuid.UUID], seed: int) -> dict[str, Any]:
    texts = TextMaker(seed)  # same seed for both stores: the same texts and queries
    rnd = random.Random(seed)
    targets = rnd.sample(note_ids, 50)
    # Texts are made before timing starts, so only the save itself is measured.
    drafts = [(targets[i % len(targets)], {"note": texts.note()}) for i in range(SAVES)]
    save = [timed(lambda n=n, d=d: services.notes.save_draft(n, d)) for n, d in drafts]
    session_id = services.notes.get(targets[0]).session_id
    new_notes = [
        {"subjective": texts.note(NOTE_CHARS // 2), "plan": texts.note(NOTE_CHARS // 2)}
        for _ in range(CREATES)
    ]
    create = [
        timed(lambda d=d: services.notes.create(session_id, NoteTemplate.SOAP, d))
        for d in new_notes
    ]
    words = texts.words
    queries = [
        words[3],
        words[40],
        words[400],
        words[2500],
        f"{words[10]} {words[200]}",
        words[120][:4],
    ]
    hit_counts = {q: len(services.search.search(q)) for q in queries}
    asked = [queries[i % len(queries)] for i in range(SEARCHES)]
    search = [timed(lambda q=q: services.search.search(q)) for q in asked]
    result = {
        "store": label,
        "save_p50_ms": ms(percentile(save, 50)),
        "save_p99_ms": ms(percentile(save, 99)),
        "save_mean_ms": ms(statistics.fmean(save)),
        "create_p50_ms": ms(percentile(create, 50)),
        "search_p50_ms": ms(percentile(search, 50)),
        "search_p99_ms": ms(percentile(search, 99)),
        "search_hits": hit_counts,
        "saves": len(save),
        "searches": len(search),
    }
    emit(result)
    return result


def baseline_saves(services: Services, texts: TextMaker) -> float:
    client = services.clients.create(ClientFields(name="Baseline Client"))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.IFS)
    )
    ids = [
        services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": texts.note()}).id
        for _ in range(20)
    ]
    drafts = [(ids[i % len(ids)], {"note": texts.note()}) for i in range(100)]
    return ms(
        statistics.median(
            timed(lambda n=n, d=d: services.notes.save_draft(n, d)) for n, d in drafts
        )
    )


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="vault-bench-"))
    try:
        run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path) -> None:
    emit(
        {
            "bench": "vault",
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "sqlite": sqlcipher3.sqlite_version,
            "notes": NOTES,
        }
    )

    # 1. Unlock with the production key derivation.
    kdf = KdfParams()
    start = time.perf_counter()
    vault, _ = Vault.create(work / "vault", PASSPHRASE, CLINICIAN)
    create_s = time.perf_counter() - start
    vault.lock()
    unlocks = []
    for attempt in range(3):
        unlocks.append(timed(lambda: vault.unlock_with_passphrase(PASSPHRASE)))
        if attempt < 2:
            vault.lock()
    unlock_s = statistics.median(unlocks)
    emit(
        {
            "metric": "unlock_s",
            "median": round(unlock_s, 4),
            "samples": [round(u, 4) for u in unlocks],
            "create_s": round(create_s, 3),
            "kdf": {"memory_kib": kdf.memory_kib, "iterations": kdf.iterations, "lanes": kdf.lanes},
        }
    )

    # 2. A baseline: saves in a vault that holds almost nothing yet.
    services = Services(vault)
    empty = baseline_saves(services, TextMaker(3))
    emit({"metric": "save_p50_ms_small_vault", "median": empty, "notes_in_vault": 20})

    # 3. Fill both stores with 10,000 notes.
    start = time.perf_counter()
    encrypted_ids = populate(services, vault, TextMaker(1))
    setup_encrypted_s = time.perf_counter() - start
    emit(
        {
            "phase": "setup",
            "store": "encrypted",
            "notes": len(encrypted_ids),
            "seconds": round(setup_encrypted_s, 2),
            "db_mb": round(vault.db_path.stat().st_size / 1e6, 1),
        }
    )

    plain = PlainStore(work / "plain.db")
    plain_services = Services(plain)  # type: ignore[arg-type]  # duck-typed stand-in
    start = time.perf_counter()
    plain_ids = populate(plain_services, plain, TextMaker(1))
    setup_plain_s = time.perf_counter() - start
    header = (work / "plain.db").read_bytes()[:16]
    emit(
        {
            "phase": "setup",
            "store": "plain",
            "notes": len(plain_ids),
            "seconds": round(setup_plain_s, 2),
            "unencrypted": header == b"SQLite format 3\x00",
            "db_mb": round((work / "plain.db").stat().st_size / 1e6, 1),
        }
    )

    # 4. Opening the full encrypted database with its raw key (no key derivation).
    # The raw key is the vault's private attribute: only a benchmark reaches for it.
    db_key = vault._db_key
    assert db_key is not None
    opens = []
    for _ in range(20):
        start = time.perf_counter()
        engine = make_engine(vault.db_path, db_key)
        verify_key(engine)
        opens.append(time.perf_counter() - start)
        engine.dispose()
    open_ms = ms(statistics.median(opens))
    emit({"metric": "open_ms", "median": open_ms, "max": ms(max(opens))})

    # 5. Saves and searches, encrypted then plain, with the same texts and queries.
    enc = measure("encrypted", services, encrypted_ids, seed=2)
    pla = measure("plain", plain_services, plain_ids, seed=2)

    report = services.verify()
    vault.lock()
    plain.engine.dispose()

    emit(
        {
            "unlock_s": round(unlock_s, 4),
            "open_ms": open_ms,
            "save_p50_ms": enc["save_p50_ms"],
            "save_p99_ms": enc["save_p99_ms"],
            "search_p50_ms": enc["search_p50_ms"],
            "encrypted_plain_save_ratio": round(enc["save_p50_ms"] / pla["save_p50_ms"], 3),
            "encrypted_plain_search_ratio": round(enc["search_p50_ms"] / pla["search_p50_ms"], 3),
            "create_p50_ms": enc["create_p50_ms"],
            "save_p50_ms_small_vault": empty,
            "plain_save_p50_ms": pla["save_p50_ms"],
            "plain_search_p50_ms": pla["search_p50_ms"],
            "notes": NOTES,
            "vault_sound_after": report.sound,
            "total_s": round(time.perf_counter() - _started, 1),
        }
    )


if __name__ == "__main__":
    main()
