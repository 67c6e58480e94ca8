"""A PHQ-9 in front of the client: no score or flag on their screen, a prompt for the clinician.

Driven as a user does: the controls are found by their accessible names,
clicked with the mouse and typed into with the keyboard.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QWidget

from console.clinical import measures as m
from tests.conftest import PASSPHRASE
from tests.ui.conftest import open_tab, save_artifact
from tests.ui.people import dark_palette
from ui.controller import AppController
from ui.measures.client_view import ClientMeasureWindow
from ui.measures.risk_prompt import RiskPrompt
from ui.session.tabs.measures import MeasuresTab

W = TypeVar("W", bound=QWidget)
LEFT = Qt.MouseButton.LeftButton
# Item 9 "Several days"; the rest give a total of 12, "moderate".
PHQ9 = (2, 1, 2, 1, 1, 2, 1, 1, 1)
ASSESSMENT = "Passive thoughts on bad days, no plan or intent. Safety plan reviewed."
BANDS = ("minimal", "mild", "moderate", "severe")


def by_name(root: QWidget, kind: type[W], name: str, shown: bool = False) -> W:
    """The one widget with this accessible name (`shown`: among those a user can see)."""
    found = [
        w
        for w in root.findChildren(kind)
        if w.accessibleName().replace("&", "") == name and (not shown or w.isVisibleTo(root))
    ]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def click(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, LEFT)


def choose(qtbot, combo: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Pick an entry with the keyboard, as a user tabbing through the form does."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def answer(qtbot, root: QWidget, measure: m.Measure, values: tuple[int, ...]) -> None:  # type: ignore[no-untyped-def]
    """Click each answer's radio indicator (the left edge is what takes the click)."""
    for item, value in zip(measure.items, values, strict=True):
        label = measure.item_options(item)[value].label
        button = by_name(root, QAbstractButton, f"Item {item.number}: {label}", shown=True)
        qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
        assert button.isChecked()


def modal_prompt(qtbot) -> RiskPrompt:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RiskPrompt))
    prompt = QApplication.activeModalWidget()
    assert isinstance(prompt, RiskPrompt) and prompt.isVisible()
    return prompt


def hand_phq9_to_client(qtbot, unlocked: AppController) -> tuple[MeasuresTab, ClientMeasureWindow]:  # type: ignore[no-untyped-def]
    tab = open_tab(unlocked, "measures", MeasuresTab)
    choose(qtbot, by_name(tab, QComboBox, "Measure"), "PHQ-9")
    choose(qtbot, by_name(tab, QComboBox, "Entered by"), "Client, on this screen")
    click(qtbot, by_name(tab, QAbstractButton, "Show to client"))
    qtbot.waitUntil(lambda: tab.client_window is not None and tab.client_window.isVisible())
    window = tab.client_window
    assert window is not None
    return tab, window


def test_client_sees_only_the_questions_and_the_clinician_gets_the_flag_back(
    qtbot, unlocked: AppController
) -> None:
    tab, window = hand_phq9_to_client(qtbot, unlocked)
    # the questionnaire fills the console's screen, over the caseload and every record
    assert window.isFullScreen()
    assert window.geometry() == tab.window().screen().geometry()
    answer(qtbot, window, m.PHQ9, PHQ9)
    shown = " ".join(window.visible_text())
    assert "Thoughts that you would be better off dead" in shown  # the question itself
    for hidden in ("Score", "⚠", "item 9", "flag", "12", *BANDS):
        assert hidden not in shown, hidden
    save_artifact(window, "measures-client-view.png")

    click(qtbot, by_name(window, QAbstractButton, "Done, hand back"))
    qtbot.waitUntil(lambda: tab.client_window is None)
    prompt = modal_prompt(qtbot)
    saved = unlocked.services.measures.list_for_client(tab.context.client_id)[-1]  # type: ignore[union-attr]
    assert saved.measure_key == "phq9" and saved.entered_by == "client"
    assert saved.answers == PHQ9 and saved.total == 12 and saved.risk_open
    # the clinician's view: the score and the flag the client did not see
    score = by_name(tab, QLabel, "Score")
    assert score.isVisible() and "The client handed back the PHQ-9: Score 12 of 27" in score.text()
    flag = by_name(tab, QLabel, "Risk flag")
    assert flag.isVisible() and "item 9" in flag.text() and "not yet addressed" in flag.text()
    details = by_name(prompt, QLabel, "Risk prompt details").text()
    assert "entered by the client" in details and "Several days (1)" in details
    assert "Score 12 of 27 — moderate" in details
    save_artifact(prompt, "measures-risk-prompt.png")
    save_artifact(tab, "measures-tab-handed-back.png")


def test_an_empty_assessment_is_refused_and_a_written_one_is_recorded(
    qtbot, unlocked: AppController
) -> None:
    tab, window = hand_phq9_to_client(qtbot, unlocked)
    answer(qtbot, window, m.PHQ9, PHQ9)
    click(qtbot, by_name(window, QAbstractButton, "Done, hand back"))
    prompt = modal_prompt(qtbot)
    assessed_by = by_name(prompt, QWidget, "Assessed by")
    assert assessed_by.text() == "Dr Maya Chen"  # type: ignore[attr-defined]

    click(qtbot, by_name(prompt, QAbstractButton, "Record risk assessment"))
    error = by_name(prompt, QLabel, "Assessment error")
    assert prompt.isVisible() and error.isVisible()
    assert error.text() == "Write what you assessed and decided before recording it."
    assert assessed_by.text() == "Dr Maya Chen"  # type: ignore[attr-defined]
    client_id = tab.context.client_id
    flagged = unlocked.services.measures.list_for_client(client_id)[-1]  # type: ignore[union-attr]
    assert flagged.risk_open, "nothing was saved"
    save_artifact(prompt, "measures-risk-prompt-refused.png")

    text = by_name(prompt, QWidget, "Risk assessment")
    text.setFocus()
    qtbot.waitUntil(text.hasFocus)
    qtbot.keyClicks(QApplication.focusWidget(), ASSESSMENT)
    click(qtbot, by_name(prompt, QAbstractButton, "Record risk assessment"))
    qtbot.waitUntil(lambda: tab.risk_prompt is None)

    stored = unlocked.services.measures.get(flagged.id)  # type: ignore[union-attr]
    assert not stored.risk_open
    [risk] = stored.risk
    assert (risk.method, risk.text, risk.assessed_by) == ("assessment", ASSESSMENT, "Dr Maya Chen")
    assert risk.recorded_by == "Dr Maya Chen"
    assert "addressed" in by_name(tab, QLabel, "Risk flag").text()
    assert "not yet" not in by_name(tab, QLabel, "Risk flag").text()
    assert tab.history.currentItem().text().endswith("— addressed")
    detail = by_name(tab, QLabel, "Selected measure").text()
    assert "Risk assessment by Dr Maya Chen" in detail
    # audited by method; the assessment itself stays out of the trail
    event = next(e for e in unlocked.services.recent_audit() if e.entity_kind == "risk_assessment")  # type: ignore[union-attr]
    assert event.entity_id == str(risk.id) and event.detail.endswith("assessment")
    assert "bad days" not in event.detail and "Maya" not in event.detail


def test_later_keeps_the_flag_open_and_what_was_typed(qtbot, unlocked: AppController) -> None:
    tab, window = hand_phq9_to_client(qtbot, unlocked)
    answer(qtbot, window, m.PHQ9, PHQ9)
    click(qtbot, by_name(window, QAbstractButton, "Done, hand back"))
    prompt = modal_prompt(qtbot)
    by_name(prompt, QWidget, "Risk assessment").setFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "Started: no plan")
    click(qtbot, by_name(prompt, QAbstractButton, "Later"))
    qtbot.waitUntil(lambda: tab.risk_prompt is None)
    assert tab.history.currentItem().text().endswith("not yet addressed")

    click(qtbot, by_name(tab, QAbstractButton, "Address risk"))
    again = modal_prompt(qtbot)
    assert by_name(again, QWidget, "Risk assessment").toPlainText() == "Started: no plan"  # type: ignore[attr-defined]


class UrlRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_the_clinic_safety_plan_opens_and_is_linked(qtbot, unlocked: AppController) -> None:
    plan = "https://clinic.example/safety-plan.pdf"
    unlocked.settings.set("safety_plan_document", plan)
    recorder = UrlRecorder()
    QDesktopServices.setUrlHandler("https", recorder, "open")
    try:
        tab, window = hand_phq9_to_client(qtbot, unlocked)
        answer(qtbot, window, m.PHQ9, PHQ9)
        click(qtbot, by_name(window, QAbstractButton, "Done, hand back"))
        prompt = modal_prompt(qtbot)
        assert plan in by_name(prompt, QLabel, "Safety plan document").text()
        click(qtbot, by_name(prompt, QAbstractButton, "Open safety plan"))
        assert recorder.opened == [plan]
        click(qtbot, by_name(prompt, QAbstractButton, "Link safety plan"))
        qtbot.waitUntil(lambda: tab.risk_prompt is None)
    finally:
        QDesktopServices.unsetUrlHandler("https")
    stored = unlocked.services.measures.list_for_client(tab.context.client_id)[-1]  # type: ignore[union-attr]
    [risk] = stored.risk
    assert (risk.method, risk.safety_plan, risk.text) == ("safety_plan", plan, "")


def test_without_a_safety_plan_the_prompt_says_where_to_set_one(
    qtbot, unlocked: AppController
) -> None:
    _tab, window = hand_phq9_to_client(qtbot, unlocked)
    answer(qtbot, window, m.PHQ9, PHQ9)
    click(qtbot, by_name(window, QAbstractButton, "Done, hand back"))
    prompt = modal_prompt(qtbot)
    text = by_name(prompt, QLabel, "Safety plan document").text()
    assert "No safety-plan document is set" in text and "File → Settings…" in text
    assert not by_name(prompt, QAbstractButton, "Open safety plan").isVisible()
    assert not by_name(prompt, QAbstractButton, "Link safety plan").isVisible()


def test_a_clinician_entered_item_9_opens_the_prompt_too(qtbot, unlocked: AppController) -> None:
    tab = open_tab(unlocked, "measures", MeasuresTab)
    choose(qtbot, by_name(tab, QComboBox, "Measure"), "PHQ-9")
    choose(qtbot, by_name(tab, QComboBox, "Entered by"), "Clinician")
    answer(qtbot, tab, m.PHQ9, PHQ9)
    flag = by_name(tab, QLabel, "Risk flag")
    assert flag.isVisible() and flag.text().startswith("⚠")
    click(qtbot, by_name(tab, QAbstractButton, "Save measure"))
    prompt = modal_prompt(qtbot)
    assert "entered by you" in by_name(prompt, QLabel, "Risk prompt details").text()


def test_locking_while_the_client_answers_closes_their_screen_and_saves_nothing(
    qtbot, unlocked: AppController
) -> None:
    tab, window = hand_phq9_to_client(qtbot, unlocked)
    client_id = tab.context.client_id
    before = len(unlocked.services.measures.list_for_client(client_id))  # type: ignore[union-attr]
    answer(qtbot, window, m.PHQ9, PHQ9)
    unlocked.lock("test")
    qtbot.waitUntil(
        lambda: (
            not any(
                isinstance(w, ClientMeasureWindow) and w.isVisible()
                for w in QApplication.topLevelWidgets()
            )
        )
    )
    gate = unlocked.gate
    assert gate is not None
    qtbot.keyClicks(gate.secret, PASSPHRASE)
    qtbot.mouseClick(gate.unlock_button, LEFT)
    qtbot.waitUntil(lambda: unlocked.main_window is not None, timeout=10_000)
    after = unlocked.services.measures.list_for_client(client_id)  # type: ignore[union-attr]
    assert len(after) == before


def test_views_read_in_dark_and_at_1366_by_768(qtbot, unlocked: AppController) -> None:
    """Writes the client view and the prompt in a dark palette, to look at."""

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.palette()
    dark = dark_palette()
    app.setPalette(dark)
    try:
        _tab, window = hand_phq9_to_client(qtbot, unlocked)
        assert QGuiApplication.primaryScreen().geometry().size().toTuple() == (1366, 768)
        answer(qtbot, window, m.PHQ9, PHQ9)
        save_artifact(window, "measures-client-view-dark.png")
        click(qtbot, by_name(window, QAbstractButton, "Done, hand back"))
        prompt = modal_prompt(qtbot)
        assert prompt.height() <= 768 - 40 and prompt.width() <= 1366
        save_artifact(prompt, "measures-risk-prompt-dark.png")
    finally:
        app.setPalette(old)


def test_the_client_answers_with_the_keyboard_alone(qtbot, unlocked: AppController) -> None:
    """Space picks the focused answer, the arrows move along an item, Tab goes to the next."""
    tab, window = hand_phq9_to_client(qtbot, unlocked)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    for value in PHQ9:
        focused = QApplication.focusWidget()
        for _ in range(value):
            qtbot.keyClick(focused, Qt.Key.Key_Right)
            focused = QApplication.focusWidget()
        qtbot.keyClick(focused, Qt.Key.Key_Space)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert window.form.answers() == list(PHQ9)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab.client_window is None)
    prompt = modal_prompt(qtbot)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is prompt.text)
    qtbot.keyClicks(prompt.text, ASSESSMENT)
    qtbot.keyClick(prompt.text, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tab.risk_prompt is None)
    saved = unlocked.services.measures.list_for_client(tab.context.client_id)[-1]  # type: ignore[union-attr]
    assert saved.answers == PHQ9 and saved.risk[0].text == ASSESSMENT
