"""The command line as IT staff and scripts use it: real processes, real vaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASS = "a long clinic passphrase"


def run(data: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None):
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def initialised(tmp_path: Path) -> tuple[Path, str]:
    data = tmp_path / "vault"
    result = run(data, "init", "--passphrase-stdin", "--clinician", "Dr Maya Chen", stdin=PASS)
    assert result.returncode == 0, result.stderr
    code_lines = [ln for ln in result.stdout.splitlines() if ln.startswith("recovery code: ")]
    assert len(code_lines) == 1
    return data, code_lines[0].removeprefix("recovery code: ")


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_init_demo_verify(initialised: tuple[Path, str]) -> None:
    data, _ = initialised
    demo = run(data, "demo", "--passphrase-stdin", stdin=PASS)
    assert demo.returncode == 0, demo.stderr
    assert "4 clients" in demo.stdout
    verify = run(data, "verify", "--passphrase-stdin", stdin=PASS)
    assert verify.returncode == 0, verify.stderr
    assert "vault sound" in verify.stdout
    again = run(data, "demo", "--passphrase-stdin", stdin=PASS)
    assert "already" in one_error_line(again)


def test_wrong_passphrase_is_one_line_and_changes_nothing(initialised: tuple[Path, str]) -> None:
    data, _ = initialised
    before = json.loads((data / "vault.json").read_text())
    result = run(data, "verify", "--passphrase-stdin", stdin="not the passphrase")
    assert one_error_line(result) == "session-console: wrong passphrase"
    after = json.loads((data / "vault.json").read_text())
    assert after["unlock_failures"]["failures"] == 1, "the failure counts toward the delay"
    del after["unlock_failures"], before["unlock_failures"]
    assert after == before


def test_init_refuses_existing_vault_and_weak_passphrase(
    initialised: tuple[Path, str], tmp_path: Path
) -> None:
    data, _ = initialised
    before = (data / "vault.json").read_bytes()
    again = run(data, "init", "--passphrase-stdin", "--clinician", "X", stdin=PASS)
    assert "already exists" in one_error_line(again)
    assert (data / "vault.json").read_bytes() == before
    weak = run(tmp_path / "other", "init", "--passphrase-stdin", "--clinician", "X", stdin="short")
    assert "passphrase" in one_error_line(weak)
    assert not (tmp_path / "other" / "vault.json").exists()


def test_no_passphrase_and_no_keychain_is_explained(initialised: tuple[Path, str]) -> None:
    data, _ = initialised
    assert "--passphrase-stdin" in one_error_line(run(data, "verify"))


def test_verify_reports_a_tampered_audit_chain(initialised: tuple[Path, str]) -> None:
    from console.vault import Vault

    data, _ = initialised
    vault = Vault(data)
    vault.unlock_with_passphrase(PASS)
    from sqlalchemy import text

    with vault.session() as db:
        db.execute(text("DROP TRIGGER audit_no_update"))
        db.execute(text("UPDATE audit_events SET actor = 'Mallory' WHERE seq = 2"))
    vault.lock()
    result = run(data, "verify", "--passphrase-stdin", stdin=PASS)
    assert result.returncode == 1
    assert "audit event 2" in one_error_line(result)


def test_backup_restore_round_trip(initialised: tuple[Path, str], tmp_path: Path) -> None:
    data, _ = initialised
    assert run(data, "demo", "--passphrase-stdin", stdin=PASS).returncode == 0
    backup = run(data, "backup", "--passphrase-stdin", str(tmp_path / "bk"), stdin=PASS)
    assert backup.returncode == 0, backup.stderr
    files = list((tmp_path / "bk").glob("*.scbackup"))
    assert len(files) == 1
    target = tmp_path / "restored"
    restored = run(target, "restore", "--passphrase-stdin", str(files[0]), stdin=PASS)
    assert restored.returncode == 0, restored.stderr
    assert run(target, "verify", "--passphrase-stdin", stdin=PASS).returncode == 0
    occupied = run(data, "restore", "--passphrase-stdin", str(files[0]), stdin=PASS)
    assert "already exists" in one_error_line(occupied)
    missing = run(target, "restore", "--passphrase-stdin", str(tmp_path / "nope"), stdin=PASS)
    one_error_line(missing)


def test_change_passphrase_then_recover(initialised: tuple[Path, str]) -> None:
    data, code = initialised
    new = "a different passphrase"
    changed = run(data, "change-passphrase", stdin=f"{PASS}\n{new}\n")
    assert changed.returncode == 0, changed.stderr
    assert run(data, "verify", "--passphrase-stdin", stdin=PASS).returncode == 1
    assert run(data, "verify", "--passphrase-stdin", stdin=new).returncode == 0
    third = "the passphrase after recovery"
    recovered = run(data, "recover", stdin=f"{code.lower()}\n{third}\n")
    assert recovered.returncode == 0, recovered.stderr
    assert run(data, "verify", "--passphrase-stdin", stdin=third).returncode == 0
    bad = run(data, "recover", stdin=f"{'A' * 32}\n{third}\n")
    assert "wrong recovery code" in one_error_line(bad)


def test_rotate_key_keeps_records_and_retires_every_old_secret(
    initialised: tuple[Path, str], tmp_path: Path
) -> None:
    data, old_code = initialised
    header_before = json.loads((data / "vault.json").read_text())
    old_copy = tmp_path / "vault.json.old"
    old_copy.write_text((data / "vault.json").read_text())
    rotated = run(data, "rotate-key", stdin=PASS)
    assert rotated.returncode == 0, rotated.stderr
    codes = [ln for ln in rotated.stdout.splitlines() if ln.startswith("new recovery code: ")]
    assert len(codes) == 1
    new_code = codes[0].removeprefix("new recovery code: ")
    header_after = json.loads((data / "vault.json").read_text())
    assert header_after["db_key"] != header_before["db_key"]
    assert not {s["wrapped"] for s in header_after["slots"]} & {
        s["wrapped"] for s in header_before["slots"]
    }, "every slot is rewrapped around a new vault key"
    assert run(data, "verify", "--passphrase-stdin", stdin=PASS).returncode == 0
    bad = run(data, "recover", stdin=f"{old_code}\nanother long passphrase\n")
    assert "wrong recovery code" in one_error_line(bad)
    good = run(data, "recover", stdin=f"{new_code}\n{PASS}\n")
    assert good.returncode == 0, good.stderr

    # The old vault.json (as every backup carries) with the old passphrase opens nothing now.
    (data / "vault.json").write_text(old_copy.read_text())
    stale = run(data, "verify", "--passphrase-stdin", stdin=PASS)
    assert "does not open with this vault's key" in one_error_line(stale)


def test_keychain_unavailable_is_reported(initialised: tuple[Path, str]) -> None:
    data, _ = initialised
    status = run(data, "keychain", "status")
    assert status.returncode == 0
    assert "unavailable" in status.stdout
    enable = run(data, "keychain", "enable", "--passphrase-stdin", stdin=PASS)
    assert "keychain" in one_error_line(enable)


def test_gui_without_display_says_so(tmp_path: Path) -> None:
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    result = run(tmp_path, env=env)
    assert result.returncode == 2
    assert "no display" in one_error_line(result)


def test_vault_from_newer_version_is_refused(initialised: tuple[Path, str]) -> None:
    data, _ = initialised
    header = json.loads((data / "vault.json").read_text())
    header["format"] = 99
    (data / "vault.json").write_text(json.dumps(header))
    before = (data / "vault.json").read_bytes()
    result = run(data, "verify", "--passphrase-stdin", stdin=PASS)
    assert "newer version" in one_error_line(result)
    assert (data / "vault.json").read_bytes() == before


def test_export_session_and_chart_with_password(
    initialised: tuple[Path, str], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    data, _ = initialised
    assert run(data, "demo", "--passphrase-stdin", stdin=PASS).returncode == 0
    listing = run(data, "list-clients", "--passphrase-stdin", stdin=PASS)
    rows = [line.split("\t") for line in listing.stdout.splitlines()]
    zoe = next(r for r in rows if r[2].startswith("Zoë"))
    chart = tmp_path / "chart.pdf"
    result = run(
        data, "export", "--passphrase-stdin", "--client", zoe[0], "--out", str(chart), stdin=PASS
    )
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(chart).pages)
    assert "Zoë" in text
    assert "Worrier softened" not in text, "psychotherapy notes stay out by default"

    sessions = run(data, "list-sessions", "--passphrase-stdin", "--client", zoe[0], stdin=PASS)
    session_id = sessions.stdout.splitlines()[0].split("\t")[0]
    locked = tmp_path / "session.pdf"
    result = run(
        data,
        "export",
        "--passphrase-stdin",
        "--session",
        session_id,
        "--out",
        str(locked),
        "--pdf-password-stdin",
        stdin=f"{PASS}\nlong pdf password 42\n",
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(locked)
    assert reader.is_encrypted
    assert reader.decrypt("long pdf password 42")
    assert reader.trailer["/Encrypt"]["/V"] == 5

    bad = run(
        data,
        "export",
        "--passphrase-stdin",
        "--client",
        zoe[0],
        "--from",
        "2026-13-01",
        "--out",
        str(tmp_path / "x.pdf"),
        stdin=PASS,
    )
    assert "YYYY-MM-DD" in one_error_line(bad)
    missing = run(
        data,
        "export",
        "--passphrase-stdin",
        "--client",
        zoe[0],
        "--out",
        str(tmp_path / "no" / "such" / "x.pdf"),
        stdin=PASS,
    )
    assert "does not exist" in one_error_line(missing)
    assert not (tmp_path / "x.pdf").exists()


def test_self_test_passes(tmp_path: Path) -> None:
    before = set(Path(tempfile_dir()).glob("session-console-self-test-*"))
    result = run(tmp_path, "self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "self-test: ok"
    steps = (
        "vault",
        "main-window",
        "diagnoses-dates-search",
        "session-workspace",
        "note",
        "pdf",
        "pacer",
        "emdr",
        "art",
        "measures",
        "ifs",
        "medicine",
        "remote-pacer",
        "single-instance",
        "lock",
    )
    for name in steps:
        assert f"self-test: {name} ok" in lines
    after = set(Path(tempfile_dir()).glob("session-console-self-test-*"))
    assert after == before, "the self-test leaves nothing behind"


def tempfile_dir() -> str:
    import tempfile

    return tempfile.gettempdir()


def test_demo_chart_shows_every_worksheet_and_the_measures(
    initialised: tuple[Path, str], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    data, _ = initialised
    assert run(data, "demo", "--passphrase-stdin", stdin=PASS).returncode == 0
    listing = run(data, "list-clients", "--passphrase-stdin", stdin=PASS).stdout
    alex = next(line.split("\t")[0] for line in listing.splitlines() if "Alex" in line)
    chart = tmp_path / "alex.pdf"
    result = run(
        data, "export", "--passphrase-stdin", "--client", alex, "--out", str(chart), stdin=PASS
    )
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(chart).pages)
    for heading in (
        "EMDR",
        "ART",
        "Imagery rescripting",
        "Measures",
        "GAD-7",
        "PHQ-9",
        "Bilateral stimulation sets",
        "EMDR targets",
        "Screening",
        "Course",
        "Medicine session",
        "Vitals",
        "Nausea/vomiting",
    ):
        assert heading in text, heading
    zoe = next(line.split("\t")[0] for line in listing.splitlines() if "Zoë" in line)
    zoe_chart = tmp_path / "zoe.pdf"
    result = run(
        data, "export", "--passphrase-stdin", "--client", zoe, "--out", str(zoe_chart), stdin=PASS
    )
    assert result.returncode == 0, result.stderr
    text = "".join(page.extract_text() for page in PdfReader(zoe_chart).pages)
    for words in ("Parts map", "How the map changed", "Girl in the car park", "The Worrier"):
        assert words in text, words
