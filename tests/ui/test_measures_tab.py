"""Completing and voiding a measure in the session, and the client overview's summary."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from tests.ui.conftest import open_tab, save_artifact, when_modal
from ui.controller import AppController
from ui.session.tabs.measures import MeasuresTab


def _measures_tab(unlocked: AppController) -> MeasuresTab:
    return open_tab(unlocked, "measures", MeasuresTab)


def test_client_completes_a_gad7_and_a_wrong_entry_is_voided(
    qtbot, unlocked: AppController
) -> None:
    tab = _measures_tab(unlocked)
    assert tab.entered_by.currentData() == "client"
    tab.show_to_client.click()
    window = tab.client_window
    assert window is not None and window.isVisible()
    assert len(window.form.groups) == 7
    for group, value in zip(window.form.groups[:6], (2, 2, 1, 1, 0, 3), strict=True):
        group.button(value).click()
    window.form.groups[6].button(1).click()
    assert not any("Score" in text for text in window.visible_text())
    window.done.click()
    assert tab.client_window is None
    assert tab.score.text().startswith("The client handed back the GAD-7: Score 10 of 21")
    assert "moderate" in tab.score.text() and not tab.flag.isVisibleTo(tab)
    save_artifact(tab, "measures-tab.png")
    client_id = tab.context.client_id
    saved = unlocked.services.measures.list_for_client(client_id, measure_key="gad7")  # type: ignore[union-attr]
    assert saved[-1].total == 10 and saved[-1].entered_by == "client"
    assert tab.history.currentItem() is not None

    def reason(dialog: QWidget) -> None:
        dialog.setTextValue("Client misread item 7")  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]

    when_modal(reason)
    tab.void_button.click()
    kept = unlocked.services.measures.list_for_client(client_id, include_voided=True)  # type: ignore[union-attr]
    assert any(r.voided and r.void_reason == "Client misread item 7" for r in kept)
    assert "VOIDED" in tab.history.item(0).text()


def test_clinician_entry_scores_live_and_item9_raises_a_visible_flag(
    qtbot, unlocked: AppController
) -> None:
    tab = _measures_tab(unlocked)
    tab.measure.setCurrentIndex(tab.measure.findData("phq9"))
    tab.entered_by.setCurrentIndex(tab.entered_by.findData("clinician"))
    for group in tab.form.groups[:8]:
        group.button(0).click()
    assert not tab.flag.isVisible() or not tab.flag.text().strip("⚠ ")
    tab.form.groups[8].button(1).click()
    assert tab.flag.text().startswith("⚠") and "item 9" in tab.flag.text()
    tab.save.click()
    assert tab.risk_prompt is not None and tab.risk_prompt.isVisible()
    tab.risk_prompt.later.click()
    assert "not yet addressed" in tab.history.currentItem().text()
    overview = unlocked.main_window.overview  # type: ignore[union-attr]
    overview.refresh()
    assert overview.risk_flag.isVisibleTo(overview)
    assert "PHQ-9" in overview.measures.text()


def test_overview_chart_plots_each_measure_with_bands_and_medicine_sessions(
    qtbot, unlocked: AppController
) -> None:
    import pyqtgraph as pg

    overview = unlocked.main_window.overview  # type: ignore[union-attr]
    assert overview.client is not None and overview.client.name.startswith("Alex")
    chart = overview.chart
    assert [chart.measure.itemText(i) for i in range(chart.measure.count())] == ["GAD-7", "PHQ-9"]
    overview.right_tabs.setCurrentWidget(chart)
    items = chart.plot.getPlotItem().items
    bands = [i for i in items if isinstance(i, pg.LinearRegionItem)]
    medicine = [i for i in items if isinstance(i, pg.InfiniteLine) and i.angle == 90]
    assert len(bands) == 4 and len(medicine) == 2
    assert list(chart.points.data["y"]) == [16, 14, 11, 8, 6]
    assert "improvement" in chart.summary.text()
    chart.start.setDate(chart.end.date().addDays(-30))
    assert list(chart.points.data["y"]) == [6]
    save_artifact(overview, "overview-measures-chart.png")
