"""The IFS parts map in the printed records: one session section, one chart section.

Session section "Parts map" (printed when the session has a map snapshot or
part work): Self energy and the eight C's noticed in that session; the map
as it stood at that session, with parts new or unburdened since the previous
session's map drawn with a thick outline and named in a sentence; the parts
and the relationships as tables; and each part worked with: the six F's
done, with their notes, and the unburdening if there was one. Inside the
client chart (which prints the whole map once in its own part) each session
is brief: a smaller drawing, the change sentence and the part work.

Chart section "Parts map" (printed when the client has parts or snapshots):
the live map, its parts and relationships, then "How the map changed": one
row per session map in the chart's range.

Everything the client named (parts, notes) is their own words in any script:
table cells go through the renderer's `para`/`text` helpers, the drawing's
labels through `visual_line`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from console.clinical import ifs as c
from console.clinical import ifs_style as style
from console.errors import NotFoundError
from console.export import formatting as fmt
from console.export.document import DocumentRenderer, RecordTable
from console.export.ifs_drawing import legend_drawing, map_drawing
from console.export.sections import ChartPart, SessionPart, register_section
from console.export.styles import INK
from console.export.text import escape
from console.services.ifs import PartWorkRecord, SessionMapRecord

TITLE = "Parts map"
CHANGES_TITLE = "How the map changed"
T = TypeVar("T")
BIG_MAP = 30  # parts: above this the drawing gets a page's height
# the drawing's height by (brief, big): a small map takes less (see `map_drawing`)
HEIGHTS = {
    (False, False): 100 * mm,
    (False, True): 190 * mm,
    (True, False): 75 * mm,
    (True, True): 120 * mm,
}


def _stored(get: Callable[[uuid.UUID], T], record_id: uuid.UUID) -> T | None:
    try:
        return get(record_id)
    except NotFoundError:
        return None


def _names(ids: Sequence[uuid.UUID], *maps: Mapping[uuid.UUID, str]) -> list[str]:
    out = []
    for part_id in ids:
        name = next((m[part_id] for m in maps if part_id in m), "(removed part)")
        out.append(name)
    return out


def _join(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "—"


def _day(r: DocumentRenderer, record: SessionMapRecord) -> str:
    return fmt.day(fmt.local(record.starts_at, r.tz).date())


def _table(
    r: DocumentRenderer, header: Sequence[str], rows: Sequence[Sequence[str]], widths: list[float]
) -> RecordTable:
    return r.list_table(header, rows, widths)


def _fill(r: DocumentRenderer, widths: list[float], flexible: int) -> list[float]:
    widths[flexible] = 0.0
    widths[flexible] = r.width - sum(widths)
    return widths


def _kind(kind: str) -> str:
    return f"{style.kind_letter(kind)} · {c.PART_KIND_LABELS.get(kind, kind)}"


def parts_table(r: DocumentRenderer, parts_map: c.PartsMap) -> RecordTable:
    header = (
        "PART",
        "KIND",
        "STATUS",
        "ACTIVATION",
        "BODY LOCATION",
        "BURDEN",
        "POSITIVE INTENT",
    )
    rows = [
        [
            p.name,
            _kind(p.kind),
            c.PART_STATUS_LABELS.get(p.status, p.status),
            f"{p.activation}/10",
            p.body_location,
            p.burden,
            p.positive_intent,
        ]
        for p in c.sorted_parts(parts_map.parts)
    ]
    widths = _fill(r, [30 * mm, 24 * mm, 28 * mm, 20 * mm, 22 * mm, 0.0, 27 * mm], 5)
    return _table(r, header, rows, widths)


def relations_table(
    r: DocumentRenderer, parts_map: c.PartsMap, names: Mapping[uuid.UUID, str]
) -> RecordTable:
    known = {**names, **c.part_names(parts_map.parts)}
    rows = [list(c.relation_text(rel, known)) for rel in parts_map.relations]
    side = (r.width - 50 * mm) / 2
    widths = [side, 50 * mm, side]
    return _table(r, ("FROM", "HOW", "TO"), rows, widths)


def self_line(parts_map: c.PartsMap) -> str:
    energy = "not rated" if parts_map.self_energy is None else f"{parts_map.self_energy}/10"
    noticed = [label for key, label in c.EIGHT_CS if key in parts_map.self_cs]
    cs = "  ".join(f"✓ {label}" for label in noticed) if noticed else "none noted"
    return f"Self energy: {energy} · The eight C's noticed: {cs}"


def change_line(
    r: DocumentRenderer,
    before: SessionMapRecord | None,
    after: c.PartsMap,
    names: Mapping[uuid.UUID, str],
) -> str:
    if before is None:
        count = len(after.parts)
        return f"First map of this client: {count} part{'' if count == 1 else 's'}."
    ch = c.changes(before.map, after)
    now = c.part_names(after.parts)
    old = c.part_names(before.map.parts)
    added = _names(ch.added, now)
    unburdened = _names(ch.unburdened, now)
    said = [f"added {_join(added)}"] if added else []
    said += [f"unburdened {_join(unburdened)}"] if unburdened else []
    said += [f"removed {_join(_names(ch.removed, old, names))}"] if ch.removed else []
    if not said:
        return f"No part added, unburdened or removed since {_day(r, before)}."
    return f"Since {_day(r, before)}: " + "; ".join(said) + "."


def _map_block(
    r: DocumentRenderer,
    parts_map: c.PartsMap,
    highlight: Sequence[uuid.UUID],
    highlight_label: str,
    *,
    brief: bool = False,
) -> list[Flowable]:
    """The drawing with its legend; brief (under a session in the chart): a smaller
    drawing and no legend, which the chart's own "Parts map" part prints once."""
    if not parts_map.parts:
        return [Paragraph("No parts on the map.", r.styles.empty)]
    big = len(parts_map.parts) > BIG_MAP
    height = HEIGHTS[(brief, big)]
    drawing = map_drawing(parts_map, r.width, height, highlight=highlight)
    if brief:
        block: list[Flowable] = [drawing]
        if highlight:
            note = f"Thick outline: {highlight_label}. Shapes and lines as in the legend above."
            block.append(Paragraph(escape(note), r.styles.small))
        return [KeepTogether(block), Spacer(1, 4)]
    legend = legend_drawing(r.width, highlight_label=highlight_label if highlight else "")
    return [KeepTogether([drawing, Spacer(1, 2), legend]), Spacer(1, 4)]


def part_work(r: DocumentRenderer, work: PartWorkRecord) -> list[Flowable]:
    """One part's work in one session: the six F's done (with notes), then the unburdening."""
    s = r.styles
    title = r.para(
        f"{work.part_name} ({c.PART_KIND_LABELS.get(work.part_kind, work.part_kind)})",
        s.heading.clone("ifs-part", fontSize=9.5, leading=12),
    )
    out: list[Flowable] = [Spacer(1, 4), title, Spacer(1, 2)]
    rows = [
        (f"{'✓' if key in work.six_fs else '·'} {label}", work.note(key))
        for key, label, _ in c.SIX_FS
        if key in work.six_fs or work.note(key)
    ]
    undone = [label for key, label, _ in c.SIX_FS if key not in work.six_fs]
    if rows:
        out.append(r.detail_table(rows, label_width=34 * mm))
    if undone and rows:
        out.append(Paragraph(escape("Not done: " + ", ".join(undone)), s.small))
    elif not rows:
        out.append(Paragraph("No step of the six F's recorded.", s.small))
    if work.unburdening:
        heading = Paragraph("Unburdening", s.section.clone("ifs-unburden", spaceBefore=4))
        found: list[tuple[str, str]] = []
        for key, label in c.UNBURDENING_FIELDS:
            value: str = getattr(work, key)
            if key == "release_element" and value:
                value = c.RELEASE_ELEMENTS.get(value, value)
            if value.strip():
                found.append((label, value))
        out += [heading, r.detail_table(found, label_width=34 * mm)]
    # the part's name stays with the start of its work
    return [KeepTogether(out[:4]), *out[4:]] if len(out) > 4 else [KeepTogether(out)]


# -- session section -----------------------------------------------------------------


def ifs_session(part: SessionPart) -> list[Flowable]:
    if part.session.kind not in c.MAP_SESSION_KINDS:
        return []
    ifs = part.services.ifs
    snapshot = _stored(ifs.session_map, part.session.id)
    work = _stored(ifs.session_work, part.session.id) or []
    if snapshot is None and not work:
        return []
    r = part.renderer
    s = r.styles
    out: list[Flowable] = [Spacer(1, 4), Paragraph(escape(TITLE), s.section)]
    names = ifs.part_names(part.client.id)
    if snapshot is not None:
        parts_map = snapshot.map
        before = ifs.previous_map(part.session.id)
        ch = c.changes(before.map if before else None, parts_map)
        highlight = list(ch.unburdened) + ([] if before is None else list(ch.added))
        label = "new or unburdened since the last map"
        out += [
            Paragraph(escape(self_line(parts_map)), s.body.clone("ifs-self", spaceAfter=1)),
            r.para(change_line(r, before, parts_map, names), s.small),
            Spacer(1, 3),
            *_map_block(r, parts_map, highlight, label, brief=part.in_chart),
        ]
        if not part.in_chart:
            if parts_map.parts:
                out += [
                    Paragraph("Parts", s.section.clone("ifs-sub", textColor=INK)),
                    parts_table(r, parts_map),
                ]
            if parts_map.relations:
                out += [
                    Paragraph("Relationships", s.section.clone("ifs-sub2", textColor=INK)),
                    relations_table(r, parts_map, names),
                ]
    if work:
        heading = Paragraph("Part work in this session", s.section.clone("ifs-w", textColor=INK))
        first, *rest = (part_work(r, record) for record in work)
        # the heading stays with the first part's work
        out += [KeepTogether([heading, first[0]]), *first[1:]]
        for flowables in rest:
            out += flowables
    return out


# -- chart section --------------------------------------------------------------------


def ifs_chart(part: ChartPart) -> list[Flowable]:
    ifs = part.services.ifs
    live = ifs.load(part.client.id)
    history = ifs.history(part.client.id)
    if not live.parts and not history:
        return []
    r = part.renderer
    s = r.styles
    names = ifs.part_names(part.client.id)
    out: list[Flowable] = [CondPageBreak(90 * mm), Paragraph(escape(TITLE), s.part)]
    count = len(live.parts)
    intro = f"The map as it stands now: {count} part{'' if count == 1 else 's'}"
    if history and history[-1].map.self_energy is not None:
        latest = history[-1]
        # the live map keeps no Self reading: Self is drawn as at the last session's map
        live = replace(live, self_energy=latest.map.self_energy, self_cs=latest.map.self_cs)
        intro += f"; Self energy {latest.map.self_energy}/10 at the session of {_day(r, latest)}"
    out += [
        Paragraph(escape(intro + "."), s.small),
        Spacer(1, 3),
        *_map_block(r, live, (), ""),
    ]
    if live.parts:
        out += [Paragraph("Parts", s.heading), Spacer(1, 2), parts_table(r, live)]
    if live.relations:
        out += [
            Spacer(1, 4),
            Paragraph("Relationships", s.heading),
            Spacer(1, 2),
            relations_table(r, live, names),
        ]
    out += [Spacer(1, 6), Paragraph(escape(CHANGES_TITLE), s.heading), Spacer(1, 2)]
    in_range = {session.id for session in part.sessions}
    rows: list[list[str]] = []
    for index, record in enumerate(history):
        if record.session_id not in in_range:
            continue
        before = history[index - 1] if index else None
        ch = c.changes(before.map if before else None, record.map)
        now = c.part_names(record.map.parts)
        old = {} if before is None else c.part_names(before.map.parts)
        energy = record.map.self_energy
        rows.append(
            [
                _day(r, record),
                str(len(record.map.parts)),
                "—" if energy is None else f"{energy}/10",
                _join(_names(ch.added, now)),
                _join(_names(ch.removed, old, names)),
                _join(_names(ch.unburdened, now)),
            ]
        )
    if not rows:
        out.append(Paragraph("No session maps in this period.", s.empty))
        return out
    widths = _fill(r, [26 * mm, 14 * mm, 14 * mm, 0.0, 34 * mm, 34 * mm], 3)
    header = ("SESSION", "PARTS", "SELF", "ADDED", "REMOVED", "UNBURDENED")
    out.append(_table(r, header, rows, widths))
    return out


register_section("session", "ifs_map", ifs_session, order=380)
register_section("chart", "ifs_map", ifs_chart, order=460)
