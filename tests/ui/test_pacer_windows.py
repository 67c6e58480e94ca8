"""The pacer's windows on two offscreen screens, driven as a therapist would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from console.pacer.settings import PacerSettings
from tests.ui.conftest import FakeClock, open_tab, save_artifact
from ui.controller import AppController
from ui.pacer.run import PacerRun
from ui.session.tabs.pacer import PacerTab


def _screen(name: str):  # type: ignore[no-untyped-def]
    return next(s for s in QGuiApplication.screens() if s.name() == name)


def _pacer_tab(unlocked: AppController) -> PacerTab:
    return open_tab(unlocked, "pacer", PacerTab)


def test_stimulus_fills_the_client_screen_and_shows_no_client_data(
    qtbot, unlocked: AppController
) -> None:
    tab = _pacer_tab(unlocked)
    tab.panel.screen_button.click()
    stimulus = tab.run.window
    qtbot.waitUntil(stimulus.isVisible, timeout=2_000)
    assert stimulus.screen().name() == "projector"
    assert stimulus.geometry() == _screen("projector").geometry()
    assert stimulus.isFullScreen()
    assert stimulus.findChildren(QWidget) == [], "nothing but the stimulus is drawn"
    client = unlocked.main_window.overview.client  # type: ignore[union-attr]
    assert client is not None and client.name not in stimulus.windowTitle()
    save_artifact(stimulus, "pacer-stimulus.png")
    save_artifact(tab, "pacer-panel.png")


def test_losing_the_client_screen_pauses_and_brings_the_pacer_back(qtbot) -> None:
    clock = FakeClock()
    run = PacerRun(None, None, clock=clock)
    run.show_stimulus()
    run.start()
    clock.now += 3.3
    messages: list[str] = []
    run.message.connect(messages.append)
    run._on_screen_removed(_screen("projector"))  # the path QGuiApplication.screenRemoved takes
    assert run.paused
    assert run.window.screen().name() == "laptop"
    assert messages and "paused" in messages[0]
    held = run.set_time()
    clock.now += 10
    assert run.set_time() == held, "a paused set keeps its phase"
    run.stop()


def test_keyboard_runs_a_set_that_is_logged_to_the_session(qtbot, unlocked: AppController) -> None:
    tab = _pacer_tab(unlocked)
    panel = tab.panel
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_3)
    assert tab.run.settings.path == "diagonal_up"
    qtbot.keyClick(panel, Qt.Key.Key_Up)
    assert tab.run.settings.speed_hz == 1.1
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert tab.run.running
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert tab.run.paused
    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    assert tab.run.set_clock is None
    sets = unlocked.services.bls_sets.list_for_session(tab.run.session_id)  # type: ignore[union-attr]
    assert len(sets) == 1
    assert sets[0].ended_by == "stop" and sets[0].path == "diagonal_up"
    assert panel.after_box.isEnabled()
    panel.sud.setValue(4)
    panel.voc.setValue(5)
    panel.noticed.setText("the train, but further away")
    panel.save_after.click()
    saved = unlocked.services.bls_sets.list_for_session(tab.run.session_id)[0]  # type: ignore[union-attr]
    assert (saved.sud, saved.voc, saved.notes) == (4, 5, "the train, but further away")


def test_a_set_ends_at_its_limit_on_the_engine_clock(qtbot, unlocked: AppController) -> None:
    tab = _pacer_tab(unlocked)
    clock = FakeClock()
    tab.run.clock = clock
    tab.run.apply(PacerSettings(speed_hz=1.0, limit="passes", limit_value=24))
    tab.run.start()
    clock.now += 11.9
    qtbot.waitUntil(lambda: tab.run.passes_done() == 23, timeout=2_000)
    assert tab.run.running
    clock.now += 0.2
    qtbot.waitUntil(lambda: tab.run.set_clock is None, timeout=2_000)
    logged = unlocked.services.bls_sets.list_for_session(tab.run.session_id)  # type: ignore[union-attr]
    assert logged[-1].ended_by == "limit" and logged[-1].passes_completed == 24


def test_no_sound_device_is_explained_and_the_picture_runs(qtbot) -> None:
    run = PacerRun(None, None, clock=FakeClock())
    messages: list[str] = []
    run.message.connect(messages.append)
    run.audio.available, run.audio.reason = False, "no sound output device was found"
    run.apply(PacerSettings(sound="tone"))
    run.start()
    assert run.running
    assert messages and "No sound" in messages[0] and "visual pacer still works" in messages[0]
    run.stop()


def test_locking_interrupts_a_set_and_closes_the_client_screen(
    qtbot, unlocked: AppController
) -> None:
    tab = _pacer_tab(unlocked)
    run, session_id, services = tab.run, tab.run.session_id, unlocked.services
    run.show_stimulus()
    run.start()
    unlocked.lock("test")
    assert not run.window.isVisible()
    assert services is not None
    unlocked.vault.unlock_with_passphrase("correct horse battery staple")
    assert services.bls_sets.list_for_session(session_id)[-1].ended_by == "interruption"
    unlocked.vault.lock()


def test_single_screen_mode_is_run_from_the_keyboard(qtbot) -> None:
    run = PacerRun(None, None, clock=FakeClock())
    run.window.show_on(_screen("laptop"), activate=True)
    qtbot.keyClick(run.window, Qt.Key.Key_Space)
    assert run.running
    qtbot.keyClick(run.window, Qt.Key.Key_Space)
    assert run.paused
    qtbot.keyClick(run.window, Qt.Key.Key_Escape)
    assert run.set_clock is None
    qtbot.keyClick(run.window, Qt.Key.Key_F)
    assert not run.window.isVisible()


def test_toolbar_control_runs_the_open_sessions_pacer(qtbot, unlocked: AppController) -> None:
    tab = _pacer_tab(unlocked)
    window = unlocked.main_window
    assert window is not None
    window.area.currentWidget().tabs.setCurrentIndex(0)  # type: ignore[attr-defined]
    window.pacer_action.trigger()
    assert tab.run.running
    assert window.current_workspace().tabs.currentWidget() is tab  # type: ignore[union-attr]
    window.pacer_action.trigger()
    assert tab.run.paused
    tab.run.stop()
