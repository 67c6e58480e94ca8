"""The therapist's pacer controls: calm, keyboard-first, with proof the timing holds.

Space start/pause, Esc stop, Up/Down speed, 1–6 path, S sound, F client screen,
wherever the focus is in the panel unless the focused field uses the key
itself (typing a rating, moving in a list). After a set the quick fields (SUD,
VOC, what came up) save with that set on Enter.
"""

from __future__ import annotations

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
    QMessageBox,
    QPushButton,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.config import Settings
from console.errors import ValidationError
from console.pacer import vocabulary
from console.pacer.preferences import PacerPreferences
from console.pacer.presets import all_presets
from console.pacer.settings import MAX_SPEED_HZ, MIN_SPEED_HZ, PacerSettings
from console.pacer.timing_light import TimingReading, timing_light
from console.services.bls import BlsSetRecord
from ui.pacer.calibration_dialog import SoundCalibrationDialog
from ui.pacer.keys import run_pacer_key
from ui.pacer.run import PacerRun
from ui.pacer.share_dialog import ShareDialog, status_words
from ui.pacer.sharing import LinkSharing
from ui.pacer.stimulus import MiniatureView
from ui.rating_box import RatingBox
from ui.widgets import named


def _contrast(colour: str) -> str:
    c = QColor(colour)
    return "#000000" if (c.red() * 299 + c.green() * 587 + c.blue() * 114) > 128_000 else "#ffffff"


_LIGHT = {
    "waiting": "color: palette(text);",
    "exact": "color: #2e7d32; font-weight: bold;",
    "late": "color: #b26a00; font-weight: bold;",
}


def _describe(screen: QScreen) -> str:
    size = screen.size()
    return f"{screen.name()} — {size.width()}×{size.height()}, {screen.refreshRate():.0f} Hz"


class PacerPanel(QWidget):
    # The stimulus size box keeps the name tests and callers use, over QWidget.size().
    size: QSpinBox  # type: ignore[assignment]

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
        self.preferences = None if settings is None else PacerPreferences(settings)
        self.presets = all_presets("") if self.preferences is None else self.preferences.presets()
        default = self._client_default()
        if default is not None:
            run.apply(default)
        self.last_set: BlsSetRecord | None = None
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        layout = QHBoxLayout(self)
        layout.addLayout(self._build_stage(), 3)
        tabs = named(QTabWidget(), "Pacer settings")
        tabs.addTab(self._build_set_tab(worksheet_choice), self.tr("Set"))
        tabs.addTab(self._build_look_tab(), self.tr("Appearance and sound"))
        self.tabs = tabs
        self.after_box = self._build_after_box()
        right = QVBoxLayout()
        right.addWidget(tabs)
        right.addWidget(self.after_box)
        right.addStretch(1)
        layout.addLayout(right, 2)
        self.setting_widgets = self._setting_widgets()
        self._light_key: tuple[int, bool, bool] | None = None
        self._fill_screens()
        self._load(run.settings)
        self.client_default.setChecked(default is not None)
        self.compact = CompactPanel(run, self)
        self.sharing = LinkSharing(run, settings, self)
        self.share_dialog: ShareDialog | None = None
        self._connect_controls()
        self._connect_run()
        self._refresh()

    def _setting_widgets(self) -> tuple[QWidget, ...]:
        """The controls `_load` fills without each one announcing a change."""
        return (
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

    def _client_default(self) -> PacerSettings | None:
        if self.preferences is None or self.client_id is None:
            return None
        return self.preferences.client_default(self.client_id)

    def _choices(self, name: str, choices: vocabulary.Choices, description: str = "") -> QComboBox:
        combo = named(QComboBox(), name, description)
        for key, label in choices:
            combo.addItem(self.tr(label), key)
        return combo

    def _build_stage(self) -> QVBoxLayout:
        """The miniature, the set's buttons and what the pacer says."""
        left = QVBoxLayout()
        self.preview = MiniatureView()
        self.preview.configure(self.run.settings, self.run.motion)
        left.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        self.start_button = named(QPushButton(self.tr("Start (Space)")), "Start or pause set")
        self.stop_button = named(QPushButton(self.tr("Stop (Esc)")), "Stop set")
        self.screen_button = named(
            QPushButton(self.tr("Show on client screen (F)")), "Show stimulus on client screen"
        )
        self.float_button = named(QPushButton(self.tr("Float controls")), "Float controls")
        self.share_button = named(
            QPushButton(self.tr("S&hare with the client…")), "Share with the client"
        )
        for b in (
            self.start_button,
            self.stop_button,
            self.screen_button,
            self.float_button,
            self.share_button,
        ):
            buttons.addWidget(b)
        if self.settings is None:  # the trial pacer has no clinic settings, so no broker
            self.share_button.hide()
        left.addLayout(buttons)
        self.status = named(QLabel(), "Set status")
        self.integrity = named(QLabel(), "Timing integrity")
        self.message = named(QLabel(), "Pacer message")
        self.link_status = named(QLabel(), "Client link status")
        self.link_status.setVisible(False)
        for label in (self.status, self.integrity, self.message, self.link_status):
            label.setWordWrap(True)
            left.addWidget(label)
        return left

    def _build_set_tab(self, worksheet_choice: bool) -> QGroupBox:
        controls = QGroupBox(self.tr("Settings"))
        form = QFormLayout(controls)
        self.preset = named(QComboBox(), "Preset")
        self.preset.addItem(self.tr("Custom"), None)
        for name in self.presets:
            self.preset.addItem(name, name)
        self.protocol = self._choices(
            "Worksheet for sets",
            vocabulary.PROTOCOLS,
            self.tr("The worksheet the sets count for; the ART preset chooses ART"),
        )
        self._build_speed()
        self.path = self._choices("Path", vocabulary.PATHS)
        self.sound = self._choices("Sound", vocabulary.SOUNDS)
        self.limit_kind = self._choices("Set limit kind", vocabulary.LIMITS)
        self.limit = named(QSpinBox(), "Set limit")
        self.limit.setRange(1, 3600)
        limit_row = QHBoxLayout()
        limit_row.addWidget(self.limit_kind)
        limit_row.addWidget(self.limit)
        self.ending = self._choices("Set ending", vocabulary.ENDINGS)
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
        return controls

    def _build_speed(self) -> None:
        self.speed = named(QDoubleSpinBox(), "Speed in hertz")
        self.speed.setRange(MIN_SPEED_HZ, MAX_SPEED_HZ)
        self.speed.setSingleStep(0.1)
        self.speed.setDecimals(2)
        self.speed.setSuffix(" Hz")
        self.speed_slider = named(QSlider(Qt.Orientation.Horizontal), "Speed slider")
        self.speed_slider.setRange(round(MIN_SPEED_HZ * 100), round(MAX_SPEED_HZ * 100))
        self.per_minute = QLabel()

    def _build_look_tab(self) -> QGroupBox:
        look = QGroupBox(self.tr("Appearance and sound"))
        look_form = QFormLayout(look)
        self.shape = self._choices("Stimulus shape", vocabulary.SHAPES)
        self.size = self._spin("Stimulus size", 8, 300, " px")
        self.colour = named(QPushButton(), "Stimulus colour")
        self.background = named(QPushButton(), "Background colour")
        self.sweep = self._spin("Sweep width", 10, 100, " %")
        self.tone = self._spin("Tone frequency", 150, 1000, " Hz")
        self.volume = self._spin("Volume", 0, 100, " %")
        self.sound_at = self._choices("Sound at", vocabulary.SOUND_AT)
        self.latency = self._spin("Audio latency offset", -500, 500, " ms")
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
        return look

    @staticmethod
    def _spin(name: str, low: int, high: int, suffix: str) -> QSpinBox:
        spin = named(QSpinBox(), name)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        return spin

    def _build_after_box(self) -> QGroupBox:
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
        after.setEnabled(False)
        return after

    def _connect_controls(self) -> None:
        """Each control edits the run's settings; the buttons act on the run."""
        run = self.run
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
        self.share_button.clicked.connect(self._on_share_clicked)
        self.sharing.changed.connect(self._on_links_changed)
        self.float_button.clicked.connect(self.compact.show)
        self.save_after.clicked.connect(self._on_save_after_clicked)
        for field in (self.sud, self.voc):
            field.submitted.connect(self._on_save_after_clicked)
        self.noticed.returnPressed.connect(self._on_save_after_clicked)

    def _connect_run(self) -> None:
        run = self.run
        self.keys = run.key_actions()
        run.changed.connect(self._refresh)
        run.set_finished.connect(self._on_set_finished)
        run.message.connect(self.message.setText)
        run.screen_offered.connect(self._on_screen_offered)
        run.screens_changed.connect(self._fill_screens)

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
        """Choose the stimulus colour ("colour") or the background colour ("background")."""
        current = QColor(getattr(self.run.settings, which))
        chosen = QColorDialog.getColor(current, self, self.tr("Choose a colour"))
        if not chosen.isValid():
            return
        s = self.run.settings
        try:
            if which == "colour":
                self._apply(replace(s, colour=chosen.name()))
            else:
                self._apply(replace(s, background=chosen.name()))
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
        if not ok or not name.strip() or self.preferences is None:
            return
        name = self.preferences.save_preset(name, self.run.settings)
        self.presets = self.preferences.presets()
        if self.preset.findData(name) < 0:
            self.preset.addItem(name, name)
        self.message.setText(self.tr("Preset “%1” saved.").replace("%1", name))

    def _on_client_default_toggled(self, on: bool) -> None:
        if self.preferences is None or self.client_id is None:
            return
        self.preferences.set_client_default(self.client_id, self.run.settings if on else None)

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

    def _on_share_clicked(self) -> None:
        """A new link for the client's own device, or a plain word on why there can be none."""
        try:
            link = self.sharing.share()
        except ValidationError as exc:
            reason = exc.reason[:1].upper() + exc.reason[1:] + "."
            QMessageBox.information(self, self.tr("Share with the client"), reason)
            return
        if self.share_dialog is not None:
            self.share_dialog.close()
        self.share_dialog = ShareDialog(self.sharing, link, self)
        self.share_dialog.show()

    def _on_links_changed(self) -> None:
        live = self.sharing.live
        self.link_status.setVisible(bool(live))
        if live:
            self.link_status.setText(
                self.tr("Client's device: %1").replace("%1", status_words(live[-1].status()))
            )

    def shutdown(self) -> None:
        """On lock or close: end a set under way as interrupted and close the client's screen."""
        self.compact.close()
        self.sharing.shutdown()
        if self.share_dialog is not None:
            self.share_dialog.close()
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
