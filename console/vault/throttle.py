"""Growing delay after failed unlocks, kept across restarts.

The database is closed while unlock fails, so failures are noted in a small
file beside it and written to the audit trail at the next successful unlock.
The file holds counts and times only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from console.errors import UnlockThrottledError
from console.vault.fsutil import atomic_write_bytes

FREE_ATTEMPTS = 3
MAX_DELAY_S = 300.0


def delay_after(failures: int) -> float:
    """No wait for the first few typos, then 2, 4, 8 … seconds, capped at 5 minutes."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(MAX_DELAY_S, 2 ** (failures - FREE_ATTEMPTS + 1)))


class UnlockThrottle:
    def __init__(self, directory: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = directory / "unlock.json"
        self.clock = clock

    def _read(self) -> dict[str, object]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    @property
    def failures(self) -> int:
        value = self._read().get("failures", 0)
        return value if isinstance(value, int) else 0

    def retry_after(self) -> float:
        data = self._read()
        last = data.get("last", 0.0)
        wait = delay_after(self.failures)
        if not isinstance(last, int | float):
            return 0.0
        return max(0.0, last + wait - self.clock())

    def check(self) -> None:
        remaining = self.retry_after()
        if remaining > 0:
            raise UnlockThrottledError(remaining)

    def record_failure(self) -> None:
        data = self._read()
        times = data.get("times", [])
        times = times if isinstance(times, list) else []
        now = self.clock()
        times = [*times, datetime.fromtimestamp(now, UTC).isoformat()][-100:]
        payload = {"failures": self.failures + 1, "last": now, "times": times}
        atomic_write_bytes(self.path, json.dumps(payload).encode("utf-8"))

    def clear(self) -> None:
        """After a successful unlock has audited the failures: reset the delay."""
        self.path.unlink(missing_ok=True)

    def pending_failures(self) -> list[datetime]:
        """The failures not yet in the audit trail (cleared by `clear` once they are)."""
        times = self._read().get("times", [])
        result = []
        for t in times if isinstance(times, list) else []:
            try:
                result.append(datetime.fromisoformat(str(t)))
            except ValueError:
                continue
        return result
