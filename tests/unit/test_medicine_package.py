"""The medicine rules are split by topic, but callers import them from one place."""

from __future__ import annotations

import importlib
import pkgutil

from console.clinical import medicine


def test_every_exported_name_resolves() -> None:
    missing = [name for name in medicine.__all__ if not hasattr(medicine, name)]
    assert missing == []


def test_every_public_name_of_a_topic_module_is_exported() -> None:
    """A rule added to a topic module and not to `__all__` would be missed by callers."""
    exported = set(medicine.__all__)
    for info in pkgutil.iter_modules(medicine.__path__):
        if info.name == "common":
            continue
        module = importlib.import_module(f"{medicine.__name__}.{info.name}")
        defined = {
            name
            for name, value in vars(module).items()
            if not name.startswith("_")
            and getattr(value, "__module__", module.__name__) == module.__name__
            and not isinstance(value, type(importlib))
            and name != "annotations"
        }
        assert defined <= exported, (info.name, sorted(defined - exported))
