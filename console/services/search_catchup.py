"""Records kept before their kind was searchable are indexed at the next unlock.

EMDR targets and worksheets, ART and rescripting worksheets, IFS parts and
their work in sessions joined the search index after vaults already held
them. Rather than a migration (which would have to rebuild each record's
text in SQL), every unlock indexes whatever of these kinds has no entry yet:
when nothing is missing that costs one query of ids per kind, and a vault
upgraded by a later version, or restored from an older backup, is searchable
as soon as it opens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session as DbSession

from console.services import search
from console.services.art import ArtService
from console.services.emdr import index_target, index_work
from console.services.ifs import index_part, index_part_work
from console.services.rescripting import RescriptingService
from models import (
    ArtWorksheet,
    EmdrSessionWork,
    EmdrTarget,
    IfsPart,
    IfsPartWork,
    RescriptingWorksheet,
    SearchRow,
)

# Rows loaded per query: far below SQLite's limit on bound parameters.
_CHUNK = 500

_KINDS: tuple[tuple[str, Any, Callable[[DbSession, Any], None], ColumnElement[bool]], ...] = (
    (search.EMDR_TARGET, EmdrTarget, index_target, true()),
    (search.EMDR_WORKSHEET, EmdrSessionWork, index_work, true()),
    (search.ART_WORKSHEET, ArtWorksheet, ArtService.index_row, true()),
    (search.RESCRIPTING_WORKSHEET, RescriptingWorksheet, RescriptingService.index_row, true()),
    (search.PART, IfsPart, index_part, IfsPart.removed_at.is_(None)),
    (search.PART_WORK, IfsPartWork, index_part_work, true()),
)


def index_missing(db: DbSession) -> int:
    """Index each record of these kinds that the index lacks; returns how many there were."""
    indexed = 0
    for kind, model, index, kept in _KINDS:
        have = set(db.scalars(select(SearchRow.record_id).where(SearchRow.kind == kind)))
        missing = [i for i in db.scalars(select(model.id).where(kept)) if str(i) not in have]
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            for row in db.scalars(select(model).where(model.id.in_(chunk))).all():
                index(db, row)
                indexed += 1
    return indexed
