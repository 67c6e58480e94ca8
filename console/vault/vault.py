"""One vault: a folder with vault.json (key slots) and vault.db (SQLCipher).

`Vault` is the only object that ever holds key material. Locking drops it,
disposes the engine and tells listeners, so views can close themselves.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session as DbSession

from console.errors import (
    DiskSpaceError,
    ValidationError,
    VaultCorruptError,
    VaultError,
    VaultExistsError,
    WrongSecretError,
)
from console.services import audit
from console.vault import backup as backups
from console.vault import keychain, migrate
from console.vault.database import (
    DB_ERRORS,
    cipher_version,
    integrity_problems,
    make_engine,
    raw_connect,
    raw_key,
    verify_key,
)
from console.vault.fsutil import fsync_dir
from console.vault.header import DB_NAME, HEADER_NAME, Header, has_header, read_header, write_header
from console.vault.keyslots import (
    DATABASE,
    KEYCHAIN,
    PASSPHRASE,
    RECOVERY,
    KdfParams,
    check_passphrase,
    new_key,
    new_recovery_code,
    normalise_recovery_code,
    unwrap_with_key,
    unwrap_with_secret,
    wrap_with_key,
    wrap_with_secret,
)
from console.vault.throttle import UnlockThrottle
from models import Clinician

AUTO_BACKUP_DIR = "backups"
AUTO_BACKUP_KEEP = 10
_DAMAGE: tuple[type[BaseException], ...] = (WrongSecretError, VaultCorruptError, *DB_ERRORS)


def _fresh(kdf: KdfParams | None) -> KdfParams:
    """Same cost as asked, new salt: a salt is never shared between slots."""
    base = kdf or KdfParams()
    return KdfParams(memory_kib=base.memory_kib, iterations=base.iterations, lanes=base.lanes)


def _unique_dir(parent: Path, stem: str) -> Path:
    for n in range(1000):
        candidate = parent / (stem if n == 0 else f"{stem}-{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise VaultError(f"cannot make a folder for the replaced vault in {parent}")


class Vault:
    def __init__(self, directory: Path, clock: Callable[[], float] = time.time) -> None:
        self.directory = Path(directory)
        self.throttle = UnlockThrottle(self.directory, clock)
        self.must_change_passphrase = False
        self.actor = ""
        self.opened_with = ""
        self._engine: Engine | None = None
        self._vault_key: bytes | None = None
        self._db_key: bytes | None = None
        self._header: Header | None = None
        self._lock_listeners: list[Callable[[], None]] = []

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
        return has_header(Path(directory))

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
        clinician_name: str,
        *,
        kdf: KdfParams | None = None,
        clock: Callable[[], float] = time.time,
    ) -> tuple[Vault, str]:
        """Create a vault; returns it unlocked and the recovery code (shown once)."""
        if not clinician_name.strip():
            raise ValidationError("clinician", "enter the clinician's name")
        check_passphrase(passphrase)
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        if has_header(directory):
            raise VaultExistsError(f"a vault already exists in {directory}")
        if (directory / DB_NAME).exists():
            raise VaultExistsError(
                f"{directory / DB_NAME} exists without vault.json (an interrupted set-up or a "
                "damaged vault); move it away before creating a new vault"
            )
        cipher_version()
        vault_id = str(uuid.uuid4())
        vault_key, db_key = new_key(), new_key()
        code = new_recovery_code()
        header = Header(
            vault_id=vault_id,
            created_at=datetime.now(UTC).isoformat(),
            slots=(
                wrap_with_secret(vault_key, passphrase, vault_id, PASSPHRASE, _fresh(kdf)),
                wrap_with_secret(vault_key, code, vault_id, RECOVERY, _fresh(kdf)),
            ),
            db_key=wrap_with_key(db_key, vault_key, vault_id, DATABASE),
        )
        staging = directory / f"{DB_NAME}.init"
        for leftover in directory.glob(f"{DB_NAME}.init*"):
            leftover.unlink()
        engine = make_engine(staging, db_key)
        try:
            migrate.upgrade(engine)
            with DbSession(engine) as db, db.begin():
                clinician = Clinician(name=clinician_name.strip())
                db.add(clinician)
                db.flush()
                audit.append(db, clinician.name, "create", "vault", vault_id)
                audit.append(db, clinician.name, "create", "clinician", clinician.id)
        finally:
            engine.dispose()
        os.replace(staging, directory / DB_NAME)
        fsync_dir(directory)
        write_header(directory, header)
        vault = cls(directory, clock)
        vault._open(header, vault_key, db_key, PASSPHRASE)
        return vault, code

    # -- unlocking --------------------------------------------------------
    def unlock_with_passphrase(self, passphrase: str) -> None:
        self._unlock(PASSPHRASE, lambda slot, vid: unwrap_with_secret(slot, passphrase, vid))

    def unlock_with_recovery(self, code: str) -> None:
        """Emergency access: opens the vault and requires a new passphrase."""
        try:
            normalised = normalise_recovery_code(code)
        except WrongSecretError:
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

    def _unlock(self, kind: str, unwrap: Callable[..., bytes]) -> None:
        if self.is_unlocked:
            return
        header = read_header(self.directory)
        self.throttle.check()
        slot = header.slot(kind)
        if slot is None:
            raise VaultError(f"this vault has no {kind} key slot")
        if not self.db_path.exists():
            raise VaultCorruptError(
                f"vault.db is missing from {self.directory}; restore it from a backup"
            )
        try:
            vault_key = unwrap(slot, header.vault_id)
        except WrongSecretError:
            self.throttle.record_failure()
            raise
        header, db_key = self._settle_rotation(header, vault_key)
        self._open(header, vault_key, db_key, kind)

    def _settle_rotation(self, header: Header, vault_key: bytes) -> tuple[Header, bytes]:
        """Finish or forget a key rotation that a crash interrupted."""
        db_key = unwrap_with_key(header.db_key, vault_key, header.vault_id)
        if header.pending_db_key is None:
            return header, db_key
        pending = unwrap_with_key(header.pending_db_key, vault_key, header.vault_id)
        for candidate in (db_key, pending):
            try:
                raw_connect(self.db_path, candidate).close()
            except WrongSecretError:
                continue
            promoted = header.db_key if candidate is db_key else header.pending_db_key
            header = replace(header, db_key=promoted, pending_db_key=None)
            write_header(self.directory, header)
            return header, candidate
        raise VaultCorruptError(self._damaged_message())

    def _damaged_message(self) -> str:
        return (
            f"vault.db in {self.directory} is damaged or truncated and cannot be opened; "
            "nothing was changed. Restore it from a backup"
        )

    def _open(self, header: Header, vault_key: bytes, db_key: bytes, kind: str) -> None:
        """Key the engine, migrate if needed, audit the unlock; any damage leaves it locked."""
        engine = make_engine(self.db_path, db_key)
        try:
            verify_key(engine)
            migrated_from = None
            if migrate.needs_upgrade(engine):
                migrated_from = migrate.current_revision(engine)
                if migrated_from is not None:
                    backups.create_backup(
                        self.db_path, self.header_path, db_key, self.backup_dir, AUTO_BACKUP_KEEP
                    )
                migrate.upgrade(engine)
            failures = self.throttle.pending_failures()
            with DbSession(engine, expire_on_commit=False) as db, db.begin():
                clinician = db.scalars(select(Clinician).order_by(Clinician.created_at)).first()
                actor = clinician.name if clinician else "unknown"
                for when in failures:
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
        except _DAMAGE:
            engine.dispose()
            raise VaultCorruptError(self._damaged_message()) from None
        except BaseException:
            engine.dispose()
            raise
        self.throttle.clear()
        self._engine, self._vault_key, self._db_key, self._header = (
            engine,
            vault_key,
            db_key,
            header,
        )
        self.actor = actor
        self.opened_with = kind

    # -- using ------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise VaultError("the vault is locked")
        return self._engine

    @contextmanager
    def session(self) -> Iterator[DbSession]:
        """One unit of work: committed when the block ends, rolled back on error."""
        with DbSession(self.engine, expire_on_commit=False) as db, db.begin():
            yield db

    def audit(
        self, action: str, entity_kind: str = "", entity_id: object = "", detail: str = ""
    ) -> None:
        with self.session() as db:
            audit.append(db, self.actor, action, entity_kind, str(entity_id), detail)

    def on_lock(self, listener: Callable[[], None]) -> None:
        self._lock_listeners.append(listener)

    def lock(self, reason: str = "manual") -> None:
        """Forget every key and close the database; listeners close their views."""
        if self._engine is None:
            return
        try:
            self.audit("lock", "vault", self._header_now().vault_id, reason)
        finally:
            self._engine.dispose()
            self._engine = None
            self._vault_key = self._db_key = None
            self.must_change_passphrase = False
            for listener in list(self._lock_listeners):
                listener()

    def _require_unlocked(self) -> tuple[Header, bytes, bytes]:
        if self._engine is None or self._vault_key is None or self._db_key is None:
            raise VaultError("the vault is locked")
        return self._header_now(), self._vault_key, self._db_key

    # -- secrets ----------------------------------------------------------
    def change_passphrase(self, current: str, new: str) -> None:
        header, vault_key, _ = self._require_unlocked()
        slot = header.slot(PASSPHRASE)
        if slot is None or unwrap_with_secret(slot, current, header.vault_id) != vault_key:
            raise WrongSecretError("wrong passphrase")
        self._write_passphrase(header, vault_key, new, slot.kdf)

    def set_new_passphrase(self, new: str) -> None:
        """After opening with the recovery code: the one way to set a passphrase without the old."""
        header, vault_key, _ = self._require_unlocked()
        if not self.must_change_passphrase:
            raise VaultError("give the current passphrase to change it")
        self._write_passphrase(
            header, vault_key, new, (header.slot(PASSPHRASE) or header.slots[0]).kdf
        )
        self.must_change_passphrase = False

    def _write_passphrase(
        self, header: Header, vault_key: bytes, new: str, kdf: KdfParams | None
    ) -> None:
        check_passphrase(new)
        slot = wrap_with_secret(vault_key, new, header.vault_id, PASSPHRASE, _fresh(kdf))
        self._header = header.with_slot(slot)
        write_header(self.directory, self._header)
        self.audit("key_change", "vault", header.vault_id, "passphrase changed")

    @property
    def keychain_enabled(self) -> bool:
        return self._header_now().slot(KEYCHAIN) is not None

    def enable_keychain(self) -> None:
        header, vault_key, _ = self._require_unlocked()
        secret = keychain.store_new_secret(header.vault_id)
        self._header = header.with_slot(wrap_with_key(vault_key, secret, header.vault_id, KEYCHAIN))
        write_header(self.directory, self._header)
        self.audit("key_change", "vault", header.vault_id, "remembered on this computer")

    def disable_keychain(self) -> None:
        header, _, _ = self._require_unlocked()
        self._header = header.without_slot(KEYCHAIN)
        write_header(self.directory, self._header)
        keychain.delete_secret(header.vault_id)
        self.audit("key_change", "vault", header.vault_id, "forgotten on this computer")

    def rotate_key(self, step: Callable[[str], None] | None = None) -> None:
        """Re-encrypt the database under a new random key, crash safe at every step.

        1. the new key is written to vault.json as pending; 2. `PRAGMA rekey`
        re-encrypts in one transaction; 3. reopening with the new key verifies
        it; 4. the pending key becomes the key. An unlock after a crash at any
        point tries the current key, then the pending one (`_settle_rotation`).
        `step` is called after each step (the crash-safety test kills there).
        """
        header, vault_key, old_key = self._require_unlocked()
        size = sum(p.stat().st_size for p in self.directory.glob(f"{DB_NAME}*") if p.is_file())
        if shutil.disk_usage(self.directory).free < 2 * size + 10_000_000:
            raise DiskSpaceError("not enough free disk space to re-encrypt the vault")
        mark = step or (lambda _name: None)
        new_db_key = new_key()
        pending = wrap_with_key(new_db_key, vault_key, header.vault_id, DATABASE)
        header = replace(header, pending_db_key=pending)
        write_header(self.directory, header)
        mark("pending-written")
        self.engine.dispose()
        conn = raw_connect(self.db_path, old_key)
        try:
            conn.execute(f'PRAGMA rekey = "{raw_key(new_db_key)}"')
        finally:
            conn.close()
        mark("rekeyed")
        raw_connect(self.db_path, new_db_key).close()
        mark("verified")
        header = replace(header, db_key=pending, pending_db_key=None)
        write_header(self.directory, header)
        mark("promoted")
        self._header, self._db_key = header, new_db_key
        self._engine = make_engine(self.db_path, new_db_key)
        self.audit("key_change", "vault", header.vault_id, "database key rotated")

    # -- checks and copies ------------------------------------------------
    def integrity_problems(self) -> list[str]:
        _, _, db_key = self._require_unlocked()
        conn = raw_connect(self.db_path, db_key)
        try:
            return integrity_problems(conn)
        finally:
            conn.close()

    def backup(self, dest_dir: Path | None = None, keep: int | None = None) -> backups.BackupInfo:
        header, _, db_key = self._require_unlocked()
        target = Path(dest_dir) if dest_dir else self.backup_dir
        info = backups.create_backup(self.db_path, self.header_path, db_key, target, keep)
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
        clock: Callable[[], float] = time.time,
    ) -> tuple[Vault, Path | None]:
        """Restore a backup into `directory`; an existing vault there is moved aside, never deleted.

        Returns the restored vault, unlocked, and where a replaced vault was moved.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        occupied = has_header(directory) or (directory / DB_NAME).exists()
        if occupied and not replace_existing:
            raise VaultExistsError(
                f"a vault already exists in {directory}; restore into an empty folder "
                "or choose to replace it (the current vault is then kept aside)"
            )
        work = backups.extract_backup(Path(backup_file), directory)
        try:
            header = read_header(work)
            kind = RECOVERY if use_recovery_code else PASSPHRASE
            slot = header.slot(kind)
            if slot is None:
                raise VaultCorruptError("the backup has no key slot for that secret")
            key_secret = normalise_recovery_code(secret) if use_recovery_code else secret
            vault_key = unwrap_with_secret(slot, key_secret, header.vault_id)
            db_key = unwrap_with_key(header.db_key, vault_key, header.vault_id)
            backups.verify_copy(work / DB_NAME, db_key)
            moved = None
            if occupied:
                moved = _unique_dir(directory, f"replaced-{datetime.now(UTC):%Y%m%d-%H%M%S}")
                for path in directory.iterdir():
                    if path.name in (HEADER_NAME, "unlock.json") or path.name.startswith(DB_NAME):
                        os.replace(path, moved / path.name)
            os.replace(work / DB_NAME, directory / DB_NAME)
            fsync_dir(directory)
            write_header(directory, header)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        vault = cls(directory, clock)
        vault._open(header, vault_key, db_key, kind)
        if use_recovery_code:
            vault.must_change_passphrase = True
        vault.audit("restore", "vault", header.vault_id, Path(backup_file).name)
        return vault, moved
