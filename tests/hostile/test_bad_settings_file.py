"""settings.json lives outside the vault, so anything can be in it: the console starts with
the defaults for what it cannot read, and keeps what it can."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.config import Settings

BAD_FILES: dict[str, bytes] = {
    "not UTF-8": b"\xff\xfe\x00theme",
    "not JSON": b'{"theme": "dark",',
    "a list": b'["dark"]',
    "empty": b"",
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_an_unreadable_settings_file_gives_the_defaults(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "settings.json").write_bytes(content)
    settings = Settings(tmp_path)
    assert settings.get("theme") == "system"
    settings.set("theme", "dark")
    assert json.loads((tmp_path / "settings.json").read_text(encoding="utf-8")) == {"theme": "dark"}


def test_values_of_the_wrong_kind_fall_back_one_by_one(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps({"theme": "neon", "idle_timeout_min": "ten", "backup_keep": 40, "x": 1}),
        encoding="utf-8",
    )
    settings = Settings(tmp_path)
    assert settings.get("theme") == "system", "an unknown theme is the system's"
    assert settings.get("idle_timeout_min") == Settings(tmp_path / "fresh").get("idle_timeout_min")
    assert settings.get("backup_keep") == 40, "a good value beside bad ones is kept"
    settings.set("theme", "light")
    stored = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert stored["backup_keep"] == 40 and stored["x"] == 1, "nothing else is dropped"
