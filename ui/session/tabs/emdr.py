"""The EMDR tab: the client's targets, this session's phases and closure, sets, SUD/VOC chart.

The session's work saves as it is typed (after a pause, off the GUI thread,
like the notes) and at once before close, lock and export, so nothing waits
on a button at the bottom of a scroll area and the chart fills as sets are
rated.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from itertools import pairwise

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.clinical import emdr
from console.services.bls import BlsSetRecord
from console.services.changes import Changes, Kind
from console.services.emdr import (
    RatingChart,
    SessionWorkFields,
    SessionWorkRecord,
    TargetFields,
    TargetRecord,
)
from console.vocabulary import SessionKind
from ui.autosave import StatusLine, saved_words, worksheet_autosaver
from ui.clients.dialogs import ValidatingDialog
from ui.dates import show_date, show_day_month
from ui.plot_palette import paint_plot, release_plot
from ui.session.registry import SessionContext, TabSpec, register_tab
from ui.session.tabs.worksheet_forms import notes, rating, read_rating, write_rating
from ui.widgets import named

ID_ROLE = Qt.ItemDataRole.UserRole
MAJOR_SET_EVERY = 5  # see _major
_Saved = tuple[SessionWorkFields, SessionWorkRecord]


def _major(set_number: int | None) -> bool:
    """The closure, the first set and every fifth keep their label on a crowded axis."""
    return set_number is None or set_number == 1 or set_number % MAJOR_SET_EVERY == 0


def _cognition(name: str, suggestions: tuple[str, ...]) -> QComboBox:
    combo = named(QComboBox(), name)
    combo.setEditable(True)
    combo.addItem("")
    combo.addItems(list(suggestions))
    return combo


class TargetDialog(ValidatingDialog):
    def __init__(self, tab: EmdrTab, record: TargetRecord | None = None) -> None:
        super().__init__(self.tr("EMDR target"), tab)
        self.tab, self.record = tab, record
        host = QWidget()
        form = QFormLayout(host)
        e = self.errors
        self.title = e.add_row(form, self.tr("&Title *"), "title", named(QLineEdit(), "Title"))
        self.kind = e.add_row(form, self.tr("&Kind"), "kind", named(QComboBox(), "Target kind"))
        for key in emdr.TARGET_KINDS:
            self.kind.addItem(emdr.TARGET_KIND_LABELS[key], key)
        self.memory = e.add_row(form, self.tr("Memory / trigger"), "memory", notes("Memory"))
        self.image = e.add_row(form, self.tr("Worst image"), "worst_image", notes("Worst image"))
        self.nc = e.add_row(
            form,
            self.tr("Negative cognition"),
            "negative_cognition",
            _cognition("Negative cognition", emdr.NEGATIVE_COGNITIONS),
        )
        self.pc = e.add_row(
            form,
            self.tr("Positive cognition"),
            "positive_cognition",
            _cognition("Positive cognition", emdr.POSITIVE_COGNITIONS),
        )
        self.voc = e.add_row(form, self.tr("VOC (1–7)"), "voc", rating("VOC", 1, 7))
        self.emotions = e.add_row(
            form, self.tr("Emotions"), "emotions", named(QLineEdit(), "Emotions")
        )
        self.sud = e.add_row(form, self.tr("SUD (0–10)"), "sud", rating("SUD", 0, 10))
        self.body = e.add_row(
            form, self.tr("Body location"), "body_location", named(QLineEdit(), "Body location")
        )
        if record is not None:
            self.title.setText(record.title)
            self.kind.setCurrentIndex(max(0, self.kind.findData(record.kind)))
            self.memory.setPlainText(record.memory)
            self.image.setPlainText(record.worst_image)
            self.nc.setCurrentText(record.negative_cognition)
            self.pc.setCurrentText(record.positive_cognition)
            write_rating(self.voc, record.voc)
            self.emotions.setText(record.emotions)
            write_rating(self.sud, record.sud)
            self.body.setText(record.body_location)
        self.finish_layout(host)
        self.resize(560, 620)

    def save(self) -> TargetRecord:
        fields = TargetFields(
            title=self.title.text(),
            kind=self.kind.currentData(),
            status=self.record.fields.status if self.record else "open",
            memory=self.memory.toPlainText(),
            worst_image=self.image.toPlainText(),
            negative_cognition=self.nc.currentText(),
            positive_cognition=self.pc.currentText(),
            voc=read_rating(self.voc),
            emotions=self.emotions.text(),
            sud=read_rating(self.sud),
            body_location=self.body.text(),
        )
        service = self.tab.context.services.emdr
        if self.record is None:
            return service.create_target(self.tab.context.client_id, fields)
        return service.update_target(self.record.id, fields)


class SetNotesDialog(ValidatingDialog):
    def __init__(self, record: BlsSetRecord, tab: EmdrTab) -> None:
        super().__init__(tab.tr("Set %1").replace("%1", str(record.number)), tab)
        self.record, self.tab = record, tab
        host = QWidget()
        form = QFormLayout(host)
        self.sud = self.errors.add_row(form, self.tr("SUD (0–10)"), "sud", rating("SUD", 0, 10))
        self.voc = self.errors.add_row(form, self.tr("VOC (1–7)"), "voc", rating("VOC", 1, 7))
        self.noticed = self.errors.add_row(
            form, self.tr("What came up"), "notes", notes("What came up")
        )
        write_rating(self.sud, record.sud)
        write_rating(self.voc, record.voc)
        self.noticed.setPlainText(record.notes)
        self.finish_layout(host)

    def save(self) -> BlsSetRecord:
        return self.tab.context.services.bls_sets.annotate(
            self.record.id, read_rating(self.sud), read_rating(self.voc), self.noticed.toPlainText()
        )


class EmdrTab(QWidget):
    def __init__(self, context: SessionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = context.services.emdr
        self._loading = False
        self._closed = False
        self._stored = SessionWorkFields()  # what the vault holds, as last loaded or saved
        self.save_status = named(QLabel(), "EMDR save status")
        self.save_line = StatusLine(self.save_status, self.tr("EMDR autosave"))
        self.autosave = worksheet_autosaver(
            self, context.services, "EMDR worksheet", self.save_line,
            self.fields, self._save_work, self._on_saved,
        )  # fmt: skip
        splitter = QSplitter()
        splitter.addWidget(self._build_targets())
        splitter.addWidget(self._build_session())
        splitter.addWidget(self._build_sets())
        splitter.setSizes([210, 520, 330])
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)
        save_now = QShortcut(QKeySequence.StandardKey.Save, self)
        save_now.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_now.activated.connect(self.flush)
        self._connect()
        self._unfollow = context.changes.follow(self._on_records_changed)
        self._load()

    def _build_targets(self) -> QGroupBox:
        self.targets = named(QListWidget(), "EMDR targets")
        self.new_target = named(QPushButton(self.tr("New &target…")), "New target")
        self.edit_target = named(QPushButton(self.tr("&Edit…")), "Edit target")
        self.status = named(QComboBox(), "Target status")
        for key in emdr.TARGET_STATUSES:
            self.status.addItem(emdr.TARGET_STATUS_LABELS[key], key)
        targets_box = QGroupBox(self.tr("Target sequence plan"))
        tl = QVBoxLayout(targets_box)
        tl.addWidget(self.targets, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_target)
        row.addWidget(self.edit_target)
        tl.addLayout(row)
        order = QHBoxLayout()
        self.up = named(QPushButton(self.tr("Move &up")), "Move target up")
        self.down = named(QPushButton(self.tr("Move do&wn")), "Move target down")
        order.addWidget(self.up)
        order.addWidget(self.down)
        tl.addLayout(order)
        tl.addWidget(self.status)
        return targets_box

    def _build_work_form(self) -> QWidget:
        """This session's phases, preparation and closure, all saved as they change."""
        work_host = QWidget()
        form = QFormLayout(work_host)
        self.phases: dict[str, QCheckBox] = {}
        phases = QWidget()
        grid = QGridLayout(phases)
        for i, phase in enumerate(emdr.PHASES):
            box = named(QCheckBox(phase.label), f"Phase {phase.label}")
            self.phases[phase.key] = box
            grid.addWidget(box, i, 0)
        self.preparation: dict[str, QCheckBox] = {}
        prep = QWidget()
        pgrid = QGridLayout(prep)
        for i, item in enumerate(emdr.PREPARATION):
            box = named(QCheckBox(item.label), f"Preparation {item.label}")
            self.preparation[item.key] = box
            pgrid.addWidget(box, i, 0)
        self.reevaluation = rating("Re-evaluation SUD", 0, 10)
        self.interweaves = notes("Interweaves")
        self.containment = named(QLineEdit(), "Containment used")
        self.state_at_end = named(QLineEdit(), "State at end")
        self.sud_end = rating("SUD at end", 0, 10)
        self.voc_end = rating("VOC at end", 1, 7)
        self.body_scan = named(QCheckBox(self.tr("Body scan clear")), "Body scan clear")
        self.body_scan.setTristate(True)
        self.body_notes = named(QLineEdit(), "Body scan notes")
        self.plan = notes("Plan")
        form.addRow(self.tr("Phases"), phases)
        form.addRow(self.tr("Preparation"), prep)
        form.addRow(self.tr("Re-evaluation SUD"), self.reevaluation)
        form.addRow(self.tr("Interweaves"), self.interweaves)
        form.addRow(self.tr("Containment"), self.containment)
        form.addRow(self.tr("State at end"), self.state_at_end)
        form.addRow(self.tr("SUD at end"), self.sud_end)
        form.addRow(self.tr("VOC at end"), self.voc_end)
        form.addRow(self.tr("Body scan"), self.body_scan)
        form.addRow("", self.body_notes)
        form.addRow(self.tr("Plan"), self.plan)
        return work_host

    def _build_session(self) -> QWidget:
        work_host = self._build_work_form()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(work_host)
        self.save_status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(QLabel(self.tr("<b>This session</b>")))
        heading.addWidget(self.save_status, 1)
        ml.addLayout(heading)
        ml.addWidget(scroll, 1)
        return middle

    def _build_sets(self) -> QWidget:
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(QLabel(self.tr("<b>Sets this session</b> (from the Pacer tab)")))
        self.sets = named(
            QListWidget(),
            "Sets this session",
            "Double-click or press Enter to rate or annotate a set",
        )
        rl.addWidget(self.sets, 1)
        self.scale = named(QComboBox(), "Chart scale")
        self.scale.addItem(self.tr("This session, by set"), "session")
        self.scale.addItem(self.tr("All sessions, by date"), "all")
        scale_row = QHBoxLayout()
        scale_label = QLabel(self.tr("Ch&art"))
        scale_label.setBuddy(self.scale)
        scale_row.addWidget(scale_label)
        scale_row.addWidget(self.scale, 1)
        rl.addLayout(scale_row)
        self.chart = pg.PlotWidget()
        self.chart.setAccessibleName("SUD and VOC chart")
        self.chart.setYRange(0, 10)
        ink = self.palette().text().color()
        self.chart.addLegend(labelTextColor=ink)
        self.chart.setMinimumHeight(180)
        self._apply_palette()
        self.chart.setLabel("bottom", self.tr("Set"), color=ink.name())  # room made for it now
        rl.addWidget(self.chart, 1)
        return right

    def _connect(self) -> None:
        self.new_target.clicked.connect(lambda: self._edit(None))
        self.edit_target.clicked.connect(self._on_edit_clicked)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.targets.currentItemChanged.connect(self._on_target_changed)
        self.status.currentIndexChanged.connect(self._on_status_changed)
        self.scale.currentIndexChanged.connect(lambda: self._redraw(self._current_target()))
        self.sets.itemActivated.connect(self._on_set_activated)
        for box in (*self.phases.values(), *self.preparation.values(), self.body_scan):
            box.stateChanged.connect(self._on_edited)
        for rating_box in (self.reevaluation, self.sud_end, self.voc_end):
            rating_box.valueChanged.connect(self._on_edited)
        for edit in (self.interweaves, self.plan, self.containment, self.state_at_end):
            edit.textChanged.connect(self._on_edited)
        self.body_notes.textChanged.connect(self._on_edited)

    def _current_target(self) -> uuid.UUID | None:
        item = self.targets.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def show_record(self, target_id: uuid.UUID) -> None:
        """A search hit: the target brought into view in the plan, not chosen, since
        choosing one makes it this session's target."""
        for row in range(self.targets.count()):
            item = self.targets.item(row)
            if item.data(ID_ROLE) == target_id:
                self.targets.scrollToItem(item)
                self.targets.setFocus()

    def _load(self) -> None:
        work = self.service.get_work(self.context.session_id)
        self._loading = True
        try:
            self._refresh_targets(work.target_id if work else None)
            if work is not None:
                for key, box in self.phases.items():
                    box.setChecked(key in work.phases_done)
                for key, box in self.preparation.items():
                    box.setChecked(work.prepared(key))
                write_rating(self.reevaluation, work.reevaluation_sud)
                self.interweaves.setPlainText(work.interweaves)
                self.containment.setText(work.containment)
                self.state_at_end.setText(work.state_at_end)
                write_rating(self.sud_end, work.sud_end)
                write_rating(self.voc_end, work.voc_end)
                self.body_scan.setCheckState(
                    Qt.CheckState.PartiallyChecked
                    if work.body_scan_clear is None
                    else Qt.CheckState.Checked
                    if work.body_scan_clear
                    else Qt.CheckState.Unchecked
                )
                self.body_notes.setText(work.body_scan_notes)
                self.plan.setPlainText(work.plan)
            else:
                self.body_scan.setCheckState(Qt.CheckState.PartiallyChecked)
        finally:
            self._loading = False
        self._stored = self.fields()
        self.save_status.setText(
            self.tr("Saves as you type") if work is None else saved_words(work.updated_at)
        )
        self._refresh_sets()

    def _refresh_targets(self, select: uuid.UUID | None = None) -> None:
        self.targets.blockSignals(True)
        self.targets.clear()
        for target in self.service.list_targets(self.context.client_id):
            sud = f" · SUD {target.sud}" if target.sud is not None else ""
            item = QListWidgetItem(
                f"{target.position + 1}. {target.title}\n"
                f"{emdr.TARGET_STATUS_LABELS[target.status]}{sud}"
            )
            item.setData(ID_ROLE, target.id)
            self.targets.addItem(item)
            if target.id == select:
                self.targets.setCurrentItem(item)
        self.targets.blockSignals(False)
        self._on_target_changed()

    def _refresh_sets(self) -> None:
        self.sets.clear()
        for s in self._sets():
            sud = "—" if s.sud is None else s.sud
            voc = "—" if s.voc is None else s.voc
            noticed = f" — {s.notes}" if s.notes else ""
            item = QListWidgetItem(
                f"Set {s.number}: {s.passes_completed} passes, SUD {sud}, VOC {voc}{noticed}"
            )
            item.setData(ID_ROLE, s.id)
            self.sets.addItem(item)

    def _sets(self) -> list[BlsSetRecord]:
        """The session's EMDR sets (an integration session's ART sets count for ART)."""
        return self.context.services.bls_sets.list_for_session(self.context.session_id, "emdr")

    def _apply_palette(self) -> None:
        paint_plot(self.chart, self.palette())

    def changeEvent(self, event: QEvent) -> None:
        """A theme change redraws the chart in the new palette's colours, not the ones kept."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._closed:
            self._apply_palette()
            self._redraw(self._current_target())

    def _redraw(self, target_id: uuid.UUID | None) -> None:
        if self._closed:
            return
        self.chart.clear()
        axis = self.chart.getAxis("bottom")
        if target_id is None:
            axis.setTicks([[]])
            return
        by_set = self.scale.currentData() == "session"
        chart = self.service.chart(target_id, self.context.session_id if by_set else None)
        for points, colour, label in (
            (chart.sud, "#c0392b", "SUD"),
            (chart.voc, "#2e7d32", "VOC"),
        ):
            xs = [p.x for p in points]
            ys = [p.value for p in points]
            tips = [
                f"{self._place(chart, p.set_number, p.session_start)}: {label} {p.value}"
                for p in points
            ]
            # a line within each session only: nothing was rated between two sessions
            joined = np.array(
                [a.session_start == b.session_start for a, b in pairwise(points)] + [False],
                dtype=bool,
            )
            self.chart.plot(xs, ys, pen=pg.mkPen(colour, width=2), name=label, connect=joined)
            self.chart.addItem(
                pg.ScatterPlotItem(
                    xs,
                    ys,
                    size=8,
                    brush=pg.mkBrush(colour),
                    hoverable=True,
                    data=tips,
                    tip=lambda x, y, data: str(data),
                )
            )
        levels, title = self._ticks(chart)
        axis.setTicks(levels)
        self.chart.setLabel("bottom", title, color=self.palette().text().color().name())
        self.chart.setYRange(0, 10)
        xs = [x for level in levels for x, _label in level] or [0.0]
        self.chart.setXRange(min(xs) - 0.5, max(xs) + 0.5, padding=0.02)

    def _place(self, chart: RatingChart, set_number: int | None, start: datetime) -> str:
        """Where a rating was given, for its tooltip: "Set 3", or "02/03/2026, end"."""
        where = (
            self.tr("end")
            if set_number is None
            else self.tr("set %1").replace("%1", str(set_number))
        )
        if chart.by_set:
            return where[:1].upper() + where[1:]
        return f"{show_date(start)}, {where}"

    def _ticks(self, chart: RatingChart) -> tuple[list[list[tuple[float, str]]], str]:
        """The x axis as therapists read it: set numbers in a session, dates across sessions."""
        if chart.by_set:
            sets = sorted({(p.x, p.set_number) for p in (*chart.sud, *chart.voc)})
            major = [(x, self.tr("End") if n is None else str(n)) for x, n in sets if _major(n)]
            minor = [(x, str(n)) for x, n in sets if not _major(n)]
            return [major, minor], self.tr("Set")
        one_year = len({start.astimezone().year for start in chart.sessions}) <= 1
        day = show_day_month if one_year else show_date
        dates = [(float(i), day(start)) for i, start in enumerate(chart.sessions)]
        return [dates], self.tr("Session")

    def _on_target_changed(self, *_: object) -> None:
        target_id = self._current_target()
        self.edit_target.setEnabled(target_id is not None)
        self.status.setEnabled(target_id is not None)
        if target_id is not None:
            target = self.service.get_target(target_id)
            self.status.blockSignals(True)
            self.status.setCurrentIndex(max(0, self.status.findData(target.status)))
            self.status.blockSignals(False)
            if read_rating(self.reevaluation) is None:
                write_rating(
                    self.reevaluation,
                    self.service.reevaluation_default(self.context.client_id, target_id),
                )
        self._on_edited()
        self._redraw(target_id)

    def _move(self, step: int) -> None:
        """Reorder the target sequence plan."""
        row = self.targets.currentRow()
        ids = [self.targets.item(i).data(ID_ROLE) for i in range(self.targets.count())]
        if row < 0 or not 0 <= row + step < len(ids):
            return
        ids[row], ids[row + step] = ids[row + step], ids[row]
        self.service.reorder_targets(self.context.client_id, ids)
        self._refresh_targets(ids[row + step])

    def _on_status_changed(self) -> None:
        target_id = self._current_target()
        if target_id is not None:
            self.service.set_target_status(target_id, self.status.currentData())
            self._refresh_targets(target_id)

    def _edit(self, record: TargetRecord | None) -> None:
        dialog = TargetDialog(self, record)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted and isinstance(dialog.result_record, TargetRecord):
            self._refresh_targets(dialog.result_record.id)

    def _on_edit_clicked(self) -> None:
        target_id = self._current_target()
        if target_id is not None:
            self._edit(self.service.get_target(target_id))

    def fields(self) -> SessionWorkFields:
        state = self.body_scan.checkState()
        return SessionWorkFields(
            target_id=self._current_target(),
            phases_done=tuple(k for k, box in self.phases.items() if box.isChecked()),
            preparation=tuple((k, box.isChecked()) for k, box in self.preparation.items()),
            interweaves=self.interweaves.toPlainText(),
            containment=self.containment.text(),
            state_at_end=self.state_at_end.text(),
            sud_end=read_rating(self.sud_end),
            voc_end=read_rating(self.voc_end),
            plan=self.plan.toPlainText(),
            body_scan_clear=None
            if state == Qt.CheckState.PartiallyChecked
            else state == Qt.CheckState.Checked,
            body_scan_notes=self.body_notes.text(),
            reevaluation_sud=read_rating(self.reevaluation),
        )

    # -- saving -----------------------------------------------------------
    def _on_edited(self, *_: object) -> None:
        """Anything the therapist changes saves after a pause; refreshing a list is no change."""
        if self._loading or (not self.autosave.dirty and self.fields() == self._stored):
            return
        self.autosave.touched()

    def _save_work(self, data: SessionWorkFields) -> _Saved:
        return data, self.service.save_work(self.context.session_id, data)

    def _on_saved(self, saved: _Saved) -> None:
        self._stored, record = saved
        if not self.autosave.dirty:
            self.save_status.setText(saved_words(record.updated_at))
        self._redraw(self._current_target())

    def flush(self) -> None:
        """Save what is typed now, on this thread: before close, lock, export and print.

        A refusal shows in the status and is not raised, so a lock always completes.
        """
        self.save_line.flush(self.autosave)

    # -- sets -------------------------------------------------------------
    def _on_set_activated(self, item: QListWidgetItem) -> None:
        """Rate or annotate a set afterwards (SUD, VOC, what came up)."""
        record = next((s for s in self._sets() if s.id == item.data(ID_ROLE)), None)
        if record is None:
            return
        dialog = SetNotesDialog(record, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._refresh_sets()
            self._redraw(self._current_target())

    def _on_records_changed(self, changes: Changes) -> None:
        if (
            changes.touches(Kind.BLS_SET)
            and changes.for_session(self.context.session_id)
            and not self._closed
        ):
            self._refresh_sets()
            self._redraw(self._current_target())

    def shutdown(self) -> None:
        self.autosave.stop()
        self._closed = True
        self._unfollow()
        release_plot(self.chart)


register_tab(
    TabSpec(
        "emdr",
        "EMDR",
        40,
        EmdrTab,
        lambda s: s.kind in (SessionKind.EMDR, SessionKind.INTEGRATION, SessionKind.OTHER),
    )
)
