"""Canonical bytes for hashing: the same content always gives the same hash.

Keys sorted, no insignificant white space, UTF-8 without escaping, so a
signed note's hash can be recomputed by anyone from the printed content.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256_hex(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()
