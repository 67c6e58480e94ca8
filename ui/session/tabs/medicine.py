"""The Medicine tab (KAP): dose, vitals timeline and plot, adverse events, discharge."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from PySide6.QtWidgets import QWidget

from console.config import Settings
from console.vocabulary import SessionKind
from ui.medicine.common import Clock
from ui.medicine.view import MedicineView
from ui.session.registry import SessionContext, TabSpec, register_tab


class MedicineTab(MedicineView):
    """The session's medicine record; `context.extras["clock"]` (a () -> datetime) if given."""

    def __init__(
        self, context: SessionContext, now: Clock | None = None, parent: QWidget | None = None
    ) -> None:
        settings = context.extras.get("settings")
        clock = now or context.extras.get("clock")
        super().__init__(
            context.services,
            context.session_id,
            context.client_id,
            settings if isinstance(settings, Settings) else None,
            cast(Clock, clock) if callable(clock) and _gives_datetime(clock) else None,
            parent,
        )
        self.context = context


def _gives_datetime(clock: object) -> bool:
    try:
        return isinstance(clock(), datetime)  # type: ignore[operator]
    except Exception:  # any other clock (a monotonic float, say) is not ours
        return False


register_tab(
    TabSpec("medicine", "Medicine", 15, MedicineTab, lambda s: s.kind is SessionKind.MEDICINE)
)
