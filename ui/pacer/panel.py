"""The therapist's pacer controls: calm, keyboard-first, with proof the timing holds.

Space start/pause, Esc stop, Up/Down speed, 1–6 path, S sound, F full screen.
After a set the quick fields (SUD, VOC, what came up) save with that set.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.errors import ValidationError
from console.pacer.presets import all_presets
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
LATE_BUDGET = 0.01


class PacerPanel(QWidget):
    def __init__(self, run: PacerRun, user_presets: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.run = run
        self.presets = all_presets(user_presets)
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
        for b in (self.start_button, self.stop_button, self.screen_button):
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
        self.limit = named(QSpinBox(), "Passes per set")
        self.limit.setRange(0, 1000)
        self.limit.setSpecialValueText(self.tr("Open (no limit)"))
        form.addRow(self.tr("&Preset"), self.preset)
        form.addRow(self.tr("S&peed"), self.speed)
        form.addRow("", self.speed_slider)
        form.addRow("", self.per_minute)
        form.addRow(self.tr("P&ath"), self.path)
        form.addRow(self.tr("S&ound"), self.sound)
        form.addRow(self.tr("Passes per &set"), self.limit)

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

        right = QVBoxLayout()
        right.addWidget(controls)
        right.addWidget(after)
        right.addStretch(1)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self._load(run.settings)
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.speed.valueChanged.connect(self._on_speed_changed)
        self.speed_slider.valueChanged.connect(lambda v: self.speed.setValue(v / 100))
        for combo in (self.path, self.sound):
            combo.currentIndexChanged.connect(self._on_control_changed)
        self.limit.valueChanged.connect(self._on_control_changed)
        self.start_button.clicked.connect(run.toggle)
        self.stop_button.clicked.connect(run.stop)
        self.screen_button.clicked.connect(self._on_screen_clicked)
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
        base = self.run.settings
        passes = self.limit.value()
        values = {
            **{f: getattr(base, f) for f in base.__dataclass_fields__},
            "speed_hz": round(self.speed.value(), 2),
            "path": self.path.currentData(),
            "sound": self.sound.currentData(),
            "limit": "passes" if passes else "open",
            "limit_value": passes,
        }
        if values["limit"] == "open" or values["ending"] != "ease_to_centre":
            values["ending"] = base.ending if passes else "stop_at_side"
        return PacerSettings(**values)

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
            .replace("%2", str(run.sets_done + (1 if t is not None else 0)))
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
        self.run.shutdown()
