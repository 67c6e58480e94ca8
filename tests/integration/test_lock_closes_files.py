"""Locking leaves no open handle on the encrypted files (docs/security.md 7)."""

from __future__ import annotations

import os
from pathlib import Path

from console.services.bundle import Services
from console.services.clients import ClientFields
from console.vault import Vault


def _open_vault_files(directory: Path) -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(directory)):
            found.append(target)
    return found


def test_lock_closes_every_connection(vault: Vault) -> None:
    services = Services(vault)
    for i in range(5):
        services.clients.create(ClientFields(name=f"Pooled {i}"))
    services.search.search("Pooled")
    assert _open_vault_files(vault.directory), "while unlocked the pool keeps connections"
    vault.lock()
    assert _open_vault_files(vault.directory) == []
    assert not vault.is_unlocked
