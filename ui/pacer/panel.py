"""The therapist's pacer controls: calm, keyboard-first, with proof the timing holds.

Space start/pause, Esc stop, Up/Down speed, 1–6 path, S sound, F full screen.
After a set the quick fields (SUD, VOC, what came up) save with that set.
"""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
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
from console.services.bls import BlsSetRecord
from ui.pacer.run import PacerRun
from ui.pacer.stimulus import MiniatureView
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


LATE_BUDGET = 0.01


class PacerPanel(QWidget):
    def __init__(
        self,
        run: PacerRun,
        settings: Settings | None = None,
        client_id: str | None = None,
        parent: QWidget | None = None,
    ):
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
        self.preview = MiniatureView(run.set_time)
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
        left.addWidget(self.status)
        left.addWidget(self.integrity)
        left.addWidget(self.message)

        controls = QGroupBox(self.tr("Settings"))
        form = QFormLayout(controls)
        self.preset = named(QComboBox(), "Preset")
        self.preset.addItem(self.tr("Custom"), None)
        for name in self.presets:
            self.preset.addItem(name, name)
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
        form.addRow(self.tr("&Preset"), self.preset)
        form.addRow(self.tr("S&peed"), self.speed)
        form.addRow("", self.speed_slider)
        form.addRow("", self.per_minute)
        form.addRow(self.tr("P&ath"), self.path)
        form.addRow(self.tr("S&ound"), self.sound)
        form.addRow(self.tr("Set limit"), limit_row)
        form.addRow(self.tr("&Ending"), self.ending)
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
        for label, widget in (
            (self.tr("Shape"), self.shape),
            (self.tr("Size"), self.size),
            (self.tr("Colour"), self.colour),
            (self.tr("Background"), self.background),
            (self.tr("Sweep width"), self.sweep),
            (self.tr("Tone"), self.tone),
            (self.tr("Volume"), self.volume),
            (self.tr("Sound at"), self.sound_at),
            (self.tr("Latency offset"), self.latency),
        ):
            look_form.addRow(label, widget)

        after = QGroupBox(self.tr("After the set"))
        after_form = QFormLayout(after)
        self.sud = named(QSpinBox(), "SUD after set")
        self.sud.setRange(-1, 10)
        self.sud.setSpecialValueText("—")
        self.sud.setValue(-1)
        self.voc = named(QSpinBox(), "VOC after set")
        self.voc.setRange(0, 7)
        self.voc.setSpecialValueText("—")
        self.noticed = named(QLineEdit(), "What came up")
        self.save_after = named(QPushButton(self.tr("Save with set")), "Save set notes")
        after_form.addRow(self.tr("SUD (0–10)"), self.sud)
        after_form.addRow(self.tr("VOC (1–7)"), self.voc)
        after_form.addRow(self.tr("What came up"), self.noticed)
        after_form.addRow("", self.save_after)
        self.after_box = after
        after.setEnabled(False)

        tabs = QTabWidget()
        tabs.addTab(controls, self.tr("Set"))
        tabs.addTab(look, self.tr("Appearance and sound"))
        right = QVBoxLayout()
        right.addWidget(tabs)
        right.addWidget(after)
        right.addStretch(1)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self._load(run.settings)
        self.client_default.setChecked(default is not None)
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.speed.valueChanged.connect(self._on_speed_changed)
        self.speed_slider.valueChanged.connect(lambda v: self.speed.setValue(v / 100))
        for combo in (
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
        self.client_default.toggled.connect(self._on_client_default_toggled)
        self.start_button.clicked.connect(run.toggle)
        self.stop_button.clicked.connect(run.stop)
        self.screen_button.clicked.connect(self._on_screen_clicked)
        self.compact = CompactPanel(run, self)
        self.float_button.clicked.connect(self.compact.show)
        self.save_after.clicked.connect(self._on_save_after_clicked)
        run.changed.connect(self._refresh)
        run.set_finished.connect(self._on_set_finished)
        run.message.connect(self.message.setText)
        run.screen_offered.connect(self._on_screen_offered)
        for key, slot in (
            ("Space", run.toggle),
            ("Esc", run.stop),
            ("Up", lambda: self._nudge(0.1)),
            ("Down", lambda: self._nudge(-0.1)),
            ("S", self._cycle_sound),
            ("F", self._on_screen_clicked),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        for i in range(len(PATHS)):
            shortcut = QShortcut(QKeySequence(str(i + 1)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=i: self.path.setCurrentIndex(i))
        self._refresh()

    # -- settings ---------------------------------------------------------
    def _load(self, s: PacerSettings) -> None:
        for widget in (self.speed, self.speed_slider, self.path, self.sound, self.limit):
            widget.blockSignals(True)
        self.speed.setValue(s.speed_hz)
        self.speed_slider.setValue(round(s.speed_hz * 100))
        self.path.setCurrentIndex(max(0, self.path.findData(s.path)))
        self.sound.setCurrentIndex(max(0, self.sound.findData(s.sound)))
        self.limit.setValue(s.limit_value if s.limit == "passes" else 0)
        for widget in (self.speed, self.speed_slider, self.path, self.sound, self.limit):
            widget.blockSignals(False)
        self.per_minute.setText(
            self.tr("%1 passes per minute").replace("%1", f"{s.passes_per_minute:g}")
        )

    def _settings_from_controls(self) -> PacerSettings:
        kind = self.limit_kind.currentData()
        return replace(
            self.run.settings,
            speed_hz=round(self.speed.value(), 2),
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

    def _geometry(self) -> tuple[float, float]:
        """Client screen width and viewing distance in cm, when known."""
        screen = self.run.window.screen()
        distance = float(self.settings.get("pacer_viewing_distance_cm")) if self.settings else 0.0
        return (screen.physicalSize().width() / 10 if screen else 0.0), distance

    def _pick_colour(self, which: str) -> None:
        current = QColor(getattr(self.run.settings, which))
        chosen = QColorDialog.getColor(current, self, self.tr("Choose a colour"))
        if chosen.isValid():
            try:
                self._apply(replace(self.run.settings, **{which: chosen.name()}))
            except ValidationError as exc:
                self.message.setText(exc.message)

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
        self.preview.configure(settings, self.run.motion)
        self._load(settings)

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
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(0)
        self.preset.blockSignals(False)
        self._apply(settings)

    def _nudge(self, delta: float) -> None:
        self.speed.setValue(min(2.0, max(0.2, self.speed.value() + delta)))

    def _cycle_sound(self) -> None:
        self.sound.setCurrentIndex((self.sound.currentIndex() + 1) % self.sound.count())

    def _on_screen_clicked(self) -> None:
        if self.run.window.isVisible():
            self.run.hide_stimulus()
        else:
            screen = self.run.show_stimulus()
            if self.settings is not None:
                self.settings.set("pacer_screen", screen.name())
            self.message.setText(self.tr("Pacer showing on “%1”.").replace("%1", screen.name()))
        self._refresh()

    def _on_screen_offered(self, name: str) -> None:
        self.message.setText(
            self.tr("Screen “%1” connected. Press F twice to move the pacer there.").replace(
                "%1", name
            )
        )

    # -- state ------------------------------------------------------------
    def _refresh(self) -> None:
        run = self.run
        self.preview.configure(run.settings, run.motion)
        self.preview.advance()
        t = run.set_time()
        limit = run.motion.passes
        passes = run.passes_done()
        state = (
            self.tr("Running")
            if run.running
            else self.tr("Paused")
            if run.paused
            else self.tr("Ready")
        )
        self.start_button.setText(
            self.tr("Pause (Space)") if run.running else self.tr("Start (Space)")
        )
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
        if stats.frames < 10:
            self.integrity.setText(self.tr("● Timing: waiting for frames"))
            self.integrity.setStyleSheet("color: palette(text);")
        elif stats.late_share <= LATE_BUDGET:
            self.integrity.setText(
                self.tr("● Timing exact: frame p99 %1 ms, no drift").replace(
                    "%1", f"{stats.p99_ms or 0:.1f}"
                )
            )
            self.integrity.setStyleSheet("color: #2e7d32; font-weight: bold;")
        else:
            self.integrity.setText(
                self.tr("● Timing: %1% of frames late (busy computer); speed stays exact").replace(
                    "%1", f"{stats.late_share * 100:.1f}"
                )
            )
            self.integrity.setStyleSheet("color: #b26a00; font-weight: bold;")

    def _on_set_finished(self, record: object) -> None:
        self.last_set = record if isinstance(record, BlsSetRecord) else None
        self.after_box.setEnabled(self.last_set is not None)
        self.sud.setValue(-1)
        self.voc.setValue(0)
        self.noticed.clear()
        if self.last_set is not None:
            self.sud.setFocus()

    def _on_save_after_clicked(self) -> None:
        if self.last_set is None:
            return
        sud = self.sud.value() if self.sud.value() >= 0 else None
        voc = self.voc.value() if self.voc.value() >= 1 else None
        try:
            self.run.annotate(self.last_set, sud, voc, self.noticed.text())
        except ValidationError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(self.tr("Saved with set %1.").replace("%1", str(self.last_set.number)))
        self.after_box.setEnabled(False)

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
        self.toggle.clicked.connect(run.toggle)
        stop.clicked.connect(run.stop)
        run.changed.connect(self._refresh)
        self._refresh()

    def _refresh(self) -> None:
        self.toggle.setText(self.tr("Pause") if self.run.running else self.tr("Start"))
        limit = self.run.motion.passes
        done = self.run.passes_done()
        self.count.setText(f"{done}/{limit}" if limit else str(done))
