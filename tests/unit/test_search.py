"""Full-text search inside the vault: any script, any input, always current.

See docs/security.md 19.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, text

from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.sessions import SessionFields
from console.vault import Vault
from models import NoteTemplate, SessionKind
from tests.conftest import PASSPHRASE, TEST_KDF

GREEK = "Ψυχοθεραπεία και καλημέρα"
CYRILLIC = "Клиент говорил о тревоге"
HEBREW = "המטופל דיבר על חרדה"
ARABIC = "تحدث العميل عن القلق"
JAPANESE = "患者は不安について話した"
LATIN = "naïve café façade"
DECOMPOSED = "cre\u0300me bru\u0302le\u0301e ole\u0301"
GERMANIC = "Ærøskøbing Straße"
EMOJI = "progress 🙂 today, calmer"
PLAIN = "lantern harbour"
CORPUS = (GREEK, CYRILLIC, HEBREW, ARABIC, JAPANESE, LATIN, DECOMPOSED, GERMANIC, EMOJI, PLAIN)


class Corpus:
    """One vault, built once for this module, holding one note per text above; read only."""

    def __init__(self, services: Services) -> None:
        self.services = services
        client = services.clients.create(ClientFields(name="Corpus Client"))
        session = services.sessions.create(
            client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.ART)
        )
        self.note_ids = {
            body: str(services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": body}).id)
            for body in CORPUS
        }

    def search(self, query: str) -> list[str]:
        return [h.record_id for h in self.services.search.search(query)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    directory: Path = tmp_path_factory.mktemp("search") / "vault"
    vault, _ = Vault.create(directory, PASSPHRASE, "Dr Ada Test", kdf=TEST_KDF)
    yield Corpus(Services(vault))
    vault.lock()


def _session(services, name: str = "Noor Haddad"):  # type: ignore[no-untyped-def]
    client = services.clients.create(ClientFields(name=name))
    session = services.sessions.create(
        client.id, SessionFields(starts_at=datetime.now(UTC), kind=SessionKind.ART)
    )
    return client, session


def _note(services, body: str, session=None):  # type: ignore[no-untyped-def]
    if session is None:
        _, session = _session(services)
    return services.notes.create(session.id, NoteTemplate.PROGRESS, {"note": body})


def _ids(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.record_id for h in hits]


def test_finds_client_by_name(services) -> None:
    client = services.clients.create(
        ClientFields(name="Bartholomew Okonkwo", preferred_name="Bart")
    )
    services.clients.create(ClientFields(name="Someone Else"))
    for query in ("Bartholomew", "okonkwo", "bart", "Bartholomew Okon"):
        hits = services.search.search(query)
        assert [(h.kind, h.record_id) for h in hits] == [("client", str(client.id))], query
        assert "Bartholomew Okonkwo" in hits[0].title
        assert hits[0].client_id == str(client.id)


def test_client_index_follows_rename(services) -> None:
    client = services.clients.create(ClientFields(name="Wilhelmina Stone"))
    services.clients.update(client.id, ClientFields(name="Wilhelmina Brook"))
    assert services.search.search("Stone") == []
    assert _ids(services.search.search("Brook")) == [str(client.id)]


def test_finds_note_text_with_snippet(services) -> None:
    client, session = _session(services)
    note = _note(services, "Client described the lighthouse memory; SUD dropped to 2.", session)
    _note(services, "Unrelated text about gardening.", session)
    hits = services.search.search("lighthouse")
    assert [(h.kind, h.record_id, h.client_id) for h in hits] == [
        ("note", str(note.id), str(client.id))
    ]
    assert "[lighthouse]" in hits[0].snippet
    assert hits[0].private is False


def test_finds_every_section_of_a_structured_note(services) -> None:
    _, session = _session(services)
    note = services.notes.create(
        session.id,
        NoteTemplate.SOAP,
        {"subjective": "alphaword", "objective": "betaword", "plan": "gammaword"},
    )
    for word in ("alphaword", "betaword", "gammaword"):
        hits = services.search.search(word)
        assert _ids(hits) == [str(note.id)], word
        assert f"[{word}]" in hits[0].snippet


def test_finds_addenda_with_snippet(services) -> None:
    note = _note(services, "original entry")
    services.notes.sign(note.id)
    addendum = services.notes.add_addendum(note.id, "Late entry: client phoned about the kestrel.")
    hits = services.search.search("kestrel")
    assert [(h.kind, h.record_id) for h in hits] == [("addendum", str(addendum.id))]
    assert "[kestrel]" in hits[0].snippet
    services.notes.save_addendum(addendum.id, "Late entry: client phoned about the heron.")
    assert services.search.search("kestrel") == []
    assert _ids(services.search.search("heron")) == [str(addendum.id)]


def test_prefix_search_on_last_term(services) -> None:
    note = _note(services, "grounding exercise with butterfly hug")
    for query in ("butt", "Butterf", "grounding butt", "hug grou"):
        assert _ids(services.search.search(query)) == [str(note.id)], query
    # Only the last term is a prefix; every term must be present.
    assert services.search.search("butt hug") == []
    assert services.search.search("butterfly zebra") == []


def test_index_is_current_after_save_draft(services) -> None:
    note = _note(services, "tangerine orchard")
    assert _ids(services.search.search("tangerine")) == [str(note.id)]
    services.notes.save_draft(note.id, {"note": "pomegranate grove"})
    assert services.search.search("tangerine") == []
    assert services.search.search("orchard") == []
    hits = services.search.search("pomegranate")
    assert _ids(hits) == [str(note.id)]
    assert "[pomegranate]" in hits[0].snippet


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        (GREEK, "καλημέρα"),
        (GREEK, "ψυχοθερ"),
        (CYRILLIC, "тревоге"),
        (CYRILLIC, "КЛИЕНТ"),
        (HEBREW, "חרדה"),
        (ARABIC, "القلق"),
        (JAPANESE, JAPANESE),
        (LATIN, "naive"),
        (LATIN, "facade"),
        (LATIN, "CAFÉ"),
        # Decomposed text (combining marks) is found by plain and precomposed queries.
        (DECOMPOSED, "creme"),
        (DECOMPOSED, "brûlée"),
        (DECOMPOSED, "OLE"),
        (GERMANIC, "straße"),
        (GERMANIC, "ærøsk"),
        (EMOJI, "calmer"),
    ],
)
def test_unicode_text_is_found(corpus: Corpus, stored: str, query: str) -> None:
    assert corpus.search(query) == [corpus.note_ids[stored]], (stored, query)


def test_unicode_text_is_stored_exactly(corpus: Corpus) -> None:
    for body, note_id in corpus.note_ids.items():
        assert corpus.services.notes.get(note_id).sections["note"] == body  # not normalised


def test_diacritics_fold_in_client_names(services) -> None:
    zoe = services.clients.create(ClientFields(name="Zoë Brontë"))
    jose = services.clients.create(ClientFields(name="José Nuñez"))
    assert _ids(services.search.search("Zoe")) == [str(zoe.id)]
    assert _ids(services.search.search("bronte")) == [str(zoe.id)]
    assert _ids(services.search.search("jose nunez")) == [str(jose.id)]
    assert _ids(services.search.search("Zoë")) == [str(zoe.id)]


def test_rtl_and_emoji_text_round_trips_and_snippet_keeps_it(services) -> None:
    body = "שלום 🌿 مرحبا 👩🏽‍⚕️ بالعالم e\u0301te\u0301 ok"
    note = _note(services, body)
    assert services.notes.get(note.id).sections["note"] == body
    hits = services.search.search("مرحبا")
    assert _ids(hits) == [str(note.id)]
    assert "[مرحبا]" in hits[0].snippet
    assert "👩🏽‍⚕️" in hits[0].snippet
    assert unicodedata.normalize("NFC", "e\u0301te\u0301") in unicodedata.normalize(
        "NFC", hits[0].snippet
    )


def test_note_is_found_by_an_emoji_it_contains(services) -> None:
    _, session = _session(services)
    for emoji in ("😀", "❤", "🔥", "⚠"):
        note = _note(services, f"mood check {emoji} at the end", session)
        assert _ids(services.search.search(emoji)) == [str(note.id)], emoji


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        '"""',
        "'",
        '"lantern',
        'lantern"',
        '"lantern" OR "x',
        "(lantern",
        "lantern)",
        "()",
        "AND",
        "OR",
        "NOT",
        "lantern AND",
        "AND lantern",
        "lantern OR harbour",
        "lantern NOT harbour",
        "NEAR(lantern harbour)",
        "NEAR(lantern harbour, 2)",
        "*",
        "lantern*",
        "*lantern",
        "**",
        ":",
        "body:lantern",
        "title:",
        "{title body}:lantern",
        "-lantern",
        "^lantern",
        "+",
        "\\",
        "lantern; DROP TABLE notes; --",
        "' OR 1=1 --",
        "\u0301",
        "\u200b",
        "\u202e",
        "\t\n",
        "   ",
        "",
        "😀",
        "a" * 5000,
    ],
)
def test_fts_syntax_in_input_never_raises(corpus: Corpus, query: str) -> None:
    hits = corpus.services.search.search(query)
    assert isinstance(hits, list)
    assert set(h.record_id for h in hits) <= set(corpus.note_ids.values())
    # The query was only ever a search: the note is still there and still found.
    assert corpus.search(PLAIN) == [corpus.note_ids[PLAIN]]


@pytest.mark.parametrize(
    "query", ['"lantern"', "(lantern)", "lantern*", "lantern:", "-lantern", "^lantern", "lantern'"]
)
def test_punctuation_around_a_word_still_finds_it(corpus: Corpus, query: str) -> None:
    assert corpus.search(query) == [corpus.note_ids[PLAIN]]


def test_search_with_nul_character_does_not_raise(corpus: Corpus) -> None:
    for query in ("lantern\x00", "\x00", "a\x00b"):
        assert corpus.search(query) in ([], [corpus.note_ids[PLAIN]]), repr(query)


def _sqlite_steps(vault, action) -> int:  # type: ignore[no-untyped-def]
    """How many SQLite virtual-machine instructions `action` runs: work, not time."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    def on_checkout(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.set_progress_handler(count, 1)

    def on_checkin(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.set_progress_handler(None, 1)

    event.listen(vault.engine, "checkout", on_checkout)
    event.listen(vault.engine, "checkin", on_checkin)
    try:
        action()
    finally:
        event.remove(vault.engine, "checkout", on_checkout)
        event.remove(vault.engine, "checkin", on_checkin)
    return steps[0]


def _other_index_entries(vault, count: int, tag: str) -> None:  # type: ignore[no-untyped-def]
    """Index entries of `count` other records (written directly: thousands of notes are slow)."""
    with vault.session() as db:
        db.execute(
            text(
                "INSERT INTO search_index (kind, record_id, client_id, private, title, body) "
                "VALUES ('note', :rid, :cid, 0, 'Progress note', :body)"
            ),
            [
                {"rid": f"{tag}-{i}", "cid": "someone", "body": "other words " * 50}
                for i in range(count)
            ],
        )


def test_saving_a_note_does_not_read_every_other_note(services, vault) -> None:
    note = _note(services, "first version")

    def typical_save(word: str) -> int:
        """Median over a few saves: FTS5 spreads segment merges over later writes."""
        return statistics.median(
            _sqlite_steps(
                vault, lambda i=i: services.notes.save_draft(note.id, {"note": f"{word} {i}"})
            )
            for i in range(5)
        )

    _other_index_entries(vault, 20, "few")
    few = typical_save("second")
    _other_index_entries(vault, 2000, "many")
    many = typical_save("third")
    assert _ids(services.search.search("third")) == [str(note.id)]
    # A hundred times more records may cost a little more, not a hundred times more.
    assert many < 3 * few, (few, many)


def test_one_megabyte_note_saves_reloads_and_is_searchable(services) -> None:
    words = ["calm", "river", "breath", "window", "shoulder", "light", "safe", "place"]
    chunk = " ".join(words[i % len(words)] + str(i % 97) for i in range(2000)) + "\n"
    body = (chunk * (1_050_000 // len(chunk) + 1))[:1_000_000]
    middle = len(body) // 2
    body = body[:middle] + " xylophonemarker " + body[middle:] + " Ωmega終"
    assert len(body.encode("utf-8")) > 1_000_000

    note = _note(services, body)
    assert services.notes.get(note.id).sections["note"] == body

    hits = services.search.search("xylophonemarker")
    assert _ids(hits) == [str(note.id)]
    assert "[xylophonemarker]" in hits[0].snippet
    assert _ids(services.search.search("ωmega終")) == [str(note.id)]

    changed = body.replace("xylophonemarker", "glockenspielmarker")
    services.notes.save_draft(note.id, {"note": changed})
    assert services.notes.get(note.id).sections["note"] == changed
    assert services.search.search("xylophonemarker") == []
    assert _ids(services.search.search("glockenspielmarker")) == [str(note.id)]
    signed = services.notes.sign(note.id)
    assert services.notes.verify_hash(signed.id) is True
