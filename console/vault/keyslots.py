"""Key slots: the vault key wrapped under each way of opening the vault.

As LUKS does, one random vault key is stored several times, each copy
encrypted (AES-256-GCM) under a key derived from one secret: the passphrase,
the recovery code (both through Argon2id), or a random secret held by the OS
keychain. The vault key in turn wraps the database key (the SQLCipher raw
key) and the integrity key (which keys the audit chain and signature seals).
Losing one secret never loses the data while another remains; changing the
passphrase rewrites one slot; rotating keys replaces the vault key and the
database key and rewraps every slot, so an old copy of vault.json opens
nothing written after the rotation (`Vault.rotate_key`).
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
INTEGRITY = "integrity"
SLOT_KINDS = (PASSPHRASE, RECOVERY, KEYCHAIN, DATABASE, INTEGRITY)
MIN_PASSPHRASE = 10

# Crockford's base32: no I, L, O, U, so a code read aloud or written by hand
# survives; 32 symbols carry 160 bits.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_SYMBOLS = 32
_RECOVERY_GROUP = 4
NONCE_BYTES = 12
TAG_BYTES = 16
# Bounds on a stored Argon2id cost: generous (8x this app's default work) but
# finite, so no vault.json can make an unlock hang or exhaust memory.
MAX_LANES = 64
MAX_ITERATIONS = 40
MIN_MEMORY_KIB = 8
MAX_MEMORY_KIB = 1_048_576
MAX_COST = 131072 * 5 * 8


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
            raise VaultCorruptError("vault.json is damaged: unknown key derivation")
        values = [data.get(k) for k in ("memory_kib", "iterations", "lanes")]
        if not all(type(v) is int for v in values):
            raise VaultCorruptError("vault.json is damaged: key derivation costs are not numbers")
        memory_kib, iterations, lanes = (int(v) for v in values)  # type: ignore[arg-type]
        problem = kdf_problem(memory_kib, iterations, lanes)
        if problem:
            raise VaultCorruptError(f"vault.json is damaged: {problem}")
        salt = _unb64(data["salt"])
        if not 16 <= len(salt) <= 64:
            raise VaultCorruptError("vault.json is damaged: the key derivation salt is malformed")
        return cls(memory_kib=memory_kib, iterations=iterations, lanes=lanes, salt=salt)

    def derive(self, secret: str) -> bytes:
        return Argon2id(
            salt=self.salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        ).derive(normalise_secret(secret).encode("utf-8"))


def kdf_problem(memory_kib: int, iterations: int, lanes: int) -> str:
    """Why a stored Argon2id cost cannot be real, checked before any derivation runs.

    A crafted vault.json could otherwise ask for terabytes of memory or a
    billion passes (a hang that looks like a slow passphrase check).
    """
    if not 1 <= lanes <= MAX_LANES:
        return f"Argon2 lanes {lanes} is outside 1 to {MAX_LANES}"
    if not 1 <= iterations <= MAX_ITERATIONS:
        return f"Argon2 iterations {iterations} is outside 1 to {MAX_ITERATIONS}"
    if not max(MIN_MEMORY_KIB, 8 * lanes) <= memory_kib <= MAX_MEMORY_KIB:
        return f"Argon2 memory {memory_kib} KiB is outside {MIN_MEMORY_KIB} to {MAX_MEMORY_KIB}"
    if memory_kib * iterations > MAX_COST:
        return "Argon2 cost (memory times iterations) is far above anything this app writes"
    return ""


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
            raise VaultCorruptError("vault.json is damaged: a key slot is unreadable")
        try:
            kind = str(data["kind"])
            if kind not in SLOT_KINDS:
                raise VaultCorruptError(f"vault.json is damaged: unknown key slot kind {kind!r}")
            kdf = KdfParams.from_json(data["kdf"]) if "kdf" in data else None
            if kind in (PASSPHRASE, RECOVERY) and kdf is None:
                raise VaultCorruptError("vault.json is damaged: a key slot has no key derivation")
            nonce, wrapped = _unb64(data["nonce"]), _unb64(data["wrapped"])
            if len(nonce) != NONCE_BYTES or len(wrapped) != DEK_BYTES + TAG_BYTES:
                raise VaultCorruptError(f"vault.json is damaged: the {kind} key slot is malformed")
            slot_id = data["id"]
            if not isinstance(slot_id, str) or not 1 <= len(slot_id) <= 64:
                raise VaultCorruptError(f"vault.json is damaged: the {kind} key slot has no id")
            return cls(kind, slot_id, nonce, wrapped, kdf)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise VaultCorruptError("vault.json is damaged: a key slot is unreadable") from exc


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
        INTEGRITY: "the vault key does not open the integrity key",
    }[kind]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)
