"""A therapist shares the pacer with a client's own device, as in a video session.

Real parts throughout: the broker address typed into Settings, the Share
button clicked, the link opened in headless Chromium served by a real
Mosquitto, the client's Start tapped, the set started from the pacer's own
button and the link closed from the dialog.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from tests.integration.remote_parts import CHROMIUM, CHROMIUM_ARGS, STAND_IN_CONTROLLERS, broker
from tests.ui.conftest import open_tab, save_artifact, when_modal
from tests.ui.people import choose_from_menu
from ui.controller import AppController
from ui.pacer.share_dialog import ShareDialog
from ui.pacer.sharing import LEAD_S
from ui.session.tabs.pacer import PacerTab
from ui.settings_dialog import SettingsDialog

LEFT = Qt.MouseButton.LeftButton


def _one(root: QWidget, kind: type, name: str):  # type: ignore[no-untyped-def]
    found = [w for w in root.findChildren(kind) if w.accessibleName() == name and w.isVisible()]
    assert len(found) == 1, f"{len(found)} named {name!r}"
    return found[0]


def _type(qtbot, dialog: QWidget, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    field = _one(dialog, QLineEdit, name)
    qtbot.mouseClick(field, LEFT)
    qtbot.keyClicks(field, text)


def _in_settings(qtbot, unlocked: AppController, in_dialog) -> None:  # type: ignore[no-untyped-def]
    """File → Settings… opened from the menu, `in_dialog` done in it, until it closes."""
    window = unlocked.main_window
    assert window is not None
    when_modal(in_dialog)
    choose_from_menu(qtbot, window, "&File", "Se&ttings…")
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5_000)


def _settings(  # type: ignore[no-untyped-def]
    qtbot, unlocked: AppController, broker_text: str, account: tuple[str, str]
) -> None:
    """File → Settings…: the broker and the console's account typed in, the link's longest
    life raised by a key, Save."""
    done: list[bool] = []

    def in_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, SettingsDialog)
        _type(qtbot, dialog, "Broker address", broker_text)
        _type(qtbot, dialog, "Broker account", account[0])
        _type(qtbot, dialog, "Broker password", account[1])
        hours = _one(dialog, QSpinBox, "Link lasts at most")
        qtbot.mouseClick(hours, LEFT)
        qtbot.keyClick(hours, Qt.Key.Key_Up)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)
        done.append(True)

    _in_settings(qtbot, unlocked, in_dialog)
    assert done


def _a_change_between_sets_switches_both_ends_at_one_instant(qtbot, pacer: PacerTab, page) -> None:  # type: ignore[no-untyped-def]
    """The sweep widened by a key: the stimulus at rest moves on both screens at the instant
    the console scheduled, a quarter second on, not when the message happened to arrive."""
    run = pacer.run

    def centre() -> str:
        return str(page.evaluate("document.getElementById('stimulus').dataset.centre"))

    before_page, before_sweep = centre(), run.window.settings.sweep_percent
    bar = pacer.panel.tabs.tabBar()
    look = next(i for i in range(bar.count()) if bar.tabText(i).startswith("Appearance"))
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(look).center())
    sweep = _one(pacer, QSpinBox, "Sweep width")
    qtbot.mouseClick(sweep, LEFT)
    pressed = run.clock()
    qtbot.keyClick(sweep, Qt.Key.Key_Down)
    assert run.settings.sweep_percent == before_sweep - 1
    assert run.window.settings.sweep_percent == before_sweep, "not yet on the console's screen"
    seen: list[tuple[float, float, str]] = []  # console clock before and after each look

    def page_moved() -> bool:
        before = run.clock()
        shown = centre()
        seen.append((before, run.clock(), shown))
        return shown != before_page

    qtbot.waitUntil(page_moved, timeout=5_000)
    qtbot.waitUntil(lambda: run.window.settings.sweep_percent == before_sweep - 1, timeout=5_000)
    at = pressed + LEAD_S
    frame = 1 / 30  # the page draws each frame for the moment it reaches the screen
    moved = [(b, a) for b, a, c in seen if c != before_page]
    assert len(seen) > len(moved), "the page was looked at before it switched"
    assert all(after >= at - frame for _before, after in moved), "the page did not switch early"
    assert moved[0][0] <= at + 0.3, "nor late"


def test_without_a_broker_share_says_what_to_set(qtbot, unlocked: AppController) -> None:
    pacer = open_tab(unlocked, "pacer", PacerTab)
    said: list[str] = []

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), LEFT)

    when_modal(read)
    qtbot.mouseClick(_one(pacer, QAbstractButton, "Share with the client"), LEFT)
    qtbot.waitUntil(lambda: bool(said), timeout=5_000)
    assert "No broker is set" in said[0] and "Settings" in said[0]
    assert pacer.panel.share_dialog is None


def test_a_measured_picture_delay_typed_in_settings_goes_with_the_next_link(
    qtbot, unlocked: AppController
) -> None:
    """The clinic's own tablet, its delay measured: typed once in Settings, every link shared
    after it tells the page; left alone, the page assumes one refresh."""
    shown: list[str] = []

    def in_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, SettingsDialog)
        _type(qtbot, dialog, "Broker address", "ws://127.0.0.1:9")
        delay = _one(dialog, QSpinBox, "Client's picture delay")
        shown.append(delay.text())
        qtbot.mouseClick(delay, LEFT)
        qtbot.keyClick(delay, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(delay, "23")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)

    _in_settings(qtbot, unlocked, in_dialog)
    assert shown == ["one refresh (automatic)"]
    assert unlocked.settings.get("remote_picture_delay_ms") == 23  # type: ignore[union-attr]
    pacer = open_tab(unlocked, "pacer", PacerTab)
    qtbot.mouseClick(_one(pacer, QAbstractButton, "Share with the client"), LEFT)
    qtbot.waitUntil(lambda: pacer.panel.share_dialog is not None, timeout=5_000)
    assert [link.picture_delay_ms for link in pacer.panel.sharing.links] == [23]


def test_without_a_keychain_the_brokers_password_is_refused_where_it_was_typed(
    qtbot, unlocked: AppController
) -> None:
    seen: list[str] = []

    def in_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, SettingsDialog)
        _type(qtbot, dialog, "Broker account", "console")
        _type(qtbot, dialog, "Broker password", "a long broker password")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), LEFT)
        seen.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        assert dialog.isVisible(), "nothing was saved, the dialog stays open"
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), LEFT)

    _in_settings(qtbot, unlocked, in_dialog)
    assert seen and "keychain" in seen[0]
    assert unlocked.settings.get("remote_broker_user") == ""  # type: ignore[union-attr]


def test_the_clients_browser_follows_the_pacer_until_the_link_is_closed(
    qtbot, unlocked: AppController, tmp_path: Path, memory_keyring
) -> None:
    account = ("console", "a long broker password")
    with broker(tmp_path, console=account) as running, sync_playwright() as playwright:
        address = running.address
        _settings(qtbot, unlocked, f"ws://{address.host}:{address.port}", account)
        assert unlocked.settings.get("remote_broker_user") == "console"  # type: ignore[union-attr]
        assert "a long broker password" not in (unlocked.data_dir / "settings.json").read_text()
        assert unlocked.settings.get("remote_link_max_hours") == 4  # type: ignore[union-attr]
        pacer = open_tab(unlocked, "pacer", PacerTab)
        qtbot.mouseClick(_one(pacer, QAbstractButton, "Share with the client"), LEFT)
        qtbot.waitUntil(lambda: pacer.panel.share_dialog is not None, timeout=5_000)
        dialog = pacer.panel.share_dialog
        assert isinstance(dialog, ShareDialog)
        qtbot.waitUntil(dialog.isVisible)
        field = _one(dialog, QLineEdit, "Client link")
        qtbot.mouseClick(field, LEFT)  # a therapist may select it to copy it by hand
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        assert field.isReadOnly() and field.selectedText() == field.text()
        url = field.text()
        assert url.startswith(f"http://{address.host}:{address.port}/pacer.html#")
        assert QApplication.clipboard().text() != url, "nothing on the clipboard unasked"
        qtbot.mouseClick(_one(dialog, QAbstractButton, "Copy client link"), LEFT)
        assert QApplication.clipboard().text() == url
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.add_init_script(STAND_IN_CONTROLLERS)  # the client holds two, woken at load
        page.goto(url)
        page.get_by_role("button", name="Start").click()
        status = dialog.status
        qtbot.waitUntil(
            lambda: (
                status.text().startswith("Connected, 1280×720")
                and "Start" not in status.text()
                and "vibrating 2 game controllers" in status.text()
            ),
            timeout=20_000,
        )
        assert pacer.panel.link_status.isVisible()
        save_artifact(dialog, "share-dialog-connected.png")
        save_artifact(pacer.window(), "pacer-with-link.png")
        _a_change_between_sets_switches_both_ends_at_one_instant(qtbot, pacer, page)
        qtbot.mouseClick(_one(pacer, QAbstractButton, "Start or pause set"), LEFT)

        def page_set_time() -> float:
            shown = page.evaluate("document.getElementById('stimulus').dataset.setTime")
            return float(shown) if shown else 0.0

        qtbot.waitUntil(lambda: page_set_time() > 2.5, timeout=10_000)  # a report or two in
        local = pacer.run.set_time()
        assert local is not None and abs(local - page_set_time()) < 0.5
        qtbot.mouseClick(_one(pacer, QAbstractButton, "Stop set"), LEFT)
        qtbot.waitUntil(lambda: pacer.run.set_clock is None, timeout=5_000)
        services = unlocked.services
        assert services is not None
        logged = services.bls_sets.list_for_session(pacer.run.session_id)[-1]  # type: ignore[arg-type]
        assert logged.remote.startswith("Also on the client's device (1280×720 at "), logged
        frames = int(logged.remote.split(" of ")[1].split(" frames")[0])
        assert frames > 10 and "clock within ±" in logged.remote
        assert "vibrating 2 game controllers" in logged.remote
        qtbot.mouseClick(_one(dialog, QAbstractButton, "Close client link"), LEFT)
        qtbot.waitUntil(
            lambda: page.get_by_text("closed by your therapist").is_visible(), timeout=15_000
        )
        qtbot.waitUntil(lambda: status.text().startswith("Closed"), timeout=5_000)
        assert not _one(dialog, QAbstractButton, "Close client link").isEnabled()
        close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        qtbot.mouseClick(close, LEFT)
        assert not dialog.isVisible()
        browser.close()
