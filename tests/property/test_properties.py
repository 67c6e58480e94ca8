"""Property-based tests (hypothesis) for the parsers and hashes (docs/security.md 12, 18, 20)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.errors import ValidationError, WrongSecretError
from console.services import validation as v
from console.services.bundle import Services
from console.services.canonical import canonical_json, sha256_hex
from console.services.clients import ClientFields
from console.services.notes import note_hash
from console.services.search import fts_query
from console.services.sessions import SessionFields
from console.vault import Vault
from console.vault.keyslots import new_recovery_code, normalise_recovery_code
from models import NoteTemplate, SessionKind
from tests.conftest import PASSPHRASE, TEST_KDF

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SIGNED_AT = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
NOTE_ID = uuid.UUID(int=7)

# -- canonical JSON and hashes --------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
sections = st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=200), min_size=1)


@settings(max_examples=200)
@given(st.dictionaries(st.text(), json_values, max_size=8), st.randoms(use_true_random=False))
def test_canonical_json_ignores_insertion_order(value: dict[str, Any], rnd: Any) -> None:
    items = list(value.items())
    rnd.shuffle(items)
    shuffled = dict(items)
    assert canonical_json(shuffled) == canonical_json(value)
    assert sha256_hex(shuffled) == sha256_hex(value)
    # Deterministic, and really a SHA-256 hex digest.
    assert sha256_hex(value) == sha256_hex(value)
    assert len(sha256_hex(value)) == 64 and int(sha256_hex(value), 16) >= 0


@settings(max_examples=300)
@given(json_values)
def test_canonical_json_is_utf8_and_round_trips(value: Any) -> None:
    import json

    data = canonical_json(value)
    assert json.loads(data.decode("utf-8")) == value
    assert canonical_json(json.loads(data)) == data


@settings(max_examples=300)
@given(sections, st.data())
def test_hash_changes_when_any_section_text_changes(secs: dict[str, str], data: Any) -> None:
    key = data.draw(st.sampled_from(sorted(secs)))
    new_text = data.draw(st.text(max_size=200).filter(lambda t: t != secs[key]))
    changed = dict(secs)
    changed[key] = new_text
    assert sha256_hex(changed) != sha256_hex(secs)
    before = note_hash(NOTE_ID, NoteTemplate.SOAP, secs, "Dr A", SIGNED_AT)
    after = note_hash(NOTE_ID, NoteTemplate.SOAP, changed, "Dr A", SIGNED_AT)
    assert before != after
    # ... and never depends on the order the sections were typed in.
    reordered = dict(reversed(list(secs.items())))
    assert note_hash(NOTE_ID, NoteTemplate.SOAP, reordered, "Dr A", SIGNED_AT) == before


# -- fts_query against a real vault -------------------------------------------


@pytest.fixture(scope="module")
def search_vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """One real SQLCipher vault for the whole module (the autouse fixture is per test)."""
    directory = tmp_path_factory.mktemp("prop") / "vault"
    vault, _ = Vault.create(directory, PASSPHRASE, "Dr X", kdf=TEST_KDF)
    services = Services(vault)
    client = services.clients.create(ClientFields(name="Zoë Ψυχή Иван"))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.EMDR)
    )
    for body in ("lantern harbour AND OR NOT NEAR", "שלום مرحبا 🙂 café", "title body x*y"):
        services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": body})
    services.notes.create(session.id, NoteTemplate.PSYCHOTHERAPY, {"process": "private lantern"})
    yield services
    vault.lock()


FTS_PIECES = [
    '"',
    "'",
    "(",
    ")",
    "{",
    "}",
    "*",
    ":",
    "^",
    "-",
    "+",
    ",",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "body",
    "title",
    "body:",
    "lantern",
    "x*y",
    "café",
    "🙂",
    "\u0301",
    " ",
    "\t",
    "\n",
]
any_text = st.text(max_size=60)
search_input = st.one_of(
    any_text,
    st.lists(st.sampled_from(FTS_PIECES) | any_text, max_size=12).map("".join),
    st.lists(st.sampled_from(FTS_PIECES), max_size=12).map(" ".join),
)


@settings(max_examples=250, deadline=None)
@given(search_input)
def test_fts_query_never_makes_sqlite_raise(search_vault: Services, typed: str) -> None:
    query = fts_query(typed)
    visible = "".join(ch if ch.isprintable() else " " for ch in typed)  # controls separate words
    assert (query == "") == (not [t for t in visible.split() if t.strip('"')])
    hits = search_vault.search.search(typed)
    assert isinstance(hits, list)
    assert all(not h.private for h in hits)
    everything = search_vault.search.search(typed, include_private=True)
    assert {h.record_id for h in hits} <= {h.record_id for h in everything}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["lantern", "harbour", "café", "שלום", "zoe", "ψυχ", "title"]), search_input)
def test_more_terms_only_narrow_the_results(search_vault: Services, word: str, more: str) -> None:
    """Every term must be present, whatever odd text follows the first one."""
    alone = {h.record_id for h in search_vault.search.search(word)}
    assert alone  # each word is in the vault
    narrowed = {h.record_id for h in search_vault.search.search(f"{word} {more}")}
    assert narrowed <= alone


# -- validation never fails with anything but ValidationError -------------------

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.text(alphabet=st.characters(categories=["Cs", "Cc", "Zl", "Zp"])),  # surrogates, NUL
    st.binary(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dates(),
    st.datetimes(),
)


def _refused_or(call: Any) -> Any:
    try:
        return call()
    except ValidationError as err:
        assert err.field == "f"
        assert str(err).startswith("f: ")
        return err


@settings(max_examples=300)
@given(anything, st.integers(-1000, 1000), st.integers(0, 1000))
def test_integer_returns_in_range_or_refuses(value: Any, lo: int, span: int) -> None:
    result = _refused_or(lambda: v.integer("f", value, lo, lo + span))
    if not isinstance(result, ValidationError):
        assert type(result) is int and lo <= result <= lo + span and result == value


@settings(max_examples=300)
@given(anything, st.booleans(), st.integers(0, 300))
def test_text_returns_the_value_or_refuses(value: Any, required: bool, max_len: int) -> None:
    result = _refused_or(lambda: v.text("f", value, required=required, max_len=max_len))
    if not isinstance(result, ValidationError):
        assert result == ("" if value is None else value)
        assert "\x00" not in result and len(result) <= max_len
        assert result.strip() or not required


@settings(max_examples=300)
@given(anything, st.booleans())
def test_line_returns_one_stripped_line_or_refuses(value: Any, required: bool) -> None:
    result = _refused_or(lambda: v.line("f", value, required=required))
    if not isinstance(result, ValidationError):
        assert "\n" not in result and "\r" not in result and "\x00" not in result
        assert result == result.strip() and len(result) <= v.MAX_LINE
        assert result or not required


@settings(max_examples=300)
@given(anything | st.from_regex(v.ICD10, fullmatch=True) | st.text("ABFZ0123.9 ", max_size=9))
def test_icd10_returns_a_code_or_refuses(value: Any) -> None:
    result = _refused_or(lambda: v.icd10("f", value))
    if not isinstance(result, ValidationError):
        assert result == "" or v.ICD10.match(result)


@settings(max_examples=300)
@given(anything | st.emails() | st.text("ab@.c ", max_size=12))
def test_email_returns_an_address_or_refuses(value: Any) -> None:
    result = _refused_or(lambda: v.email("f", value))
    if not isinstance(result, ValidationError):
        assert result == "" or (result.count("@") == 1 and " " not in result)


@settings(max_examples=100)
@given(st.emails().filter(lambda e: len(e) <= v.MAX_LINE))  # the field holds 200 characters
def test_plain_email_addresses_are_accepted(address: str) -> None:
    assert v.email("f", address) == address


# -- recovery codes -------------------------------------------------------------

codes = st.text(alphabet=CROCKFORD, min_size=32, max_size=32).map(
    lambda s: "-".join(s[i : i + 4] for i in range(0, 32, 4))
)
LOOK_ALIKES = {"0": "0Oo", "1": "1IiLl"}


@settings(max_examples=300)
@given(codes, st.data())
def test_recovery_code_survives_case_spacing_dashes_and_look_alikes(code: str, data: Any) -> None:
    assert normalise_recovery_code(code) == code
    typed = []
    for ch in code.replace("-", ""):
        ch = data.draw(st.sampled_from(LOOK_ALIKES.get(ch, ch)))
        typed.append(ch.lower() if data.draw(st.booleans()) else ch)
        typed.append(data.draw(st.sampled_from(["", "", " ", "-", "  ", "\t", "–"])))
    text = data.draw(st.sampled_from(["", " ", "\n"])) + "".join(typed)
    assert normalise_recovery_code(text) == code
    assert normalise_recovery_code(normalise_recovery_code(text)) == code


def test_generated_codes_are_of_the_form_the_strategy_draws() -> None:
    """So the property above covers what the app really shows (`secrets` is not drawable)."""
    for _ in range(50):
        code = new_recovery_code()
        groups = code.split("-")
        assert [len(g) for g in groups] == [4] * 8
        assert set("".join(groups)) <= set(CROCKFORD)
        assert normalise_recovery_code(code.lower().replace("-", " ")) == code


@settings(max_examples=200)
@given(codes, st.integers(1, 31))
def test_recovery_code_of_wrong_length_is_refused(code: str, cut: int) -> None:
    with pytest.raises(WrongSecretError):
        normalise_recovery_code(code.replace("-", "")[:cut])
    with pytest.raises(WrongSecretError):
        normalise_recovery_code(code + "7")


@settings(max_examples=300)
@given(st.text(max_size=40) | st.text(alphabet=CROCKFORD.lower() + "OIL -", max_size=45))
def test_recovery_code_normalisation_never_crashes(text: str) -> None:
    try:
        result = normalise_recovery_code(text)
    except WrongSecretError:
        return
    assert len(result) == 39 and all(ch in CROCKFORD for ch in result.replace("-", ""))
