"""One running console per user and data folder.

The first launch listens on a local socket (a Unix socket in the temp folder,
a named pipe on Windows) whose name is derived from the user and the data
folder. A second launch for the same folder connects, sends `raise` and exits
0; the first brings its window to the front. The vault is never opened twice.

A socket file left behind by a crashed first instance accepts no connection:
it is removed and the new launch becomes the first. Launches for different
data folders (or different users) do not see each other.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

from console import APP_ID

RAISE = b"raise\n"
ACK = b"ok\n"
CONNECT_TIMEOUT_MS = 1000


def _user() -> str:
    if hasattr(os, "getuid"):
        return str(os.getuid())
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name (a service account without one)
        return "user"


def server_name(data_dir: Path) -> str:
    """Short (Unix socket paths are limited), per user and per resolved data folder."""
    folder = os.path.normcase(str(Path(data_dir).expanduser().resolve()))
    digest = hashlib.sha256(f"{_user()}\0{folder}".encode()).hexdigest()[:20]
    return f"{APP_ID}-{digest}"


class SingleInstance(QObject):
    """`forward_to_running()` in a second launch; `listen()` in the first."""

    activated = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.server: QLocalServer | None = None

    def forward_to_running(self, timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
        """True if another instance is running for this folder and was asked to come forward."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(RAISE)
        socket.flush()
        socket.waitForBytesWritten(timeout_ms)
        # The first instance answers when its event loop runs; a busy one (deriving
        # a key) still has the request queued, so a missing answer is not a failure.
        socket.waitForReadyRead(timeout_ms)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        """Become the first instance. False only if the socket cannot be created at all."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            if server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
                reason = server.errorString()
                print(
                    f"session-console: single-instance lock unavailable ({reason})", file=sys.stderr
                )
                return False
            # Nobody answered (forward_to_running came first): a stale socket file.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._on_new_connection)
        self.server = server
        return True

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def _on_new_connection(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.setParent(self)
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_ready_read(socket)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            if bytes(socket.readLine().data()) == RAISE:
                socket.write(ACK)
                socket.flush()
                self.activated.emit()


def bring_to_front(window: QWidget | None) -> None:
    """Show a window the user asked for again: restore, raise and activate it."""
    if window is None:
        return
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()
    modal = QApplication.activeModalWidget()
    if modal is not None and modal is not window:
        modal.raise_()
        modal.activateWindow()
