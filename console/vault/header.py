"""vault.json: the format version, the vault's id and its key slots.

It holds no client data, only wrapped keys. It is rewritten atomically, so a
crash leaves either the old or the new file. `pending_db_key` carries the new
database key while a key rotation is under way (see `Vault.rotate_key`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from console.errors import VaultCorruptError, VaultNotFoundError, VaultTooNewError
from console.vault.fsutil import atomic_write_bytes
from console.vault.keyslots import Slot

FORMAT_VERSION = 1
HEADER_NAME = "vault.json"
DB_NAME = "vault.db"


@dataclass(frozen=True)
class Header:
    vault_id: str
    created_at: str
    slots: tuple[Slot, ...]
    db_key: Slot
    pending_db_key: Slot | None = None
    format: int = FORMAT_VERSION

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
            "pending_db_key": self.pending_db_key.to_json() if self.pending_db_key else None,
        }


def has_header(directory: Path) -> bool:
    return (directory / HEADER_NAME).exists()


def read_header(directory: Path) -> Header:
    path = directory / HEADER_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise VaultNotFoundError(f"no vault in {directory}") from exc
    except OSError as exc:
        raise VaultCorruptError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise VaultCorruptError(f"{path} is damaged (not valid JSON); nothing was changed") from exc
    if not isinstance(data, dict) or data.get("app") != "session-console":
        raise VaultCorruptError(f"{path} is not a Session Console vault file")
    fmt = data.get("format")
    if not isinstance(fmt, int):
        raise VaultCorruptError(f"{path} has no format version")
    if fmt > FORMAT_VERSION:
        raise VaultTooNewError(
            f"this vault was written by a newer version of Session Console (format {fmt}); "
            "update the app to open it"
        )
    try:
        slots = tuple(Slot.from_json(s) for s in data["slots"])
        db_key = Slot.from_json(data["db_key"])
        pending_raw = data.get("pending_db_key")
        pending = Slot.from_json(pending_raw) if pending_raw else None
        header = Header(str(data["vault_id"]), str(data["created_at"]), slots, db_key, pending, fmt)
    except (KeyError, TypeError) as exc:
        raise VaultCorruptError(f"{path} is damaged (missing fields)") from exc
    if header.slot("passphrase") is None and header.slot("recovery") is None:
        raise VaultCorruptError(f"{path} has no passphrase or recovery slot")
    return header


def write_header(directory: Path, header: Header) -> None:
    data = json.dumps(header.to_json(), indent=2).encode("utf-8")
    atomic_write_bytes(directory / HEADER_NAME, data)
