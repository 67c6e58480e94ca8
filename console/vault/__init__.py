"""The encrypted vault: key slots, SQLCipher engine, backups, migrations."""

from console.vault.keyslots import KdfParams
from console.vault.vault import Vault

__all__ = ["KdfParams", "Vault"]
