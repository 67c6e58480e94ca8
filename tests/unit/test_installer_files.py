"""The platform files the installers are built from agree with the app they package.

Windows and macOS bundles are built on those systems (installer/README.md);
here their inputs are read and checked against the app's own names, so a
renamed data folder or entry point cannot drift away from the installers.
"""

from __future__ import annotations

import configparser
import plistlib
import re
from pathlib import Path

from console import APP_ID, ORGANISATION

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


def test_linux_desktop_entry_launches_the_app_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(INSTALLER / "linux" / "session-console.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Terminal"] == "false"
    assert desktop["Exec"].split()[0] == APP_ID
    assert (ICONS / f"{desktop['Icon']}.png").is_file()


def test_macos_plist_is_valid_and_keeps_one_copy_running() -> None:
    with (INSTALLER / "macos" / "Info.plist").open("rb") as handle:
        plist = plistlib.load(handle)
    assert plist["LSMultipleInstancesProhibited"] is True
    assert plist["NSHighResolutionCapable"] is True
    with (INSTALLER / "macos" / "entitlements.plist").open("rb") as handle:
        assert isinstance(plistlib.load(handle), dict)
    assert (ICONS / "session-console.icns").stat().st_size > 1000


def test_windows_setup_is_per_user_and_finds_the_records_where_the_app_keeps_them() -> None:
    script = (INSTALLER / "windows" / "session-console.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", script, re.M)
    assert "[Icons]" in script and "{uninstallexe}" in script
    # platformdirs' user data folder on Windows: %LOCALAPPDATA%\<author>\<app>
    assert f"{{localappdata}}\\{ORGANISATION}\\{APP_ID}" in script
    assert (ICONS / "session-console.ico").stat().st_size > 1000
