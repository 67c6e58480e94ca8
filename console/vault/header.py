"""vault.json: the format version, the vault's id and its key slots.

It holds no client data, only wrapped keys. It is rewritten atomically, so a
crash leaves either the old or the new file. `pending` carries the wraps of a
new database key while a key rotation is under way (see `Vault.rotate_key`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
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
    pending: tuple[Slot, ...] = field(default=())
    format: int = FORMAT_VERSION

    def slot(self, kind: str, pending: bool = False) -> Slot | None:
        for slot in self.pending if pending else self.slots:
            if slot.kind == kind:
                return slot
        return None

    def with_slot(self, slot: Slot) -> Header:
        kept = tuple(s for s in self.slots if s.kind != slot.kind)
        return replace(self, slots=(*kept, slot))

    def without_slot(self, kind: str) -> Header:
        return replace(
            self,
            slots=tuple(s for s in self.slots if s.kind != kind),
            pending=tuple(s for s in self.pending if s.kind != kind),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "app": "session-console",
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "slots": [s.to_json() for s in self.slots],
            "pending": [s.to_json() for s in self.pending],
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
        pending = tuple(Slot.from_json(s) for s in data.get("pending", []))
        header = Header(str(data["vault_id"]), str(data["created_at"]), slots, pending, fmt)
    except (KeyError, TypeError) as exc:
        raise VaultCorruptError(f"{path} is damaged (missing fields)") from exc
    if header.slot("passphrase") is None and header.slot("recovery") is None:
        raise VaultCorruptError(f"{path} has no passphrase or recovery slot")
    return header


def write_header(directory: Path, header: Header) -> None:
    data = json.dumps(header.to_json(), indent=2).encode("utf-8")
    atomic_write_bytes(directory / HEADER_NAME, data)
