"""One vault: a folder with vault.json (key slots, anchors) and vault.db (SQLCipher).

`Vault` is the only object that ever holds key material. While it is
unlocked it holds the folder lock, so no other process can open, restore or
re-key the same vault. Locking drops the keys, disposes the engine, releases
the folder and tells listeners, so views can close themselves.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as DbSession

from console.errors import (
    ValidationError,
    VaultCorruptError,
    VaultError,
    VaultExistsError,
    WrongSecretError,
)
from console.services import audit
from console.vault import backup as backups
from console.vault import diagnose, keychain, migrate, restore
from console.vault.database import (
    DB_ERRORS,
    cipher_version,
    create_private_file,
    integrity_problems,
    make_engine,
    raw_connect,
    run_with_key,
    verify_key,
)
from console.vault.folder_lock import FolderLock, restrict_folder
from console.vault.fsutil import fsync_dir
from console.vault.header import (
    DB_NAME,
    HEADER_NAME,
    AuditHead,
    Header,
    PendingRotation,
    has_header,
    read_header,
    write_header,
)
from console.vault.integrity import PROTECTIVE_TRIGGERS, head_mac, same, seal
from console.vault.keyslots import (
    DATABASE,
    INTEGRITY,
    KEYCHAIN,
    PASSPHRASE,
    RECOVERY,
    KdfParams,
    Slot,
    check_passphrase,
    new_key,
    new_recovery_code,
    normalise_recovery_code,
    unwrap_with_key,
    unwrap_with_secret,
    wrap_with_key,
    wrap_with_secret,
)
from console.vault.memory import key_copies, wipe, wipe_immutable
from console.vault.throttle import UnlockThrottle
from models import Addendum, AuditEvent, Clinician, Note, NoteStatus, SignatureSeal, VaultIdentity

AUTO_BACKUP_DIR = "backups"
AUTO_BACKUP_KEEP = 10
# A second command started while a short one runs waits this long for the
# folder; an open console holds it for hours, so the wait then ends in a refusal.
LOCK_WAIT_S = 3.0
MAX_CLINICIAN_NAME = 200
_DAMAGE: tuple[type[BaseException], ...] = (WrongSecretError, VaultCorruptError, *DB_ERRORS)
_STORAGE: tuple[type[BaseException], ...] = (*DB_ERRORS, OSError)
Unwrap = Callable[[Slot, str], bytes]


def _fresh(kdf: KdfParams | None) -> KdfParams:
    """Same cost as asked, new salt: a salt is never shared between slots."""
    base = kdf or KdfParams()
    return KdfParams(memory_kib=base.memory_kib, iterations=base.iterations, lanes=base.lanes)


def clinician_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise ValidationError("clinician", "enter the clinician's name")
    if len(cleaned) > MAX_CLINICIAN_NAME:
        raise ValidationError("clinician", f"use at most {MAX_CLINICIAN_NAME} characters")
    if any(ch in cleaned for ch in "\r\n\x00"):
        raise ValidationError("clinician", "a name is one line")
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            "clinician", "the name is not valid text (type it again in a UTF-8 terminal)"
        ) from None
    return cleaned


def _sweep(directory: Path) -> None:
    """Leftovers of killed backups, restores and set-ups; safe only under the folder lock."""
    for path in directory.glob(".restore-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in directory.glob(f"{DB_NAME}.init*"):
        path.unlink(missing_ok=True)
    for path in directory.glob(f".{HEADER_NAME}.*.tmp"):
        path.unlink(missing_ok=True)
    backups.sweep_leftovers(directory / AUTO_BACKUP_DIR, now=float("inf"))


class Vault:
    def __init__(self, directory: Path, clock: Callable[[], float] = time.time) -> None:
        self.directory = Path(directory)
        self.throttle = UnlockThrottle(self.directory, clock)
        self.folder = FolderLock(self.directory)
        self.lock_wait_s = LOCK_WAIT_S
        self.must_change_passphrase = False
        self.actor = ""
        self.opened_with = ""
        self.notices: list[str] = []
        self._engine: Engine | None = None
        self._vault_key: bytearray | None = None
        self._db_key: bytearray | None = None
        self._integrity_key: bytearray | None = None
        self._header: Header | None = None
        self._header_guard = threading.Lock()
        self._writer = threading.RLock()

    # -- where things are -------------------------------------------------
    @property
    def db_path(self) -> Path:
        return self.directory / DB_NAME

    @property
    def header_path(self) -> Path:
        return self.directory / HEADER_NAME

    @property
    def backup_dir(self) -> Path:
        return self.directory / AUTO_BACKUP_DIR

    @staticmethod
    def exists(directory: Path) -> bool:
        """A vault is here, or a restore into here was cut short (the next unlock finishes it)."""
        directory = Path(directory)
        return has_header(directory) or (directory / restore.JOURNAL_NAME).exists()

    @property
    def is_unlocked(self) -> bool:
        return self._engine is not None

    @property
    def vault_id(self) -> str:
        return self._header_now().vault_id

    def _header_now(self) -> Header:
        return self._header if self._header is not None else read_header(self.directory)

    # -- creating ---------------------------------------------------------
    @classmethod
    def create(
        cls,
        directory: Path,
        passphrase: str,
        clinician: str,
        *,
        kdf: KdfParams | None = None,
        clock: Callable[[], float] = time.time,
    ) -> tuple[Vault, str]:
        """Create a vault; returns it unlocked and the recovery code (shown once).

        A failure leaves nothing behind: no staging file, and no folder if it
        made the folder.
        """
        name = clinician_name(clinician)
        check_passphrase(passphrase)
        cipher_version()
        directory = Path(directory)
        made = [p for p in (directory, *directory.parents) if not p.exists()]
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise diagnose.explain(exc, directory.parent) from None
        vault = cls(directory, clock)
        try:
            restrict_folder(directory)
            vault.folder.acquire()
            code = vault._build(name, passphrase, kdf)
        except BaseException as exc:
            vault.folder.release()
            (directory / "vault.lock").unlink(missing_ok=True)
            _undo_create(directory, made)
            if isinstance(exc, OSError | DBAPIError):
                raise diagnose.explain(exc, directory) from None
            raise
        return vault, code

    def _build(self, name: str, passphrase: str, kdf: KdfParams | None) -> str:
        directory = self.directory
        if has_header(directory):
            raise VaultExistsError(f"a vault already exists in {directory}")
        if (directory / DB_NAME).exists():
            raise VaultExistsError(
                f"{directory / DB_NAME} exists without vault.json (an interrupted set-up or a "
                "damaged vault); move it away before creating a new vault"
            )
        vault_id = str(uuid.uuid4())
        vault_key, db_key, integrity_key = new_key(), new_key(), new_key()
        code = new_recovery_code()
        header = Header(
            vault_id=vault_id,
            created_at=datetime.now(UTC).isoformat(),
            slots=(
                wrap_with_secret(vault_key, passphrase, vault_id, PASSPHRASE, _fresh(kdf)),
                wrap_with_secret(vault_key, code, vault_id, RECOVERY, _fresh(kdf)),
            ),
            db_key=wrap_with_key(db_key, vault_key, vault_id, DATABASE),
            integrity_key=wrap_with_key(integrity_key, vault_key, vault_id, INTEGRITY),
        )
        staging = directory / f"{DB_NAME}.init"
        for leftover in directory.glob(f"{DB_NAME}.init*"):
            leftover.unlink()
        create_private_file(staging)
        engine = make_engine(staging, db_key)
        try:
            migrate.upgrade(engine)
            with DbSession(engine) as db, db.begin():
                db.info[audit.KEY_INFO] = integrity_key
                db.add(VaultIdentity(vault_id=vault_id, created_at=datetime.now(UTC)))
                clinician = Clinician(name=name)
                db.add(clinician)
                db.flush()
                audit.append(db, clinician.name, "create", "vault", vault_id)
                audit.append(db, clinician.name, "create", "clinician", clinician.id)
                seq, chain_hash = db.info[audit.HEAD_INFO]
        finally:
            engine.dispose()
        header = replace(
            header,
            head=AuditHead(seq, chain_hash, head_mac(integrity_key, vault_id, seq, chain_hash)),
        )
        os.replace(staging, directory / DB_NAME)
        fsync_dir(directory)
        write_header(directory, header)
        self._open(header, vault_key, db_key, PASSPHRASE)
        return code

    # -- unlocking --------------------------------------------------------
    def unlock_with_passphrase(self, passphrase: str) -> None:
        self._unlock(PASSPHRASE, lambda slot, vid: unwrap_with_secret(slot, passphrase, vid))

    def unlock_with_recovery(self, code: str) -> None:
        """Emergency access: opens the vault and requires a new passphrase."""
        try:
            normalised = normalise_recovery_code(code)
        except WrongSecretError:
            with self._folder_for_attempt():
                self.throttle.check()
                self.throttle.record_failure()
            raise
        self._unlock(RECOVERY, lambda slot, vid: unwrap_with_secret(slot, normalised, vid))
        self.must_change_passphrase = True

    def unlock_with_keychain(self) -> None:
        header = read_header(self.directory)
        if header.slot(KEYCHAIN) is None:
            raise VaultError("this vault is not remembered on this computer")
        secret = keychain.load_secret(header.vault_id)
        if secret is None:
            raise VaultError("the OS keychain no longer holds this vault's key; use the passphrase")
        self._unlock(KEYCHAIN, lambda slot, vid: unwrap_with_key(slot, secret, vid))

    @contextmanager
    def _folder_for_attempt(self) -> Iterator[None]:
        """The folder lock for one attempt; released again unless the vault opened."""
        self.folder.acquire(self.lock_wait_s)
        try:
            yield
        finally:
            if not self.is_unlocked:
                self.folder.release()

    def _unlock(self, kind: str, unwrap: Unwrap) -> None:
        if self.is_unlocked:
            return
        if not (self.directory / restore.JOURNAL_NAME).exists():
            read_header(self.directory)
        with self._folder_for_attempt():
            restore.finish_interrupted(self.directory)
            _sweep(self.directory)
            header = read_header(self.directory)
            self.throttle.check()
            slot = header.slot(kind)
            if slot is None:
                raise VaultError(f"this vault has no {kind} key slot")
            self._check_db_file()
            try:
                vault_key = unwrap(slot, header.vault_id)
            except WrongSecretError:
                opened = self._secret_of_a_pending_rotation(header, kind, unwrap)
                if opened is None:
                    self.throttle.record_failure()
                    raise
                header, vault_key, db_key = opened
            else:
                header, vault_key, db_key = self._settle_rotation(header, kind, vault_key, unwrap)
            self._open(header, vault_key, db_key, kind)

    def _check_db_file(self) -> None:
        path = self.db_path
        if not path.exists():
            raise VaultCorruptError(
                f"vault.db is missing from {self.directory}: the records are not there and "
                "nothing was changed. If the folder was moved or synced, put vault.db back; "
                "otherwise restore it from a backup"
            )
        if not path.is_file():
            raise VaultCorruptError(f"{path} is not a file; nothing was changed")
        if path.stat().st_size == 0:
            raise VaultCorruptError(
                f"vault.db in {self.directory} is empty (0 bytes): it is not this vault's "
                "database, and it was not touched. Put the vault's vault.db back, or restore "
                "it from a backup"
            )

    def _opens(self, db_key: bytes) -> bool:
        try:
            raw_connect(self.db_path, db_key).close()
        except WrongSecretError:
            return False
        return True

    def _secret_of_a_pending_rotation(
        self, header: Header, kind: str, unwrap: Unwrap
    ) -> tuple[Header, bytes, bytes] | None:
        """A secret that only the pending key set knows (the new passphrase of a
        `change-passphrase --rotate` that was cut short after re-encrypting)."""
        pending = header.pending
        new_slot = pending.slot(kind) if pending is not None else None
        if pending is None or new_slot is None:
            return None
        try:
            new_vault_key = unwrap(new_slot, header.vault_id)
        except WrongSecretError:
            return None
        new_db_key = unwrap_with_key(pending.db_key, new_vault_key, header.vault_id)
        if not self._opens(new_db_key):
            return None  # the re-encryption never happened: the old secret still rules
        return self._promote(header, pending), new_vault_key, new_db_key

    def _promote(self, header: Header, pending: PendingRotation) -> Header:
        header = replace(
            header,
            slots=pending.slots or header.slots,
            db_key=pending.db_key,
            integrity_key=pending.integrity_key or header.integrity_key,
            pending=None,
        )
        write_header(self.directory, header)
        if pending.slots:
            self.notices.append(
                "An interrupted key rotation was finished. The recovery code it made was never "
                "shown, so the old code no longer works: issue a new recovery code now."
            )
        return header

    def _settle_rotation(
        self, header: Header, kind: str, vault_key: bytes, unwrap: Unwrap
    ) -> tuple[Header, bytes, bytes]:
        """Finish or forget a key rotation that a crash interrupted."""
        db_key = unwrap_with_key(header.db_key, vault_key, header.vault_id)
        pending = header.pending
        if pending is None and not header.pending_damaged:
            return header, vault_key, db_key
        if pending is None or self._opens(db_key):
            if pending is None and not self._opens(db_key):
                raise VaultCorruptError(
                    "a key rotation was interrupted and its new keys in vault.json are "
                    "damaged; nothing was changed. Restore the vault from a backup"
                )
            header = replace(header, pending=None, pending_damaged=False)
            write_header(self.directory, header)
            return header, vault_key, db_key
        new_vault_key = vault_key
        if pending.slots:
            new_slot = pending.slot(kind)
            if new_slot is None:
                raise VaultError(
                    "a key rotation was interrupted; open the vault with the passphrase to "
                    "finish it (nothing was changed)"
                )
            try:
                new_vault_key = unwrap(new_slot, header.vault_id)
            except WrongSecretError:
                raise VaultError(
                    "a key rotation was interrupted; open the vault with the passphrase to "
                    "finish it (the new passphrase, if it was being changed); nothing was changed"
                ) from None
        new_db_key = unwrap_with_key(pending.db_key, new_vault_key, header.vault_id)
        if not self._opens(new_db_key):
            raise VaultCorruptError(diagnose.damaged(self.directory).message)
        return self._promote(header, pending), new_vault_key, new_db_key

    def _open(
        self,
        header: Header,
        vault_key: bytes,
        db_key: bytes,
        kind: str,
        *,
        restored: bool = False,
    ) -> None:
        """Key the engine, check the database is this vault's, migrate, audit the unlock.

        Any refusal leaves the vault locked and the files as they were. A
        vault just restored is an intended step back, so the head this
        computer's keychain remembers is not held against it.
        """
        engine = make_engine(self.db_path, db_key)
        try:
            self._check_database_is_ours(engine)
            header, integrity_key = self._integrity(header, vault_key, engine)
            legacy = header.upgrading
            migrated_from = self._migrate_after_backup(engine, db_key)
            with DbSession(engine, expire_on_commit=False) as db, db.begin():
                db.info[audit.KEY_INFO] = integrity_key
                self._check_identity(db, header, legacy)
                self._check_head(db, header, keychain_too=not restored)
                if legacy:
                    _seal_legacy_signatures(db, integrity_key)
                _index_unsearched(db)
                actor = self._audit_unlock(db, header, kind, migrated_from)
                seq, chain_hash = db.info[audit.HEAD_INFO]
        except _DAMAGE as exc:
            engine.dispose()
            if isinstance(exc, VaultCorruptError):
                raise
            raise diagnose.explain(exc, self.directory) from None
        except OSError as exc:
            engine.dispose()
            raise diagnose.explain(exc, self.directory) from None
        except BaseException:
            engine.dispose()
            raise
        header = replace(header, throttle={}, upgrading=False)
        header = self._with_head(header, integrity_key, seq, chain_hash)
        write_header(self.directory, header)
        self.throttle.clear()
        self._engine = engine
        self._vault_key, self._db_key = bytearray(vault_key), bytearray(db_key)
        self._integrity_key = bytearray(integrity_key)
        for spent in (vault_key, db_key, integrity_key):
            wipe_immutable(spent)
        self._header = header
        self.actor = actor
        self.opened_with = kind
        self._remember_head()

    def _check_database_is_ours(self, engine: Engine) -> None:
        """Refuse a vault.db this key does not open, or one with no schema at all."""
        try:
            verify_key(engine)
        except WrongSecretError:
            raise VaultCorruptError(
                f"vault.db in {self.directory} does not open with this vault's key: it is "
                "damaged, or it is another vault's database. Nothing was changed; put the "
                "right vault.db back or restore it from a backup"
            ) from None
        if migrate.current_revision(engine) is None:
            raise VaultCorruptError(
                f"vault.db in {self.directory} holds no records at all: it is not this "
                "vault's database, and it was not touched. Put the vault's vault.db back, "
                "or restore it from a backup"
            )

    def _migrate_after_backup(self, engine: Engine, db_key: bytes) -> str | None:
        """Upgrade an old schema, backing it up first; returns the revision upgraded from."""
        if not migrate.needs_upgrade(engine):
            return None
        migrated_from = migrate.current_revision(engine)
        backups.create_backup(
            self.db_path, self.header_path, db_key, self.backup_dir, AUTO_BACKUP_KEEP
        )
        migrate.upgrade(engine)
        return migrated_from

    def _audit_unlock(
        self, db: DbSession, header: Header, kind: str, migrated_from: str | None
    ) -> str:
        """Audit the failed attempts since the last unlock, any migration, and this unlock.

        Returns the actor the events name: the vault's first clinician.
        """
        clinician = db.scalars(select(Clinician).order_by(Clinician.created_at)).first()
        actor = clinician.name if clinician else "unknown"
        for when in self.throttle.pending_failures():
            audit.append(db, actor, "unlock_failed", "vault", header.vault_id, at=when)
        if migrated_from is not None:
            audit.append(
                db,
                actor,
                "migrate",
                "vault",
                header.vault_id,
                f"{migrated_from} -> {migrate.head_revision()}",
            )
        audit.append(db, actor, "unlock", "vault", header.vault_id, f"with {kind}")
        return actor

    def _integrity(self, header: Header, vault_key: bytes, engine: Engine) -> tuple[Header, bytes]:
        """The integrity key; a format-1 vault gets one, keying events from the next on.

        The new key is written to vault.json at once, marked `upgrading` until the database
        has its identity and seals and the open ends: a process killed in between (the backup
        and the schema upgrade come first) finishes the same upgrade next time, with the same
        key, instead of finding a format-2 vault whose database names no vault."""
        if header.integrity_key is not None:
            return header, unwrap_with_key(header.integrity_key, vault_key, header.vault_id)
        key = new_key()
        with DbSession(engine) as db:
            last = audit.last_event(db)
        header = replace(
            header,
            format=2,
            integrity_key=wrap_with_key(key, vault_key, header.vault_id, INTEGRITY),
            keyed_from=(last[0] + 1) if last else 1,
            upgrading=True,
        )
        write_header(self.directory, header)
        return header, key

    def _check_identity(self, db: DbSession, header: Header, legacy: bool) -> None:
        rows = list(db.scalars(select(VaultIdentity.vault_id)))
        if not rows and legacy:
            db.add(VaultIdentity(vault_id=header.vault_id, created_at=datetime.now(UTC)))
            db.flush()
            return
        if rows != [header.vault_id]:
            raise VaultCorruptError(
                f"vault.db in {self.directory} belongs to another vault (or names none); it was "
                "not touched. Put this vault's vault.db back, or restore it from a backup"
            )

    def _check_head(self, db: DbSession, header: Header, *, keychain_too: bool) -> None:
        """The database must still hold the last event vault.json (and the keychain) saw."""
        key = bytes(db.info[audit.KEY_INFO])
        heads = [header.head] if header.head else []
        remembered = keychain_too and header.slot(KEYCHAIN) is not None
        stored = keychain.load_head(header.vault_id) if remembered else None
        if stored:
            with contextlib.suppress(VaultCorruptError):
                heads.append(AuditHead.from_json(stored))
        for head in heads:
            if not same(head.mac, head_mac(key, header.vault_id, head.seq, head.hash)):
                raise VaultCorruptError(
                    "vault.json's record of the audit trail was altered; nothing was changed"
                )
            problem = _head_problem(db, head)
            if problem:
                raise VaultCorruptError(problem)

    def _with_head(self, header: Header, key: bytes, seq: int, chain_hash: str) -> Header:
        if header.head is not None and header.head.seq >= seq:
            return header
        return replace(
            header, head=AuditHead(seq, chain_hash, head_mac(key, header.vault_id, seq, chain_hash))
        )

    def _advance_head(self, seq: int, chain_hash: str) -> None:
        """Anchor the chain after a commit (a crash before this only leaves the head behind)."""
        with self._header_guard:
            if self._header is None or self._integrity_key is None:
                return
            with key_copies(self._integrity_key) as (key,):
                header = self._with_head(self._header, key, seq, chain_hash)
            if header is not self._header:
                write_header(self.directory, header)
                self._header = header

    def _remember_head(self) -> None:
        header = self._header
        if header is not None and header.head is not None and header.slot(KEYCHAIN):
            keychain.store_head(header.vault_id, header.head.to_json())

    # -- using ------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise VaultError("the vault is locked")
        return self._engine

    @property
    def write_lock(self) -> AbstractContextManager[bool]:
        """The lock every write unit holds; a background save holds it while it checks it is
        still the newest, and tests hold it to make a write wait as behind a slow one."""
        return self._writer

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[DbSession]:
        """One unit of work: committed when the block ends, rolled back on error.

        A `write` unit is serialised: one writer at a time in this process
        (the UI, its workers and the CLI alike), and `BEGIN IMMEDIATE` takes
        SQLite's write lock before the first read, so the audit chain's head
        read by one write is the head the next one extends.

        Storage failures come out as what they are (disk full, read-only,
        busy, damaged), and a commit that added audit events advances the
        chain's head in vault.json.
        """
        with self._writer if write else contextlib.nullcontext():
            engine = self.engine
            key = self._integrity_key
            head = None
            try:
                with DbSession(engine, expire_on_commit=False) as db, db.begin():
                    if write:
                        db.connection().exec_driver_sql("BEGIN IMMEDIATE")
                    db.info[audit.KEY_INFO] = bytes(key) if key is not None else None
                    db.info[audit.KEYED_FROM_INFO] = self._header_now().keyed_from
                    yield db
                    head = db.info.get(audit.HEAD_INFO)
            except _STORAGE as exc:
                if not diagnose.is_storage_failure(exc):
                    raise
                raise diagnose.explain(exc, self.directory) from None
            if head is not None:
                try:
                    self._advance_head(*head)
                except OSError as exc:
                    raise diagnose.explain(exc, self.directory) from None

    def audit(
        self, action: str, entity_kind: str = "", entity_id: object = "", detail: str = ""
    ) -> None:
        with self.session(write=True) as db:
            audit.append(db, self.actor, action, entity_kind, str(entity_id), detail)

    def lock(self, reason: str = "manual") -> None:
        """Forget every key, close the database and the folder.

        The writer is held from the lock's audit event until the database is closed, so a
        background save still queued finds the vault locked instead of landing after it."""
        with self._writer:
            if self._engine is None:
                return
            try:
                self.audit("lock", "vault", self._header_now().vault_id, reason)
                self._remember_head()
            finally:
                self._engine.dispose()
                self._engine = None
                for key in (self._vault_key, self._db_key, self._integrity_key):
                    if key is not None:
                        wipe(key)
                self._vault_key = self._db_key = self._integrity_key = None
                self.must_change_passphrase = False
                self.folder.release()

    @contextmanager
    def _unlocked_keys(self) -> Iterator[tuple[Header, bytes, bytes]]:
        """The header and copies of the keys for APIs that take `bytes`, zeroed after the block."""
        if self._engine is None or self._vault_key is None or self._db_key is None:
            raise VaultError("the vault is locked")
        with key_copies(self._vault_key, self._db_key) as (vault_key, db_key):
            yield self._header_now(), vault_key, db_key

    def _write_header(self, header: Header) -> None:
        with self._header_guard:
            write_header(self.directory, header)
            self._header = header

    # -- secrets ----------------------------------------------------------
    def _check_passphrase(self, header: Header, vault_key: bytes, current: str) -> Slot:
        slot = header.slot(PASSPHRASE)
        if slot is None:
            raise WrongSecretError("wrong passphrase")
        opened = unwrap_with_secret(slot, current, header.vault_id)
        try:
            if not hmac.compare_digest(opened, vault_key):
                raise WrongSecretError("wrong passphrase")
        finally:
            wipe_immutable(opened)
        return slot

    def change_passphrase(self, current: str, new: str, *, rotate: bool = False) -> str | None:
        """A new passphrase; with `rotate`, new keys too, and the new recovery code is returned.

        Without rotation the old passphrase still opens any old copy of
        vault.json (every backup carries one), and through it today's
        database; rotating stops that.
        """
        with self._unlocked_keys() as (header, vault_key, _):
            slot = self._check_passphrase(header, vault_key, current)
            check_passphrase(new)
            if rotate:
                return self.rotate_key(current, new_passphrase=new)
            new_slot = wrap_with_secret(
                vault_key, new, header.vault_id, PASSPHRASE, _fresh(slot.kdf)
            )
            self._write_header(header.with_slot(new_slot))
            self.audit("key_change", "vault", header.vault_id, "passphrase changed")
            return None

    def set_new_passphrase(self, new: str) -> None:
        """After opening with the recovery code: the one way to set a passphrase without the old."""
        with self._unlocked_keys() as (header, vault_key, _):
            if not self.must_change_passphrase:
                raise VaultError("give the current passphrase to change it")
            check_passphrase(new)
            kdf = (header.slot(PASSPHRASE) or header.slots[0]).kdf
            slot = wrap_with_secret(vault_key, new, header.vault_id, PASSPHRASE, _fresh(kdf))
            self._write_header(header.with_slot(slot))
            self.audit("key_change", "vault", header.vault_id, "passphrase changed")
            self.must_change_passphrase = False

    def replace_recovery_code(self, passphrase: str) -> str:
        """A new recovery code for this vault.json; the old code stops opening it."""
        with self._unlocked_keys() as (header, vault_key, _):
            self._check_passphrase(header, vault_key, passphrase)
            code = new_recovery_code()
            kdf = (header.slot(RECOVERY) or header.slots[0]).kdf
            slot = wrap_with_secret(vault_key, code, header.vault_id, RECOVERY, _fresh(kdf))
            self._write_header(header.with_slot(slot))
            self.audit("key_change", "vault", header.vault_id, "recovery code replaced")
            return code

    @property
    def keychain_enabled(self) -> bool:
        return self._header_now().slot(KEYCHAIN) is not None

    def enable_keychain(self) -> None:
        with self._unlocked_keys() as (header, vault_key, _):
            secret = keychain.store_new_secret(header.vault_id)
            self._write_header(
                header.with_slot(wrap_with_key(vault_key, secret, header.vault_id, KEYCHAIN))
            )
            self._remember_head()
            self.audit("key_change", "vault", header.vault_id, "remembered on this computer")

    def disable_keychain(self) -> None:
        with self._unlocked_keys() as (header, _, _):
            self._write_header(header.without_slot(KEYCHAIN))
            keychain.delete_secret(header.vault_id)
            self.audit("key_change", "vault", header.vault_id, "forgotten on this computer")

    def rotate_key(
        self,
        passphrase: str,
        step: Callable[[str], None] | None = None,
        *,
        new_passphrase: str | None = None,
    ) -> str:
        """New vault key, database key and recovery code; every slot rewrapped, crash safe.

        1. the complete new key set is written to vault.json as pending;
        2. `PRAGMA rekey` re-encrypts in one transaction; 3. reopening with
        the new key verifies it; 4. the pending set replaces the old one. An
        unlock after a crash tries the current keys, then the pending ones
        (`_settle_rotation`). Returns the new recovery code (show it once).
        `step` is called after each step (the crash-safety tests kill there).
        """
        with self._unlocked_keys() as (header, vault_key, old_db_key):
            slot = self._check_passphrase(header, vault_key, passphrase)
            if self._integrity_key is None:
                raise VaultError("the vault is locked")
            needed = self._check_room_to_rekey()
            mark = step or (lambda _name: None)
            with key_copies(self._integrity_key) as (integrity_key,):
                pending, new_vault_key, new_db_key, code = self._new_key_set(
                    header, slot, new_passphrase or passphrase, integrity_key
                )
            try:
                header = replace(header, pending=pending)
                self._write_header(header)
                mark("pending-written")
                self._rekey(header, old_db_key, new_db_key, needed, mark)
                header = replace(
                    header,
                    slots=pending.slots,
                    db_key=pending.db_key,
                    integrity_key=pending.integrity_key,
                    pending=None,
                )
                self._write_header(header)
                mark("promoted")
                self._switch_keys(new_vault_key, new_db_key)
                self._remember_head()
                self.audit(
                    "key_change", "vault", header.vault_id, "keys rotated, every slot rewrapped"
                )
                return code
            finally:
                for spent in (new_vault_key, new_db_key):
                    wipe_immutable(spent)

    def _check_room_to_rekey(self) -> int:
        """Refuse a rotation the disk cannot hold (`PRAGMA rekey` rewrites the whole
        database); returns the bytes needed."""
        size = sum(p.stat().st_size for p in self.directory.glob(f"{DB_NAME}*") if p.is_file())
        needed = 2 * size + 10_000_000
        free = diagnose.free_bytes(self.directory)
        if free is not None and free < needed:
            raise diagnose.disk_full(self.directory, needed)
        return needed

    def _rekey(
        self,
        header: Header,
        old_db_key: bytes,
        new_db_key: bytes,
        needed: int,
        mark: Callable[[str], None],
    ) -> None:
        """Re-encrypt the database under the new key and check that key opens it.

        A storage failure drops the pending key set again while the old key
        still opens the database, so the next unlock does not try the new one.
        """
        self.engine.dispose()
        try:
            conn = raw_connect(self.db_path, old_db_key)
            try:
                run_with_key(conn, 'PRAGMA rekey = "{key}"', new_db_key)
            finally:
                conn.close()
            mark("rekeyed")
            raw_connect(self.db_path, new_db_key).close()
            mark("verified")
        except _STORAGE as exc:
            if self._opens(old_db_key):
                self._write_header(replace(header, pending=None))
            raise diagnose.explain(exc, self.directory, needed) from None

    def _switch_keys(self, new_vault_key: bytes, new_db_key: bytes) -> None:
        """Wipe the old keys held in memory and keep copies of the new ones, with an engine."""
        for old in (self._vault_key, self._db_key):
            if old is not None:
                wipe(old)
        self._vault_key, self._db_key = bytearray(new_vault_key), bytearray(new_db_key)
        self._engine = make_engine(self.db_path, new_db_key)

    def _new_key_set(
        self, header: Header, slot: Slot, passphrase: str, integrity_key: bytes
    ) -> tuple[PendingRotation, bytes, bytes, str]:
        vid = header.vault_id
        new_vault_key, new_db_key, code = new_key(), new_key(), new_recovery_code()
        recovery_kdf = (header.slot(RECOVERY) or slot).kdf
        slots = [
            wrap_with_secret(new_vault_key, passphrase, vid, PASSPHRASE, _fresh(slot.kdf)),
            wrap_with_secret(new_vault_key, code, vid, RECOVERY, _fresh(recovery_kdf)),
        ]
        if header.slot(KEYCHAIN) is not None:
            secret = None
            with contextlib.suppress(VaultError):
                secret = keychain.load_secret(vid)
            if secret is not None:
                slots.append(wrap_with_key(new_vault_key, secret, vid, KEYCHAIN))
            else:
                self.notices.append(
                    "The OS keychain could not be reached, so this computer no longer "
                    "remembers the vault; turn it on again in Settings."
                )
        pending = PendingRotation(
            db_key=wrap_with_key(new_db_key, new_vault_key, vid, DATABASE),
            slots=tuple(slots),
            integrity_key=wrap_with_key(integrity_key, new_vault_key, vid, INTEGRITY),
        )
        return pending, new_vault_key, new_db_key, code

    # -- checks and copies ------------------------------------------------
    def integrity_problems(self) -> list[str]:
        """Pages (SQLite, SQLCipher HMAC) and the head anchored in vault.json."""
        with self._unlocked_keys() as (header, _, db_key):
            conn = raw_connect(self.db_path, db_key)
            try:
                problems = integrity_problems(conn)
            finally:
                conn.close()
            if header.head is not None:
                with self.session() as db:
                    problem = _head_problem(db, header.head)
                if problem:
                    problems.append(problem)
            return problems

    def missing_triggers(self) -> list[str]:
        """The triggers that keep signed records and the audit log immutable, if any are gone."""
        with self._unlocked_keys() as (_, _, db_key):
            conn = raw_connect(self.db_path, db_key)
            try:
                rows = conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='trigger'"
                ).fetchall()
            finally:
                conn.close()
            names = {r[0] for r in rows}
            return [
                f"the protective trigger {t} is missing"
                for t in PROTECTIVE_TRIGGERS
                if t not in names
            ]

    def first_unsealed_signature(self) -> str | None:
        """A signed note or addendum without a valid seal, or a signing the records lost."""
        if self._integrity_key is None:
            raise VaultError("the vault is locked")
        with key_copies(self._integrity_key) as (key,):
            return self._first_unsealed(key)

    def _first_unsealed(self, key: bytes) -> str | None:
        with self.session() as db:
            seals = {s.record_id: s for s in db.scalars(select(SignatureSeal))}
            records: dict[str, tuple[str, str]] = {}
            for note in db.scalars(select(Note).where(Note.status == NoteStatus.SIGNED)):
                records[str(note.id)] = ("note", note.content_hash)
            for add in db.scalars(select(Addendum).where(Addendum.status == NoteStatus.SIGNED)):
                records[str(add.id)] = ("addendum", add.content_hash)
            for record_id, (kind, content_hash) in records.items():
                found = seals.get(record_id)
                if found is None or not same(found.seal, seal(key, kind, record_id, content_hash)):
                    return f"signed {kind} {record_id} does not match its sealed signature"
            for kind in ("note", "addendum"):
                for record_id in audit.events_for(db, "sign", kind):
                    if record_id not in records:
                        return (
                            f"the {kind} {record_id} was signed (audit trail) but is no longer "
                            "a signed record: it was deleted or set back to draft"
                        )
        return None

    def seal_signature(
        self, db: DbSession, kind: str, record_id: object, content_hash: str
    ) -> None:
        """Store the keyed seal of a signature in the caller's unit of work."""
        if self._integrity_key is None:
            raise VaultError("the vault is locked")
        with key_copies(self._integrity_key) as (key,):
            sealed = seal(key, kind, str(record_id), content_hash)
        db.add(SignatureSeal(record_id=str(record_id), kind=kind, seal=sealed))

    def backup(self, dest_dir: Path | None = None, keep: int | None = None) -> backups.BackupInfo:
        with self._unlocked_keys() as (header, _, db_key):
            target = Path(dest_dir) if dest_dir else self.backup_dir
            try:
                info = backups.create_backup(self.db_path, self.header_path, db_key, target, keep)
            except OSError as exc:
                raise diagnose.explain(exc, target) from None
            self.audit("backup", "vault", header.vault_id, info.path.name)
            return info

    @classmethod
    def restore(
        cls,
        backup_file: Path,
        directory: Path,
        secret: str,
        *,
        use_recovery_code: bool = False,
        replace_existing: bool = False,
        allow_empty: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> tuple[Vault, Path | None]:
        """Restore a backup into `directory`; an existing vault there is moved aside, never deleted.

        The backup is checked as its own vault before anything moves (see
        `console.vault.restore`). Returns the restored vault, unlocked, and
        where a replaced vault was moved.
        """
        directory = Path(directory)
        made = [p for p in (directory, *directory.parents) if not p.exists()]
        had_lock = (directory / "vault.lock").exists()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise diagnose.explain(exc, directory.parent) from None
        restrict_folder(directory)
        vault = cls(directory, clock)
        try:
            moved = vault._restore_into(
                Path(backup_file), secret, use_recovery_code, replace_existing, allow_empty
            )
        except BaseException:
            if not cls.exists(directory):
                if not had_lock:
                    (directory / "vault.lock").unlink(missing_ok=True)
                _undo_create(directory, made)
            raise
        vault.audit("restore", "vault", vault.vault_id, Path(backup_file).name)
        return vault, moved

    def _restore_into(
        self,
        backup_file: Path,
        secret: str,
        use_recovery_code: bool,
        replace_existing: bool,
        allow_empty: bool,
    ) -> Path | None:
        directory = self.directory
        with self._folder_for_attempt():
            restore.finish_interrupted(directory)
            _sweep(directory)
            occupied = has_header(directory) or (directory / DB_NAME).exists()
            if occupied and not replace_existing:
                raise VaultExistsError(
                    f"a vault already exists in {directory}; restore into an empty folder "
                    "or choose to replace it (the current vault is then kept aside)"
                )
            name = Path(backup_file).name
            work = restore.unpack(Path(backup_file), directory)
            try:
                header = read_header(work)
                kind = RECOVERY if use_recovery_code else PASSPHRASE
                slot = header.slot(kind)
                if slot is None:
                    raise VaultCorruptError("the backup has no key slot for that secret")
                key_secret = normalise_recovery_code(secret) if use_recovery_code else secret
                vault_key = unwrap_with_secret(slot, key_secret, header.vault_id)
                db_key = unwrap_with_key(header.db_key, vault_key, header.vault_id)
                restore.check_backup_database(
                    work, header, db_key, allow_empty=allow_empty, name=name
                )
                moved = restore.commit(directory, work, occupied)
            except BaseException as exc:
                if not (directory / restore.JOURNAL_NAME).exists():
                    shutil.rmtree(work, ignore_errors=True)
                if isinstance(exc, _STORAGE):
                    raise diagnose.explain(exc, directory) from None
                raise
            header = read_header(directory)
            self._open(header, vault_key, db_key, kind, restored=True)
        if use_recovery_code:
            self.must_change_passphrase = True
        return moved


def _head_problem(db: DbSession, head: AuditHead) -> str | None:
    last = db.scalar(select(func.max(AuditEvent.seq))) or 0
    if last < head.seq:
        return (
            f"the audit trail ends at event {last}, but this vault recorded event {head.seq}: "
            "the database was rolled back or events were deleted"
        )
    stored = db.scalar(select(AuditEvent.hash).where(AuditEvent.seq == head.seq))
    if stored is None or not same(stored, head.hash):
        return f"audit event {head.seq} is not the one this vault recorded"
    return None


def _seal_legacy_signatures(db: DbSession, key: bytes) -> None:
    """A format-1 vault's signatures get seals once, at the upgrade (their hashes still verify)."""
    from console.services.notes import addendum_hash, note_hash

    sealed = set(db.scalars(select(SignatureSeal.record_id)))
    for note in db.scalars(select(Note).where(Note.status == NoteStatus.SIGNED)):
        ok = note.signed_at is not None and note.content_hash == note_hash(
            note.id, note.template, note.sections, note.signer_name, note.signed_at
        )
        if ok and str(note.id) not in sealed:
            db.add(
                SignatureSeal(
                    record_id=str(note.id),
                    kind="note",
                    seal=seal(key, "note", str(note.id), note.content_hash),
                )
            )
        for a in note.addenda:
            ok = a.signed_at is not None and a.content_hash == addendum_hash(
                a.id, note.content_hash, a.author_name, a.text, a.signed_at
            )
            if a.status is NoteStatus.SIGNED and ok and str(a.id) not in sealed:
                db.add(
                    SignatureSeal(
                        record_id=str(a.id),
                        kind="addendum",
                        seal=seal(key, "addendum", str(a.id), a.content_hash),
                    )
                )
    db.flush()


def _index_unsearched(db: DbSession) -> None:
    """Records saved before their kind was searchable join the index (see search_catchup)."""
    from console.services.search_catchup import index_missing

    index_missing(db)


def _undo_create(directory: Path, made: list[Path]) -> None:
    for leftover in directory.glob(f"{DB_NAME}.init*"):
        leftover.unlink(missing_ok=True)
    for folder in made:
        with contextlib.suppress(OSError):
            folder.rmdir()
