"""The Medicine tab (KAP): dose, vitals timeline and plot, adverse events, discharge."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from console.vocabulary import SessionKind
from ui.medicine.common import Clock
from ui.medicine.view import MedicineView
from ui.session.registry import SessionContext, TabSpec, register_tab


class MedicineTab(MedicineView):
    """The session's medicine record, on the window's clock when a test or the demo sets one."""

    def __init__(
        self, context: SessionContext, now: Clock | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            context.services,
            context.session_id,
            context.client_id,
            context.settings,
            now or context.clock,
            parent,
        )
        self.context = context


register_tab(
    TabSpec("medicine", "Medicine", 15, MedicineTab, lambda s: s.kind is SessionKind.MEDICINE)
)
