"""The therapist's pacer controls: calm, keyboard-first, with proof the timing holds.

Space start/pause, Esc stop, Up/Down speed, 1–6 path, S sound, F client screen,
wherever the focus is in the panel unless the focused field uses the key
itself (typing a rating, moving in a list). After a set the quick fields (SUD,
VOC, what came up) save with that set on Enter.
"""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.config import Settings
from console.errors import ValidationError
from console.pacer.presets import (
    all_presets,
    presets_from_json,
    presets_to_json,
    settings_from_dict,
    settings_to_dict,
)
from console.pacer.settings import PacerSettings
from console.pacer.timing_light import TimingReading, timing_light
from console.services.bls import BlsSetRecord
from ui.pacer.calibration_dialog import SoundCalibrationDialog
from ui.pacer.keys import run_pacer_key
from ui.pacer.run import PacerRun
from ui.pacer.stimulus import MiniatureView
from ui.rating_box import RatingBox
from ui.widgets import named

PATHS = (
    ("horizontal", "Horizontal"),
    ("vertical", "Vertical"),
    ("diagonal_up", "Diagonal up"),
    ("diagonal_down", "Diagonal down"),
    ("circle", "Circle"),
    ("figure_eight", "Figure eight"),
)
SOUNDS = (("off", "Off"), ("tone", "Tone"), ("click", "Click"))
SHAPES = (
    ("dot", "Dot"),
    ("square", "Square"),
    ("vertical_bar", "Vertical bar"),
    ("light_bar", "Light bar (LEDs)"),
)


def _contrast(colour: str) -> str:
    c = QColor(colour)
    return "#000000" if (c.red() * 299 + c.green() * 587 + c.blue() * 114) > 128_000 else "#ffffff"


def _client_defaults(settings: Settings | None) -> dict[str, object]:
    """Per-client pacer settings, keyed by the client's record id (no names)."""
    if settings is None:
        return {}
    try:
        data = json.loads(settings.get("pacer_client_defaults") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


_LIGHT = {
    "waiting": "color: palette(text);",
    "exact": "color: #2e7d32; font-weight: bold;",
    "late": "color: #b26a00; font-weight: bold;",
}


def _describe(screen: QScreen) -> str:
    size = screen.size()
    return f"{screen.name()} — {size.width()}×{size.height()}, {screen.refreshRate():.0f} Hz"


class PacerPanel(QWidget):
    def __init__(
        self,
        run: PacerRun,
        settings: Settings | None = None,
        client_id: str | None = None,
        parent: QWidget | None = None,
        *,
        worksheet_choice: bool = False,
    ):
        """`worksheet_choice`: the session has both an EMDR and an ART worksheet, so the
        therapist says which one the sets count for (a preset says it too)."""
        super().__init__(parent)
        self.run = run
        self.settings = settings
        self.client_id = client_id
        self.presets = all_presets(settings.get("pacer_presets") if settings else "")
        default = _client_defaults(settings).get(client_id or "") if settings else None
        if default is not None:
            try:
                run.apply(settings_from_dict(default))
            except ValidationError:
                default = None
        self.last_set: BlsSetRecord | None = None
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.preview = MiniatureView()
        self.preview.configure(run.settings, run.motion)
        left.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        self.start_button = named(QPushButton(self.tr("Start (Space)")), "Start or pause set")
        self.stop_button = named(QPushButton(self.tr("Stop (Esc)")), "Stop set")
        self.screen_button = named(
            QPushButton(self.tr("Show on client screen (F)")), "Show stimulus on client screen"
        )
        self.float_button = named(QPushButton(self.tr("Float controls")), "Float controls")
        for b in (self.start_button, self.stop_button, self.screen_button, self.float_button):
            buttons.addWidget(b)
        left.addLayout(buttons)
        self.status = named(QLabel(), "Set status")
        self.integrity = named(QLabel(), "Timing integrity")
        self.message = named(QLabel(), "Pacer message")
        self.message.setWordWrap(True)
        self.integrity.setWordWrap(True)
        self.status.setWordWrap(True)
        left.addWidget(self.status)
        left.addWidget(self.integrity)
        left.addWidget(self.message)

        controls = QGroupBox(self.tr("Settings"))
        form = QFormLayout(controls)
        self.preset = named(QComboBox(), "Preset")
        self.preset.addItem(self.tr("Custom"), None)
        for name in self.presets:
            self.preset.addItem(name, name)
        self.protocol = named(
            QComboBox(),
            "Worksheet for sets",
            self.tr("The worksheet the sets count for; the ART preset chooses ART"),
        )
        self.protocol.addItem(self.tr("EMDR"), "emdr")
        self.protocol.addItem(self.tr("ART"), "art")
        self.speed = named(QDoubleSpinBox(), "Speed in hertz")
        self.speed.setRange(0.2, 2.0)
        self.speed.setSingleStep(0.1)
        self.speed.setDecimals(2)
        self.speed.setSuffix(" Hz")
        self.speed_slider = named(QSlider(Qt.Orientation.Horizontal), "Speed slider")
        self.speed_slider.setRange(20, 200)
        self.per_minute = QLabel()
        self.path = named(QComboBox(), "Path")
        for key, label in PATHS:
            self.path.addItem(label, key)
        self.sound = named(QComboBox(), "Sound")
        for key, label in SOUNDS:
            self.sound.addItem(label, key)
        self.limit_kind = named(QComboBox(), "Set limit kind")
        for key, label in (("passes", "Passes"), ("seconds", "Seconds"), ("open", "Open")):
            self.limit_kind.addItem(label, key)
        self.limit = named(QSpinBox(), "Set limit")
        self.limit.setRange(1, 3600)
        limit_row = QHBoxLayout()
        limit_row.addWidget(self.limit_kind)
        limit_row.addWidget(self.limit)
        self.ending = named(QComboBox(), "Set ending")
        self.ending.addItem(self.tr("Stop at the side"), "stop_at_side")
        self.ending.addItem(self.tr("Ease to rest at the centre"), "ease_to_centre")
        self.client_screen = named(QComboBox(), "Client screen")
        form.addRow(self.tr("&Preset"), self.preset)
        form.addRow(self.tr("&Worksheet"), self.protocol)
        form.setRowVisible(self.protocol, worksheet_choice)
        form.addRow(self.tr("S&peed"), self.speed)
        form.addRow("", self.speed_slider)
        form.addRow("", self.per_minute)
        form.addRow(self.tr("P&ath"), self.path)
        form.addRow(self.tr("S&ound"), self.sound)
        form.addRow(self.tr("Set limit"), limit_row)
        form.addRow(self.tr("&Ending"), self.ending)
        form.addRow(self.tr("Client s&creen"), self.client_screen)
        self.save_preset = named(QPushButton(self.tr("Save as preset…")), "Save as preset")
        self.client_default = named(
            QCheckBox(self.tr("Use these settings by default for this client")),
            "Client default pacer settings",
        )
        form.addRow("", self.save_preset)
        form.addRow("", self.client_default)

        look = QGroupBox(self.tr("Appearance and sound"))
        look_form = QFormLayout(look)
        self.shape = named(QComboBox(), "Stimulus shape")
        for key, label in SHAPES:
            self.shape.addItem(label, key)
        self.size = named(QSpinBox(), "Stimulus size")
        self.size.setRange(8, 300)
        self.size.setSuffix(" px")
        self.colour = named(QPushButton(), "Stimulus colour")
        self.background = named(QPushButton(), "Background colour")
        self.sweep = named(QSpinBox(), "Sweep width")
        self.sweep.setRange(10, 100)
        self.sweep.setSuffix(" %")
        self.tone = named(QSpinBox(), "Tone frequency")
        self.tone.setRange(150, 1000)
        self.tone.setSuffix(" Hz")
        self.volume = named(QSpinBox(), "Volume")
        self.volume.setRange(0, 100)
        self.volume.setSuffix(" %")
        self.sound_at = named(QComboBox(), "Sound at")
        self.sound_at.addItem(self.tr("At each turn"), "turn")
        self.sound_at.addItem(self.tr("At the midline"), "midline")
        self.latency = named(QSpinBox(), "Audio latency offset")
        self.latency.setRange(-500, 500)
        self.latency.setSuffix(" ms")
        self.calibrate = named(QPushButton(self.tr("Calibrate…")), "Calibrate sound latency")
        latency_row = QHBoxLayout()
        latency_row.addWidget(self.latency, 1)
        latency_row.addWidget(self.calibrate)
        for label, widget in (
            (self.tr("Shape"), self.shape),
            (self.tr("Size"), self.size),
            (self.tr("Colour"), self.colour),
            (self.tr("Background"), self.background),
            (self.tr("Sweep width"), self.sweep),
            (self.tr("Tone"), self.tone),
            (self.tr("Volume"), self.volume),
            (self.tr("Sound at"), self.sound_at),
        ):
            look_form.addRow(label, widget)
        look_form.addRow(self.tr("Latency offset"), latency_row)

        after = QGroupBox(self.tr("After the set"))
        after_form = QFormLayout(after)
        self.sud = named(RatingBox(0, 10), "SUD after set")
        self.voc = named(RatingBox(1, 7), "VOC after set")
        self.noticed = named(QLineEdit(), "What came up")
        self.save_after = named(QPushButton(self.tr("Save with set")), "Save set notes")
        after_form.addRow(self.tr("SUD (0–10)"), self.sud)
        after_form.addRow(self.tr("VOC (1–7)"), self.voc)
        after_form.addRow(self.tr("What came up"), self.noticed)
        after_form.addRow("", self.save_after)
        self.after_box = after
        after.setEnabled(False)

        tabs = named(QTabWidget(), "Pacer settings")
        tabs.addTab(controls, self.tr("Set"))
        tabs.addTab(look, self.tr("Appearance and sound"))
        self.tabs = tabs
        right = QVBoxLayout()
        right.addWidget(tabs)
        right.addWidget(after)
        right.addStretch(1)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self.setting_widgets: tuple[QWidget, ...] = (
            self.preset,
            self.protocol,
            self.speed,
            self.speed_slider,
            self.path,
            self.sound,
            self.limit_kind,
            self.limit,
            self.ending,
            self.client_screen,
            self.shape,
            self.size,
            self.sweep,
            self.tone,
            self.volume,
            self.sound_at,
            self.latency,
        )
        self._light_key: tuple[int, bool, bool] | None = None
        self._fill_screens()
        self._load(run.settings)
        self.client_default.setChecked(default is not None)
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.speed.valueChanged.connect(self._on_speed_changed)
        self.speed_slider.valueChanged.connect(lambda v: self.speed.setValue(v / 100))
        for combo in (
            self.protocol,
            self.path,
            self.sound,
            self.limit_kind,
            self.ending,
            self.shape,
            self.sound_at,
        ):
            combo.currentIndexChanged.connect(self._on_control_changed)
        for spin in (self.limit, self.size, self.sweep, self.tone, self.volume, self.latency):
            spin.valueChanged.connect(self._on_control_changed)
        self.colour.clicked.connect(lambda: self._pick_colour("colour"))
        self.background.clicked.connect(lambda: self._pick_colour("background"))
        self.save_preset.clicked.connect(self._on_save_preset_clicked)
        self.calibrate.clicked.connect(self._on_calibrate_clicked)
        self.client_default.toggled.connect(self._on_client_default_toggled)
        self.client_screen.currentIndexChanged.connect(self._on_client_screen_chosen)
        self.start_button.clicked.connect(lambda: run.toggle())
        self.stop_button.clicked.connect(lambda: run.stop())
        self.screen_button.clicked.connect(lambda: run.toggle_stimulus())
        self.compact = CompactPanel(run, self)
        self.float_button.clicked.connect(self.compact.show)
        self.save_after.clicked.connect(self._on_save_after_clicked)
        for field in (self.sud, self.voc):
            field.submitted.connect(self._on_save_after_clicked)
        self.noticed.returnPressed.connect(self._on_save_after_clicked)
        self.keys = run.key_actions()
        run.changed.connect(self._refresh)
        run.set_finished.connect(self._on_set_finished)
        run.message.connect(self.message.setText)
        run.screen_offered.connect(self._on_screen_offered)
        run.screens_changed.connect(self._fill_screens)
        self._refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys the focused control did not use run the pacer."""
        if not run_pacer_key(self.keys, event):
            super().keyPressEvent(event)

    # -- settings ---------------------------------------------------------
    def _load(self, s: PacerSettings) -> None:
        """Show every setting, so the next edit changes only what the therapist touched."""
        widgets = self.setting_widgets
        for widget in widgets:
            widget.blockSignals(True)
        matching = next((n for n, p in self.presets.items() if p == s), None)
        self.preset.setCurrentIndex(max(0, self.preset.findData(matching)) if matching else 0)
        self.speed.setValue(s.speed_hz)
        self.speed_slider.setValue(round(s.speed_hz * 100))
        for combo, value in (
            (self.protocol, s.protocol),
            (self.path, s.path),
            (self.sound, s.sound),
            (self.limit_kind, s.limit),
            (self.ending, s.ending),
            (self.shape, s.shape),
            (self.sound_at, s.sound_at),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.limit.setEnabled(s.limit != "open")
        if s.limit != "open":
            self.limit.setValue(round(s.limit_value))
        self.size.setValue(s.size_px)
        self.sweep.setValue(s.sweep_percent)
        self.tone.setValue(round(s.tone_hz))
        self.volume.setValue(round(s.volume * 100))
        self.latency.setValue(s.audio_offset_ms)
        for widget in widgets:
            widget.blockSignals(False)
        for button, colour in ((self.colour, s.colour), (self.background, s.background)):
            button.setText(colour)
            button.setStyleSheet(f"background: {colour}; color: {_contrast(colour)};")
        self.per_minute.setText(
            self.tr("%1 passes per minute").replace("%1", f"{s.passes_per_minute:g}")
        )
        self._shown = s

    def _settings_from_controls(self) -> PacerSettings:
        kind = self.limit_kind.currentData()
        return replace(
            self.run.settings,
            speed_hz=round(self.speed.value(), 2),
            protocol=self.protocol.currentData(),
            path=self.path.currentData(),
            sound=self.sound.currentData(),
            limit=kind,
            limit_value=0 if kind == "open" else self.limit.value(),
            ending=self.ending.currentData(),
            shape=self.shape.currentData(),
            size_px=self.size.value(),
            sweep_percent=self.sweep.value(),
            tone_hz=self.tone.value(),
            volume=self.volume.value() / 100,
            sound_at=self.sound_at.currentData(),
            audio_offset_ms=self.latency.value(),
        )

    def _pick_colour(self, which: str) -> None:
        current = QColor(getattr(self.run.settings, which))
        chosen = QColorDialog.getColor(current, self, self.tr("Choose a colour"))
        if chosen.isValid():
            try:
                self._apply(replace(self.run.settings, **{which: chosen.name()}))
            except ValidationError as exc:
                self.message.setText(exc.message)

    def _on_calibrate_clicked(self) -> None:
        """Tap in time with the dot, then with the sound; the difference is the offset."""
        if self.run.set_clock is not None:
            self.message.setText(self.tr("Stop the set before calibrating the sound."))
            return
        dialog = SoundCalibrationDialog(self.latency.value(), PacerRun(None, None), self)
        if dialog.exec() and dialog.result_ms is not None:
            self._apply(replace(self.run.settings, audio_offset_ms=dialog.result_ms))
            self.message.setText(
                self.tr("Sound offset set to %1 ms.").replace("%1", str(dialog.result_ms))
            )

    def _on_save_preset_clicked(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save preset"), self.tr("Preset name:"))
        if not ok or not name.strip() or self.settings is None:
            return
        user = presets_from_json(self.settings.get("pacer_presets"))
        user[name.strip()] = self.run.settings
        self.settings.set("pacer_presets", presets_to_json(user))
        self.presets = all_presets(self.settings.get("pacer_presets"))
        if self.preset.findData(name.strip()) < 0:
            self.preset.addItem(name.strip(), name.strip())
        self.message.setText(self.tr("Preset “%1” saved.").replace("%1", name.strip()))

    def _on_client_default_toggled(self, on: bool) -> None:
        if self.settings is None or self.client_id is None:
            return
        defaults = _client_defaults(self.settings)
        if on:
            defaults[self.client_id] = settings_to_dict(self.run.settings)
        else:
            defaults.pop(self.client_id, None)
        self.settings.set("pacer_client_defaults", json.dumps(defaults))

    def _apply(self, settings: PacerSettings) -> None:
        self.run.apply(settings)

    def _on_preset_changed(self) -> None:
        name = self.preset.currentData()
        if name is not None:
            self._apply(self.presets[name])

    def _on_speed_changed(self) -> None:
        self.speed_slider.blockSignals(True)
        self.speed_slider.setValue(round(self.speed.value() * 100))
        self.speed_slider.blockSignals(False)
        self._on_control_changed()

    def _on_control_changed(self) -> None:
        try:
            settings = self._settings_from_controls()
        except ValidationError as exc:
            self.message.setText(exc.message)
            return
        self._apply(settings)

    # -- screens ----------------------------------------------------------
    def _fill_screens(self) -> None:
        """Every connected screen by name, size and refresh rate, and the remembered one."""
        combo, chosen = self.client_screen, self.run.screen_name
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("Automatic (not this laptop's)"), "")
        names = []
        for screen in QGuiApplication.screens():
            names.append(screen.name())
            combo.addItem(_describe(screen), screen.name())
        if chosen and chosen not in names:
            combo.addItem(self.tr("%1 (not connected)").replace("%1", chosen), chosen)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)

    def _on_client_screen_chosen(self) -> None:
        name = self.client_screen.currentData() or ""
        self.run.choose(name)
        if self.settings is not None:
            self.settings.set("pacer_screen", name)

    def _on_screen_offered(self, name: str) -> None:
        self.message.setText(
            self.tr("Screen “%1” connected. Press F twice to move the pacer there.").replace(
                "%1", name
            )
        )

    # -- state ------------------------------------------------------------
    def _refresh(self) -> None:
        run = self.run
        if self.preview.motion is not run.motion:
            self.preview.configure(run.settings, run.motion)
        t = run.set_time()
        self.preview.present(t)
        limit = run.motion.passes
        passes = run.passes_done()
        state = (
            self.tr("Starting the sound…")
            if run.waiting_for_sound
            else self.tr("Running")
            if run.running
            else self.tr("Paused")
            if run.paused
            else self.tr("Ready")
        )
        self.start_button.setText(
            self.tr("Pause (Space)") if run.running else self.tr("Start (Space)")
        )
        if run.settings != self._shown:
            self._load(run.settings)
        self.screen_button.setText(
            self.tr("Hide client screen (F)")
            if run.window.isVisible()
            else self.tr("Show on client screen (F)")
        )
        self.status.setText(
            self.tr("%1 · set %2 · passes %3 · %4 s")
            .replace("%1", state)
            .replace("%2", str(run.sets_done + 1))
            .replace("%3", f"{passes}/{limit}" if limit else str(passes))
            .replace("%4", f"{t or 0:.1f}")
        )
        stats = run.stats
        # The frame figures take a pass over every frame so far: four times a second is enough.
        light_key = (stats.frames // 15, run.set_clock is None, run.window.isVisible())
        if light_key == self._light_key:
            return
        self._light_key = light_key
        level, text = timing_light(
            TimingReading(
                frames=stats.frames,
                late_share=stats.late_share,
                p99_ms=stats.p99_ms,
                refresh_hz=1 / run.frame_period(),
                refresh_signal=run.refresh_signal,
                sound=run.sound is not None,
                underruns=run.audio.underruns,
                sound_offset_ms=run.sound_offset_ms(),
            )
        )
        if run.set_clock is not None and not run.window.isVisible():
            level = "waiting"
            text = self.tr("Timing is measured on the client screen, which is not showing (F)")
        self.integrity.setText("● " + text)
        self.integrity.setStyleSheet(_LIGHT[level])

    def _on_set_finished(self, record: object) -> None:
        self.last_set = record if isinstance(record, BlsSetRecord) else None
        self.after_box.setEnabled(self.last_set is not None)
        self.sud.set_rating(None)
        self.voc.set_rating(None)
        self.noticed.clear()
        if self.last_set is not None:
            self.sud.setFocus()

    def _on_save_after_clicked(self) -> None:
        if self.last_set is None:
            return
        try:
            self.run.annotate(
                self.last_set, self.sud.rating(), self.voc.rating(), self.noticed.text()
            )
        except ValidationError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(self.tr("Saved with set %1.").replace("%1", str(self.last_set.number)))
        self.after_box.setEnabled(False)
        self.last_set = None
        self.setFocus()

    def shutdown(self) -> None:
        """On lock or close: end a set under way as interrupted and close the client's screen."""
        self.compact.close()
        self.run.shutdown()


class CompactPanel(QWidget):
    """A small floating window with start/pause, stop and the count, for a crowded screen."""

    def __init__(self, run: PacerRun, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.run = run
        self.setWindowTitle(self.tr("Pacer"))
        row = QHBoxLayout(self)
        self.toggle = named(QPushButton(), "Start or pause set")
        stop = named(QPushButton(self.tr("Stop")), "Stop set")
        self.count = named(QLabel(), "Passes")
        row.addWidget(self.toggle)
        row.addWidget(stop)
        row.addWidget(self.count)
        self.stop_button = stop
        self.toggle.clicked.connect(lambda: run.toggle())
        stop.clicked.connect(lambda: run.stop())
        self.keys = run.key_actions()
        run.changed.connect(self._refresh)
        self._refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not run_pacer_key(self.keys, event):
            super().keyPressEvent(event)

    def _refresh(self) -> None:
        self.toggle.setText(self.tr("Pause") if self.run.running else self.tr("Start"))
        limit = self.run.motion.passes
        done = self.run.passes_done()
        self.count.setText(f"{done}/{limit}" if limit else str(done))
