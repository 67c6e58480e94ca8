"""The layering the project relies on, checked on this checkout (docs/architecture.md)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _pyproject() -> dict:  # type: ignore[type-arg]
    with PYPROJECT.open("rb") as fh:
        return tomllib.load(fh)


def _lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS.exists(), f"{LINT_IMPORTS} is missing: install the test extras"
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_import_contracts_are_kept() -> None:
    contracts = _pyproject()["tool"]["importlinter"]["contracts"]
    assert len(contracts) >= 4
    result = _lint_imports()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Every contract in pyproject.toml was really checked, and none broke.
    assert f"Contracts: {len(contracts)} kept, 0 broken." in output, output


def test_lint_imports_does_catch_a_broken_contract(tmp_path: Path) -> None:
    """A control for the test above: a contract this code base breaks makes it fail."""
    config = tmp_path / "broken.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_packages = ["console", "models"]\n'
        "include_external_packages = true\n\n"
        "[[tool.importlinter.contracts]]\n"
        'name = "console never imports sqlalchemy (false on purpose)"\n'
        'type = "forbidden"\n'
        'source_modules = ["console"]\n'
        'forbidden_modules = ["sqlalchemy"]\n',
        encoding="utf-8",
    )
    result = _lint_imports("--config", str(config))
    assert result.returncode != 0, result.stdout + result.stderr
    assert "BROKEN" in result.stdout


@pytest.mark.parametrize("package", ["console", "ui", "models"])
def test_packages_import_from_this_checkout(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__file__ is not None
    location = Path(module.__file__).resolve()
    assert location.is_relative_to(ROOT), f"{package} imported from {location}, not {ROOT}"
    assert location == ROOT / package / "__init__.py"


def test_wheel_ships_exactly_the_three_packages() -> None:
    find = _pyproject()["tool"]["setuptools"]["packages"]["find"]
    include = find["include"]
    assert len(include) == len(set(include))
    assert sorted(include) == sorted(["console*", "ui*", "models*"])
    assert not find.get("exclude")

    setuptools = pytest.importorskip("setuptools")
    found = setuptools.find_packages(where=str(ROOT), include=include)
    tops = {name.split(".")[0] for name in found}
    assert tops == {"console", "ui", "models"}
    assert not any(name.split(".")[0] in {"tests", "bench", "installer"} for name in found)
    assert "models.migrations" in found  # migrations must ship, or a vault cannot open


def test_mypy_checks_every_package_and_silences_none() -> None:
    """`make lint` passes just as well when a package is dropped from mypy's list or an
    override turns its errors off, so the list and the overrides are pinned here."""
    mypy = _pyproject()["tool"]["mypy"]
    assert mypy["strict"] is True
    assert sorted(mypy["packages"]) == sorted(["console", "ui", "models"])
    for override in mypy.get("overrides", []):
        modules = override["module"]
        modules = [modules] if isinstance(modules, str) else modules
        first_party = [m for m in modules if m.split(".")[0] in {"console", "ui", "models"}]
        if first_party:
            assert not override.get("ignore_errors"), f"{first_party} errors are silenced"
            assert override.get("check_untyped_defs", True), f"{first_party} bodies unchecked"
