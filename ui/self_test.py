"""`session-console self-test`: the whole product, headless, in a throw-away folder.

Each capability adds a step with `@step("name")`; a step gets the shared
`SelfTest` state and raises on failure. The installer's smoke test runs this
inside the bundle, so it uses only what ships (QtPdf reads the PDF back).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:  # the steps import Qt and the app lazily, so `--help` stays quick
    from PySide6.QtWidgets import QWidget

    from console.services.bundle import Services
    from ui.controller import AppController
    from ui.main_window import MainWindow
    from ui.session.tabs.medicine import MedicineTab
    from ui.session.workspace import SessionWorkspace

    W = TypeVar("W", bound=QWidget)

STEPS: list[tuple[str, Callable[[SelfTest], None]]] = []
PASSPHRASE = "self-test passphrase, not for real use"


def step(name: str) -> Callable[[Callable[[SelfTest], None]], Callable[[SelfTest], None]]:
    def register(fn: Callable[[SelfTest], None]) -> Callable[[SelfTest], None]:
        STEPS.append((name, fn))
        return fn

    return register


class SelfTest:
    def __init__(self, folder: Path) -> None:
        from PySide6.QtWidgets import QApplication

        self.folder = folder
        from ui.gui_thread_gc import collect_on_gui_thread
        from ui.wheel_guard import install_wheel_guard

        existing = QApplication.instance()
        self.app = (
            existing
            if isinstance(existing, QApplication)
            else QApplication([sys.argv[0], "-platform", "offscreen"])
        )
        install_wheel_guard(self.app)
        collect_on_gui_thread()
        self.controller: AppController | None = None
        self.session_id: uuid.UUID | None = None
        self.note_id: uuid.UUID | None = None

    # What the earlier steps made, for the later ones: a step that runs out of order
    # fails with a reason instead of an AttributeError on None.
    def started(self) -> AppController:
        if self.controller is None:
            raise RuntimeError("the main-window step has not run")
        return self.controller

    @property
    def services(self) -> Services:
        services = self.started().services
        if services is None:
            raise RuntimeError("the vault is not unlocked")
        return services

    @property
    def window(self) -> MainWindow:
        window = self.started().main_window
        if window is None:
            raise RuntimeError("the main window is not open")
        return window

    @property
    def session(self) -> uuid.UUID:
        if self.session_id is None:
            raise RuntimeError("the session-workspace step has not run")
        return self.session_id

    def workspace(self) -> SessionWorkspace:
        workspace = self.window.current_workspace()
        if workspace is None:
            raise RuntimeError("no session is open")
        return workspace

    @staticmethod
    def tab(workspace: SessionWorkspace, key: str, kind: type[W]) -> W:
        widget = workspace.tab_widgets.get(key)
        if not isinstance(widget, kind):
            raise RuntimeError(f"the session has no {key} tab")
        return widget

    def wait(self, condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("timed out")
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()


@step("vault")
def _vault(t: SelfTest) -> None:
    from console.demo import build_demo
    from console.services.bundle import Services
    from console.vault import Vault

    vault, code = Vault.create(t.folder / "vault", PASSPHRASE, "Self-test Clinician")
    build_demo(Services(vault))
    vault.lock()
    check = Vault(t.folder / "vault")
    check.unlock_with_recovery(code)
    check.lock()


@step("vault-defences")
def _vault_defences(t: SelfTest) -> None:
    from console.vault.defences import check_defences

    check_defences(t.folder / "defences", PASSPHRASE)


@step("main-window")
def _main_window(t: SelfTest) -> None:
    from ui.controller import AppController
    from ui.unlock.unlock_window import UnlockWindow

    controller = AppController(t.folder / "vault")
    t.controller = controller
    controller.start()
    gate = controller.gate
    assert isinstance(gate, UnlockWindow), "a vault that exists opens at the unlock window"
    gate.secret.setText(PASSPHRASE)
    gate.unlock_button.click()
    t.wait(lambda: controller.main_window is not None)
    window = controller.main_window
    assert window is not None and window.caseload.list.count() >= 3


@step("diagnoses-dates-search")
def _diagnoses_dates_search(t: SelfTest) -> None:
    """Coded diagnoses on the overview with dates in the locale, and search reaching an
    EMDR target and a part of the demo caseload."""
    from console.services import search
    from ui.dates import show_date

    services, window = t.services, t.window
    zoe = services.clients.find("Zoë")[0]
    assert [d.code for d in zoe.diagnoses] == ["F41.1", "F43.10"] and zoe.diagnoses[0].primary
    window.caseload.select(zoe.id)
    shown = " ".join(
        label.text() for label in window.overview.findChildren(type(window.overview.title))
    )
    assert "F41.1 Generalised anxiety disorder (primary)" in shown
    assert zoe.date_of_birth is not None and show_date(zoe.date_of_birth) in shown
    kinds = {hit.kind for hit in services.search.search("Girl in the car park")}
    assert search.PART in kinds, kinds
    assert search.EMDR_TARGET in {hit.kind for hit in services.search.search("Crowded train")}


@step("session-workspace")
def _session(t: SelfTest) -> None:
    from console.services.sessions import SessionFields
    from console.vocabulary import SessionKind

    services, window = t.services, t.window
    client_id = window.caseload.selected_id()
    assert client_id is not None, "the caseload opens with a client selected"
    session = services.sessions.create(
        client_id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.INTEGRATION)
    )
    workspace = window.open_session(session.id)
    assert workspace is not None and "notes" in workspace.tab_widgets
    t.session_id = session.id


@step("note")
def _note(t: SelfTest) -> None:
    from ui.session.tabs.notes import NotesTab

    tab = t.tab(t.workspace(), "notes", NotesTab)
    tab.new_button.click()
    editor = tab.editor
    first = next(iter(editor._edits.values()))
    first.setPlainText("Self-test note: calm, grounded, Ωμέγα ✓")
    editor.flush()
    assert editor.note is not None, "the New button opened a note"
    note = t.services.notes.sign(editor.note.id)
    assert note.is_signed and t.services.notes.verify_hash(note.id)
    t.note_id = note.id


def pdf_text(data: bytes) -> tuple[int, str]:
    """Page count and text of a PDF, read back with QtPdf (what ships in the bundle)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument

    array = QByteArray(data)  # the buffer reads from it: keep it alive while loading
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    pages = document.pageCount()
    text = "".join(document.getAllText(i).text() for i in range(pages))
    document.close()
    return pages, text


@step("pdf")
def _pdf(t: SelfTest) -> None:
    from console.export.service import ExportService

    services = t.services
    target = t.folder / "record.pdf"
    pages = ExportService(services.vault, services).export_session(t.session, target)
    read_pages, text = pdf_text(target.read_bytes())
    assert read_pages == pages >= 1
    assert "Self-test note" in text and "SHA-256" in text.replace("\n", " ")
    target.unlink()


def click(widget: object) -> None:
    """A left click at the widget's centre, as the mouse delivers it (QtTest does not ship)."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget) and widget.isVisible() and widget.isEnabled()
    local = QPointF(widget.rect().center())
    where = QPointF(widget.mapToGlobal(local))
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, none),
    ):
        event = QMouseEvent(kind, local, where, left, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)


def turn_wheel(widget: object, notches: int) -> None:
    """Mouse-wheel notches over the widget's centre, as the wheel delivers them."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget) and widget.isVisible()
    local = QPointF(widget.rect().center())
    where = QPointF(widget.mapToGlobal(local))
    for _ in range(abs(notches)):
        event = QWheelEvent(
            local,
            where,
            QPoint(),
            QPoint(0, 120 if notches > 0 else -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)


@step("pacer")
def _pacer(t: SelfTest) -> None:
    from PySide6.QtGui import QGuiApplication

    from console.pacer.settings import PacerSettings
    from ui.session.tabs.pacer import PacerTab

    workspace = t.workspace()
    tab = t.tab(workspace, "pacer", PacerTab)
    workspace.tabs.setCurrentWidget(tab)
    run, panel = tab.run, tab.panel
    run.apply(PacerSettings(speed_hz=2.0, limit="passes", limit_value=40, protocol="art"))
    click(panel.screen_button)
    assert run.window.isVisible(), "the Show on client screen button shows the stimulus"
    if len(QGuiApplication.screens()) > 1:
        assert run.window.screen() is not QGuiApplication.primaryScreen(), "on the client's screen"
    click(panel.start_button)
    assert run.running, "the Start button starts a set"
    t.wait(lambda: run.passes_done() >= 2, timeout_s=10)
    click(panel.stop_button)
    assert run.set_clock is None, "the Stop button ends the set"
    logged = t.services.bls_sets.list_for_session(t.session)
    assert logged and logged[-1].ended_by == "stop" and logged[-1].passes_completed >= 2
    assert logged[-1].frames > 0 and logged[-1].speed_hz == 2.0
    click(panel.screen_button)
    assert not run.window.isVisible()


@step("emdr")
def _emdr(t: SelfTest) -> None:
    from console.services.emdr import SessionWorkFields, TargetFields

    services = t.services
    workspace = t.workspace()
    assert "emdr" in workspace.tab_widgets
    target = services.emdr.create_target(
        workspace.session.client_id, TargetFields(title="Self-test target", sud=7, voc=3)
    )
    services.emdr.save_work(t.session, SessionWorkFields(target_id=target.id, sud_end=2))
    history = services.emdr.sud_history(target.id)
    assert history and history[-1].value == 2


@step("art")
def _art(t: SelfTest) -> None:
    """The ART and rescripting worksheets keep what is typed, saved through their autosave."""
    from PySide6.QtWidgets import QLineEdit

    from ui.session.tabs.art import ArtTab
    from ui.session.tabs.rescripting import RescriptingTab

    services, workspace = t.services, t.workspace()
    art, rescripting = workspace.open_tab("art"), workspace.open_tab("rescripting")
    assert isinstance(art, ArtTab) and isinstance(rescripting, RescriptingTab)
    title = art.inputs["scene_title"]
    assert isinstance(title, QLineEdit)
    title.setText("Typed in the ART tab")
    rescripting.texts["hotspot"].setPlainText("Typed in the rescripting tab")
    art.flush()
    rescripting.flush()
    typed = services.art.get(t.session), services.rescripting.get(t.session)
    assert typed[0] is not None and typed[0].scene_title == "Typed in the ART tab"
    assert typed[1] is not None and typed[1].hotspot == "Typed in the rescripting tab"
    services.art.save_step(t.session, 1, {"scene_title": "Self-test", "sud_before": 6})
    services.art.save_step(t.session, 6, {"final_check": "calm", "sud_after": 1})
    summary = services.art.summary(t.session)
    assert (summary.sud_before, summary.sud_after) == (6, 1) and summary.sets_used >= 1


@step("measures")
def _measures(t: SelfTest) -> None:
    from console.export.service import ExportService

    services = t.services
    client_id = t.workspace().session.client_id
    record = services.measures.record(
        client_id, "gad7", [1, 1, 2, 1, 0, 1, 1], None, datetime.now(UTC), t.session
    )
    assert record.total == 7 and record.band == "mild"
    chart = ExportService(services.vault, services).client_chart(client_id)
    assert chart.pages >= 1


@step("measures-risk")
def _measures_risk(t: SelfTest) -> None:
    """A PHQ-9 on the client's screen shows no score or flag; the clinician then must act."""
    from console.export.service import ExportService
    from ui.session.tabs.measures import MeasuresTab

    services = t.services
    workspace = t.workspace()
    client_id = workspace.session.client_id
    workspace.open_tab("measures")
    tab = t.tab(workspace, "measures", MeasuresTab)
    tab.measure.setCurrentIndex(tab.measure.findData("phq9"))
    tab.entered_by.setCurrentIndex(tab.entered_by.findData("client"))
    click(tab.show_to_client)
    window = tab.client_window
    assert window is not None and window.isFullScreen(), "the questions fill the screen"
    for group, value in zip(window.form.groups, (1, 1, 1, 1, 0, 0, 1, 0, 1), strict=True):
        group.button(value).click()
    shown = " ".join(window.visible_text())
    for hidden in ("Score", "⚠", "item 9", "mild", "moderate"):
        assert hidden not in shown, f"the client's screen shows {hidden!r}"
    click(window.done)
    prompt = tab.risk_prompt
    assert tab.client_window is None and prompt is not None and prompt.isVisible(), "a prompt"
    assert "not yet addressed" in tab.flag.text() and "Score 6 of 27" in tab.score.text()
    click(prompt.record_button)
    assert prompt.isVisible() and prompt.errors.text("Risk assessment"), "empty is refused"
    prompt.text.setPlainText("Self-test assessment: no plan, no intent.")
    click(prompt.record_button)
    assert not prompt.isVisible(), "the assessment is recorded"
    record = services.measures.list_for_client(client_id)[-1]
    assert record.entered_by == "client" and record.answers is not None
    assert record.answers[8] == 1 and not record.risk_open
    assert record.risk[0].text == "Self-test assessment: no plan, no intent."
    _pages, text = pdf_text(ExportService(services.vault, services).client_chart(client_id))
    text = " ".join(text.split())
    assert ": addressed" in text and "Risk assessment by" in text and "Self-test" in text


@step("ifs")
def _ifs(t: SelfTest) -> None:
    from console.export.service import ExportService
    from ui.ifs_map.export import export_map
    from ui.session.tabs.ifs import IfsTab

    services = t.services
    workspace = t.workspace()
    workspace.open_tab("ifs")
    editor = t.tab(workspace, "ifs", IfsTab).editor
    worrier = editor.add_part("Self-test worrier", "manager")
    young = editor.add_part("Self-test young one", "exile")
    assert worrier is not None and young is not None
    assert editor.connect_parts(worrier.id, young.id, "protects") is not None
    editor.undo_stack.undo()
    editor.undo_stack.redo()
    editor.flush()
    client_id = workspace.session.client_id
    stored = services.ifs.load(client_id)
    assert {p.name for p in stored.parts} >= {"Self-test worrier", "Self-test young one"}
    assert [r.kind for r in stored.relations if r.source == worrier.id] == ["protects"]
    snapshot = services.ifs.session_map(t.session)
    assert snapshot is not None
    assert {p.id for p in snapshot.map.parts} >= {worrier.id, young.id}
    assert [(r.kind, r.target) for r in snapshot.map.relations if r.source == worrier.id] == [
        ("protects", young.id)
    ]
    image = export_map(editor.scene, t.folder / "map.svg")
    assert "Self-test worrier" in image.read_text(encoding="utf-8")
    _pages, text = pdf_text(ExportService(services.vault, services).client_chart(client_id))
    assert "Parts map" in text and "Self-test young one" in text
    image.unlink()


@step("medicine")
def _medicine(t: SelfTest) -> None:
    from datetime import timedelta

    from console.export.service import ExportService
    from console.services.sessions import SessionFields
    from console.vocabulary import SessionKind
    from ui.session.tabs.medicine import MedicineTab

    services, window = t.services, t.window
    client_id = t.workspace().session.client_id
    # Whole minutes, as the time fields show them, so the reminder reads exactly.
    start = (datetime.now(UTC) - timedelta(minutes=40)).replace(second=0, microsecond=0)
    session = services.sessions.create(
        client_id, SessionFields(starts_at=start, kind=SessionKind.MEDICINE, duration_min=120)
    )
    _screen_with_hold_baseline(services, client_id, start)
    workspace = window.open_session(session.id)
    assert workspace is not None
    workspace.open_tab("medicine")
    tab = t.tab(workspace, "medicine", MedicineTab)
    _dose_after_review(services, tab, client_id, start)
    _flagged_reading(services, tab, session.id, start)
    _vitals_reminder(tab, start)
    tab.flush()
    _pages, text = pdf_text(ExportService(services.vault, services).client_chart(client_id))
    assert "Screening" in text and "Medicine session" in text and "Vitals" in text
    # what only the medicine sections print ("Medicine session" is also the kind's label)
    assert "Contraindications checklist" in text
    assert "182/96" in text and "Systolic 182 ≥ 160: alert" in text


def _screen_with_hold_baseline(services: Services, client_id: uuid.UUID, start: datetime) -> None:
    """Screening passed but for a baseline blood pressure high enough to hold the dose."""
    from console.clinical import medicine as m
    from console.services.screening import ItemAnswer, ScreeningFields

    services.screening.save(
        client_id,
        ScreeningFields(
            answers=tuple(ItemAnswer(key, "no") for key in m.CONTRAINDICATION_KEYS),
            weight_kg=80.0,
            baseline_systolic=186,
            baseline_diastolic=112,
            consent_date=start.date(),
            fasting_acknowledged=True,
            ride_home_arranged=True,
        ),
    )
    assert services.screening.get(client_id).state.needs_review, "a hold-level baseline"


def _dose_after_review(
    services: Services, tab: MedicineTab, client_id: uuid.UUID, start: datetime
) -> None:
    """The wheel guard keeps the dose, and the first dose waits for the prescriber."""
    from datetime import timedelta

    tab.now = lambda: start + timedelta(minutes=35)
    tab.dose.dose.setValue(200)
    tab.dose.lot.setFocus()
    turn_wheel(tab.dose.dose, notches=-3)
    assert tab.dose.dose.value() == 200, "a wheel over an unfocused Dose changes nothing"
    tab.dose.given_at.set_value(start + timedelta(minutes=5))
    assert not tab.save(), "a first dose waits for the prescriber's review"
    assert "Needs review" in tab.error_text(), tab.error_text()
    services.screening.record_review(
        client_id, "Dr Self-test (prescriber)", "Repeated 148/92 after rest; cleared to dose"
    )
    assert tab.save(), tab.error_text()
    assert "2.5" in tab.dose.mg_per_kg.text()


def _flagged_reading(
    services: Services, tab: MedicineTab, session_id: uuid.UUID, start: datetime
) -> None:
    from datetime import timedelta

    from ui.medicine.common import to_qt

    for widget, value in zip(
        (tab.vitals.systolic, tab.vitals.diastolic, tab.vitals.heart_rate, tab.vitals.spo2),
        ("182", "96", "88", "97"),
        strict=True,
    ):
        widget.setText(value)
    tab.vitals.taken_at.setDateTime(to_qt(start + timedelta(minutes=20)))
    tab.add_reading()
    record = services.medicine.get(session_id)
    assert record is not None and record.mg_per_kg == 2.5
    assert record.readings and record.readings[-1].flags, "a systolic of 182 is flagged"
    assert [r.systolic for r in record.readings] == [182]
    assert [f.message for f in record.readings[-1].flags] == ["Systolic 182 ≥ 160: alert"]


def _vitals_reminder(tab: MedicineTab, start: datetime) -> None:
    from datetime import timedelta

    tab.tick()
    # 30 min after the dose, with the 15-min reading taken: the 30 is due, the 0 was missed
    reminder = tab.vitals.reminder.text()
    assert reminder == "Reading due now (30 min); missed: 0 min", reminder
    tab.now = lambda: start + timedelta(minutes=42)  # the reminder follows the clock
    tab.tick()
    reminder = tab.vitals.reminder.text()
    assert reminder == "Overdue by 7 min (30 min); missed: 0 min", reminder


@step("remote-pacer")
def _remote_pacer(t: SelfTest) -> None:
    """What a link to the client's own device needs here: the page, a seal that holds, Share."""
    from console.remote.sealing import LinkSecret, Opener, RefusedMessage, Sealer, Sender
    from console.resources import resource_path
    from ui.session.tabs.pacer import PacerTab

    for name in ("pacer.html", "pacer.css", "pacer.js"):
        assert resource_path(f"remote/site/{name}").stat().st_size > 0, name
    secret = LinkSecret.new()
    sealed = Sealer(secret, Sender.CONSOLE).seal({"type": "stop"})
    opener = Opener(secret, Sender.CONSOLE)
    assert opener.open(sealed) == {"type": "stop"}
    try:
        opener.open(sealed)
    except RefusedMessage:
        pass
    else:
        raise AssertionError("a replayed message was taken")
    pacer = t.workspace().open_tab("pacer")
    assert isinstance(pacer, PacerTab)
    assert pacer.panel.share_button.accessibleName() == "Share with the client"


@step("single-instance")
def _single_instance(t: SelfTest) -> None:
    from ui.single_instance import SingleInstance

    first = SingleInstance(t.folder / "instance")
    assert not first.forward_to_running() and first.listen()
    raised: list[bool] = []
    first.activated.connect(lambda: raised.append(True))
    second = SingleInstance(t.folder / "instance")
    try:
        assert second.forward_to_running(), "a second launch finds the first"
        t.wait(lambda: bool(raised), timeout_s=5)
    finally:
        first.close()


@step("lock")
def _lock(t: SelfTest) -> None:
    controller = t.started()
    controller.lock("self-test")
    assert not controller.vault.is_unlocked


SCREENS = (
    '{"synchronousWindowSystemEvents": true, "windowFrameMargins": false, "screens": ['
    '{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, '
    '"logicalBaseDpi": 96, "dpr": 1}, {"name": "projector", "x": 1366, "y": 0, '
    '"width": 1920, "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}'
)


def run(out: TextIO = sys.stdout) -> int:
    """Offscreen, with a second screen, so the pacer step sees a client-facing display."""
    from ui.qt_messages import quiet_qt_messages

    quiet_qt_messages()
    with tempfile.TemporaryDirectory(prefix="session-console-self-test-") as folder:
        if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
            config = Path(folder) / "screens.json"
            config.write_text(SCREENS, encoding="utf-8")
            os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
        state = SelfTest(Path(folder))
        for name, fn in STEPS:
            try:
                fn(state)
            except Exception as exc:  # a failed step is the report, not a crash
                print(f"self-test: {name} FAILED ({type(exc).__name__}: {exc})", file=out)
                return 1
            print(f"self-test: {name} ok", file=out, flush=True)
        if state.controller is not None and state.controller.gate is not None:
            state.controller.gate.close()
    print("self-test: ok", file=out, flush=True)
    return 0
