"""Session Console: the application layer (no widgets)."""

__version__ = "0.1.0"
APP_NAME = "Session Console"
APP_ID = "session-console"
ORGANISATION = "Session Console"
