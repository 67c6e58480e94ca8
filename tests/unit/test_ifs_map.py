"""IFS parts map: rules, saving the map, snapshots per session, history, each part's work."""

from __future__ import annotations

import math
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from console.clinical import ifs as c
from console.errors import NotFoundError, ValidationError
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.ifs import PartWorkFields
from console.services.sessions import SessionFields
from models import SessionKind

START = datetime(2026, 4, 6, 10, 0, tzinfo=UTC)
SECRET = "Zorblewick"


def _client(services: Services, name: str = "Ifs Test") -> uuid.UUID:
    return services.clients.create(ClientFields(name=name)).id


def _session(services: Services, client: uuid.UUID, days: int = 0) -> uuid.UUID:
    fields = SessionFields(starts_at=START + timedelta(days=days), kind=SessionKind.IFS)
    return services.sessions.create(client, fields).id


def _part(name: str, kind: str = "manager", **kw: object) -> c.Part:
    return c.Part(id=uuid.uuid4(), name=name, kind=kind, **kw)  # type: ignore[arg-type]


def _rel(
    kind: str, source: c.Part, target: c.Part | None, strength: int | None = None
) -> c.Relation:
    return c.Relation(
        uuid.uuid4(), kind, source.id, None if target is None else target.id, strength
    )


def _sample() -> tuple[c.PartsMap, c.Part, c.Part, c.Part]:
    critic = _part("The Critic", "manager", status="active", activation=7)
    binge = _part("Binger", "firefighter")
    little = _part("Little one", "exile", age="6", burden="I am too much")
    parts_map = c.PartsMap((critic, binge, little)).with_relation(_rel("protects", critic, little))
    parts_map = parts_map.with_relation(_rel("polarised", critic, binge, 8))
    return parts_map, critic, binge, little


# -- rules ------------------------------------------------------------------------


def test_kinds_statuses_and_ranges_are_checked() -> None:
    with pytest.raises(ValidationError, match="Part kind"):
        c.check_part(_part("X", "protector"))
    with pytest.raises(ValidationError, match="Part status"):
        c.check_part(replace(_part("X"), status="gone"))
    with pytest.raises(ValidationError, match="Activation"):
        c.check_part(replace(_part("X"), activation=11))
    with pytest.raises(ValidationError, match="required"):
        c.check_part(_part("   "))
    with pytest.raises(ValidationError, match="Position"):
        c.check_part(replace(_part("X"), x=float("nan")))
    assert c.check_part(_part("  Critic  ")).name == "Critic"


def test_relationship_rules() -> None:
    parts_map, critic, binge, _little = _sample()
    with pytest.raises(ValidationError, match="itself"):
        c.check_relation(parts_map, _rel("protects", critic, critic))
    ghost = _part("Ghost")
    with pytest.raises(ValidationError, match="not on the map"):
        c.check_relation(parts_map, _rel("allied", critic, ghost))
    with pytest.raises(ValidationError, match="trailhead"):
        c.check_relation(parts_map, _rel("leads_to", critic, binge))
    with pytest.raises(ValidationError, match="Self"):
        c.check_relation(parts_map, _rel("protects", critic, None))
    with pytest.raises(ValidationError, match="strength"):
        c.check_relation(parts_map, _rel("polarised", critic, binge, 11))
    assert c.check_relation(parts_map, _rel("polarised", critic, binge)).strength == 5
    assert c.check_relation(parts_map, _rel("blended", critic, None)).target is None
    assert c.check_relation(parts_map, _rel("allied", critic, binge, 3)).strength is None


def test_removing_a_part_removes_its_lines() -> None:
    parts_map, critic, _binge, _little = _sample()
    smaller = parts_map.without_part(critic.id)
    assert [p.name for p in smaller.parts] == ["Binger", "Little one"]
    assert smaller.relations == ()
    assert c.check_map(smaller) == smaller


def test_duplicate_names_are_found_not_refused() -> None:
    parts_map = c.PartsMap((_part("Critic"), _part("critic "), _part("Other")))
    assert list(c.duplicate_names(parts_map)) == ["critic"]
    c.check_map(parts_map)


def test_tidy_layout_puts_kinds_in_their_sectors_without_overlap() -> None:
    parts = [_part(f"P{i}", c.PART_KINDS[i % 5]) for i in range(200)]
    laid = c.tidy_layout(c.PartsMap(tuple(parts)))
    points = [(p.x, p.y) for p in laid.parts]
    closest = min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :])
    assert closest > c.SPACING * 0.5
    managers = [p for p in laid.parts if p.kind == "manager"]
    exiles = [p for p in laid.parts if p.kind == "exile"]
    assert all(p.y < 0 for p in managers)  # above Self (screen y grows down)
    assert all(p.y > 0 for p in exiles)
    assert c.tidy_layout(c.PartsMap(tuple(parts))) == laid


def test_snapshot_json_round_trip() -> None:
    parts_map, *_ = _sample()
    parts_map = replace(parts_map, self_energy=6, self_cs=("calm", "curiosity"))
    assert c.from_json(c.to_json(parts_map)) == parts_map


# -- service ----------------------------------------------------------------------


def test_save_and_load_the_live_map(services: Services) -> None:
    client = _client(services)
    parts_map, critic, _binge, _little = _sample()
    result = services.ifs.save(client, parts_map)
    assert (result.parts_added, result.parts_removed, result.relations_changed) == (3, 0, 2)
    loaded = services.ifs.load(client)
    assert loaded.parts == parts_map.parts
    assert {r.kind for r in loaded.relations} == {"protects", "polarised"}
    moved = loaded.moved({critic.id: (120.0, -40.0)})
    again = services.ifs.save(client, moved)
    assert (again.parts_added, again.parts_changed, again.relations_changed) == (0, 1, 0)
    assert services.ifs.load(client).part(critic.id) == replace(critic, x=120.0, y=-40.0)


def test_a_refused_map_leaves_the_stored_one(services: Services) -> None:
    client = _client(services)
    parts_map, critic, *_ = _sample()
    services.ifs.save(client, parts_map)
    bad = parts_map.with_part(replace(critic, name="")).with_part(_part("New"))
    with pytest.raises(ValidationError, match="Part name"):
        services.ifs.save(client, bad)
    assert services.ifs.load(client) == parts_map


def test_a_dangling_relationship_is_refused(services: Services) -> None:
    client = _client(services)
    parts_map, critic, *_ = _sample()
    ghost = _part("Ghost")
    bad = c.PartsMap(parts_map.parts, (*parts_map.relations, _rel("allied", critic, ghost)))
    with pytest.raises(ValidationError, match="not on the map"):
        services.ifs.save(client, bad)


def test_removed_parts_keep_their_names_for_the_records(services: Services) -> None:
    client = _client(services)
    parts_map, critic, *_ = _sample()
    services.ifs.save(client, parts_map)
    result = services.ifs.save(client, parts_map.without_part(critic.id))
    assert result.parts_removed == 1
    assert services.ifs.load(client).part(critic.id) is None
    assert services.ifs.part_names(client)[critic.id] == "The Critic"
    # Undo brings it back, with its lines.
    restored = services.ifs.save(client, parts_map)
    assert restored.parts_added == 1
    assert services.ifs.load(client) == parts_map


def test_parts_of_one_client_stay_theirs(services: Services) -> None:
    first, second = _client(services, "One"), _client(services, "Two")
    parts_map, *_ = _sample()
    services.ifs.save(first, parts_map)
    with pytest.raises(ValidationError, match="another client"):
        services.ifs.save(second, parts_map)
    assert services.ifs.load(second) == c.PartsMap()
    session = _session(services, first)
    with pytest.raises(ValidationError, match="another client"):
        services.ifs.save(second, c.PartsMap(), session)


def test_each_session_keeps_its_snapshot_and_history_shows_change(services: Services) -> None:
    client = _client(services)
    one, two = _session(services, client, 0), _session(services, client, 7)
    parts_map, _critic, binge, little = _sample()
    first = replace(parts_map, self_energy=4, self_cs=("calm",))
    services.ifs.save(client, first, one)
    later = first.with_part(replace(little, status="unburdened"))
    newcomer = _part("Protector of sleep", "manager")
    later = replace(later.with_part(newcomer), self_energy=7, self_cs=("calm", "clarity"))
    services.ifs.save(client, later, two)
    history = services.ifs.history(client)
    assert [h.session_id for h in history] == [one, two]
    assert history[0].map.self_energy == 4 and len(history[0].map.parts) == 3
    assert history[1].map.self_cs == ("calm", "clarity")
    diff = c.changes(history[0].map, history[1].map)
    assert diff.added == (newcomer.id,)
    assert diff.unburdened == (little.id,)
    assert services.ifs.previous_map(two).session_id == one  # type: ignore[union-attr]
    assert services.ifs.previous_map(one) is None
    # The earlier snapshot does not move when the live map does.
    services.ifs.save(client, later.without_part(binge.id))
    assert len(services.ifs.session_map(one).map.parts) == 3  # type: ignore[union-attr]
    assert services.ifs.load(client, one).self_energy == 4
    assert services.ifs.load(client, two).self_energy == 7


def test_self_reading_is_checked(services: Services) -> None:
    client = _client(services)
    with pytest.raises(ValidationError, match="Self energy"):
        services.ifs.save(client, c.PartsMap(self_energy=11), _session(services, client))
    with pytest.raises(ValidationError, match="eight C"):
        services.ifs.save(client, c.PartsMap(self_cs=("calmness",)))


def test_part_work_six_fs_and_unburdening(services: Services) -> None:
    client = _client(services)
    session = _session(services, client)
    parts_map, critic, _binge, little = _sample()
    services.ifs.save(client, parts_map, session)
    assert services.ifs.part_work(session, critic.id) is None
    work = PartWorkFields(
        six_fs=("find", "focus", "feel_toward"),
        six_fs_notes=(("find", "tight jaw"), ("feel_toward", "curious")),
    )
    saved = services.ifs.save_part_work(session, critic.id, work)
    assert saved.fields == work and not saved.unburdening
    unburden = PartWorkFields(
        six_fs=tuple(k for k, _, _ in c.SIX_FS),
        witnessing="saw the kitchen",
        release_element="light",
        qualities_invited="playfulness",
    )
    services.ifs.save_part_work(session, little.id, unburden)
    records = services.ifs.session_work(session)
    assert [r.part_name for r in records] == ["The Critic", "Little one"]
    assert records[1].unburdening and records[1].release_element == "light"
    with pytest.raises(ValidationError, match="Release to"):
        services.ifs.save_part_work(session, little.id, PartWorkFields(release_element="air"))
    with pytest.raises(ValidationError, match="unknown step"):
        services.ifs.save_part_work(session, little.id, PartWorkFields(six_fs=("fun",)))
    with pytest.raises(NotFoundError):
        services.ifs.save_part_work(session, uuid.uuid4(), work)


def test_audit_counts_changes_without_names(services: Services) -> None:
    client = _client(services)
    session = _session(services, client)
    parts_map = c.PartsMap((_part(SECRET),))
    services.ifs.save(client, parts_map, session)
    services.ifs.save_part_work(session, parts_map.parts[0].id, PartWorkFields(witnessing=SECRET))
    events = [e for e in services.recent_audit() if e.entity_kind.startswith("ifs")]
    assert {e.entity_kind for e in events} == {"ifs_map", "ifs_part_work"}
    assert all(SECRET not in e.detail for e in events)
    assert any("parts +1" in e.detail for e in events)


def test_a_200_part_map_saves_and_loads_whole(services: Services) -> None:
    client = _client(services)
    parts = tuple(_part(f"Part {i}", c.PART_KINDS[i % 4]) for i in range(200))
    relations = tuple(
        c.Relation(uuid.uuid4(), "allied", parts[i % 200].id, parts[(i * 7 + 1) % 200].id)
        for i in range(400)
        if i % 200 != (i * 7 + 1) % 200
    )
    parts_map = c.tidy_layout(c.PartsMap(parts, relations))
    services.ifs.save(client, parts_map, _session(services, client))
    loaded = services.ifs.load(client)
    assert len(loaded.parts) == 200 and len(loaded.relations) == len(relations)
    with services.vault.session() as db:
        stored = db.execute(sa.text("select count(*) from ifs_parts")).scalar_one()
    assert stored == 200


def test_demo_caseload_carries_a_map_that_grew(services: Services) -> None:
    from console.demo import build_demo

    build_demo(services)
    zoe = next(x.id for x in services.clients.list() if x.preferred_name == "Zoë")
    history = services.ifs.history(zoe)
    assert len(history) == 4
    assert [len(h.map.parts) for h in history] == [3, 4, 5, 5]
    assert [h.map.self_energy for h in history] == [3, 5, 6, 8]
    last = c.changes(history[2].map, history[3].map)
    girl = next(p for p in history[3].map.parts if p.name == "Girl in the car park")
    assert last.unburdened == (girl.id,)
    work = services.ifs.session_work(history[3].session_id)
    assert [w.part_name for w in work] == ["Girl in the car park"]
    assert work[0].release_element == "light"
    assert len(services.ifs.load(zoe).parts) == 5


def test_relation_kinds_offered_for_a_pair() -> None:
    a = c.Part(uuid.uuid4(), "Worrier", "manager")
    b = c.Part(uuid.uuid4(), "Little one", "exile")
    t = c.Part(uuid.uuid4(), "Deadline email", "trailhead")
    m = c.PartsMap((a, b, t))
    assert c.relation_kinds_for(m, a.id, b.id) == ("protects", "polarised", "allied", "exiled_by")
    assert c.relation_kinds_for(m, a.id, None) == ("blended",)
    assert c.relation_kinds_for(m, a.id, a.id) == ()
    assert "leads_to" in c.relation_kinds_for(m, t.id, a.id)


def test_unplaced_and_changes_summary() -> None:
    a = c.Part(uuid.uuid4(), "Worrier", "manager")
    b = c.Part(uuid.uuid4(), "Little one", "exile")
    before = c.PartsMap((a, b))
    assert c.unplaced(before) and not c.unplaced(c.PartsMap())
    assert not c.unplaced(c.tidy_layout(before))
    new = c.Part(uuid.uuid4(), "Protector of sleep", "manager")
    after = before.with_part(new).with_part(replace(b, status="unburdened"))
    text = c.changes_summary(before, after, "12 Mar")
    assert text == "Since 12 Mar: added Protector of sleep; unburdened Little one."
    assert c.changes_summary(after, after, "1 Apr") == "Since 1 Apr: no parts added or unburdened."


def test_typing_in_one_note_is_told_apart_from_ticking_a_step() -> None:
    base = PartWorkFields(six_fs=("find",), six_fs_notes=(("find", "jaw"),))
    typed = PartWorkFields(six_fs=("find",), six_fs_notes=(("find", "jaw, tight"),))
    assert base.typed_in(typed) == ("work", "find")
    ticked = PartWorkFields(six_fs=("find", "focus"), six_fs_notes=base.six_fs_notes)
    assert base.typed_in(ticked) is None
    witnessed = PartWorkFields(six_fs=("find",), six_fs_notes=base.six_fs_notes, witnessing="x")
    assert base.typed_in(witnessed) == ("work", "witnessing")
    both = PartWorkFields(six_fs=("find",), witnessing="x")
    assert base.typed_in(both) is None  # two notes changed at once
