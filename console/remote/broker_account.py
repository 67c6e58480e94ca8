"""The console's own account on the clinic's broker: its name in the settings, its password in
the OS keychain (never in a file), so only the console may write a link's messages.

With the account, the broker's access list can let pages (which connect
without one) only read a link's messages and write their reports, so a
stranger cannot put anything of theirs where a page looks for the link's
state (README, "The clinic's broker").
"""

from __future__ import annotations

import keyring
import keyring.errors

from console.errors import KeychainUnavailableError, ValidationError
from console.vault.keychain import SERVICE, availability

MAX_NAME = 100


def _entry(user: str) -> str:
    return f"broker-{user}"


def check_name(user: str) -> str:
    name = user.strip()
    if len(name) > MAX_NAME or any(c.isspace() or c in ":#+/" for c in name):
        raise ValidationError("remote_broker_user", "is one word, without / # + or :")
    return name


def store_password(user: str, password: str) -> None:
    """Keep the account's password in the OS keychain; refused plainly when there is none."""
    ok, reason = availability()
    if not ok:
        raise KeychainUnavailableError(reason)
    try:
        keyring.set_password(SERVICE, _entry(check_name(user)), password)
    except keyring.errors.KeyringError as exc:
        raise KeychainUnavailableError(f"the keychain refused the password ({exc})") from exc


def credentials(user: str) -> tuple[str, str] | None:
    """The account to connect with, or None when the console connects without one."""
    name = check_name(user)
    if not name:
        return None
    try:
        password = keyring.get_password(SERVICE, _entry(name))
    except keyring.errors.KeyringError:
        password = None
    if password is None:
        raise ValidationError(
            "broker",
            f"the password of the broker account “{name}” is not in this computer's "
            "keychain. Enter it in File → Settings…, under Client's own device",
        )
    return name, password
