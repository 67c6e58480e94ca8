"""Journeys start from what a person has: an empty computer, or the demo vault and its
passphrase typed into the unlock window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.acceptance.person import Person
from tests.conftest import PASSPHRASE, TEST_KDF
from tests.ui import conftest as ui_fixtures
from tests.ui.conftest import FakeClock
from ui.controller import AppController

# The UI tests' demo vault and wheel rule, shared rather than written twice.
demo_vault_dir = ui_fixtures.demo_vault_dir
wheel_guard = ui_fixtures.wheel_guard


@pytest.fixture
def person(qtbot) -> Person:  # type: ignore[no-untyped-def]
    return Person(qtbot)


@pytest.fixture
def console(qtbot, person: Person, demo_vault_dir: Path) -> Iterator[AppController]:  # type: ignore[no-untyped-def]
    """The demo vault unlocked by typing its passphrase and clicking Unlock."""
    controller = AppController(demo_vault_dir, clock=FakeClock(), kdf=TEST_KDF)
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
