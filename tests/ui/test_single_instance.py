"""One console per user and data folder: a second launch brings the first to the front."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.single_instance import SingleInstance, bring_to_front, server_name

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def first(tmp_path: Path):
    instance = SingleInstance(tmp_path / "vault")
    assert instance.listen()
    yield instance
    instance.close()


def test_second_instance_asks_the_first_to_come_forward(
    first: SingleInstance, tmp_path: Path, qtbot: QtBot
) -> None:
    second = SingleInstance(tmp_path / "vault")
    with qtbot.waitSignal(first.activated, timeout=5000):
        assert second.forward_to_running(timeout_ms=200)


def test_no_running_instance_means_this_one_is_first(tmp_path: Path) -> None:
    lone = SingleInstance(tmp_path / "vault")
    assert not lone.forward_to_running(timeout_ms=200)
    assert lone.listen()
    lone.close()


def test_other_data_folders_are_independent(first: SingleInstance, tmp_path: Path) -> None:
    other = SingleInstance(tmp_path / "another-vault")
    assert other.name != first.name
    assert not other.forward_to_running(timeout_ms=200)
    assert other.listen()
    other.close()


def test_name_is_per_folder_not_per_spelling(tmp_path: Path) -> None:
    (tmp_path / "vault").mkdir()
    assert server_name(tmp_path / "vault") == server_name(tmp_path / "x" / ".." / "vault")
    assert len(server_name(tmp_path / "vault")) < 60  # Unix socket paths are short


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave no stale file")
def test_stale_socket_of_a_crashed_instance_is_replaced(tmp_path: Path) -> None:
    name = server_name(tmp_path / "vault")
    probe = QLocalServer()
    assert probe.listen(name)
    path = probe.fullServerName()
    probe.close()
    # What a killed first instance leaves behind: a socket file nobody listens on.
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(path)
    stale.close()
    assert os.path.exists(path)

    instance = SingleInstance(tmp_path / "vault")
    assert not instance.forward_to_running(timeout_ms=200)
    assert instance.listen()
    assert SingleInstance(tmp_path / "vault").forward_to_running(timeout_ms=200)
    instance.close()


def test_second_launch_of_the_app_exits_and_raises_the_first(
    first: SingleInstance, tmp_path: Path, qtbot: QtBot
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    with qtbot.waitSignal(first.activated, timeout=30000):
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.launcher", "--data-dir", str(tmp_path / "vault")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "already running" in out
    assert not (tmp_path / "vault" / "vault.json").exists()  # it never opened the vault


def test_bring_to_front_restores_a_minimised_window(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    bring_to_front(window)
    assert window.isVisible()
    assert not window.isMinimized()
    bring_to_front(None)  # no window yet: nothing to do
