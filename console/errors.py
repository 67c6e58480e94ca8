"""Errors a person can read.

Every error the application layer raises on purpose is a `ConsoleError`
whose message is fit to show in a dialog or print as one CLI line; anything
else is a bug and is reported without field values.
"""

from __future__ import annotations


class ConsoleError(Exception):
    """An expected failure with a message meant for the user."""

    @property
    def message(self) -> str:
        return str(self)


class ValidationError(ConsoleError):
    """A value is missing, of the wrong kind or out of range; nothing was saved."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class NotFoundError(ConsoleError):
    """The record asked for does not exist (or was never in this vault)."""


class ImmutableRecordError(ConsoleError):
    """A signed note or addendum, or an audit event, cannot be changed."""


class VaultError(ConsoleError):
    """The vault cannot be created, opened or changed as asked."""


class VaultNotFoundError(VaultError):
    pass


class VaultExistsError(VaultError):
    pass


class WrongSecretError(VaultError):
    """Wrong passphrase or recovery code."""


class UnlockThrottledError(VaultError):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many failed attempts: wait {retry_after:.0f} s before trying again")
        self.retry_after = retry_after


class VaultTooNewError(VaultError):
    """The vault was written by a newer version of the app."""


class VaultCorruptError(VaultError):
    pass


class CipherUnavailableError(VaultError):
    """SQLite without SQLCipher: refuse to run rather than write plaintext."""


class KeychainUnavailableError(VaultError):
    """No usable OS keychain; the passphrase still works."""


class DiskSpaceError(VaultError):
    """The disk is full; what was saved before is intact."""


class BackupError(VaultError):
    pass


class VaultBusyError(VaultError):
    """Another process has the vault open, or holds its write lock."""


class VaultReadOnlyError(VaultError):
    """The vault folder or disk cannot be written."""


class VaultIOError(VaultError):
    """The disk reported an error; not a sign of damage to the records themselves."""


class EmptyBackupError(VaultError):
    """The backup holds no client records; restoring it needs an explicit yes."""
