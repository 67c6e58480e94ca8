"""Password protection for exported PDFs: AES-256, PDF security handler revision 5.

docs/security.md 16 asks for reportlab's 256-bit encryption (`/V 5 /R 5`), never
the 40-bit RC4 default. reportlab 5.1's own `StandardEncryption(strength=256)`
writes files no reader can open: it needs the `pyaes` package and lets it add
PKCS#7 padding where the format has none, so `/UE` and `/OE` come out 48 bytes
instead of 32 and `/Perms` 32 instead of 16 (pypdf fails with "Invalid key
size (384)", poppler with "Invalid encryption key length"), and every string
and stream is padded twice. `Aes256Encryption` keeps reportlab's class (its
permissions, its encryption dictionary, its hooks into the document) and
redoes the two steps that were wrong, following the Adobe supplement to
ISO 32000 (extension level 3, algorithms 3.8–3.10), with AES from
`cryptography`, which the vault already depends on.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import string
import unicodedata
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from reportlab.lib.pdfencrypt import StandardEncryption

from console.errors import ValidationError

MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 127  # the format uses at most 127 bytes of UTF-8
_ZERO_IV = b"\x00" * 16
# letters and digits that cannot be mistaken for one another when read aloud or typed
_PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lIo")


def suggest_password(groups: int = 6, group_size: int = 4) -> str:
    """A long random password (24 characters, about 138 bits), in groups for reading."""
    return "-".join(
        "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(group_size))
        for _ in range(groups)
    )


def password_bytes(password: str) -> bytes:
    """The password as the format uses it (NFKC, UTF-8); refuses ones readers would truncate."""
    if not isinstance(password, str) or len(password.strip()) < MIN_PASSWORD:
        raise ValidationError("password", f"use at least {MIN_PASSWORD} characters")
    encoded = unicodedata.normalize("NFKC", password).encode("utf-8")
    if len(encoded) > MAX_PASSWORD_BYTES:
        raise ValidationError("password", "is too long for a PDF (at most 127 bytes)")
    return encoded


def _aes_cbc_no_padding(key: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(_ZERO_IV)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _aes_ecb(key: bytes, block: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # one block, by the spec
    return encryptor.update(block) + encryptor.finalize()


class Aes256Encryption(StandardEncryption):  # type: ignore[misc]
    """reportlab's StandardEncryption at 256-bit AES (revision 5), written to the spec.

    Readers may print and copy text; changing the document needs the owner
    password, which is random and never shown (a record is not to be edited).
    """

    def __init__(self, password: str) -> None:
        user = password_bytes(password)
        owner = secrets.token_bytes(32).hex().encode()
        # strength=128 only to get past the parent's check for `pyaes`; revision 5 is set here
        super().__init__(
            user, owner, canPrint=1, canModify=0, canCopy=1, canAnnotate=0, strength=128
        )
        self.revision = 5
        self._user, self._owner = user, owner

    def prepare(self, document: Any, overrideID: Any = None) -> None:
        if getattr(self, "prepared", 0):
            raise ValueError("encryption already prepared")
        document.ID()  # the file identifier in the trailer
        self.P = int(self.permissionBits() - 2**31)
        self.key = secrets.token_bytes(32)
        # algorithm 3.8: U and UE from the user password
        validation_salt, key_salt = os.urandom(8), os.urandom(8)
        self.U = hashlib.sha256(self._user + validation_salt).digest() + validation_salt + key_salt
        self.UE = _aes_cbc_no_padding(hashlib.sha256(self._user + key_salt).digest(), self.key)
        # algorithm 3.9: O and OE from the owner password, bound to U
        validation_salt, key_salt = os.urandom(8), os.urandom(8)
        self.O = (
            hashlib.sha256(self._owner + validation_salt + self.U).digest()
            + validation_salt
            + key_salt
        )
        self.OE = _aes_cbc_no_padding(
            hashlib.sha256(self._owner + key_salt + self.U).digest(), self.key
        )
        # algorithm 3.10: the permissions, encrypted so they cannot be altered unseen
        perms = (self.P & 0xFFFFFFFF).to_bytes(4, "little") + b"\xff" * 4 + b"Tadb"
        self.Perms = _aes_ecb(self.key, perms + os.urandom(4))
        self.objnum = self.version = None
        self.prepared = 1

    def encode(self, t: str | bytes) -> bytes:
        """A string or stream: AES-256-CBC with a random IV in front, PKCS#7 padded once."""
        if not getattr(self, "prepared", 0):
            raise ValueError("encryption not prepared")
        data = t.encode("utf-8") if isinstance(t, str) else bytes(t)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        iv = os.urandom(16)
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(iv)).encryptor()
        return iv + encryptor.update(padded) + encryptor.finalize()
