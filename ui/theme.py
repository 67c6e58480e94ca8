"""The console's colours: the platform's own, or light or dark whatever the platform does.

The choice is the `theme` setting, kept in settings.json beside the vault and
not inside it, so the unlock window (shown before the vault opens) already
wears it. A forced theme draws with the Fusion style, which takes every
colour from the palette (native styles ignore parts of it), and asks the
platform for the same scheme where it can (window frames, native dialogs).
"System" hands back the platform's style and palette, so the console again
follows the platform when it switches between light and dark.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

FORCED_STYLE = "Fusion"
# Set on the application once a theme was forced: the platform's style, to go back to.
_SYSTEM_STYLE = "session_console_system_style"

Role = QPalette.ColorRole
_ACTIVE: dict[str, dict[Role, str]] = {
    "light": {
        Role.Window: "#efefef",
        Role.WindowText: "#1c1c1e",
        Role.Base: "#ffffff",
        Role.AlternateBase: "#f5f5f5",
        Role.Text: "#1c1c1e",
        Role.PlaceholderText: "#6b6b70",
        Role.Button: "#e8e8e8",
        Role.ButtonText: "#1c1c1e",
        Role.BrightText: "#b3261e",
        Role.Light: "#ffffff",
        Role.Midlight: "#d8d8d8",
        Role.Mid: "#a8a8ad",
        Role.Dark: "#8a8a8f",
        Role.Shadow: "#5a5a5e",
        Role.Highlight: "#2f6fbf",
        Role.HighlightedText: "#ffffff",
        Role.Accent: "#2f6fbf",
        Role.Link: "#1f5aa6",
        Role.LinkVisited: "#6a3fa0",
        Role.ToolTipBase: "#ffffdc",
        Role.ToolTipText: "#1c1c1e",
    },
    "dark": {
        Role.Window: "#202124",
        Role.WindowText: "#e8eaed",
        Role.Base: "#17181a",
        Role.AlternateBase: "#26272a",
        Role.Text: "#e8eaed",
        Role.PlaceholderText: "#9aa0a6",
        Role.Button: "#303134",
        Role.ButtonText: "#e8eaed",
        Role.BrightText: "#ff8a80",
        Role.Light: "#4a4c50",
        Role.Midlight: "#3c4043",
        Role.Mid: "#5f6368",
        Role.Dark: "#111214",
        Role.Shadow: "#000000",
        Role.Highlight: "#8ab4f8",
        Role.HighlightedText: "#202124",
        Role.Accent: "#8ab4f8",
        Role.Link: "#8ab4f8",
        Role.LinkVisited: "#c58af9",
        Role.ToolTipBase: "#303134",
        Role.ToolTipText: "#e8eaed",
    },
}
_DISABLED: dict[str, dict[Role, str]] = {
    "light": {
        Role.WindowText: "#8e8e93",
        Role.Text: "#8e8e93",
        Role.ButtonText: "#8e8e93",
        Role.Highlight: "#b0b0b5",
    },
    "dark": {
        Role.WindowText: "#7c8086",
        Role.Text: "#7c8086",
        Role.ButtonText: "#7c8086",
        Role.Highlight: "#4a4c50",
    },
}
_SCHEMES = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}


def palette(theme: str) -> QPalette:
    """The full palette of a forced theme ("light" or "dark"), every role and group set."""
    result = QPalette()
    for role, colour in _ACTIVE[theme].items():
        result.setColor(role, QColor(colour))
    for role, colour in _DISABLED[theme].items():
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return result


def apply_theme(app: QApplication, theme: str) -> None:
    """Wear the theme ("system", "light" or "dark") now; every open window repaints."""
    hints = app.styleHints()
    if theme not in _SCHEMES:
        system_style = app.property(_SYSTEM_STYLE)
        if system_style is None:
            return
        hints.unsetColorScheme()
        app.setStyle(system_style)
        app.setPalette(QPalette())
        app.setProperty(_SYSTEM_STYLE, None)
    else:
        if app.property(_SYSTEM_STYLE) is None:
            app.setProperty(_SYSTEM_STYLE, app.style().name())
        hints.setColorScheme(_SCHEMES[theme])
        if app.style().name().casefold() != FORCED_STYLE.casefold():
            app.setStyle(FORCED_STYLE)
        app.setPalette(palette(theme))
    _restyle(app)


def _restyle(app: QApplication) -> None:
    """Style sheets read palette(...) colours once, when set; set again, they take the new."""
    for widget in app.allWidgets():
        if widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())
