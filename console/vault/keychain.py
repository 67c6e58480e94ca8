"""The optional "remember on this computer" secret in the OS keychain.

The keychain holds one random 32-byte secret per vault (small enough for the
Windows credential limit); the vault's keychain slot wraps the vault key
under it. Beside the secret the entry keeps the audit chain's head as last
seen here, so putting back an older vault.db with its matching vault.json
is noticed on a computer that remembers the vault (docs/security.md).

No keychain, a locked one or a dismissed prompt are normal states: each
becomes `KeychainUnavailableError` and the passphrase still works.
"""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
from typing import Any

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail

from console.errors import KeychainUnavailableError

SERVICE = "session-console"


def _usable(backend: keyring.backend.KeyringBackend) -> bool:
    if isinstance(backend, fail.Keyring):
        return False
    # keyrings.alt stores secrets in plain or weakly protected files.
    return not type(backend).__module__.startswith("keyrings.alt")


def availability() -> tuple[bool, str]:
    """Whether a trustworthy keychain exists, and a sentence saying why not."""
    backend = keyring.get_keyring()
    if isinstance(backend, chainer.ChainerBackend):
        usable = [b for b in backend.backends if _usable(b)]
        if usable:
            return True, ""
        return False, "no secure OS keychain is available on this computer"
    if not _usable(backend):
        return False, "no secure OS keychain is available on this computer"
    return True, ""


def _require() -> None:
    ok, reason = availability()
    if not ok:
        raise KeychainUnavailableError(reason)


def _account(vault_id: str) -> str:
    return f"vault-{vault_id}"


def store_new_secret(vault_id: str) -> bytes:
    _require()
    secret = secrets.token_bytes(32)
    try:
        keyring.set_password(SERVICE, _account(vault_id), base64.b64encode(secret).decode())
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailableError(f"the OS keychain refused to store the key: {exc}") from exc
    return secret


def _load(vault_id: str) -> tuple[bytes | None, dict[str, Any] | None]:
    _require()
    try:
        stored = keyring.get_password(SERVICE, _account(vault_id))
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailableError(f"the OS keychain could not be read: {exc}") from exc
    if stored is None:
        return None, None
    head: dict[str, Any] | None = None
    encoded = stored
    if stored.startswith("{"):
        try:
            entry = json.loads(stored)
            encoded = str(entry["secret"])
            head = entry.get("head") if isinstance(entry.get("head"), dict) else None
        except (ValueError, KeyError, TypeError):
            return None, None
    try:
        return base64.b64decode(encoded.encode("ascii"), validate=True), head
    except ValueError:
        return None, None


def load_secret(vault_id: str) -> bytes | None:
    return _load(vault_id)[0]


def load_head(vault_id: str) -> dict[str, Any] | None:
    """The audit head this computer last saw for the vault; None without a keychain entry."""
    try:
        return _load(vault_id)[1]
    except KeychainUnavailableError:
        return None


def store_head(vault_id: str, head: dict[str, Any]) -> None:
    """Remember the head beside the secret; a keychain that is gone or refuses is fine."""
    try:
        secret, _ = _load(vault_id)
        if secret is None:
            return
        entry = {"secret": base64.b64encode(secret).decode(), "head": head}
        keyring.set_password(SERVICE, _account(vault_id), json.dumps(entry))
    except (KeychainUnavailableError, keyring.errors.KeyringError):
        return


def delete_secret(vault_id: str) -> None:
    """Forget the secret; a keychain that is gone or already empty is fine."""
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(SERVICE, _account(vault_id))
