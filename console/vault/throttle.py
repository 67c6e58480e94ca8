"""Growing delay after failed unlocks, kept in vault.json across restarts.

The database is closed while unlock fails, so failures are counted in
vault.json (deleting it loses the vault, so deleting it does not reset the
delay) and written to the audit trail at the next successful unlock. Every
read and write happens under the folder lock, so parallel guesses queue and
each one counts. A counter that cannot be read is treated as the longest
delay. The counter holds counts and times only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from console.errors import UnlockThrottledError, VaultError
from console.vault.header import read_header, write_header

FREE_ATTEMPTS = 3
MAX_DELAY_S = 300.0
LEGACY_NAME = "unlock.json"


def delay_after(failures: int) -> float:
    """No wait for the first few typos, then 2, 4, 8 … seconds, capped at 5 minutes."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(MAX_DELAY_S, 2 ** (failures - FREE_ATTEMPTS + 1)))


def _sane(data: dict[str, Any]) -> bool:
    failures, last, times = data.get("failures", 0), data.get("last", 0.0), data.get("times", [])
    return (
        type(failures) is int
        and failures >= 0
        and isinstance(last, int | float)
        and not isinstance(last, bool)
        and isinstance(times, list)
    )


class UnlockThrottle:
    def __init__(self, directory: Path, clock: Callable[[], float] = time.time) -> None:
        self.directory = directory
        self.clock = clock

    def _read(self) -> dict[str, Any] | None:
        """The counter, or None when it cannot be trusted (then the longest delay applies)."""
        try:
            data = dict(read_header(self.directory).throttle)
        except VaultError:
            return {}
        if data and not _sane(data):
            return None
        legacy = self._legacy()
        if legacy is None:
            return None
        if legacy.get("failures", 0) > data.get("failures", 0):
            return legacy
        return data

    def _legacy(self) -> dict[str, Any] | None:
        """Format-1 vaults kept the counter in unlock.json; honour it until cleared."""
        path = self.directory / LEGACY_NAME
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and _sane(data) else None

    @property
    def failures(self) -> int:
        data = self._read()
        return 10**6 if data is None else int(data.get("failures", 0))

    def retry_after(self) -> float:
        data = self._read()
        if data is None:
            return MAX_DELAY_S
        wait = delay_after(int(data.get("failures", 0)))
        last = float(data.get("last", 0.0))
        if last > self.clock():
            return wait
        return max(0.0, last + wait - self.clock())

    def check(self) -> None:
        remaining = self.retry_after()
        if remaining > 0:
            raise UnlockThrottledError(remaining)

    def record_failure(self) -> None:
        """Count one failure; call under the folder lock."""
        data = self._read() or {"failures": min(self.failures, 1000)}
        times = [t for t in data.get("times", []) if isinstance(t, str)]
        now = self.clock()
        times = [*times, datetime.fromtimestamp(now, UTC).isoformat()][-100:]
        payload = {"failures": int(data.get("failures", 0)) + 1, "last": now, "times": times}
        header = read_header(self.directory)
        write_header(self.directory, replace(header, throttle=payload))

    def clear(self) -> None:
        """After a successful unlock has audited the failures: reset the delay."""
        header = read_header(self.directory)
        if header.throttle:
            write_header(self.directory, replace(header, throttle={}))
        legacy = self.directory / LEGACY_NAME
        if legacy.is_file():
            legacy.unlink()

    def pending_failures(self) -> list[datetime]:
        """The failures not yet in the audit trail (cleared by `clear` once they are)."""
        data = self._read() or {}
        result = []
        for t in data.get("times", []):
            try:
                result.append(datetime.fromisoformat(str(t)))
            except ValueError:
                continue
        return result
