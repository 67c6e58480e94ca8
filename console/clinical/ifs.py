"""An IFS parts map as plain data: parts, relationships, Self, and the rules between them.

(docs/clinical.md "IFS parts mapping".) A map is immutable: every edit returns a
new `PartsMap`, so the editor's undo stack keeps whole states cheaply and the
service can compare what it loaded with what it is asked to save. Snapshots
of a map (one per session) are its JSON form, so a later change to the live
map never rewrites how the map looked at an earlier session.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from console.errors import ValidationError

PartKind = Literal["manager", "firefighter", "exile", "unknown", "trailhead"]
PART_KINDS: tuple[PartKind, ...] = ("manager", "firefighter", "exile", "unknown", "trailhead")
PART_KIND_LABELS: dict[str, str] = {
    "manager": "Manager",
    "firefighter": "Firefighter",
    "exile": "Exile",
    "unknown": "Unknown",
    "trailhead": "Trailhead (trigger)",
}
# The shape drawn for each kind, on screen and in print: colour is never the only cue.
PART_KIND_SHAPES: dict[str, str] = {
    "manager": "square",
    "firefighter": "triangle",
    "exile": "circle",
    "unknown": "diamond",
    "trailhead": "hexagon",
}
# One palette for screen and print, readable on light and dark backgrounds.
PART_KIND_COLOURS: dict[str, str] = {
    "manager": "#3b7dd8",
    "firefighter": "#d9622b",
    "exile": "#8e5bc7",
    "unknown": "#7a8088",
    "trailhead": "#2f9e6e",
}
SELF_COLOUR = "#e0b020"

PartStatus = Literal["emerging", "acknowledged", "active", "unburdened"]
PART_STATUSES: tuple[PartStatus, ...] = ("emerging", "acknowledged", "active", "unburdened")
PART_STATUS_LABELS: dict[str, str] = {
    "emerging": "Emerging",
    "acknowledged": "Acknowledged",
    "active": "Active",
    "unburdened": "Unburdened",
}

RelationKind = Literal["protects", "polarised", "allied", "exiled_by", "blended", "leads_to"]
RELATION_KINDS: tuple[RelationKind, ...] = (
    "protects",
    "polarised",
    "allied",
    "exiled_by",
    "blended",
    "leads_to",
)
RELATION_LABELS: dict[str, str] = {
    "protects": "protects",
    "polarised": "polarised with",
    "allied": "allied with",
    "exiled_by": "exiled by",
    "blended": "blended with Self",
    "leads_to": "leads to",
}
DIRECTED: frozenset[str] = frozenset({"protects", "exiled_by", "leads_to", "blended"})
DEFAULT_POLARITY = 5

EIGHT_CS: tuple[tuple[str, str], ...] = (
    ("calm", "Calm"),
    ("curiosity", "Curiosity"),
    ("compassion", "Compassion"),
    ("confidence", "Confidence"),
    ("courage", "Courage"),
    ("clarity", "Clarity"),
    ("creativity", "Creativity"),
    ("connectedness", "Connectedness"),
)
SIX_FS: tuple[tuple[str, str, str], ...] = (
    ("find", "Find", "Where is it in or around the body?"),
    ("focus", "Focus", "Turn attention toward it."),
    ("flesh_out", "Flesh out", "What does it look like, how old is it, what does it feel?"),
    ("feel_toward", "Feel toward", "How do you feel toward it? Is Self present?"),
    ("befriend", "beFriend", "What does it want you to know? What is it trying to do for you?"),
    ("fears", "Fears", "What is it afraid would happen if it stopped?"),
)
UNBURDENING_FIELDS: tuple[tuple[str, str], ...] = (
    ("witnessing", "Witnessing"),
    ("do_over", "Do-over"),
    ("retrieval", "Retrieval"),
    ("release_element", "Release to"),
    ("qualities_invited", "Qualities invited"),
    ("new_roles", "Protectors' new roles"),
)
RELEASE_ELEMENTS: dict[str, str] = {
    "": "—",
    "light": "Light",
    "fire": "Fire",
    "water": "Water",
    "wind": "Wind",
    "earth": "Earth",
    "other": "Other",
}
PART_TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("body_location", "Body location"),
    ("age", "Age"),
    ("appearance", "Appearance"),
    ("emotions", "Emotions"),
    ("burden", "Beliefs / burden"),
    ("fears", "Fears (if it stopped)"),
    ("positive_intent", "Positive intent"),
    ("notes", "Notes"),
)
# The session kinds whose workspace has the Parts tab: only they keep a map or part work.
MAP_SESSION_KINDS: frozenset[str] = frozenset({"ifs", "integration", "other"})
ACTIVATION_MIN, ACTIVATION_MAX = 0, 10
SELF_ENERGY_MIN, SELF_ENERGY_MAX = 0, 10
STRENGTH_MIN, STRENGTH_MAX = 0, 10
MAX_NAME = 120
MAX_PARTS = 1000
# Positions are scene units around Self at (0, 0); far enough for any tidy layout.
MAX_COORD = 100_000.0


@dataclass(frozen=True)
class Part:
    id: uuid.UUID
    name: str
    kind: str = "unknown"
    status: str = "emerging"
    activation: int = 5
    x: float = 0.0
    y: float = 0.0
    body_location: str = ""
    age: str = ""
    appearance: str = ""
    emotions: str = ""
    burden: str = ""
    fears: str = ""
    positive_intent: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Relation:
    """A line on the map; `target` None means Self (only for "blended")."""

    id: uuid.UUID
    kind: str
    source: uuid.UUID
    target: uuid.UUID | None
    strength: int | None = None


@dataclass(frozen=True)
class PartsMap:
    parts: tuple[Part, ...] = ()
    relations: tuple[Relation, ...] = ()
    self_energy: int | None = None
    self_cs: tuple[str, ...] = ()

    def part(self, part_id: uuid.UUID) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    def relations_of(self, part_id: uuid.UUID) -> tuple[Relation, ...]:
        return tuple(r for r in self.relations if part_id in (r.source, r.target))

    # -- edits: each returns a new map --------------------------------------

    def with_part(self, part: Part) -> PartsMap:
        """Add the part, or replace the one with its id."""
        if self.part(part.id) is None:
            return replace(self, parts=(*self.parts, part))
        return replace(self, parts=tuple(part if p.id == part.id else p for p in self.parts))

    def without_part(self, part_id: uuid.UUID) -> PartsMap:
        """Remove the part and every line touching it: no relation may dangle."""
        return replace(
            self,
            parts=tuple(p for p in self.parts if p.id != part_id),
            relations=tuple(r for r in self.relations if part_id not in (r.source, r.target)),
        )

    def with_relation(self, relation: Relation) -> PartsMap:
        if any(r.id == relation.id for r in self.relations):
            return replace(
                self,
                relations=tuple(relation if r.id == relation.id else r for r in self.relations),
            )
        return replace(self, relations=(*self.relations, relation))

    def without_relation(self, relation_id: uuid.UUID) -> PartsMap:
        return replace(self, relations=tuple(r for r in self.relations if r.id != relation_id))

    def moved(self, positions: Mapping[uuid.UUID, tuple[float, float]]) -> PartsMap:
        return replace(
            self,
            parts=tuple(
                replace(p, x=positions[p.id][0], y=positions[p.id][1]) if p.id in positions else p
                for p in self.parts
            ),
        )


# -- checks ---------------------------------------------------------------------


def _whole(field_name: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field_name, "must be a whole number")
    if not lo <= value <= hi:
        raise ValidationError(field_name, f"must be between {lo} and {hi}")
    return value


def _text(field_name: str, value: object, max_len: int = 100_000) -> str:
    if not isinstance(value, str):
        raise ValidationError(field_name, "must be text")
    if "\x00" in value:
        raise ValidationError(field_name, "contains a NUL character")
    if len(value) > max_len:
        raise ValidationError(field_name, f"is too long (at most {max_len:,} characters)")
    return value


def check_part(part: Part) -> Part:
    """A part as it may be saved: a name, a known kind and status, ratings in range."""
    name = _text("Part name", part.name, MAX_NAME).strip()
    if not name:
        raise ValidationError("Part name", "is required: use the client's words")
    if "\n" in name or "\r" in name:
        raise ValidationError("Part name", "must be on one line")
    if part.kind not in PART_KINDS:
        raise ValidationError("Part kind", "must be one of: " + ", ".join(PART_KINDS))
    if part.status not in PART_STATUSES:
        raise ValidationError("Part status", "must be one of: " + ", ".join(PART_STATUSES))
    _whole("Activation", part.activation, ACTIVATION_MIN, ACTIVATION_MAX)
    for key, label in PART_TEXT_FIELDS:
        _text(label, getattr(part, key))
    for coord in (part.x, part.y):
        if not isinstance(coord, int | float) or not math.isfinite(coord):
            raise ValidationError("Position", "must be a finite number")
        if abs(coord) > MAX_COORD:
            raise ValidationError("Position", "is off the map")
    return replace(part, name=name)


def check_relation(parts_map: PartsMap, relation: Relation) -> Relation:
    """A line between two parts on this map, of a known kind, never from a part to itself."""
    if relation.kind not in RELATION_KINDS:
        raise ValidationError("Relationship", "must be one of: " + ", ".join(RELATION_KINDS))
    source = parts_map.part(relation.source)
    if source is None:
        raise ValidationError("Relationship", "starts at a part that is not on the map")
    if relation.kind == "blended":
        if relation.target is not None:
            raise ValidationError("Relationship", "blended with Self ends at Self")
    else:
        if relation.target is None:
            raise ValidationError("Relationship", "only a blended part connects to Self")
        if relation.target == relation.source:
            raise ValidationError("Relationship", "a part cannot be related to itself")
        if parts_map.part(relation.target) is None:
            raise ValidationError("Relationship", "ends at a part that is not on the map")
    if relation.kind == "leads_to" and source.kind != "trailhead":
        raise ValidationError("Relationship", "only a trailhead leads to parts")
    strength = relation.strength
    if relation.kind == "polarised":
        strength = DEFAULT_POLARITY if strength is None else strength
        _whole("Polarisation strength", strength, STRENGTH_MIN, STRENGTH_MAX)
    else:
        strength = None
    return replace(relation, strength=strength)


def check_map(parts_map: PartsMap) -> PartsMap:
    """The whole map as it may be saved; a refused value names what is wrong, nothing is kept."""
    if len(parts_map.parts) > MAX_PARTS:
        raise ValidationError("Parts map", f"has more than {MAX_PARTS} parts")
    ids = [p.id for p in parts_map.parts]
    if len(set(ids)) != len(ids):
        raise ValidationError("Parts map", "lists a part twice")
    parts = tuple(check_part(p) for p in parts_map.parts)
    checked = replace(parts_map, parts=parts)
    relations = tuple(check_relation(checked, r) for r in parts_map.relations)
    if len({r.id for r in relations}) != len(relations):
        raise ValidationError("Parts map", "lists a relationship twice")
    energy = parts_map.self_energy
    if energy is not None:
        _whole("Self energy", energy, SELF_ENERGY_MIN, SELF_ENERGY_MAX)
    known = {key for key, _ in EIGHT_CS}
    unknown = [c for c in parts_map.self_cs if c not in known]
    if unknown:
        raise ValidationError("Self qualities", "must be among the eight C's")
    cs = tuple(key for key, _ in EIGHT_CS if key in parts_map.self_cs)
    return replace(checked, relations=relations, self_cs=cs)


def duplicate_names(parts_map: PartsMap) -> dict[str, tuple[uuid.UUID, ...]]:
    """Names on more than one part: allowed (a client may have two "Critics"), worth a word."""
    seen: dict[str, list[uuid.UUID]] = {}
    for part in parts_map.parts:
        seen.setdefault(part.name.strip().casefold(), []).append(part.id)
    return {name: tuple(ids) for name, ids in seen.items() if len(ids) > 1}


# -- history --------------------------------------------------------------------


@dataclass(frozen=True)
class MapChanges:
    """What changed between two states of a map: what the history view highlights."""

    added: tuple[uuid.UUID, ...] = ()
    removed: tuple[uuid.UUID, ...] = ()
    unburdened: tuple[uuid.UUID, ...] = ()
    status_changed: tuple[uuid.UUID, ...] = ()
    relations_added: tuple[uuid.UUID, ...] = ()
    relations_removed: tuple[uuid.UUID, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.status_changed,
                self.relations_added,
                self.relations_removed,
            )
        )


def changes(before: PartsMap | None, after: PartsMap) -> MapChanges:
    """Compare two maps; with no earlier map, every part is new."""
    old = {p.id: p for p in (before.parts if before else ())}
    new = {p.id: p for p in after.parts}
    old_rel = {r.id for r in (before.relations if before else ())}
    new_rel = {r.id for r in after.relations}
    return MapChanges(
        added=tuple(i for i in new if i not in old),
        removed=tuple(i for i in old if i not in new),
        unburdened=tuple(
            i
            for i, p in new.items()
            if p.status == "unburdened" and (i not in old or old[i].status != "unburdened")
        ),
        status_changed=tuple(i for i, p in new.items() if i in old and old[i].status != p.status),
        relations_added=tuple(r.id for r in after.relations if r.id not in old_rel),
        relations_removed=tuple(r for r in old_rel if r not in new_rel),
    )


def to_json(parts_map: PartsMap) -> dict[str, Any]:
    return {
        "version": 1,
        "self_energy": parts_map.self_energy,
        "self_cs": list(parts_map.self_cs),
        "parts": [
            {**{k: v for k, v in vars(p).items() if k != "id"}, "id": str(p.id)}
            for p in parts_map.parts
        ],
        "relations": [
            {
                "id": str(r.id),
                "kind": r.kind,
                "source": str(r.source),
                "target": None if r.target is None else str(r.target),
                "strength": r.strength,
            }
            for r in parts_map.relations
        ],
    }


def from_json(data: Mapping[str, Any]) -> PartsMap:
    """Read a snapshot; fields a later version added are ignored, missing ones take defaults."""
    part_fields = set(Part.__dataclass_fields__) - {"id"}
    parts = tuple(
        Part(id=uuid.UUID(p["id"]), **{k: v for k, v in p.items() if k in part_fields})
        for p in data.get("parts", ())
    )
    relations = tuple(
        Relation(
            id=uuid.UUID(r["id"]),
            kind=r["kind"],
            source=uuid.UUID(r["source"]),
            target=None if r.get("target") is None else uuid.UUID(r["target"]),
            strength=r.get("strength"),
        )
        for r in data.get("relations", ())
    )
    return PartsMap(
        parts=parts,
        relations=relations,
        self_energy=data.get("self_energy"),
        self_cs=tuple(data.get("self_cs", ())),
    )


# -- layout ---------------------------------------------------------------------

# Where each kind sits around Self (degrees, 0 = right, counter-clockwise up):
# exiles below (protected, "deeper"), firefighters to the right, managers
# upper right, trailheads upper left, unknown parts to the left: five sectors
# 72° apart, each WEDGE wide, so a gap of 22° keeps kinds apart even on the
# innermost ring.
_SECTORS: dict[str, float] = {
    "exile": 270.0,
    "firefighter": 342.0,
    "manager": 54.0,
    "trailhead": 126.0,
    "unknown": 198.0,
}
WEDGE = 50.0
RING = 170.0
SPACING = 110.0


@dataclass(frozen=True)
class LayoutOptions:
    ring: float = RING
    spacing: float = SPACING
    sectors: Mapping[str, float] = field(default_factory=lambda: dict(_SECTORS))


def tidy_layout(parts_map: PartsMap, options: LayoutOptions | None = None) -> PartsMap:
    """Place every part in its kind's sector around Self, in rings, none overlapping.

    Deterministic (same map, same picture), so a tidied map looks the same
    in the next session and in print.
    """
    opts = options or LayoutOptions()
    by_kind: dict[str, list[Part]] = {}
    for part in parts_map.parts:
        by_kind.setdefault(part.kind, []).append(part)
    positions: dict[uuid.UUID, tuple[float, float]] = {}
    for kind, parts in by_kind.items():
        centre = math.radians(opts.sectors.get(kind, 180.0))
        for slot, (x, y) in zip(parts, _sector_slots(len(parts), centre, opts), strict=True):
            positions[slot.id] = (x, y)
    return parts_map.moved(positions)


def _sector_slots(count: int, centre: float, opts: LayoutOptions) -> list[tuple[float, float]]:
    """Points in a wedge, ring after ring, each ring holding as many as its arc allows."""
    wedge = math.radians(WEDGE)
    slots: list[tuple[float, float]] = []
    ring = 0
    while len(slots) < count:
        radius = opts.ring + ring * opts.spacing
        room = max(1, int(radius * wedge / opts.spacing) + 1)
        take = min(room, count - len(slots))
        step = opts.spacing / radius
        for i in range(take):
            angle = centre + (i - (take - 1) / 2) * step
            slots.append((radius * math.cos(angle), -radius * math.sin(angle)))
        ring += 1
    return slots


def free_spot(
    parts_map: PartsMap, kind: str, options: LayoutOptions | None = None
) -> tuple[float, float]:
    """Where a new part of this kind goes: the first slot of its sector nobody is near."""
    opts = options or LayoutOptions()
    centre = math.radians(opts.sectors.get(kind, 180.0))
    taken = [(p.x, p.y) for p in parts_map.parts]
    candidates = _sector_slots(len(taken) + 1, centre, opts)
    for x, y in candidates:
        if all(math.hypot(x - a, y - b) > opts.spacing * 0.6 for a, b in taken):
            return (x, y)
    return candidates[-1]


def part_names(parts: Iterable[Part]) -> dict[uuid.UUID, str]:
    return {p.id: p.name for p in parts}


def relation_text(relation: Relation, names: Mapping[uuid.UUID, str]) -> tuple[str, str, str]:
    """(from, how, to) in words, for tables and screen readers."""
    source = names.get(relation.source, "(removed part)")
    target = "Self" if relation.target is None else names.get(relation.target, "(removed part)")
    how = RELATION_LABELS.get(relation.kind, relation.kind)
    if relation.kind == "polarised" and relation.strength is not None:
        how = f"{how} ({relation.strength}/10)"
    return source, how, target


def sorted_parts(parts: Sequence[Part]) -> list[Part]:
    """Parts in the order a reader expects: by kind (as the legend lists them), then name."""
    order: dict[str, int] = {k: i for i, k in enumerate(PART_KINDS)}
    return sorted(parts, key=lambda p: (order.get(p.kind, 99), p.name.casefold()))


def relation_kinds_for(
    parts_map: PartsMap, source: uuid.UUID, target: uuid.UUID | None
) -> tuple[str, ...]:
    """The kinds of line allowed from `source` to `target` (None = Self): the editor's menu."""
    allowed = []
    for kind in RELATION_KINDS:
        try:
            check_relation(parts_map, Relation(uuid.UUID(int=0), kind, source, target))
        except ValidationError:
            continue
        allowed.append(kind)
    return tuple(allowed)


def unplaced(parts_map: PartsMap) -> bool:
    """True when a map has parts but none has a position yet: a tidy layout is worth offering."""
    return bool(parts_map.parts) and all(p.x == 0.0 and p.y == 0.0 for p in parts_map.parts)


def changes_summary(before: PartsMap | None, after: PartsMap, since: str) -> str:
    """One line for the history view: what was added and unburdened since an earlier map."""
    diff = changes(before, after)
    names = part_names(after.parts)
    pieces = []
    if diff.added:
        pieces.append("added " + ", ".join(names[i] for i in diff.added))
    if diff.unburdened:
        pieces.append("unburdened " + ", ".join(names[i] for i in diff.unburdened))
    if not pieces:
        return f"Since {since}: no parts added or unburdened."
    return f"Since {since}: " + "; ".join(pieces) + "."
