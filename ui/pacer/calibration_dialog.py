"""The guided sound calibration: tap with the dot, then tap with the sound.

The steps and the arithmetic are in `console.pacer.calibration`; this dialog
runs the two short sets, takes the taps (Space or the Tap button) and offers
the result for the therapist to accept.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.errors import ValidationError
from console.pacer.calibration import CALIBRATION, TAPS_NEEDED, TapRound, calibrated_offset_ms
from console.pacer.motion import Motion
from ui.pacer.run import PacerRun
from ui.pacer.stimulus import MiniatureView
from ui.widgets import named


class SoundCalibrationDialog(QDialog):
    def __init__(self, current_ms: int, run: PacerRun, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Calibrate the sound"))
        self.current_ms = current_ms
        self.result_ms: int | None = None
        self.run = run
        self.seen: TapRound | None = None
        self.heard: TapRound | None = None
        self.round: TapRound | None = None
        self.step = named(QLabel(), "Calibration step")
        self.step.setWordWrap(True)
        self.preview = MiniatureView()
        self.preview.setMinimumSize(480, 200)
        self.count = named(QLabel(), "Taps so far")
        self.tap_button = named(QPushButton(self.tr("Tap (Space)")), "Tap")
        self.tap_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.begin_button = named(QPushButton(self.tr("Begin")), "Begin calibration round")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.use_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.use_button.setText(self.tr("Use this offset"))
        self.use_button.setEnabled(False)
        layout = QVBoxLayout(self)
        for widget in (self.step, self.preview, self.count, self.tap_button, self.begin_button):
            layout.addWidget(widget)
        layout.addWidget(self.buttons)
        self.tap_button.clicked.connect(self.tap)
        self.begin_button.clicked.connect(self.begin_round)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        run.changed.connect(self._on_changed)
        run.set_finished.connect(self._on_round_over)
        self._explain()

    def _explain(self) -> None:
        if self.seen is None:
            self.step.setText(
                self.tr(
                    "Step 1 of 2, with your eyes: press Begin, then tap Space each time the dot "
                    "reaches a side (%1 taps). There is no sound in this step."
                ).replace("%1", str(TAPS_NEEDED))
            )
        elif not self.run.audio.available:
            self.step.setText(
                self.tr("No sound: %1. There is nothing to calibrate.").replace(
                    "%1", self.run.audio.reason
                )
            )
            self.begin_button.setEnabled(False)
        else:
            self.step.setText(
                self.tr(
                    "Step 2 of 2, with your ears: press Begin, close your eyes or look away, and "
                    "tap Space with each click you hear (%1 taps)."
                ).replace("%1", str(TAPS_NEEDED))
            )
        self.preview.setVisible(self.seen is None)

    def begin_round(self) -> None:
        hearing = self.seen is not None
        settings = replace(
            CALIBRATION,
            sound="click" if hearing else "off",
            audio_offset_ms=self.current_ms,
            volume=self.run.settings.volume or CALIBRATION.volume,
        )
        self.run.apply(settings)
        self.round = TapRound(Motion(settings))
        self.begin_button.setEnabled(False)
        self.run.start()
        self._on_changed()
        self.setFocus()

    def tap(self) -> None:
        t = self.run.set_time()
        if self.round is None or t is None or not self.run.running:
            return
        self.round.tap(t)
        self.count.setText(
            self.tr("%1 of %2 taps")
            .replace("%1", str(len(self.round.taps)))
            .replace("%2", str(TAPS_NEEDED))
        )
        if self.round.done:
            self.run.stop()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.tap()
        else:
            super().keyPressEvent(event)

    def _on_changed(self) -> None:
        if self.seen is None:
            self.preview.configure(self.run.settings, self.run.motion)
            self.preview.present(self.run.set_time())

    def _on_round_over(self, _result: object) -> None:
        finished, self.round = self.round, None
        self.begin_button.setEnabled(True)
        if finished is None:
            return
        try:
            finished.lag()
        except ValidationError as exc:
            self.count.setText(exc.message[:1].upper() + exc.message[1:] + ".")
            return
        if self.seen is None:
            self.seen = finished
            self.count.setText("")
            self._explain()
            return
        self.heard = finished
        self.result_ms = calibrated_offset_ms(self.current_ms, self.seen, finished)
        self.step.setText(
            self.tr(
                "Done. The sound should be offset by %1 ms (it was %2 ms). "
                "Press “Use this offset” to keep it."
            )
            .replace("%1", str(self.result_ms))
            .replace("%2", str(self.current_ms))
        )
        self.begin_button.setEnabled(False)
        self.use_button.setEnabled(True)
        self.use_button.setFocus()

    def done(self, code: int) -> None:
        self.run.shutdown()
        super().done(code)
