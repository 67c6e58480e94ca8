"""Every hostile input in the catalogue: one line, exit 1 (or 2 for a usage error),
no traceback, no exit 70, and the vault's records and keys exactly as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.hostile.bad_inputs import CASES, Case, outcome, vault_state
from tests.hostile.conftest import make_vault
from tests.hostile.tampering import database_key


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_vault(tmp_path_factory.mktemp("bad-inputs") / "vault").folder


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_bad_input_is_refused_and_changes_nothing(
    template: Path, tmp_path: Path, case: Case
) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(template, folder)
    key = database_key(folder, PASSPHRASE)
    if case.prepare is not None:
        case.prepare(folder, tmp_path)
    before = vault_state(folder, key)
    result = case.command(folder, tmp_path)
    assert outcome(result) == "refused", (result.returncode, result.stderr[-2000:])
    assert vault_state(folder, key) == before
