"""Dates and times as the person at the laptop reads and types them, in one format: the system's.

Every date or time the console shows goes through here, so a date of birth
reads the same in the client dialog, the overview and a session list, in the
order and with the separators of the locale (QLocale(): the system's unless a
test or the application chose another with QLocale.setDefault). Years always
have four digits: "3/14/88" would leave a date of birth to guesswork. With no
locale configured (C), whose own short date is "14 03 1988", dates read as
ISO 8601, 1988-03-14. The PDF records are dated by console.export, not here.

Reading typed dates is here too, so what is shown can always be typed back.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QLocale, QTime

EARLIEST = date(1900, 1, 1)

_C_DATE = "yyyy-MM-dd"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_EIGHT_DIGITS = re.compile(r"\d{8}")
_NUMBERS = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")


def _locale() -> QLocale:
    return QLocale()


def _local(moment: datetime) -> datetime:
    """An aware moment in the laptop's time zone; a naive one is taken as already local."""
    return moment.astimezone() if moment.tzinfo is not None else moment


def date_format() -> str:
    """The Qt format of a shown date: the locale's short date with a four-digit year."""
    locale = _locale()
    if locale.language() == QLocale.Language.C:
        return _C_DATE
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return re.sub(r"(?<!y)y{1,2}(?!y)", "yyyy", short)


def time_format(*, seconds: bool = False) -> str:
    """The locale's short time; with seconds for "saved at" stamps that change within a minute."""
    short = _locale().timeFormat(QLocale.FormatType.ShortFormat)
    if not seconds or "s" in short:
        return short
    separator = re.search(r"[hH]+(\W+)m", short)
    return short.replace("mm", f"mm{separator.group(1) if separator else ':'}ss", 1)


def datetime_format() -> str:
    return f"{date_format()} {time_format()}"


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _day(value: date | datetime) -> QDate:
    return to_qdate(_local(value).date() if isinstance(value, datetime) else value)


def show_date(value: date | datetime) -> str:
    """The one way a day is written on screen; an aware moment is the day where the laptop is."""
    return _locale().toString(_day(value), date_format())


def show_long_date(value: date | datetime) -> str:
    """A day written out with its weekday and month name, for headings and screen readers."""
    return _locale().toString(_day(value), _locale().dateFormat(QLocale.FormatType.LongFormat))


def show_day_month(value: date | datetime) -> str:
    """The day without its year, where the year is plain from around it (a calendar's grid)."""
    with_year = date_format()
    year_first = with_year.startswith("y")
    fmt = re.sub(r"^y+[^dM]*" if year_first else r"[^dM]*y+.*$", "", with_year)
    return _locale().toString(_day(value), fmt)


def show_time(value: time | datetime, *, seconds: bool = False) -> str:
    """A time of day; an aware moment is shown in the laptop's time zone."""
    if isinstance(value, datetime):
        value = _local(value).time()
    qtime = QTime(value.hour, value.minute, value.second)
    return _locale().toString(qtime, time_format(seconds=seconds))


def show_datetime(value: datetime) -> str:
    """A moment as its date and time, in the laptop's time zone when it is aware."""
    return f"{show_date(value)} {show_time(value)}"


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class AmbiguousDate(ValueError):
    """The digits read as two different days, e.g. year first or day first."""

    def __init__(self, readings: tuple[date, date]) -> None:
        super().__init__("ambiguous date")
        self.readings = readings


def _order() -> str:
    """The order of the fields in the locale's dates: "dMy", "Mdy" or "yMd"."""
    fmt = re.sub(r"'[^']*'", "", date_format())
    return "".join(sorted("dMy", key=lambda field: fmt.find(field) if field in fmt else len(fmt)))


def _century_choices(two_digits: int, today: date) -> list[int]:
    """A two-digit year as the nearer century first: up to ten years ahead, else the past."""
    recent = 2000 + two_digits
    nearer, other = (recent, recent - 100) if recent <= today.year + 10 else (recent - 100, recent)
    return [nearer, other]


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_fields(fields: dict[str, str], today: date) -> list[date]:
    year = fields["y"]
    years = _century_choices(int(year), today) if len(year) <= 2 else [int(year)]
    found = (_valid(y, int(fields["M"]), int(fields["d"])) for y in years)
    return [d for d in found if d is not None]


def _readings(text: str, today: date) -> list[date]:
    """The days the text can mean, the likelier first; empty when it is no date at all."""
    locale = _locale()
    for fmt in (date_format(), locale.dateFormat(QLocale.FormatType.LongFormat), "d MMM yyyy"):
        shown = locale.toDate(text, fmt)
        if shown.isValid():
            return [from_qdate(shown)]
    iso = _ISO.fullmatch(text)
    if iso:
        found = _valid(int(iso[1]), int(iso[2]), int(iso[3]))
        return [found] if found else []
    if _EIGHT_DIGITS.fullmatch(text):
        year_first = _valid(int(text[:4]), int(text[4:6]), int(text[6:]))
        by_locale: list[date] = []
        if _order() != "yMd":
            first, second = _order()[0], _order()[1]
            by_locale = _from_fields({first: text[:2], second: text[2:4], "y": text[4:]}, today)
        return [d for d in (year_first, *by_locale) if d is not None]
    numbers = _NUMBERS.findall(text)
    if _LETTER.search(text) or len(numbers) != 3:
        return []
    order = "yMd" if len(numbers[0]) == 4 else _order()
    return _from_fields(dict(zip(order, numbers, strict=True)), today)


def parse_date(
    text: str, earliest: date | None = EARLIEST, latest: date | None = None
) -> date | None:
    """The day typed: as shown, as ISO 2026-12-01, or as eight digits, year first (19880314)
    or in the locale's order (14031988). None when nothing is typed.

    Among readings, one between `earliest` and `latest` wins; a reading outside them is still
    returned, for the caller to refuse in words. Raises ValueError when the text is no date,
    and AmbiguousDate when two readings fit.
    """
    text = text.strip()
    if not text:
        return None
    readings = _readings(text, date.today())
    if not readings:
        raise ValueError(f"not a date: {text!r}")
    fitting = [
        d
        for d in dict.fromkeys(readings)
        if (earliest is None or d >= earliest) and (latest is None or d <= latest)
    ]
    if len(fitting) > 1 and _EIGHT_DIGITS.fullmatch(text):
        raise AmbiguousDate((fitting[0], fitting[1]))
    return fitting[0] if fitting else readings[0]
