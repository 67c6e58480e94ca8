"""Records that tie the database to its vault and anchor signatures.

`VaultIdentity` holds the id of the vault this database belongs to, checked
against vault.json at every unlock, so an empty, missing or foreign database
is refused instead of being adopted. `SignatureSeal` holds a keyed MAC of each
signed note's and addendum's hash; someone with the database key alone
cannot recompute one, so re-signing edited text is detected by `verify`.
Both tables are insert-only (triggers refuse updates and deletes).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class VaultIdentity(Base):
    __tablename__ = "vault_identity"

    vault_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]


class SignatureSeal(Base):
    __tablename__ = "signature_seals"

    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    seal: Mapped[str] = mapped_column(String(64))
