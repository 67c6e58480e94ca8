"""Fixtures the export tests share."""

from __future__ import annotations

from datetime import UTC

import pytest

from console.export.service import ExportService


@pytest.fixture
def export(vault, services) -> ExportService:  # type: ignore[no-untyped-def]
    """Records laid out in UTC, so printed times do not depend on the machine's zone."""
    return ExportService(vault, services, tz=UTC)
