"""The client dialog's diagnoses, driven as a therapist does: mouse for the buttons, keys into
the table's cells, Space for the primary; a refused code keeps the dialog and the typing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialogButtonBox, QLineEdit, QWidget

from console.services.clients import DiagnosisFields
from tests.ui.conftest import save_artifact, when_modal
from tests.ui.people import type_keys, visible_texts
from ui.clients.diagnoses_editor import CODE, LABEL, PRIMARY
from ui.clients.dialogs import ClientDialog
from ui.controller import AppController

LEFT = Qt.MouseButton.LeftButton
GAD = DiagnosisFields("F41.1", "Generalised anxiety disorder")
PTSD = DiagnosisFields("F43.10", "Post-traumatic stress disorder")
SCREENSHOT = Path("/tmp/diag_dialog.png")


def _in_dialog(check: Callable[[ClientDialog], None]) -> Callable[[QWidget], None]:
    """Run the steps on the dialog; a failed step closes it, so the test fails, never hangs."""

    def run(dialog: QWidget) -> None:
        assert isinstance(dialog, ClientDialog)
        try:
            check(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    return run


def _save(qtbot, dialog: ClientDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)


def _add(  # type: ignore[no-untyped-def]
    qtbot, dialog: ClientDialog, code: str, label: str, *, finish: bool = True
) -> None:
    """Add a row by mouse, type its code, Tab, its label, and Return unless not `finish`."""
    qtbot.mouseClick(dialog.diagnoses.add_button, LEFT)
    _type_row(qtbot, dialog, code, label, finish=finish)


def _type_row(  # type: ignore[no-untyped-def]
    qtbot, dialog: ClientDialog, code: str, label: str, *, finish: bool = True
) -> None:
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "Add diagnosis puts the cursor in the new code cell"
    assert editor.accessibleName().endswith(" code")
    type_keys(qtbot, code, Qt.Key.Key_Tab)
    assert QApplication.focusWidget().accessibleName().endswith(" label")  # type: ignore[union-attr]
    type_keys(qtbot, label)
    if finish:
        type_keys(qtbot, Qt.Key.Key_Return)
        table = dialog.diagnoses.table
        qtbot.waitUntil(lambda: table.state() is not QAbstractItemView.State.EditingState)


def _cell(dialog: ClientDialog, row: int, column: int) -> str:
    item = dialog.diagnoses.table.item(row, column)
    assert item is not None
    return item.text()


def test_new_client_with_two_diagnoses_typed_into_the_table(qtbot, unlocked: AppController) -> None:  # type: ignore[no-untyped-def]
    window, services = unlocked.main_window, unlocked.services
    assert window is not None and services is not None
    window.resize(1366, 768)

    def fill(dialog: ClientDialog) -> None:
        qtbot.keyClicks(dialog.name, "Wren Haldane")
        _add(qtbot, dialog, "f41.1", GAD.label, finish=False)
        table = dialog.diagnoses.table
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: table.rowCount() == 2)  # the mnemonic clicks after a moment
        _type_row(qtbot, dialog, "F43.10", PTSD.label)
        assert (_cell(dialog, 0, CODE), _cell(dialog, 0, LABEL)) == ("F41.1", GAD.label)
        assert table.item(0, PRIMARY).checkState() == Qt.CheckState.Checked  # type: ignore[union-attr]
        type_keys(qtbot, Qt.Key.Key_Right, Qt.Key.Key_Space)
        assert table.item(1, PRIMARY).checkState() == Qt.CheckState.Checked  # type: ignore[union-attr]
        assert table.item(0, PRIMARY).checkState() == Qt.CheckState.Unchecked  # type: ignore[union-attr]
        assert dialog.frameGeometry().height() <= 768 and dialog.frameGeometry().width() <= 1366
        assert dialog.diagnoses.table.horizontalHeader().isVisible()
        dialog.grab().save(str(SCREENSHOT))
        save_artifact(dialog, "client-dialog-diagnoses.png")
        _save(qtbot, dialog)

    when_modal(_in_dialog(fill))
    window.new_client_action.trigger()

    (client,) = services.clients.find("Wren Haldane")
    assert client.diagnoses == (
        DiagnosisFields("F43.10", PTSD.label, primary=True),
        DiagnosisFields("F41.1", GAD.label),
    )
    shown = "F43.10 Post-traumatic stress disorder (primary); F41.1 Generalised anxiety disorder"
    qtbot.waitUntil(lambda: shown in visible_texts(), timeout=3_000)
    save_artifact(window, "overview-diagnoses.png")


def test_a_bad_code_is_shown_beside_the_table_and_nothing_typed_is_lost(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController
) -> None:
    window, services = unlocked.main_window, unlocked.services
    assert window is not None and services is not None
    (zoe,) = services.clients.find("Zoë")
    window.caseload.select(zoe.id)
    outcome: dict[str, object] = {}

    def edit(dialog: ClientDialog) -> None:
        assert dialog.diagnoses.diagnoses() == (replace(GAD, primary=True), PTSD)
        _add(qtbot, dialog, "F51,01", "Insomnia", finish=False)
        _save(qtbot, dialog)
        assert dialog.isVisible(), "a refused code keeps the dialog open"
        message = dialog.errors.text("diagnoses")
        assert message == "Diagnosis 3: “F51,01” is not an ICD-10 code (for example F41.1)."
        assert message in visible_texts()
        save_artifact(dialog, "client-dialog-diagnoses-error.png")
        assert (_cell(dialog, 2, CODE), _cell(dialog, 2, LABEL)) == ("F51,01", "Insomnia")

        table = dialog.diagnoses.table
        qtbot.mouseClick(
            table.viewport(), LEFT, pos=table.visualItemRect(table.item(2, CODE)).center()
        )
        type_keys(qtbot, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit) and editor.text() == "F51,01"
        editor.selectAll()
        type_keys(qtbot, "F51.01", Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.state() is not QAbstractItemView.State.EditingState)

        qtbot.mouseClick(
            table.viewport(), LEFT, pos=table.visualItemRect(table.item(1, LABEL)).center()
        )
        qtbot.mouseClick(dialog.diagnoses.remove_button, LEFT)
        assert table.rowCount() == 2
        _save(qtbot, dialog)
        outcome["closed"] = not dialog.isVisible()

    when_modal(_in_dialog(edit))
    qtbot.mouseClick(window.overview.edit_button, LEFT)

    assert outcome == {"closed": True}
    assert services.clients.get(zoe.id).diagnoses == (
        replace(GAD, primary=True),
        DiagnosisFields("F51.01", "Insomnia"),
    )
