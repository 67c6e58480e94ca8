"""Where each record's entry sits in the full-text index (FTS5 cannot index its keys)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class SearchRow(Base):
    __tablename__ = "search_rows"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    fts_rowid: Mapped[int]
