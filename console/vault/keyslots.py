"""Key slots: the vault key wrapped under each way of opening the vault.

As LUKS does, one random vault key is stored several times, each copy
encrypted (AES-256-GCM) under a key derived from one secret: the passphrase,
the recovery code (both through Argon2id), or a random secret held by the OS
keychain. The vault key in turn wraps the database key (the SQLCipher raw
key). Losing one secret never loses the data while another remains; changing
the passphrase rewrites one slot; rotating the database key rewrites only the
database key's wrap, so no secret is needed again and no slot can be lost
half-way.
"""

from __future__ import annotations

import base64
import secrets
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from console.errors import ValidationError, VaultCorruptError, WrongSecretError

DEK_BYTES = 32
PASSPHRASE = "passphrase"
RECOVERY = "recovery"
KEYCHAIN = "keychain"
DATABASE = "database"
SLOT_KINDS = (PASSPHRASE, RECOVERY, KEYCHAIN, DATABASE)
MIN_PASSPHRASE = 10

# Crockford's base32: no I, L, O, U, so a code read aloud or written by hand
# survives; 32 symbols carry 160 bits.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_SYMBOLS = 32
_RECOVERY_GROUP = 4


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost, stored per slot so it can be raised later."""

    memory_kib: int = 131072
    iterations: int = 5
    lanes: int = 4
    salt: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
            "salt": _b64(self.salt),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
        if not isinstance(data, dict) or data.get("name") != "argon2id":
            raise VaultCorruptError("vault.json: unknown key derivation")
        params = cls(
            memory_kib=int(data["memory_kib"]),
            iterations=int(data["iterations"]),
            lanes=int(data["lanes"]),
            salt=_unb64(data["salt"]),
        )
        if params.memory_kib < 8 * params.lanes or params.iterations < 1 or len(params.salt) < 16:
            raise VaultCorruptError("vault.json: key derivation parameters are invalid")
        return params

    def derive(self, secret: str) -> bytes:
        return Argon2id(
            salt=self.salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        ).derive(normalise_secret(secret).encode("utf-8"))


@dataclass(frozen=True)
class Slot:
    kind: str
    slot_id: str
    nonce: bytes
    wrapped: bytes
    kdf: KdfParams | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "id": self.slot_id,
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }
        if self.kdf is not None:
            data["kdf"] = self.kdf.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        if not isinstance(data, dict):
            raise VaultCorruptError("vault.json: a key slot is damaged")
        try:
            kind = str(data["kind"])
            if kind not in SLOT_KINDS:
                raise VaultCorruptError(f"vault.json: unknown key slot kind {kind!r}")
            kdf = KdfParams.from_json(data["kdf"]) if "kdf" in data else None
            if kind in (PASSPHRASE, RECOVERY) and kdf is None:
                raise VaultCorruptError("vault.json: key slot without key derivation")
            return cls(kind, str(data["id"]), _unb64(data["nonce"]), _unb64(data["wrapped"]), kdf)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise VaultCorruptError("vault.json: a key slot is damaged") from exc


def new_key() -> bytes:
    return secrets.token_bytes(DEK_BYTES)


def normalise_secret(secret: str) -> str:
    """NFC so the same passphrase typed on another keyboard layout still opens."""
    return unicodedata.normalize("NFC", secret)


def check_passphrase(passphrase: str) -> None:
    if len(normalise_secret(passphrase).strip()) < MIN_PASSPHRASE:
        raise ValidationError("passphrase", f"use at least {MIN_PASSPHRASE} characters")


def new_recovery_code() -> str:
    symbols = "".join(secrets.choice(_CROCKFORD) for _ in range(_RECOVERY_SYMBOLS))
    groups = [symbols[i : i + _RECOVERY_GROUP] for i in range(0, len(symbols), _RECOVERY_GROUP)]
    return "-".join(groups)


def normalise_recovery_code(code: str) -> str:
    """Accept lower case, spaces, dashes and the look-alikes O/I/L."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != _RECOVERY_SYMBOLS or any(ch not in _CROCKFORD for ch in cleaned):
        raise WrongSecretError("that is not a recovery code (32 letters and digits)")
    groups = [cleaned[i : i + _RECOVERY_GROUP] for i in range(0, len(cleaned), _RECOVERY_GROUP)]
    return "-".join(groups)


def _aad(vault_id: str, kind: str, slot_id: str) -> bytes:
    return f"session-console/v1/{vault_id}/{kind}/{slot_id}".encode()


def wrap_with_key(
    key: bytes, wrapping_key: bytes, vault_id: str, kind: str, kdf: KdfParams | None = None
) -> Slot:
    slot_id = secrets.token_hex(8)
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(wrapping_key).encrypt(nonce, key, _aad(vault_id, kind, slot_id))
    return Slot(kind, slot_id, nonce, wrapped, kdf)


def wrap_with_secret(
    key: bytes, secret: str, vault_id: str, kind: str, kdf: KdfParams | None = None
) -> Slot:
    params = kdf or KdfParams()
    return wrap_with_key(key, params.derive(secret), vault_id, kind, params)


def unwrap_with_key(slot: Slot, wrapping_key: bytes, vault_id: str) -> bytes:
    try:
        return AESGCM(wrapping_key).decrypt(
            slot.nonce, slot.wrapped, _aad(vault_id, slot.kind, slot.slot_id)
        )
    except InvalidTag as exc:
        raise WrongSecretError(_wrong_message(slot.kind)) from exc


def unwrap_with_secret(slot: Slot, secret: str, vault_id: str) -> bytes:
    assert slot.kdf is not None
    return unwrap_with_key(slot, slot.kdf.derive(secret), vault_id)


def _wrong_message(kind: str) -> str:
    return {
        PASSPHRASE: "wrong passphrase",
        RECOVERY: "wrong recovery code",
        KEYCHAIN: "the key remembered on this computer does not open this vault",
        DATABASE: "the vault key does not open the database key",
    }[kind]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)
