"""vault.json: the format version, the vault's id, its key slots and its anchors.

It holds no client data, only wrapped keys, the audit chain's head and the
failed-unlock counter. It is rewritten atomically, so a crash leaves either
the old or the new file.

Format 2 (see docs/security.md) adds the integrity key (wrapped by the vault
key; it keys the audit chain and the signature seals), the chain's head
written after every commit, a complete pending key set while a rotation is
under way, and the failed-unlock counter, which lives here so that deleting
a side file does not reset it. Format 1 vaults are read and upgraded at the
first unlock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from console.errors import VaultCorruptError, VaultNotFoundError, VaultTooNewError
from console.vault.fsutil import atomic_write_bytes
from console.vault.keyslots import INTEGRITY, Slot

FORMAT_VERSION = 2
HEADER_NAME = "vault.json"
DB_NAME = "vault.db"
MAX_HEADER_BYTES = 1_000_000


@dataclass(frozen=True)
class AuditHead:
    """The last audit event the vault committed: its sequence number, hash and a MAC."""

    seq: int
    hash: str
    mac: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "mac": self.mac}

    @classmethod
    def from_json(cls, data: Any) -> AuditHead:
        if (
            not isinstance(data, dict)
            or type(data.get("seq")) is not int
            or not isinstance(data.get("hash"), str)
            or not isinstance(data.get("mac"), str)
        ):
            raise VaultCorruptError("vault.json is damaged: the audit head is malformed")
        return cls(data["seq"], data["hash"], data["mac"])


@dataclass(frozen=True)
class PendingRotation:
    """The complete new key set of a rotation that has not finished yet.

    `slots` is empty for a format-1 rotation, which kept the vault key.
    """

    db_key: Slot
    slots: tuple[Slot, ...] = ()
    integrity_key: Slot | None = None

    def slot(self, kind: str) -> Slot | None:
        return next((s for s in self.slots if s.kind == kind), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "db_key": self.db_key.to_json(),
            "slots": [s.to_json() for s in self.slots],
            "integrity_key": self.integrity_key.to_json() if self.integrity_key else None,
        }

    @classmethod
    def from_json(cls, data: Any) -> PendingRotation:
        if not isinstance(data, dict):
            raise VaultCorruptError("vault.json is damaged: the pending rotation is malformed")
        integrity = data.get("integrity_key")
        return cls(
            Slot.from_json(data["db_key"]),
            tuple(Slot.from_json(s) for s in data.get("slots") or ()),
            Slot.from_json(integrity) if integrity else None,
        )


@dataclass(frozen=True)
class Header:
    vault_id: str
    created_at: str
    slots: tuple[Slot, ...]
    db_key: Slot
    pending: PendingRotation | None = None
    format: int = FORMAT_VERSION
    integrity_key: Slot | None = None
    keyed_from: int = 1
    head: AuditHead | None = None
    throttle: dict[str, Any] = field(default_factory=dict)
    pending_damaged: bool = False
    upgrading: bool = False  # a format-1 vault given its integrity key, not yet settled

    def slot(self, kind: str) -> Slot | None:
        for slot in self.slots:
            if slot.kind == kind:
                return slot
        return None

    def with_slot(self, slot: Slot) -> Header:
        kept = tuple(s for s in self.slots if s.kind != slot.kind)
        return replace(self, slots=(*kept, slot))

    def without_slot(self, kind: str) -> Header:
        return replace(self, slots=tuple(s for s in self.slots if s.kind != kind))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "app": "session-console",
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "slots": [s.to_json() for s in self.slots],
            "db_key": self.db_key.to_json(),
            "integrity_key": self.integrity_key.to_json() if self.integrity_key else None,
            "keyed_from": self.keyed_from,
            "audit_head": self.head.to_json() if self.head else None,
            "pending": self.pending.to_json() if self.pending else None,
            "unlock_failures": self.throttle,
            **({"upgrading_from_format_1": True} if self.upgrading else {}),
        }


def has_header(directory: Path) -> bool:
    return (directory / HEADER_NAME).exists()


def _damaged(path: Path, why: str) -> VaultCorruptError:
    return VaultCorruptError(f"{path.name} is damaged: {why}; nothing was changed")


def read_header(directory: Path) -> Header:
    path = directory / HEADER_NAME
    try:
        if path.is_dir():
            raise _damaged(path, "it is a folder, not a file")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_HEADER_BYTES + 1)
    except FileNotFoundError as exc:
        raise VaultNotFoundError(f"no vault in {directory}") from exc
    except OSError as exc:
        raise VaultCorruptError(f"cannot read {path}: {exc.strerror}") from exc
    if len(raw) > MAX_HEADER_BYTES:
        raise _damaged(path, "it is far larger than a vault file")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _damaged(path, "not valid JSON") from exc
    if not isinstance(data, dict) or data.get("app") != "session-console":
        raise VaultCorruptError(f"{path} is not a Session Console vault file")
    fmt = data.get("format")
    if type(fmt) is not int or fmt < 1:
        raise _damaged(path, "it has no format version")
    if fmt > FORMAT_VERSION:
        raise VaultTooNewError(
            f"this vault was written by a newer version of Session Console (format {fmt}); "
            "update the app to open it"
        )
    try:
        header = _parse(data, fmt)
    except (KeyError, TypeError) as exc:
        raise _damaged(path, "fields are missing") from exc
    if header.slot("passphrase") is None and header.slot("recovery") is None:
        raise _damaged(path, "it has no passphrase or recovery slot")
    return header


def _parse(data: dict[str, Any], fmt: int) -> Header:
    vault_id = data["vault_id"]
    if not isinstance(vault_id, str) or not 1 <= len(vault_id) <= 64:
        raise VaultCorruptError("vault.json is damaged: the vault id is malformed")
    slots = tuple(Slot.from_json(s) for s in data["slots"])
    db_key = Slot.from_json(data["db_key"])
    pending, pending_damaged = _pending(data, fmt)
    integrity_raw = data.get("integrity_key")
    integrity = Slot.from_json(integrity_raw) if integrity_raw else None
    if integrity is not None and integrity.kind != INTEGRITY:
        raise VaultCorruptError("vault.json is damaged: the integrity key slot is malformed")
    keyed_from = data.get("keyed_from", 1)
    if type(keyed_from) is not int or keyed_from < 1:
        raise VaultCorruptError("vault.json is damaged: keyed_from is malformed")
    head_raw = data.get("audit_head")
    throttle = data.get("unlock_failures") or {}
    upgrading = data.get("upgrading_from_format_1", False)
    if type(upgrading) is not bool:
        raise VaultCorruptError("vault.json is damaged: upgrading_from_format_1 is malformed")
    return Header(
        vault_id=vault_id,
        created_at=str(data["created_at"]),
        slots=slots,
        db_key=db_key,
        pending=pending,
        format=fmt,
        integrity_key=integrity,
        keyed_from=keyed_from,
        head=AuditHead.from_json(head_raw) if head_raw else None,
        throttle=throttle if isinstance(throttle, dict) else {"unreadable": True},
        pending_damaged=pending_damaged,
        upgrading=upgrading,
    )


def _pending(data: dict[str, Any], fmt: int) -> tuple[PendingRotation | None, bool]:
    """A damaged pending key set is noted, not fatal: the current keys may still open."""
    legacy = data.get("pending_db_key") if fmt == 1 else None
    raw = data.get("pending")
    if not raw and not legacy:
        return None, False
    try:
        if raw:
            return PendingRotation.from_json(raw), False
        return PendingRotation(Slot.from_json(legacy if isinstance(legacy, dict) else {})), False
    except (VaultCorruptError, KeyError, TypeError):
        return None, True


def write_header(directory: Path, header: Header) -> None:
    data = json.dumps(header.to_json(), indent=2).encode("utf-8")
    atomic_write_bytes(directory / HEADER_NAME, data)
