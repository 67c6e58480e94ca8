"""Test set-up: offscreen Qt, a private data folder, and a keychain double.

Nothing here touches the user's real vault, settings or OS keychain.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Two offscreen screens (laptop + projector facing the client), as docs/testing.md describes.
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={ROOT / 'tests' / 'screens.json'}"

from console.vault import KdfParams, Vault  # noqa: E402

pytest_plugins = ["tests.inventory"]

PASSPHRASE = "correct horse battery staple"
# The minimum docs/security.md allows (64 MiB, 3 passes): real Argon2id, faster tests.
TEST_KDF = KdfParams(memory_kib=65536, iterations=3)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A stand-in for the OS keychain service (tests only; the app never uses it)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(scope="session", autouse=True)
def _gc_on_gui_thread(qapp) -> None:  # type: ignore[no-untyped-def]
    """As the console does: Python's collector runs only on the GUI thread."""
    from ui.gui_thread_gc import collect_on_gui_thread

    collect_on_gui_thread()


@pytest.fixture(autouse=True)
def _collect_after_each_test() -> Iterator[None]:
    """A test's windows are gone before the next test builds its own.

    In the app a closed window's `deleteLater` runs as soon as control is back in the
    event loop; between tests no loop runs, so a locked window would be deleted in the
    middle of some later test, and its wrappers collected then, beside that test's new
    widgets. Deleting now and collecting on the GUI thread keeps each test's Qt objects
    in that test.
    """
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    data = tmp_path / "data"
    monkeypatch.setenv("SESSION_CONSOLE_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    previous = keyring.get_keyring()
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault_and_code(vault_dir: Path) -> Iterator[tuple[Vault, str]]:
    vault, code = Vault.create(vault_dir, PASSPHRASE, "Dr Ada Test", kdf=TEST_KDF)
    yield vault, code
    vault.lock()


@pytest.fixture
def vault(vault_and_code: tuple[Vault, str]) -> Vault:
    return vault_and_code[0]


@pytest.fixture
def services(vault: Vault):  # type: ignore[no-untyped-def]
    from console.services.bundle import Services

    return Services(vault)
