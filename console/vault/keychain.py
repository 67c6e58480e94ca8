"""The optional "remember on this computer" secret in the OS keychain.

The keychain holds one random 32-byte secret per vault (small enough for the
Windows credential limit); the vault's keychain slot wraps the database key
under it. No keychain, a locked one or a dismissed prompt are normal states:
each becomes `KeychainUnavailableError` and the passphrase still works.
"""

from __future__ import annotations

import base64
import contextlib
import secrets

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


def load_secret(vault_id: str) -> bytes | None:
    _require()
    try:
        stored = keyring.get_password(SERVICE, _account(vault_id))
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailableError(f"the OS keychain could not be read: {exc}") from exc
    if stored is None:
        return None
    try:
        return base64.b64decode(stored.encode("ascii"), validate=True)
    except ValueError:
        return None


def delete_secret(vault_id: str) -> None:
    """Forget the secret; a keychain that is gone or already empty is fine."""
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(SERVICE, _account(vault_id))
