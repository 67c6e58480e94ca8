"""Field checks shared by every service: one typed error naming the field.

Services check everything before they write, so a refused value never
leaves a record half-saved.
"""

from __future__ import annotations

import enum
import re
import uuid
from datetime import UTC, date, datetime
from typing import TypeVar

from console.errors import ValidationError

E = TypeVar("E", bound=enum.Enum)

MAX_LINE = 200
MAX_TEXT = 10_000_000  # characters; a 1 MB note is well inside
ICD10 = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9+()./\- x]*$")


def text(field: str, value: object, *, required: bool = False, max_len: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    if "\x00" in value:
        raise ValidationError(field, "contains a NUL character")
    if required and not value.strip():
        raise ValidationError(field, "is required")
    if len(value) > max_len:
        raise ValidationError(field, f"is too long (at most {max_len:,} characters)")
    return value


def line(field: str, value: object, *, required: bool = False, max_len: int = MAX_LINE) -> str:
    result = text(field, value, required=required, max_len=max_len)
    if "\n" in result or "\r" in result:
        raise ValidationError(field, "must be on one line")
    return result.strip()


def choice(field: str, value: object, kind: type[E]) -> E:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in kind)
        raise ValidationError(field, f"must be one of: {allowed}") from None


def integer(field: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "must be a whole number")
    if not lo <= value <= hi:
        raise ValidationError(field, f"must be between {lo} and {hi}")
    return value


def past_date(field: str, value: object, *, required: bool = False) -> date | None:
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(field, "must be a date")
    if value > datetime.now(UTC).date():
        raise ValidationError(field, "cannot be in the future")
    if value.year < 1900:
        raise ValidationError(field, "must be after 1900")
    return value


def a_date(field: str, value: object, *, required: bool = False) -> date | None:
    if value is None:
        if required:
            raise ValidationError(field, "is required")
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(field, "must be a date")
    if not 1900 <= value.year <= 2200:
        raise ValidationError(field, "is not a plausible date")
    return value


def instant(field: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(field, "must be a date and time")
    if value.tzinfo is None:
        raise ValidationError(field, "must include a time zone")
    if not 1900 <= value.year <= 2200:
        raise ValidationError(field, "is not a plausible date")
    return value.astimezone(UTC)


def icd10(field: str, value: object) -> str:
    """Case and spaces are how people type a code, not part of it: " f41. 1" is F41.1."""
    code = "".join(text(field, value).split()).upper()
    if code and not ICD10.fullmatch(code):
        raise ValidationError(field, "is not an ICD-10 code (for example F41.1)")
    return code


def email(field: str, value: object) -> str:
    address = line(field, value)
    if address and not EMAIL.match(address):
        raise ValidationError(field, "is not an email address")
    return address


def phone(field: str, value: object) -> str:
    number = line(field, value, max_len=50)
    if number and not PHONE.match(number):
        raise ValidationError(field, "may hold only digits, spaces and + ( ) - . /")
    return number


def record_id(field: str, value: object) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError(field, "is not a record id") from None
