"""A therapist keeps a client's record and treatment programme in the demo vault.

Every field of the client dialog is filled and reaches the vault, the overview and the
exported chart; the caseload is filtered, sorted and a client archived; a programme is
created with its dates typed, chosen from the calendar and cleared, laid out from a
template (and Cancel lays out nothing), its templates edited; sessions in a programme's
calendar are marked and opened; a new session's title, place, programme and length are
kept; and a consent date is typed, chosen and cleared before it prints in the chart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QTableWidget,
    QToolButton,
    QWidget,
)

from console.export import formatting as fmt
from console.services.bundle import Services
from console.services.programs import ProgramRecord
from console.services.sessions import SessionRecord
from console.vocabulary import (
    ATTENDANCE_LABELS,
    SESSION_KIND_LABELS,
    ClientStatus,
    ProgramKind,
    SessionAttendance,
    SessionKind,
    SessionLocation,
)
from tests.acceptance.person import LEFT, Person
from ui.controller import AppController
from ui.dates import from_qdate, show_date, show_datetime


def calendar_popup(person: Person) -> QCalendarWidget:
    """The month grid a date field's calendar button opened."""
    found: list[QCalendarWidget] = []

    def shown() -> bool:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QCalendarWidget) and popup.isVisible():
            found.append(popup)
            return True
        return False

    person.qtbot.waitUntil(shown, timeout=2_000)
    return found[-1]


def choose_day(person: Person, field: str, day: date, opens_at: date | None = None) -> None:
    """Open the field's calendar, walk to the day with the arrow keys and click it."""
    person.click(f"{field} calendar", QToolButton)
    popup = calendar_popup(person)
    shown = from_qdate(popup.selectedDate())
    if opens_at is not None:
        assert shown == opens_at, f"{field}'s calendar opens at {shown}, not {opens_at}"
    steps = shown - day
    weeks, days = divmod(abs(steps.days), 7)
    back = steps.days > 0
    for _ in range(weeks):
        person.press(Qt.Key.Key_Up if back else Qt.Key.Key_Down)
    for _ in range(days):
        person.press(Qt.Key.Key_Left if back else Qt.Key.Key_Right)
    view = popup.findChild(QTableView)
    assert view is not None
    cell = view.visualRect(view.selectionModel().currentIndex())
    person.qtbot.mouseClick(view.viewport(), LEFT, pos=cell.center())
    person.qtbot.waitUntil(lambda: not popup.isVisible(), timeout=2_000)


def clear_date(person: Person, field: str) -> None:
    """The little cross inside a date field, once it has faded in."""
    button = person.find(f"Clear {field}", QToolButton)
    person.qtbot.waitUntil(lambda: button.property("opacity") == 1.0, timeout=2_000)
    person.click(f"Clear {field}", QToolButton)


def type_lines(person: Person, name: str, *lines: str) -> None:
    """Type into a multi-line field, Enter between the lines."""
    person.type(name, lines[0])
    for line in lines[1:]:
        person.press(Qt.Key.Key_Return)
        person.keys(line)


def back_to_overview(person: Person) -> None:
    person.tab("Overview")
    person.find("Client name heading", QLabel)


def fill_new_client(person: Person) -> None:
    """Every field of the New client dialog, each the way a person fills it."""
    person.type("Client name", "Mara Lindqvist")
    person.type("Preferred name", "Mara")
    person.type("Date of birth", "19900214")
    person.press(Qt.Key.Key_Tab)
    clear_date(person, "Date of birth")
    assert person.find("Date of birth", QLineEdit).text() == ""
    person.type("Date of birth", "1990-02-14")
    person.press(Qt.Key.Key_Tab)
    choose_day(person, "Date of birth", date(1990, 2, 15), opens_at=date(1990, 2, 14))
    person.type("Phone", "+44 7700 900123")
    person.type("Email", "mara@example.org")
    type_lines(person, "Address", "14 Harbour Row", "Leith EH6 7QA")
    person.type("Emergency contact name", "Jonas Lindqvist")
    person.type("Emergency contact phone", "+44 131 496 0777")
    person.type("Presenting concerns", "Panic in lifts since a breakdown in 2023.")
    person.click("Add diagnosis")
    person.keys("F41.0")
    person.press(Qt.Key.Key_Return)
    person.click("Remove diagnosis")
    person.click("Add diagnosis")
    person.keys("F40.01")
    person.press(Qt.Key.Key_Tab)
    person.keys("Panic disorder with agoraphobia")
    person.press(Qt.Key.Key_Return)
    for box in ("Anxiety cognitive", "Anxiety somatic", "Anxiety behavioural"):
        person.click(box)
    person.type("Treatment history", "Sertraline 2023-2024; six sessions of CBT.")
    person.click("Save")


def test_every_field_of_a_client_record_reaches_the_overview_and_chart(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None

    person.menu("File", "New client…", then=lambda dialog: fill_new_client(person))
    qtbot.waitUntil(lambda: person.sees("Mara Lindqvist"), timeout=3_000)
    client = services.clients.find("Lindqvist")[0]
    stored = services.clients.get(client.id)
    assert (stored.preferred_name, stored.date_of_birth) == ("Mara", date(1990, 2, 15))
    assert (stored.phone, stored.email) == ("+44 7700 900123", "mara@example.org")
    assert stored.address == "14 Harbour Row\nLeith EH6 7QA"
    assert (stored.emergency_contact_name, stored.emergency_contact_phone) == (
        "Jonas Lindqvist",
        "+44 131 496 0777",
    )
    assert stored.presenting_concerns == "Panic in lifts since a breakdown in 2023."
    assert [(d.code, d.label) for d in stored.diagnoses] == [
        ("F40.01", "Panic disorder with agoraphobia")
    ]
    assert stored.treatment_history == "Sertraline 2023-2024; six sessions of CBT."
    assert stored.anxiety_cognitive and stored.anxiety_somatic and stored.anxiety_behavioural
    person.expect("Jonas Lindqvist +44 131 496 0777")
    person.expect("cognitive, somatic, behavioural")

    def untick_cognitive(dialog: QWidget) -> None:
        person.click("Anxiety cognitive")
        person.type("Address", "")
        person.press(Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        person.press(Qt.Key.Key_Return)
        person.keys("Scotland")
        person.click("Save")

    person.click("Edit client", then=untick_cognitive)
    stored = services.clients.get(client.id)
    assert not stored.anxiety_cognitive and stored.anxiety_somatic
    assert stored.address.endswith("EH6 7QA\nScotland")
    person.expect("somatic, behavioural")

    def second_thoughts(dialog: QWidget) -> None:
        person.click("Anxiety somatic")
        person.type("Treatment history", " Not really.")
        person.click("Cancel")

    person.click("Edit client", then=second_thoughts)
    assert services.clients.get(client.id) == stored, "Cancel keeps the record as it was"

    text = person.export_client_chart(tmp_path / "mara-chart.pdf")
    for printed in (
        "Name Mara Lindqvist",
        f"Date of birth {fmt.day(date(1990, 2, 15))} (age",
        "Phone +44 7700 900123",
        "Email mara@example.org",
        "Address 14 Harbour Row Leith EH6 7QA Scotland",
        "Emergency contact Jonas Lindqvist · +44 131 496 0777",
        "Presenting concerns Panic in lifts since a breakdown in 2023.",
        "Anxiety presentation Somatic, behavioural",
        "Treatment history Sertraline 2023-2024; six sessions of CBT.",
        "F40.01",
    ):
        assert printed in text, printed
    assert "Not really" not in text


def new_program_for_alex(person: Person, today: date) -> None:
    person.choose("Program kind", "Weekly")
    person.type("Title", "Commuting maintenance")
    person.type("Start date", (today - timedelta(days=30)).isoformat(), replace=True)
    person.press(Qt.Key.Key_Tab)
    person.type("End date", (today + timedelta(days=60)).isoformat())
    person.press(Qt.Key.Key_Tab)
    choose_day(person, "End date", today + timedelta(days=58), opens_at=today + timedelta(days=60))
    assert person.find("End date", QLineEdit).text() == show_date(today + timedelta(days=58))
    clear_date(person, "End date")
    assert person.find("End date", QLineEdit).text() == ""
    person.type("Description", "Monthly check of the commute, graded rush-hour rides.")
    type_lines(person, "Goals", "Rush hour without leaving the train", "Drop the safety bottle")
    person.click("Save")


def new_session(person: Person, then: Callable[[QWidget], None]) -> None:
    person.click("New session", QPushButton, then=then)
    person.expect("Session tools")
    back_to_overview(person)


def test_a_program_and_its_sessions_in_a_chart_over_chosen_dates(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    today = date.today()
    person.open_client("Alex")
    alex = services.clients.find("Rivera")[0]
    programs_before = services.programs.list_for_client(alex.id)

    def not_now(dialog: QWidget) -> None:
        person.type("Title", "Never planned")
        person.click("Cancel")

    person.click("New program", then=not_now)
    assert services.programs.list_for_client(alex.id) == programs_before

    person.click("New program", then=lambda dialog: new_program_for_alex(person, today))
    program = next(
        p for p in services.programs.list_for_client(alex.id) if p.title == "Commuting maintenance"
    )
    assert program.kind is ProgramKind.WEEKLY
    assert (program.start_date, program.end_date) == (today - timedelta(days=30), None)
    assert program.description == "Monthly check of the commute, graded rush-hour rides."
    assert [g.text for g in program.goals] == [
        "Rush hour without leaving the train",
        "Drop the safety bottle",
    ]
    person.expect("Drop the safety bottle")

    sessions_before = len(services.sessions.list_for_client(alex.id))
    person.click("New session", QPushButton, then=not_now)
    assert len(services.sessions.list_for_client(alex.id)) == sessions_before

    inside = datetime.combine(today - timedelta(days=10), datetime.min.time()).replace(hour=9)

    def in_the_program(dialog: QWidget) -> None:
        person.choose("Session type", "EMDR")
        person.type("Session start", show_datetime(inside))
        person.type("Duration in minutes", "75", replace=True)
        person.choose("Location", "Telehealth")
        person.choose("Program", "Commuting maintenance")
        person.type("Title", "Rush-hour rehearsal")
        person.click("Save")

    new_session(person, in_the_program)
    session = services.sessions.list_for_client(alex.id)[0]
    assert session.starts_at == inside.astimezone()
    assert (session.kind, session.duration_min) == (SessionKind.EMDR, 75)
    assert session.location is SessionLocation.TELEHEALTH
    assert (session.program_id, session.title) == (program.id, "Rush-hour rehearsal")

    before = datetime.combine(today - timedelta(days=25), datetime.min.time()).replace(hour=9)

    def before_the_range(dialog: QWidget) -> None:
        person.type("Session start", show_datetime(before))
        person.type("Title", "Station walk-through")
        person.click("Save")

    new_session(person, before_the_range)
    walk = next(
        s for s in services.sessions.list_for_client(alex.id) if s.starts_at == before.astimezone()
    )
    assert (walk.title, walk.program_id) == ("Station walk-through", None)

    calendar = open_calendar(person, "Commuting maintenance")
    person.find(chip_name(person, console, "Commuting maintenance", 0), QPushButton)
    person.click("Close", within=calendar)
    qtbot.waitUntil(lambda: not calendar.isVisible(), timeout=3_000)

    def from_the_calendar() -> None:
        choose_day(person, "From date", today - timedelta(days=15), opens_at=today)
        person.type("To date", (today - timedelta(days=12)).isoformat())
        person.press(Qt.Key.Key_Tab)
        clear_date(person, "To date")

    text = person.export_client_chart(tmp_path / "alex-recent.pdf", from_the_calendar)
    for printed in (
        f"Weekly program · {fmt.day(today - timedelta(days=30))} – ongoing",
        "Monthly check of the commute, graded rush-hour rides.",
        "Drop the safety bottle",
        "EMDR · 1 h 15 min · Telehealth",
        "Commuting maintenance · Rush-hour rehearsal",
    ):
        assert printed in text, printed
    assert "Station walk-through" not in text, "a session before From is left out"

    def until_typed() -> None:
        person.type("From date", (today - timedelta(days=5)).isoformat())
        person.press(Qt.Key.Key_Tab)
        clear_date(person, "From date")
        person.type("To date", (today - timedelta(days=21)).isoformat())
        person.press(Qt.Key.Key_Tab)
        choose_day(
            person, "To date", today - timedelta(days=22), opens_at=today - timedelta(days=21)
        )

    text = person.export_client_chart(tmp_path / "alex-early.pdf", until_typed)
    assert "Station walk-through" in text, "a cleared From leaves the start open"
    assert "Rush-hour rehearsal" not in text, "a session after To is left out"


def caseload_rows(person: Person) -> list[str]:
    view = person.find("Client list", QListWidget)
    return [view.item(row).text() for row in range(view.count())]


def test_the_caseload_filtered_sorted_and_a_client_archived(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    services = console.services
    assert services is not None

    person.type("Filter clients", "hadd")
    qtbot.waitUntil(lambda: len(caseload_rows(person)) == 1, timeout=3_000)
    assert caseload_rows(person)[0].startswith("Noor Haddad")
    clear_filter = person.find("Clear filter", QToolButton)
    qtbot.waitUntil(lambda: clear_filter.property("opacity") == 1.0, timeout=2_000)
    person.click("Clear filter", QToolButton)
    qtbot.waitUntil(lambda: len(caseload_rows(person)) == 3, timeout=3_000)
    assert person.find("Filter clients", QLineEdit).text() == ""

    person.open_client("Zo")

    def new_phone(dialog: QWidget) -> None:
        person.type("Phone", "+44 20 7946 0999")
        person.click("Save")

    person.click("Edit client", then=new_phone)
    person.choose("Sort clients", "Recently updated")
    assert caseload_rows(person)[0].startswith("Zoë"), "the client just edited comes first"
    person.choose("Sort clients", "Newest")
    assert caseload_rows(person)[0].startswith("Noor"), "the demo's last client is the newest"
    person.choose("Sort clients", "By name")
    assert [row.split()[0] for row in caseload_rows(person)] == ["Alex", "Noor", "Zoë"]

    select_client(person, "Noor")
    noor = services.clients.find("Haddad")[0]

    def confirm(box: QWidget) -> None:
        assert "Noor Haddad" in box.text()  # type: ignore[attr-defined]
        person.click("Yes")

    person.click("Archive client", then=confirm)
    assert services.clients.get(noor.id).status is ClientStatus.ARCHIVED
    qtbot.waitUntil(lambda: len(caseload_rows(person)) == 2, timeout=3_000)
    assert not any(row.startswith("Noor") for row in caseload_rows(person))
    person.find("Reactivate client", QPushButton)
    person.expect("Archived")

    person.choose("Client status filter", "Archived")
    assert [row.split()[0] for row in caseload_rows(person)] == ["Dmitri", "Noor"]
    assert all(row.endswith("— archived") for row in caseload_rows(person))
    select_client(person, "Dmitri")
    person.click("Reactivate client", QPushButton)
    dmitri = services.clients.find("Ivanov")[0]
    assert dmitri.status is ClientStatus.ACTIVE
    qtbot.waitUntil(lambda: len(caseload_rows(person)) == 1, timeout=3_000)
    assert caseload_rows(person)[0].startswith("Noor")
    person.find("Archive client", QPushButton)


def all_programs(console: AppController) -> list[ProgramRecord]:
    services = console.services
    assert services is not None
    return [p for c in services.clients.list() for p in services.programs.list_for_client(c.id)]


def program_session(console: AppController, program_title: str, index: int) -> SessionRecord:
    """The program's session at this place in its calendar, as the vault holds it now."""
    services = console.services
    assert services is not None
    program = next(p for p in all_programs(console) if p.title == program_title)
    return services.course.program_sessions(program.id)[index].session


def chip_name(person: Person, console: AppController, program_title: str, index: int) -> str:
    """What a screen reader calls a session's chip in the program's calendar."""
    session = program_session(console, program_title, index)
    title = session.title or SESSION_KIND_LABELS[session.kind]
    return f"{title}, {show_datetime(session.starts_at)}, {ATTENDANCE_LABELS[session.attendance]}"


def select_client(person: Person, name: str) -> None:
    """Click the client's row in the caseload; the overview shows them."""
    person.pick("Client list", name)
    heading = person.find("Client name heading", QLabel)
    person.qtbot.waitUntil(lambda: heading.text().startswith(name), timeout=3_000)


def open_calendar(person: Person, program_title: str) -> QWidget:
    person.click(f"Calendar for {program_title}", QPushButton)
    heading = person.find("Program heading", QLabel)
    person.qtbot.waitUntil(lambda: program_title in heading.text(), timeout=3_000)
    return heading.window()


def test_sessions_marked_and_opened_from_a_program_calendar(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    services = console.services
    assert services is not None
    main = console.main_window
    assert main is not None

    person.open_client("Zo")
    weekly = "Weekly integration (EMDR and IFS)"
    calendar = open_calendar(person, weekly)
    second = program_session(console, weekly, 1)
    person.click(chip_name(person, console, weekly, 1), QPushButton, within=calendar)
    person.click("Mark cancelled", within=calendar)
    assert services.sessions.get(second.id).attendance is SessionAttendance.CANCELLED
    tally = person.find("Attendance tally", QLabel, within=calendar)
    assert "1 cancelled" in tally.text()
    person.find(chip_name(person, console, weekly, 1), QPushButton, within=calendar)
    person.click("Close", within=calendar)
    qtbot.waitUntil(lambda: not calendar.isVisible(), timeout=3_000)

    select_client(person, "Alex")
    intensive = "Ketamine-assisted intensive"
    calendar = open_calendar(person, intensive)
    first = program_session(console, intensive, 0)
    person.click(chip_name(person, console, intensive, 0), QPushButton, within=calendar)
    person.click("Mark planned", within=calendar)
    assert services.sessions.get(first.id).attendance is SessionAttendance.PLANNED
    assert "Planned" in chip_name(person, console, intensive, 0)
    person.find(chip_name(person, console, intensive, 0), QPushButton, within=calendar)
    person.click("Open session", within=calendar)
    qtbot.waitUntil(
        lambda: (w := main.current_workspace()) is not None and w.session.id == first.id,
        timeout=3_000,
    )
    person.click("Close", within=calendar)
    qtbot.waitUntil(lambda: not calendar.isVisible(), timeout=3_000)


def test_a_program_laid_out_from_a_template_and_the_templates_edited(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController
) -> None:
    services = console.services
    assert services is not None
    today = date.today()
    start = today + timedelta(days=7)
    person.open_client("Noor")
    noor = services.clients.find("Haddad")[0]

    def new_program(dialog: QWidget) -> None:
        person.choose("Program kind", "Intensive")
        person.type("Title", "Exam-season intensive")
        clear_date(person, "Start date")
        person.click("Save")
        assert dialog.isVisible(), "a program is not saved without its start"
        assert person.find("Start error", QLabel).text()
        choose_day(person, "Start date", start, opens_at=today)
        person.click("Save")

    person.click("New program", then=new_program)
    program = services.programs.list_for_client(noor.id)[0]
    assert (program.kind, program.start_date) == (ProgramKind.INTENSIVE, start)

    calendar = open_calendar(person, "Exam-season intensive")
    person.find("Calendar empty", QLabel, within=calendar)
    templates = {t.template.kind: t for t in services.course.templates()}
    first_at = datetime.combine(start, datetime.min.time()).replace(hour=9, minute=30)

    layout = open_lay_out(person, calendar)
    person.choose("Template", templates["weekly"].name)
    summary = person.find("Template summary", QLabel, within=layout)
    assert summary.text() == templates["weekly"].template.summary
    person.type("First session", show_datetime(first_at))
    person.click("Cancel", within=layout)
    qtbot.waitUntil(lambda: not layout.isVisible(), timeout=3_000)
    assert services.course.program_sessions(program.id) == [], "Cancel lays out nothing"

    layout = open_lay_out(person, calendar)
    assert person.find("Template", QComboBox).currentText() == templates["intensive"].name, (
        "an intensive program offers the intensive template first"
    )
    person.type("First session", show_datetime(first_at))
    person.click("Lay out", within=layout)
    qtbot.waitUntil(lambda: not layout.isVisible(), timeout=3_000)
    entries = services.course.program_sessions(program.id)
    steps = templates["intensive"].template.steps
    assert len(entries) == len(steps)
    assert entries[0].session.starts_at == first_at.astimezone()
    assert {e.session.attendance for e in entries} == {SessionAttendance.PLANNED}
    last_day = (first_at + timedelta(days=steps[-1].day)).date()
    assert services.programs.get(program.id).end_date == last_day
    person.find(chip_name(person, console, "Exam-season intensive", 0), QPushButton)
    assert "16 planned" in person.find("Attendance tally", QLabel, within=calendar).text()

    mark_and_move(person, console, calendar)
    edit_templates(person, services)
    person.click("Close", within=calendar)
    qtbot.waitUntil(lambda: not calendar.isVisible(), timeout=3_000)


def mark_and_move(person: Person, console: AppController, calendar: QWidget) -> None:
    """Done, missed, and a session moved to the next day with Move to…, its time kept."""
    services = console.services
    assert services is not None
    title = "Exam-season intensive"
    sessions = [program_session(console, title, index) for index in range(3)]
    person.click(chip_name(person, console, title, 0), QPushButton, within=calendar)
    person.click("Mark done", within=calendar)
    assert services.sessions.get(sessions[0].id).attendance is SessionAttendance.DONE
    person.click(chip_name(person, console, title, 1), QPushButton, within=calendar)
    person.click("Mark missed", within=calendar)
    assert services.sessions.get(sessions[1].id).attendance is SessionAttendance.MISSED
    tally = person.find("Attendance tally", QLabel, within=calendar).text()
    assert "1 done" in tally and "1 missed" in tally, tally

    person.click(chip_name(person, console, title, 2), QPushButton, within=calendar)
    was = sessions[2].starts_at.astimezone()
    new_day = was.date() + timedelta(days=1)
    move_to(person, calendar, new_day + timedelta(days=1), "Cancel")
    assert services.sessions.get(sessions[2].id).starts_at == sessions[2].starts_at
    move_to(person, calendar, new_day, "OK")
    moved = datetime.combine(new_day, was.time()).astimezone()
    person.qtbot.waitUntil(
        lambda: services.sessions.get(sessions[2].id).starts_at == moved, timeout=3_000
    )
    person.find(chip_name(person, console, title, 2), QPushButton, within=calendar)


def move_to(person: Person, calendar: QWidget, day: date, button: str) -> None:
    """Move to… with the new day typed, then OK or Cancel."""
    person.click("Move to", within=calendar)
    dialog = person.find("New day", QWidget).window()
    person.type("New day", show_date(day))
    person.click(button, within=dialog)
    person.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3_000)


def open_lay_out(person: Person, calendar: QWidget) -> QWidget:
    """The calendar's Lay out from template… opens its dialog over the calendar."""
    person.click("Lay out from template", within=calendar)
    return person.find("Template", QComboBox).window()


def step_cell(person: Person, row: int) -> tuple[QTableWidget, QPoint]:
    table = person.find("Template steps", QTableWidget)
    title = table.item(row, 2)
    assert title is not None
    return table, table.visualItemRect(title).center()


def edit_templates(person: Person, services: Services) -> None:
    """A new template: named, of its kind, three steps of which one is removed; saved and
    then archived, so it is no longer offered."""
    person.click("Edit templates")
    name = person.find("Template name", QLineEdit)
    editor = name.window()
    person.click("New template", within=editor)
    assert name.text() == ""
    person.type("Template name", "Exam fortnight")
    person.choose("Course kind", "Other")
    for _ in range(3):
        person.click("Add step", within=editor)
    table, cell = step_cell(person, 0)
    person.double_click(table.viewport(), cell)
    person.keys("Check-in")
    person.press(Qt.Key.Key_Return)
    table, cell = step_cell(person, 1)
    person.qtbot.mouseClick(table.viewport(), LEFT, pos=cell)
    person.click("Remove step", within=editor)
    assert table.rowCount() == 2
    person.click("Save template", within=editor)
    saved = next(t for t in services.course.templates() if t.name == "Exam fortnight")
    assert saved.template.kind == "other"
    assert [(s.day, s.title) for s in saved.template.steps] == [(0, "Check-in"), (14, "")]
    templates_list = person.find("Templates", QListWidget, within=editor)
    shown = [templates_list.item(r).text() for r in range(templates_list.count())]
    assert any(text.startswith("Exam fortnight") for text in shown)
    person.click("Archive template", within=editor)
    assert all(t.name != "Exam fortnight" for t in services.course.templates())
    shown = [templates_list.item(r).text() for r in range(templates_list.count())]
    assert not any(text.startswith("Exam fortnight") for text in shown)
    person.click("Close", within=editor)
    person.qtbot.waitUntil(lambda: not editor.isVisible(), timeout=3_000)


def screening_badge(person: Person, console: AppController) -> QWidget:
    """The overview's screening summary, which opens the screening when clicked."""
    main = console.main_window
    assert main is not None
    badge = main.overview.screening_badge
    person.qtbot.waitUntil(badge.isVisible, timeout=3_000)
    return badge


def test_a_consent_date_typed_chosen_cleared_and_printed(  # type: ignore[no-untyped-def]
    qtbot, person: Person, console: AppController, tmp_path: Path
) -> None:
    services = console.services
    assert services is not None
    today = date.today()
    person.open_client("Noor")
    noor = services.clients.find("Haddad")[0]

    before = services.screening.get(noor.id)
    person.click("Screening")
    screening = person.find("Screening state", QLabel).window()
    person.type("Consent version", "changed my mind", replace=True)
    person.click("Cancel", within=screening)
    qtbot.waitUntil(lambda: not screening.isVisible(), timeout=3_000)
    assert services.screening.get(noor.id) == before, "Cancel keeps the screening as it was"

    badge = screening_badge(person, console)
    assert "expired" in badge.accessibleName()
    person.reveal(badge)
    qtbot.mouseClick(badge, LEFT, pos=badge.rect().center())
    screening = person.find("Screening state", QLabel).window()
    expiry = person.find("Consent expiry", QLabel)
    assert expiry.text().startswith("⚠ Expired"), "the demo's consent is over a year old"
    person.click("Consent given today")
    assert person.find("Consent date", QLineEdit).text() == show_date(today)
    assert expiry.text().startswith("Expires")
    person.type("Consent date", (today - timedelta(days=2)).isoformat(), replace=True)
    person.press(Qt.Key.Key_Tab)
    assert expiry.text().startswith("Expires")
    clear_date(person, "Consent date")
    assert person.find("Consent date", QLineEdit).text() == ""
    assert not expiry.isVisible(), "no consent, no expiry"
    choose_day(person, "Consent date", today - timedelta(days=1), opens_at=today)
    assert person.find("Consent date", QLineEdit).text() == show_date(today - timedelta(days=1))
    person.type("Consent version", "KAP consent v3.0", replace=True)
    person.click("Save", within=screening)
    qtbot.waitUntil(lambda: not screening.isVisible(), timeout=3_000)
    record = services.screening.get(noor.id)
    assert (record.consent_date, record.consent_version) == (
        today - timedelta(days=1),
        "KAP consent v3.0",
    )
    assert "expired" not in screening_badge(person, console).accessibleName()

    text = person.export_client_chart(tmp_path / "noor-chart.pdf")
    given = fmt.day(today - timedelta(days=1))
    assert f"Informed consent {given}, version KAP consent v3.0 — expires" in text
