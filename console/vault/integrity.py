"""Keyed hashes for tamper evidence, and the triggers that guard the records.

Someone who has only the database key (a stolen backup and a leaked key, or
malware on an unlocked laptop that reads SQLCipher's key) can rewrite rows
and recompute plain SHA-256 hashes. The audit chain and the signature seals
are therefore HMAC-SHA256 under the integrity key, which is wrapped by the
vault key in vault.json and never stored in the database. docs/security.md
says what this does and does not protect against.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from console.services.canonical import canonical_json

PROTECTIVE_TRIGGERS = (
    "notes_signed_no_update",
    "notes_signed_no_delete",
    "addenda_signed_no_update",
    "addenda_signed_no_delete",
    "audit_no_update",
    "audit_no_delete",
    "vault_identity_no_update",
    "vault_identity_no_delete",
    "signature_seals_no_update",
    "signature_seals_no_delete",
)


def mac_hex(key: bytes, value: Any) -> str:
    """HMAC-SHA256 of a value's canonical JSON."""
    return hmac.new(key, canonical_json(value), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def head_mac(key: bytes, vault_id: str, seq: int, chain_hash: str) -> str:
    return mac_hex(key, {"head": vault_id, "seq": seq, "hash": chain_hash})


def seal(key: bytes, kind: str, record_id: str, content_hash: str) -> str:
    return mac_hex(key, {"seal": kind, "id": record_id, "hash": content_hash})
