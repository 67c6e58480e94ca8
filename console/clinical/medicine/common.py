"""Item lists and number checks the medicine rules share."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from console.errors import ValidationError


@dataclass(frozen=True)
class Item:
    key: str
    label: str


def item_keys(items: Sequence[Item]) -> tuple[str, ...]:
    return tuple(i.key for i in items)


def item_labels(items: Sequence[Item]) -> dict[str, str]:
    return {i.key: i.label for i in items}


def finite_number(value: object, field_name: str) -> float:
    """A finite int or float (never a bool, which is an int in Python)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(field_name, "must be a number")
    if not math.isfinite(value):
        raise ValidationError(field_name, "must be a finite number")
    return float(value)


def show(value: float) -> str:
    """182.0 -> '182', 0.55 -> '0.55': values as a clinician writes them."""
    return f"{value:g}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
