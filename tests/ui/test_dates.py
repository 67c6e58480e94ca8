"""Dates as a new user met them: "Not recorded19880314", a calendar at January 1900, and three
formats across dialogs. Dates are typed, picked and shown in the system locale's one format."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget, QLabel, QToolButton, QWidget

from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from console.vocabulary import SessionKind
from tests.ui.conftest import save_artifact, when_modal
from tests.ui.people import type_keys
from ui.clients.dialogs import ClientDialog, ProgramDialog, SessionDialog
from ui.controller import AppController
from ui.dates import AmbiguousDate, parse_date, show_date, show_datetime, years_before
from ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton
BIRTHDAY = date(1988, 3, 14)
SHOWN = {"en_GB": "14/03/1988", "en_US": "3/14/1988"}


@pytest.fixture(params=["en_GB", "en_US"])
def locale_name(request: pytest.FixtureRequest) -> Iterator[str]:
    """The system locale the console follows, set before any window is made."""
    before = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield request.param
    QLocale.setDefault(before)


@pytest.fixture
def default_locale() -> Iterator[Callable[[str], None]]:
    before = QLocale()
    yield lambda name: QLocale.setDefault(QLocale(name))
    QLocale.setDefault(before)


@pytest.mark.parametrize(
    ("name", "typed", "expected"),
    [
        ("en_GB", "14/03/1988", BIRTHDAY),
        ("en_GB", "14.3.88", BIRTHDAY),
        ("en_GB", "14031988", BIRTHDAY),
        ("en_US", "3/14/1988", BIRTHDAY),
        ("en_US", "03141988", BIRTHDAY),
        ("en_US", "19880314", BIRTHDAY),
        ("de_DE", "14.03.1988", BIRTHDAY),
        ("sv_SE", "1988-03-14", BIRTHDAY),
        ("C", "14 Mar 1988", BIRTHDAY),
        ("C", "1988-03-14", BIRTHDAY),
        ("en_GB", "  ", None),
    ],
)
def test_a_typed_date_is_read_in_the_locale_order(  # type: ignore[no-untyped-def]
    default_locale, name: str, typed: str, expected: date | None
) -> None:
    default_locale(name)
    assert parse_date(typed) == expected
    if expected is not None:
        assert parse_date(show_date(expected)) == expected, "what is shown reads back"


def test_a_date_that_reads_two_ways_or_none_is_not_guessed(default_locale) -> None:  # type: ignore[no-untyped-def]
    default_locale("en_GB")
    with pytest.raises(AmbiguousDate):
        parse_date("10111213", earliest=None)  # 1011-12-13, or 10 Nov 1213
    for typed in ("14/14/1988", "1988-02-30", "soon", "3/14/1988"):
        with pytest.raises(ValueError):
            parse_date(typed)
    assert parse_date("14/3/30") == date(2030, 3, 14)
    assert parse_date("14/3/30", latest=date(2026, 12, 1)) == date(1930, 3, 14)


def _window(controller: AppController) -> MainWindow:
    window = controller.main_window
    assert window is not None
    window.resize(1366, 768)
    return window


def _in_dialog(kind: type[QWidget], action: Callable[[QWidget], None]) -> None:
    """Run `action` on the next modal dialog; whatever happens, the dialog does not stay open."""

    def run(dialog: QWidget) -> None:
        try:
            assert isinstance(dialog, kind)
            action(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()  # type: ignore[attr-defined]

    when_modal(run)


def _save(qtbot, dialog: ClientDialog | ProgramDialog | SessionDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), LEFT)


def _calendar(dialog: QWidget) -> QCalendarWidget:
    shown = [c for c in dialog.findChildren(QCalendarWidget) if c.isVisible()]
    assert len(shown) == 1, "one calendar pops up"
    return shown[0]


@pytest.mark.parametrize("typed", ["1988-03-14", "19880314"])
def test_a_typed_date_of_birth_is_saved_as_typed(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController, typed: str
) -> None:
    window = _window(unlocked)
    services = unlocked.services
    assert services is not None
    seen: list[str] = []
    outcome: dict[str, object] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ClientDialog)
        dob = dialog.dob.edit
        dob.textChanged.connect(seen.append)
        qtbot.keyClicks(dialog.name, f"Birthday {typed}")
        assert dob.text() == "" and dob.placeholderText() == "Not recorded"
        qtbot.mouseClick(dob, LEFT)
        assert QApplication.focusWidget() is dob
        type_keys(qtbot, typed)
        assert dob.text() == typed
        type_keys(qtbot, Qt.Key.Key_Tab)
        outcome["shown"] = dob.text()
        outcome["error"] = dialog.errors.text("date_of_birth")
        _save(qtbot, dialog)
        outcome["closed"] = not dialog.isVisible()

    _in_dialog(ClientDialog, fill)
    window.new_client_action.trigger()
    assert outcome == {"shown": show_date(BIRTHDAY), "error": "", "closed": True}
    assert not any("Not recorded" in text for text in seen), seen
    client = services.clients.find(f"Birthday {typed}")[0]
    assert client.date_of_birth == BIRTHDAY


def test_the_calendar_opens_about_forty_years_back_then_at_the_date(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController
) -> None:
    window = _window(unlocked)
    services = unlocked.services
    assert services is not None
    expected = years_before(date.today(), 40) + timedelta(days=1)
    outcome: dict[str, object] = {}

    def pick(dialog: QWidget) -> None:
        assert isinstance(dialog, ClientDialog)
        qtbot.keyClicks(dialog.name, "Calendar Picker")
        button = dialog.dob.calendar_button
        assert button.accessibleName() == "Date of birth calendar"
        assert dialog.dob.edit.accessibleName() == "Date of birth"
        qtbot.mouseClick(button, LEFT)
        popup = _calendar(dialog)
        outcome["first page"] = (popup.yearShown(), popup.monthShown())
        outcome["latest"] = popup.maximumDate().toPython()
        save_artifact(popup, "dates-calendar-popup.png")
        type_keys(qtbot, Qt.Key.Key_Right, Qt.Key.Key_Return)  # the next day, chosen
        outcome["chosen"] = dialog.dob.edit.text()
        outcome["popup after choosing"] = popup.isVisible()
        qtbot.mouseClick(dialog.dob.edit, LEFT)
        dialog.dob.edit.selectAll()
        type_keys(qtbot, "1975-06-02")
        qtbot.mouseClick(button, LEFT)
        popup = _calendar(dialog)
        outcome["second page"] = (popup.yearShown(), popup.monthShown())
        type_keys(qtbot, Qt.Key.Key_Escape)
        outcome["popup after escape"] = popup.isVisible()
        save_artifact(dialog, "dates-client-dialog.png")
        _save(qtbot, dialog)

    _in_dialog(ClientDialog, pick)
    window.new_client_action.trigger()
    today = date.today()
    assert outcome == {
        "first page": (today.year - 40, years_before(today, 40).month),
        "latest": today,
        "chosen": show_date(expected),
        "popup after choosing": False,
        "second page": (1975, 6),
        "popup after escape": False,
    }
    assert services.clients.find("Calendar Picker")[0].date_of_birth == date(1975, 6, 2)


def test_a_program_starts_today_and_its_calendar_opens_there(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController
) -> None:
    window = _window(unlocked)
    services = unlocked.services
    assert services is not None
    client_id = window.caseload.selected_id()
    assert client_id is not None
    today = date.today()
    outcome: dict[str, object] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ProgramDialog)
        outcome["start"] = dialog.start.edit.text()
        qtbot.mouseClick(dialog.title, LEFT)
        type_keys(qtbot, "Dated program")
        qtbot.mouseClick(dialog.end.calendar_button, LEFT)
        popup = _calendar(dialog)
        outcome["page"] = (popup.yearShown(), popup.monthShown())
        type_keys(qtbot, Qt.Key.Key_Escape)
        qtbot.mouseClick(dialog.end.edit, LEFT)
        type_keys(qtbot, (today + timedelta(days=60)).strftime("%Y%m%d"))
        _save(qtbot, dialog)

    _in_dialog(ProgramDialog, fill)
    qtbot.mouseClick(window.overview.program_button, LEFT)
    assert outcome == {"start": show_date(today), "page": (today.year, today.month)}
    program = next(
        p for p in services.programs.list_for_client(client_id) if p.title == "Dated program"
    )
    assert (program.start_date, program.end_date) == (today, today + timedelta(days=60))


def test_a_future_or_unreadable_date_of_birth_is_refused_beside_the_field(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController
) -> None:
    window = _window(unlocked)
    services = unlocked.services
    assert services is not None
    future = (date.today() + timedelta(days=400)).isoformat()
    outcome: dict[str, object] = {}

    def refuse(dialog: QWidget) -> None:
        assert isinstance(dialog, ClientDialog)
        dob = dialog.dob.edit
        qtbot.keyClicks(dialog.name, "Not Born Yet")
        qtbot.mouseClick(dob, LEFT)
        type_keys(qtbot, future)
        _save(qtbot, dialog)
        outcome["future"] = (dialog.isVisible(), dialog.errors.text("date_of_birth"), dob.text())
        message = dialog.findChild(QLabel, "error_date_of_birth")
        qtbot.waitUntil(lambda: message is not None and message.isVisible())
        save_artifact(dialog, "dates-client-dialog-refused.png")
        qtbot.mouseClick(dob, LEFT)
        dob.selectAll()
        type_keys(qtbot, "31/31/1988", Qt.Key.Key_Tab)
        outcome["unreadable"] = (dialog.errors.text("date_of_birth"), dob.text())
        clear = dob.findChild(QToolButton, "clear_date_of_birth")
        assert clear is not None and clear.isVisible()
        qtbot.mouseClick(clear, LEFT)
        outcome["cleared"] = (dob.text(), dialog.errors.text("date_of_birth"))
        qtbot.mouseClick(dob, LEFT)
        type_keys(qtbot, "1988-03-14", Qt.Key.Key_Tab)
        outcome["typed again"] = dob.text()
        qtbot.mouseClick(dob, LEFT)
        dob.selectAll()
        type_keys(qtbot, Qt.Key.Key_Backspace)
        outcome["deleted"] = dob.text()
        _save(qtbot, dialog)
        outcome["closed"] = not dialog.isVisible()

    _in_dialog(ClientDialog, refuse)
    window.new_client_action.trigger()
    example = date(date.today().year, 12, 31)
    assert outcome == {
        "future": (True, "Cannot be in the future.", future),
        "unreadable": (
            f"Not a date — type it like {show_date(example)} or {example.isoformat()}.",
            "31/31/1988",
        ),
        "cleared": ("", ""),
        "typed again": show_date(BIRTHDAY),
        "deleted": "",
        "closed": True,
    }
    assert services.clients.find("Not Born Yet")[0].date_of_birth is None


def test_one_date_format_in_the_overview_dialogs_and_session_lists(  # type: ignore[no-untyped-def]
    locale_name: str, qtbot, unlocked: AppController
) -> None:
    window = _window(unlocked)
    services = unlocked.services
    assert services is not None
    client = services.clients.create(ClientFields(name="Formats Alike", date_of_birth=BIRTHDAY))
    starts = datetime(2026, 3, 14, 9, 30).astimezone()
    session = services.sessions.create(
        client.id, SessionFields(starts_at=starts, kind=SessionKind.INTEGRATION)
    )
    window.caseload.select(client.id)
    qtbot.waitUntil(lambda: window.overview.title.text() == "Formats Alike")
    assert show_date(BIRTHDAY) == SHOWN[locale_name]

    details = [label.text() for label in window.overview.findChildren(QLabel)]
    assert SHOWN[locale_name] in details, "the overview's date of birth"
    sessions = [
        window.overview.timeline.item(i).text() for i in range(window.overview.timeline.count())
    ]
    assert any(text.startswith(show_datetime(starts) + "\n") for text in sessions)
    assert show_datetime(starts).startswith(show_date(starts))

    shown: dict[str, str] = {}

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, ClientDialog)
        shown["dialog"] = dialog.dob.edit.text()

    _in_dialog(ClientDialog, read)
    qtbot.mouseClick(window.overview.edit_button, LEFT)
    assert shown == {"dialog": SHOWN[locale_name]}

    dialog = SessionDialog(services, client.id, services.sessions.get(session.id), window)
    qtbot.addWidget(dialog)
    assert dialog.starts.text() == show_datetime(starts), "the session dialog's start"
    dialog.reject()

    workspace = window.open_session(session.id)
    assert workspace is not None
    heading = workspace.findChild(QLabel, "session_heading")
    assert heading is not None and show_datetime(starts) in heading.text()
    assert show_date(starts) in workspace.title()


def test_a_session_start_is_typed_in_the_locale_order(  # type: ignore[no-untyped-def]
    locale_name: str, qtbot, unlocked: AppController
) -> None:
    window = _window(unlocked)
    services = unlocked.services
    assert services is not None
    client_id = window.caseload.selected_id()
    assert client_id is not None
    before = {s.id for s in services.sessions.list_for_client(client_id)}
    typed = {"en_GB": "14/03/2026 10:30", "en_US": "3/14/2026 10:30 AM"}[locale_name]
    outcome: dict[str, object] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, SessionDialog)
        qtbot.mouseClick(dialog.starts, LEFT, pos=dialog.starts.rect().center())
        type_keys(qtbot, typed)
        outcome["shown"] = dialog.starts.text()
        _save(qtbot, dialog)

    _in_dialog(SessionDialog, fill)
    window.overview.session_button.click()
    expected = datetime(2026, 3, 14, 10, 30).astimezone()
    assert outcome == {"shown": show_datetime(expected)}
    (added,) = [s for s in services.sessions.list_for_client(client_id) if s.id not in before]
    assert added.starts_at == expected
