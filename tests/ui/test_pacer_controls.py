"""Every pacer control driven by real input: mouse clicks and keys on the focused widget."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from console.pacer.presets import BUILT_IN
from console.pacer.settings import PacerSettings
from tests.ui.conftest import open_tab
from tests.ui.people import turn_wheel
from tests.ui.people import type_keys as _type
from ui.controller import AppController
from ui.pacer.panel import PacerPanel
from ui.pacer.run import PacerRun
from ui.session.tabs.pacer import PacerTab

LEFT = Qt.MouseButton.LeftButton
APPEARANCE = ("shape", "size_px", "colour", "background", "sweep_percent", "tone_hz", "volume")


def _tab(unlocked: AppController) -> PacerTab:
    return open_tab(unlocked, "pacer", PacerTab)


def _show_its_tab(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Click the tab that holds `widget`, if it is not the one showing."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QTabWidget):
        parent = parent.parentWidget()
    if parent is None or widget.isVisible():
        return
    tabs = parent
    index = next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(widget))
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
    qtbot.waitUntil(widget.isVisible, timeout=2_000)


def _logged(unlocked: AppController, tab: PacerTab):  # type: ignore[no-untyped-def]
    return unlocked.services.bls_sets.list_for_session(tab.run.session_id)  # type: ignore[union-attr]


def test_stop_by_mouse_ends_the_set_and_logs_it(qtbot, unlocked: AppController) -> None:
    tab = _tab(unlocked)
    panel = tab.panel
    qtbot.mouseClick(panel.start_button, LEFT)
    assert tab.run.running and panel.start_button.text().startswith("Pause")
    qtbot.mouseClick(panel.stop_button, LEFT)
    assert tab.run.set_clock is None, "Stop ended the set"
    assert QApplication.activeModalWidget() is None, "no error dialog"
    assert "Ready" in panel.status.text()
    assert _logged(unlocked, tab)[-1].ended_by == "stop"
    assert panel.after_box.isEnabled() and QApplication.focusWidget() is panel.sud


def test_the_floating_controls_start_and_stop_by_mouse(qtbot, unlocked: AppController) -> None:
    tab = _tab(unlocked)
    qtbot.mouseClick(tab.panel.float_button, LEFT)
    compact = tab.panel.compact
    qtbot.waitUntil(compact.isVisible, timeout=2_000)
    qtbot.mouseClick(compact.toggle, LEFT)
    assert tab.run.running and compact.toggle.text() == "Pause"
    qtbot.mouseClick(compact.stop_button, LEFT)
    assert tab.run.set_clock is None
    assert QApplication.activeModalWidget() is None
    assert _logged(unlocked, tab)[-1].ended_by == "stop"
    compact.close()


def test_a_preset_then_a_speed_change_keeps_every_appearance_value(
    qtbot, unlocked: AppController
) -> None:
    tab = _tab(unlocked)
    panel = tab.panel
    qtbot.mouseClick(panel.preset, LEFT)
    qtbot.keyClick(panel.preset, Qt.Key.Key_Escape)  # close the popup the click opened
    panel.preset.setFocus()
    while panel.preset.currentData() != "EMDR 2.0":
        qtbot.keyClick(panel.preset, Qt.Key.Key_Down)
    preset = BUILT_IN["EMDR 2.0"]
    assert tab.run.settings == preset
    panel.speed.setFocus()
    _type(qtbot, Qt.Key.Key_Up)
    panel.setFocus()
    _type(qtbot, Qt.Key.Key_2, Qt.Key.Key_S)
    s = tab.run.settings
    assert (s.speed_hz, s.path, s.sound) == (1.6, "vertical", "tone")
    for name in (*APPEARANCE, "limit", "limit_value", "ending"):
        assert getattr(s, name) == getattr(preset, name), name
    assert panel.size.value() == 48 and panel.sweep.value() == 80 and panel.volume.value() == 50
    assert panel.preset.currentData() is None, "a changed preset is Custom"


def test_a_setting_typed_in_the_appearance_tab_is_what_the_stimulus_uses(
    qtbot, unlocked: AppController
) -> None:
    tab = _tab(unlocked)
    panel = tab.panel
    panel.tabs.setCurrentIndex(1)
    panel.size.setFocus()
    panel.size.selectAll()
    _type(qtbot, "96", Qt.Key.Key_Return)
    assert tab.run.settings.size_px == 96 and tab.run.window.settings.size_px == 96
    panel.speed.setFocus()
    _type(qtbot, Qt.Key.Key_Down)
    assert tab.run.settings.size_px == 96 and tab.run.settings.speed_hz == 0.9


def test_a_wheel_over_an_unfocused_field_changes_nothing(qtbot, unlocked: AppController) -> None:
    tab = _tab(unlocked)
    panel = tab.panel
    panel.window().resize(1366, 768)
    panel.start_button.setFocus()
    before = tab.run.settings
    for box in (panel.speed, panel.path, panel.sud, panel.size):
        _show_its_tab(qtbot, box)
        turn_wheel(box, 1)
    assert tab.run.settings == before
    assert panel.sud.rating() is None


def test_sud_voc_and_what_came_up_are_typed_and_saved_with_enter(
    qtbot, unlocked: AppController
) -> None:
    tab = _tab(unlocked)
    panel = tab.panel
    panel.setFocus()
    _type(qtbot, Qt.Key.Key_Space, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is panel.sud
    _type(qtbot, "5", Qt.Key.Key_Tab, "6", Qt.Key.Key_Tab, "the train, further away")
    assert tab.run.settings.path == "horizontal", "digits typed in a rating are not path keys"
    _type(qtbot, Qt.Key.Key_Return)
    saved = _logged(unlocked, tab)[-1]
    assert (saved.sud, saved.voc, saved.notes) == (5, 6, "the train, further away")
    assert "Saved with set" in panel.message.text()
    _type(qtbot, Qt.Key.Key_Space, Qt.Key.Key_Escape, "3", Qt.Key.Key_Return)
    assert _logged(unlocked, tab)[-1].sud == 3, "Enter in the SUD field saves it"


def test_keys_work_after_clicking_the_preview_or_the_set_tab(
    qtbot, unlocked: AppController
) -> None:
    tab = _tab(unlocked)
    panel = tab.panel
    qtbot.mouseClick(panel.preview, LEFT)
    _type(qtbot, Qt.Key.Key_Up)
    assert tab.run.settings.speed_hz == 1.1
    bar = panel.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(0).center())
    _type(qtbot, Qt.Key.Key_4, Qt.Key.Key_S, Qt.Key.Key_Space)
    assert tab.run.settings.path == "diagonal_down" and tab.run.settings.sound == "tone"
    assert tab.run.running
    _type(qtbot, Qt.Key.Key_Escape)
    assert tab.run.set_clock is None
    panel.message.setFocus()
    panel.setFocus()
    _type(qtbot, Qt.Key.Key_F)
    assert tab.run.window.isVisible() and panel.screen_button.text().startswith("Hide")
    _type(qtbot, Qt.Key.Key_F)
    assert not tab.run.window.isVisible() and panel.screen_button.text().startswith("Show")


def test_the_client_window_answers_every_key(qtbot, unlocked: AppController) -> None:
    tab = _tab(unlocked)
    panel, run = tab.panel, tab.run
    qtbot.mouseClick(panel.screen_button, LEFT)
    window = run.window
    qtbot.waitUntil(window.isVisible, timeout=2_000)
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_6, Qt.Key.Key_S):
        qtbot.keyClick(window, key)
    assert (run.settings.speed_hz, run.settings.path, run.settings.sound) == (
        1.1,
        "figure_eight",
        "tone",
    )
    assert panel.path.currentData() == "figure_eight" and panel.speed.value() == 1.1
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert run.running
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert run.set_clock is None and _logged(unlocked, tab)[-1].path == "figure_eight"
    qtbot.keyClick(window, Qt.Key.Key_F)
    assert not window.isVisible()
    assert panel.screen_button.text() == "Show on client screen (F)"


def _choose_screen(qtbot, panel: PacerPanel, name: str) -> None:  # type: ignore[no-untyped-def]
    panel.client_screen.setFocus()
    qtbot.keyClick(panel.client_screen, Qt.Key.Key_Home)
    while panel.client_screen.currentData() != name:
        qtbot.keyClick(panel.client_screen, Qt.Key.Key_Down)


def test_the_therapist_picks_the_client_screen_and_it_is_remembered(
    qtbot, unlocked: AppController
) -> None:
    tab = _tab(unlocked)
    panel = tab.panel
    labels = [panel.client_screen.itemText(i) for i in range(panel.client_screen.count())]
    assert any(label.startswith("projector — 1920×1080") and "Hz" in label for label in labels)
    assert any(label.startswith("laptop — 1366×768") for label in labels)
    _choose_screen(qtbot, panel, "laptop")
    qtbot.mouseClick(panel.screen_button, LEFT)
    qtbot.waitUntil(tab.run.window.isVisible, timeout=2_000)
    assert tab.run.window.screen().name() == "laptop"
    _choose_screen(qtbot, panel, "projector")
    assert tab.run.window.screen().name() == "projector", "a new choice moves the stimulus"
    assert unlocked.settings.get("pacer_screen") == "projector"
    tab.run.hide_stimulus()
    _choose_screen(qtbot, panel, "")
    qtbot.mouseClick(panel.screen_button, LEFT)
    assert tab.run.window.screen().name() == "projector", "automatic: not the laptop's screen"


def test_a_remembered_screen_that_is_absent_falls_back(qtbot) -> None:
    run = PacerRun(None, None)
    run.screen_name = "meeting-room-tv"
    panel = PacerPanel(run)
    qtbot.addWidget(panel)
    assert panel.client_screen.currentText() == "meeting-room-tv (not connected)"
    assert run.show_stimulus().name() == "projector"
    run.hide_stimulus()


def test_losing_the_client_screen_mid_set_pauses_and_says_so(
    qtbot, unlocked: AppController
) -> None:
    tab = _tab(unlocked)
    panel, run = tab.panel, tab.run
    qtbot.mouseClick(panel.screen_button, LEFT)
    qtbot.mouseClick(panel.start_button, LEFT)
    projector = next(s for s in QGuiApplication.screens() if s.name() == "projector")
    run._on_screen_removed(projector)  # the path QGuiApplication.screenRemoved takes
    assert run.paused and "disconnected" in panel.message.text()
    assert run.window.screen().name() == "laptop"
    qtbot.mouseClick(panel.stop_button, LEFT)
    assert _logged(unlocked, tab)[-1].ended_by == "stop"


def test_the_settings_shown_are_the_settings_applied(qtbot) -> None:
    run = PacerRun(None, None)
    run.apply(PacerSettings(size_px=120, sweep_percent=55, volume=0.3, shape="square"))
    panel = PacerPanel(run)
    qtbot.addWidget(panel)
    assert (panel.size.value(), panel.sweep.value(), panel.volume.value()) == (120, 55, 30)
    assert panel.shape.currentData() == "square"


def test_try_the_pacer_from_the_view_menu_records_nothing(qtbot, unlocked: AppController) -> None:
    window = unlocked.main_window
    assert window is not None
    bar = window.menuBar()
    view = next(a for a in bar.actions() if a.text() == "&View")
    qtbot.mouseClick(bar, LEFT, pos=bar.actionGeometry(view).center())
    menu = view.menu()
    qtbot.waitUntil(menu.isVisible, timeout=2_000)
    trial = next(a for a in menu.actions() if a.text() == "Try the &pacer…")
    qtbot.mouseClick(menu, LEFT, pos=menu.actionGeometry(trial).center())
    qtbot.waitUntil(lambda: window.trial_pacer is not None and window.trial_pacer.isVisible())
    pacer = window.trial_pacer
    assert pacer is not None
    sessions_sets = {
        s.id: len(unlocked.services.bls_sets.list_for_session(s.id))  # type: ignore[union-attr]
        for s in unlocked.services.sessions.list_for_client(window.caseload.selected_id())  # type: ignore[union-attr]
    }
    qtbot.mouseClick(pacer.panel.start_button, LEFT)
    assert pacer.run.running
    qtbot.mouseClick(pacer.panel.stop_button, LEFT)
    assert pacer.run.set_clock is None and QApplication.activeModalWidget() is None
    assert not pacer.panel.after_box.isEnabled(), "no session: no SUD fields that go nowhere"
    for session_id, count in sessions_sets.items():
        assert len(unlocked.services.bls_sets.list_for_session(session_id)) == count  # type: ignore[union-attr]
    pacer.close()
    assert not pacer.run.window.isVisible()


def test_calibrating_the_sound_is_a_guided_step_tapped_with_space(
    qtbot, unlocked: AppController
) -> None:
    from tests.ui.conftest import when_modal
    from ui.pacer.calibration_dialog import SoundCalibrationDialog

    tab = _tab(unlocked)
    panel = tab.panel
    panel.tabs.setCurrentIndex(1)
    seen: list[str] = []

    def tap_along(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, SoundCalibrationDialog)
        qtbot.mouseClick(dialog.begin_button, LEFT)
        run = dialog.run
        for k in range(1, 9):
            turn = run.motion.turn_time(k)
            qtbot.waitUntil(lambda turn=turn: (run.set_time() or 0) >= turn, timeout=5_000)
            if k % 2:
                qtbot.keyClick(dialog, Qt.Key.Key_Space)
            else:
                qtbot.mouseClick(dialog.tap_button, LEFT)
        assert dialog.seen is not None and len(dialog.seen.taps) == 8, "Space and Tap both count"
        qtbot.waitUntil(lambda: dialog.seen is not None, timeout=5_000)
        seen.append(dialog.step.text())
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), LEFT)

    when_modal(tap_along)
    qtbot.mouseClick(panel.calibrate, LEFT)
    assert seen and ("Step 2 of 2" in seen[0] or "No sound" in seen[0])
    assert tab.run.settings.audio_offset_ms == 0, "cancelled: the offset is unchanged"


def test_where_the_display_paces_updates_frames_follow_its_refresh(qtbot) -> None:
    run = PacerRun(None, None)
    run.frames_from_refresh = True  # as on Wayland and macOS
    run.apply(PacerSettings(speed_hz=2.0, limit="passes", limit_value=2))
    run.show_stimulus()
    assert run.refresh_signal
    finished: list[object] = []
    run.set_finished.connect(finished.append)
    run.start()
    qtbot.waitUntil(lambda: run.stats.frames >= 5, timeout=3_000)
    assert not run._timer.isActive(), "no timer: the window's update requests drive the frames"
    qtbot.waitUntil(lambda: bool(finished), timeout=5_000)
    assert finished[0].passes_completed == 2 and finished[0].frames >= 5  # type: ignore[attr-defined]
    run.hide_stimulus()


def _select(qtbot, combo, data: str) -> None:  # type: ignore[no-untyped-def]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    while combo.currentData() != data:
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def _retype(qtbot, box, text: str) -> None:  # type: ignore[no-untyped-def]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_every_setting_is_changed_by_keyboard_and_mouse_and_reaches_the_stimulus(
    qtbot, unlocked: AppController
) -> None:
    from PySide6.QtGui import QColor

    from tests.ui.conftest import when_modal

    tab = _tab(unlocked)
    panel, run = tab.panel, tab.run
    panel.speed_slider.setFocus()
    qtbot.keyClick(panel.speed_slider, Qt.Key.Key_Right)
    assert run.settings.speed_hz == 1.01 and panel.speed.value() == 1.01
    _select(qtbot, panel.limit_kind, "seconds")
    _retype(qtbot, panel.limit, "45")
    _select(qtbot, panel.ending, "ease_to_centre")
    panel.tabs.setCurrentIndex(1)
    _select(qtbot, panel.shape, "square")
    _retype(qtbot, panel.tone, "300")
    _retype(qtbot, panel.volume, "70")
    _select(qtbot, panel.sound_at, "midline")
    _retype(qtbot, panel.latency, "25")

    def pick(colour: str):  # type: ignore[no-untyped-def]
        def choose(dialog) -> None:  # type: ignore[no-untyped-def]
            dialog.setCurrentColor(QColor(colour))
            dialog.accept()

        return choose

    when_modal(pick("#ffcc00"))
    qtbot.mouseClick(panel.colour, LEFT)
    when_modal(pick("#000000"))
    qtbot.mouseClick(panel.background, LEFT)
    s = run.settings
    assert (s.limit, s.limit_value, s.ending, s.shape) == (
        "seconds",
        45,
        "ease_to_centre",
        "square",
    )
    assert (s.tone_hz, s.volume, s.sound_at, s.audio_offset_ms) == (300, 0.7, "midline", 25)
    assert (s.colour, s.background) == ("#ffcc00", "#000000")
    assert run.window.settings == s, "the client's window draws what the panel shows"
    assert panel.colour.text() == "#ffcc00"

    def name_it(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.setTextValue("Warm square")
        dialog.accept()

    when_modal(name_it)
    panel.tabs.setCurrentIndex(0)
    qtbot.mouseClick(panel.save_preset, LEFT)
    assert "Warm square" in unlocked.settings.get("pacer_presets")
    assert panel.preset.findData("Warm square") >= 0
    qtbot.mouseClick(panel.client_default, LEFT)
    assert panel.client_default.isChecked()
    assert str(panel.client_id) in unlocked.settings.get("pacer_client_defaults")
    _select(qtbot, panel.preset, "Classic EMDR")
    assert run.settings == BUILT_IN["Classic EMDR"]
    _select(qtbot, panel.preset, "Warm square")
    assert run.settings == s, "a saved preset brings every value back"
