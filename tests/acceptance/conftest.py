"""Journeys start from what a person has: an empty computer, or the demo vault and its
passphrase typed into the unlock window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from console.demo import build_demo
from console.services.bundle import Services
from console.vault import Vault
from tests.acceptance.person import Person
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.ui.conftest import FakeClock
from ui.controller import AppController
from ui.wheel_guard import install_wheel_guard


@pytest.fixture(autouse=True)
def wheel_guard(qapp: QApplication) -> None:
    install_wheel_guard(qapp)


@pytest.fixture
def person(qtbot) -> Person:  # type: ignore[no-untyped-def]
    return Person(qtbot)


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "demo-vault"
    vault, _ = Vault.create(directory, PASSPHRASE, "Dr Maya Chen", kdf=TEST_KDF)
    build_demo(Services(vault))
    vault.lock()
    return directory


@pytest.fixture
def console(qtbot, person: Person, demo_dir: Path) -> Iterator[AppController]:  # type: ignore[no-untyped-def]
    """The demo vault unlocked by typing its passphrase and clicking Unlock."""
    controller = AppController(demo_dir, clock=FakeClock(), kdf=TEST_KDF)
    controller.start()
    person.type("Passphrase", PASSPHRASE)
    person.click("Unlock")
    qtbot.waitUntil(lambda: controller.main_window is not None, timeout=10_000)
    assert controller.main_window is not None
    controller.main_window.resize(1366, 768)
    yield controller
    if controller.main_window is not None:
        controller.lock("test-end")
    if controller.gate is not None:
        controller.gate.close()
