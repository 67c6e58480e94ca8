"""An IFS parts map as a reportlab drawing, for the printed records.

The picture follows the screen (both read their look from
`console.clinical.ifs_style`): Self in the middle as a gold circle sized by
Self energy; each part with its kind's shape and colour and the kind's letter
inside (colour is never the only cue, and the letter survives a
black-and-white printer), sized by activation, its name underneath;
unburdened parts get a second outline and a check mark; parts to highlight
(new since the last session) a thick dark outline. Lines say how parts
relate, each kind with its own stroke so they differ without colour too
(solid, zigzag, dotted, dashed, dash-dotted; arrowheads on directed kinds).

Lines start and end on the shapes' outlines (not at their centres), and
several lines between the same two parts run side by side. The map is
scaled to fit the space given: a 200-part map stays readable with smaller
shapes and labels. Stored positions are kept (the clinician arranged them);
a map whose parts sit on top of one another is laid out tidily instead.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import partial

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from console.clinical import ifs as c
from console.clinical import ifs_style as style
from console.export.fonts import SANS, SANS_BOLD, register_fonts
from console.export.styles import INK, MUTED
from console.export.text import visual_line

HIGHLIGHT = INK
SELF_STROKE = colors.HexColor(style.SELF_STROKE)
TICK = colors.HexColor(style.UNBURDENED_MARK)
LETTER = colors.HexColor(style.LETTER_COLOUR)
LEGEND_LINE_LABELS: dict[str, str] = {
    "protects": "protects",
    "polarised": "polarised (thicker = stronger)",
    "allied": "allied",
    "exiled_by": "exiled by",
    "blended": "blended with Self",
    "leads_to": "trailhead leads to",
}
MAX_SCALE = 0.65  # points per scene unit: a small map is not blown up
PRINT_LINE = 0.5  # points per scene unit of a line's width, dash and zigzag at full weight
# scene units: parts closer than this (the editor's "nobody near" distance for a
# new part) would overlap in print, so such a map is laid out tidily instead
CROWDED = c.SPACING * 0.6
LETTER_SIZE = 1.05  # a part's letter in points per point of its radius
CURVE_STEPS = 24  # a line bent round Self is drawn as this many straight pieces
Point = style.Point


@dataclass(frozen=True)
class _Node:
    x: float
    y: float
    r: float  # the shape's size (see `ifs_style.Shape`)
    shape: style.Shape
    reach: float  # extra distance to the outermost outline (double outline, highlight)

    def edge(self, dx: float, dy: float) -> float:
        """From the centre to the outermost outline along (dx, dy), on the page (y up)."""
        return self.shape.edge(self.r, dx, -dy) + self.reach + 1.0


@dataclass(frozen=True)
class _Frame:
    """How the scene maps onto the page, and the sizes that follow from its scale."""

    scale: float
    off_x: float
    off_y: float
    height: float
    unit: float  # points between two neighbouring parts

    def at(self, x: float, y: float) -> Point:
        return self.off_x + x * self.scale, self.off_y - y * self.scale

    @property
    def base(self) -> float:
        return min(max(self.unit * 0.16, 2.6), 12.0)

    @property
    def font(self) -> float:
        return min(max(self.unit * 0.11, 3.6), 7.5)

    @property
    def label_width(self) -> float:
        return max(self.unit * 1.0, 24.0)

    @property
    def weight(self) -> float:
        return min(max(self.unit / 55.0, 0.5), 1.0)

    @property
    def arrow(self) -> float:
        return min(max(self.unit * 0.09, 3.0), 6.0)

    @property
    def ring(self) -> float:
        """How far an unburdened part's second outline sits outside its shape."""
        return 2.4 * self.weight + 0.6


def kind_colour(kind: str) -> colors.Color:
    return colors.HexColor(style.kind_colour(kind))


def _flat(points: Sequence[Point]) -> list[float]:
    return [v for point in points for v in point]


def _shape(
    shape: style.Shape, x: float, y: float, r: float, fill: object, stroke: object, width: float
) -> Circle | Polygon | Rect:
    """A shape centred on (x, y) on the page (y up, so the outline is flipped)."""
    points = shape.points(r)
    attrs = {"fillColor": fill, "strokeColor": stroke, "strokeWidth": width}
    if not points:
        return Circle(x, y, r, **attrs)
    if shape.rounding:
        xs, ys = [px for px, _ in points], [py for _, py in points]
        round_by = shape.rounding * r
        return Rect(
            x + min(xs),
            y - max(ys),
            max(xs) - min(xs),
            max(ys) - min(ys),
            round_by,
            round_by,
            **attrs,
        )
    return Polygon(_flat([(x + px, y - py) for px, py in points]), strokeLineJoin=1, **attrs)


def shorten(text: str, font: str, size: float, width: float) -> str:
    """One line of a name, cut with an ellipsis to fit `width` (in reading order)."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    while len(text) > 1 and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _Grid:
    """Points placed so far, bucketed, to ask "is anything within CROWDED of here?" fast."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
        self.add(0.0, 0.0)  # Self

    def add(self, x: float, y: float) -> None:
        self.cells.setdefault((int(x // CROWDED), int(y // CROWDED)), []).append((x, y))

    def near(self, x: float, y: float) -> bool:
        gx, gy = int(x // CROWDED), int(y // CROWDED)
        return any(
            math.hypot(x - ox, y - oy) < CROWDED
            for nx in (gx - 1, gx, gx + 1)
            for ny in (gy - 1, gy, gy + 1)
            for ox, oy in self.cells.get((nx, ny), ())
        )


def _crowded(parts: Sequence[c.Part]) -> bool:
    """Parts on top of one another (or of Self): never arranged, so lay them out."""
    grid = _Grid()
    for part in parts:
        if grid.near(part.x, part.y):
            return True
        grid.add(part.x, part.y)
    return False


def _spread(parts_map: c.PartsMap) -> c.PartsMap:
    """Move each part that sits on another outwards from Self until it is clear.

    The tidy layout's sectors overlap (trailheads sit between managers and
    unknown parts), so a part can still land on another there.
    """
    grid = _Grid()
    positions: dict[uuid.UUID, tuple[float, float]] = {}
    for part in parts_map.parts:
        x, y = part.x, part.y
        dist = math.hypot(x, y)
        ux, uy = (x / dist, y / dist) if dist > 1e-9 else (0.0, 1.0)
        for _ in range(200):
            if not grid.near(x, y):
                break
            x, y = x + ux * CROWDED * 0.5, y + uy * CROWDED * 0.5
        grid.add(x, y)
        positions[part.id] = (x, y)
    return parts_map.moved(positions)


def _line_attrs(kind: str, strength: int | None, weight: float) -> dict[str, object]:
    """Stroke attributes of one kind of line; `weight` scales widths for small maps."""
    line = style.line_style(kind)
    width = line.width_for(strength) * PRINT_LINE * weight
    attrs: dict[str, object] = {
        "strokeColor": INK if line.colour is None else colors.HexColor(line.colour),
        "strokeWidth": width,
        "strokeLineCap": 1,
    }
    if line.dash:
        attrs["strokeDashArray"] = [d * width for d in line.dash]
    return attrs


def _arrowhead(tip: Point, dx: float, dy: float, size: float, colour: object) -> Polygon:
    return Polygon(
        _flat(style.arrowhead(tip, dx, dy, size)),
        fillColor=colour,
        strokeColor=colour,
        strokeWidth=0.3,
    )


def map_drawing(
    parts_map: c.PartsMap,
    width: float,
    height: float,
    *,
    highlight: Collection[uuid.UUID] = (),
) -> Drawing:
    """The map fitted into width × height points; `highlight` parts get a thick outline."""
    register_fonts()
    if _crowded(parts_map.parts):
        parts_map = _spread(c.tidy_layout(parts_map))
    frame = _fit(parts_map.parts, width, height)
    drawing = Drawing(width, frame.height, initialFontName=SANS, initialFontSize=7)
    marked = set(highlight)
    nodes = _nodes(parts_map, frame, marked)
    # lines first, so shapes sit on top of them; arrowheads last: a label must
    # not hide where a line points
    heads = _draw_lines(drawing, parts_map.relations, nodes, frame)
    _draw_self(drawing, nodes[None], parts_map.self_energy)
    named: list[tuple[str, _Node]] = []
    for part in parts_map.parts:
        _draw_part(drawing, part, nodes[part.id], frame, part.id in marked)
        named.append((part.name, nodes[part.id]))
    for label in _place_labels(named, list(nodes.values()), frame.font, frame.label_width):
        drawing.add(label)
    for head in heads:
        drawing.add(head)
    return drawing


def _fit(parts: Sequence[c.Part], width: float, height: float) -> _Frame:
    """Scale and centre the scene in the space given; a small map takes less height."""
    xs = [0.0, *(p.x for p in parts)]
    ys = [0.0, *(-p.y for p in parts)]  # scene y grows downwards, the page's upwards
    pad_x, pad_top, pad_bottom = 34.0, 16.0, 22.0
    span_x = max(max(xs) - min(xs), 1.0)
    span_y = max(max(ys) - min(ys), 1.0)
    scale = min((width - 2 * pad_x) / span_x, (height - pad_top - pad_bottom) / span_y, MAX_SCALE)
    height = min(height, span_y * scale + pad_top + pad_bottom + c.SPACING * scale * 0.6)
    off_x = (width - span_x * scale) / 2 - min(xs) * scale
    off_y = pad_bottom + (height - pad_top - pad_bottom - span_y * scale) / 2 - min(ys) * scale
    return _Frame(scale, off_x, off_y, height, c.SPACING * scale)


def _nodes(
    parts_map: c.PartsMap, frame: _Frame, marked: set[uuid.UUID]
) -> dict[uuid.UUID | None, _Node]:
    """Where and how big Self (key None) and each part are drawn."""
    self_base = min(max(frame.unit * 0.3, 7.0), 20.0)
    self_r = self_base * style.self_radius(parts_map.self_energy) / style.MID_SELF_RADIUS
    sx, sy = frame.at(0.0, 0.0)
    nodes: dict[uuid.UUID | None, _Node] = {None: _Node(sx, sy, self_r, style.SELF_SHAPE, 0.0)}
    for part in parts_map.parts:
        px, py = frame.at(part.x, part.y)
        r = frame.base * style.part_radius(part.activation) / style.MID_PART_RADIUS
        reach = (frame.ring if part.status == "unburdened" else 0.0) + (
            1.6 if part.id in marked else 0.0
        )
        nodes[part.id] = _Node(px, py, r, style.shape_of(part.kind), reach)
    return nodes


def _draw_lines(
    drawing: Drawing,
    relations: Sequence[c.Relation],
    nodes: dict[uuid.UUID | None, _Node],
    frame: _Frame,
) -> list[Polygon]:
    """Every relation's line, those of one pair side by side; returns their arrowheads."""
    heads: list[Polygon] = []
    pairs: dict[frozenset[uuid.UUID | None], list[c.Relation]] = {}
    for relation in relations:
        if relation.source in nodes and relation.target in nodes:
            pairs.setdefault(frozenset((relation.source, relation.target)), []).append(relation)
    for group in pairs.values():
        for index, relation in enumerate(group):
            shift = (index - (len(group) - 1) / 2) * max(3.0 * frame.weight, 1.8)
            if relation.source != group[0].source:
                shift = -shift  # the same side whichever way the line points
            _relation_line(drawing, relation, nodes, shift, frame, heads)
    return heads


def _draw_self(drawing: Drawing, node: _Node, energy: int | None) -> None:
    drawing.add(
        Circle(
            node.x,
            node.y,
            node.r,
            fillColor=colors.HexColor(c.SELF_COLOUR),
            strokeColor=SELF_STROKE,
            strokeWidth=1.0,
            strokeDashArray=[2, 1.5] if energy is None else None,
        )
    )
    size = min(max(node.r * 0.5, 4.0), 9.0)
    text = partial(String, fillColor=INK, textAnchor="middle")
    drawing.add(text(node.x, node.y - size * 0.1, "Self", fontName=SANS_BOLD, fontSize=size))
    if energy is not None:
        drawing.add(
            text(node.x, node.y - size * 1.05, f"{energy}/10", fontName=SANS, fontSize=size * 0.75)
        )


def _draw_part(drawing: Drawing, part: c.Part, node: _Node, frame: _Frame, marked: bool) -> None:
    """A part's shape, its rings (unburdened, highlighted), its letter and its check mark."""
    fill = kind_colour(part.kind)
    unburdened = part.status == "unburdened"
    x, y, r = node.x, node.y, node.r
    if unburdened:
        ring = r + frame.ring
        drawing.add(_shape(node.shape, x, y, ring, colors.white, fill, 0.9 * frame.weight))
    if marked:
        outer = r + (frame.ring if unburdened else 0.0) + 0.9
        drawing.add(_shape(node.shape, x, y, outer, None, HIGHLIGHT, 1.9))
    drawing.add(_shape(node.shape, x, y, r, fill, colors.white, 0.7 * frame.weight))
    size = r * LETTER_SIZE * node.shape.letter_scale
    drawing.add(
        String(
            x,
            y - size * 0.36 - r * node.shape.letter_shift,
            style.kind_letter(part.kind),
            fontName=SANS_BOLD,
            fontSize=size,
            fillColor=LETTER,
            textAnchor="middle",
        )
    )
    if unburdened:
        drawing.add(
            String(
                x + r + node.reach * 0.5,
                y + r * 0.6,
                "✓",
                fontName=SANS_BOLD,
                fontSize=max(frame.font * 1.1, 4.0),
                fillColor=TICK,
                textAnchor="start",
            )
        )


def _unit(x: float, y: float) -> tuple[float, float]:
    length = math.hypot(x, y)
    return (x / length, y / length) if length > 1e-9 else (1.0, 0.0)


def _detour(a: _Node, b: _Node, self_node: _Node, shift: float) -> tuple[float, float] | None:
    """Where a line between two parts bends to pass Self by, if the straight line would not.

    Managers sit above Self and exiles below it, so the commonest line on a
    map (a manager protects an exile) would otherwise run through Self and
    look like two lines to Self. The bend goes to the side the line already
    leans to (lines of one pair to either side of Self).
    """
    ex, ey = b.x - a.x, b.y - a.y
    length2 = ex * ex + ey * ey
    t = ((self_node.x - a.x) * ex + (self_node.y - a.y) * ey) / length2
    if not 0.0 < t < 1.0:
        return None
    cx, cy = a.x + ex * t, a.y + ey * t  # the line's point nearest Self
    clearance = self_node.r + 5.0
    px, py = _unit(-ey, ex)  # the line's left-hand normal
    lean = (cx - self_node.x) * px + (cy - self_node.y) * py + shift
    if abs(lean - shift) >= clearance:
        return None
    side = 1.0 if lean >= 0 else -1.0
    wx = self_node.x + px * side * (clearance + abs(shift))
    wy = self_node.y + py * side * (clearance + abs(shift))
    # the control point of the quadratic curve that passes through (wx, wy) halfway
    return 2 * wx - (a.x + b.x) / 2, 2 * wy - (a.y + b.y) / 2


def _relation_line(
    drawing: Drawing,
    relation: c.Relation,
    nodes: dict[uuid.UUID | None, _Node],
    shift: float,
    frame: _Frame,
    heads: list[Polygon],
) -> None:
    a, b = nodes[relation.source], nodes[relation.target]
    if math.hypot(b.x - a.x, b.y - a.y) < 1e-6:
        return
    bend = None if relation.target is None else _detour(a, b, nodes[None], shift)
    ends = _ends(a, b, bend, shift)
    if ends is None:
        return  # the shapes touch: nothing to draw between them
    start, end, (dx, dy) = ends
    line = style.line_style(relation.kind)
    attrs = _line_attrs(relation.kind, relation.strength, frame.weight)
    head = 0.0
    if relation.kind in c.DIRECTED:
        head = min(frame.arrow * line.arrow / style.ARROW, math.dist(start, end) * 0.5)
        heads.append(_arrowhead(end, dx, dy, head, attrs["strokeColor"]))
    stop = (end[0] - dx * head * 0.8, end[1] - dy * head * 0.8)
    points = [start, stop] if bend is None else _curve(start, bend, stop)
    if line.zigzag:
        size = PRINT_LINE * frame.weight
        points = style.zigzag_along(points, style.ZIGZAG_AMPLITUDE * size, style.ZIGZAG_STEP * size)
    if len(points) == 2:
        drawing.add(Line(*start, *stop, **attrs))
    else:
        drawing.add(PolyLine(_flat(points), fillColor=None, **attrs))


def _ends(
    a: _Node, b: _Node, bend: Point | None, shift: float
) -> tuple[Point, Point, Point] | None:
    """Where a line leaves a and reaches b (on their outlines), and its direction at b."""
    if bend is not None:
        ax, ay = _unit(bend[0] - a.x, bend[1] - a.y)  # leaving a towards the bend
        bx, by = _unit(b.x - bend[0], b.y - bend[1])  # arriving at b from the bend
        start, end = a.edge(ax, ay), b.edge(-bx, -by)
        return (a.x + ax * start, a.y + ay * start), (b.x - bx * end, b.y - by * end), (bx, by)
    dist = math.hypot(b.x - a.x, b.y - a.y)
    dx, dy = (b.x - a.x) / dist, (b.y - a.y) / dist
    nx, ny = -dy * shift, dx * shift  # side by side with other lines of this pair
    start, end = a.edge(dx, dy), b.edge(-dx, -dy)
    if start + end >= dist:
        return None
    first = (a.x + dx * start + nx, a.y + dy * start + ny)
    return first, (b.x - dx * end + nx, b.y - dy * end + ny), (dx, dy)


def _curve(start: Point, control: Point, end: Point) -> list[Point]:
    """A quadratic curve from start to end pulled towards `control`, as a polyline."""
    out = []
    for i in range(CURVE_STEPS + 1):
        t = i / CURVE_STEPS
        out.append(
            (
                (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t * t * end[0],
                (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t * t * end[1],
            )
        )
    return out


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _overlaps(box: Box, others: Sequence[Box]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in others)


def _node_box(node: _Node) -> Box:
    extent = node.r * style.EXTENT + node.reach
    return (node.x - extent, node.y - extent, node.x + extent, node.y + extent)


def _place_labels(
    named: Sequence[tuple[str, _Node]], nodes: Sequence[_Node], font: float, width: float
) -> list[Group]:
    """Each name under its shape, else above it, else shorter: never over another label.

    On a crowded map a name that fits nowhere whole is cut shorter still; as a
    last resort it goes under its shape anyway (the part table names it in full).
    """
    shapes = [_node_box(node) for node in nodes]
    placed: list[Box] = []
    groups: list[Group] = []
    for name, node in named:
        own = _node_box(node)
        others = [box for box in shapes if box != own]
        choice: tuple[str, float, Box] | None = None
        for room in (width, width * 0.6, width * 0.4):
            text = visual_line(shorten(name, SANS, font, room))
            text_width = stringWidth(text, SANS, font)
            for below in (True, False):
                box = _label_box(node, font, text_width, below)
                if not _overlaps(box, placed) and not _overlaps(box, others):
                    choice = (text, text_width, box)
                    break
            if choice is not None:
                break
        if choice is None:
            text = visual_line(shorten(name, SANS, font, width * 0.6))
            text_width = stringWidth(text, SANS, font)
            choice = (text, text_width, _label_box(node, font, text_width, True))
        text, text_width, box = choice
        placed.append(box)
        group = Group()
        group.add(
            Rect(
                box[0],
                box[1],
                box[2] - box[0],
                box[3] - box[1],
                fillColor=colors.white,
                strokeColor=None,
                fillOpacity=0.85,
            )
        )
        group.add(
            String(
                node.x,
                box[1] + font * 0.25,
                text,
                fontName=SANS,
                fontSize=font,
                fillColor=INK,
                textAnchor="middle",
            )
        )
        groups.append(group)
    return groups


def _label_box(node: _Node, font: float, text_width: float, below: bool) -> Box:
    """The white box behind a name, under (or over) the shape's outermost outline."""
    if below:
        top = node.y - node.shape.bottom(node.r) - node.reach - 1.5
        y0 = top - font * 1.1
    else:
        y0 = node.y + node.r * style.EXTENT + node.reach + 0.5
    return (node.x - text_width / 2 - 0.8, y0, node.x + text_width / 2 + 0.8, y0 + font * 1.15)


# -- legend -----------------------------------------------------------------------

LEGEND_FONT = 7.0
LEGEND_ROW = 13.0
Icon = Callable[[Drawing, float, float], None]


@dataclass(frozen=True)
class _Entry:
    """One legend entry: an icon `icon_width` wide, then its label."""

    icon_width: float
    label: str
    icon: Icon

    @property
    def width(self) -> float:
        label: float = stringWidth(self.label, SANS, LEGEND_FONT)
        return self.icon_width + 3 + label + 12

    def draw(self, d: Drawing, x: float, y: float) -> None:
        self.icon(d, x, y)
        d.add(
            String(
                x + self.icon_width + 3,
                y - LEGEND_FONT * 0.35,
                self.label,
                fontName=SANS,
                fontSize=LEGEND_FONT,
                fillColor=MUTED,
            )
        )


def legend_drawing(width: float, *, highlight_label: str = "") -> Drawing:
    """What the shapes, lines and marks mean, in rows that fit `width`."""
    register_fonts()
    rows = _legend_rows(_legend_entries(highlight_label), width)
    drawing = Drawing(
        width, LEGEND_ROW * len(rows) + 2, initialFontName=SANS, initialFontSize=LEGEND_FONT
    )
    for number, row in enumerate(rows):
        y = drawing.height - LEGEND_ROW * number - LEGEND_ROW / 2 - 1
        x = 0.0
        for entry in row:
            entry.draw(drawing, x, y)
            x += entry.width
    return drawing


def _legend_entries(highlight_label: str) -> list[_Entry]:
    entries = [
        _Entry(10, c.PART_KIND_LABELS[kind], partial(_kind_icon, kind)) for kind in c.PART_KINDS
    ]
    entries.append(_Entry(10, "Self (size: Self energy)", _self_icon))
    entries += [
        _Entry(22, LEGEND_LINE_LABELS[kind], partial(_line_icon, kind)) for kind in c.RELATION_KINDS
    ]
    entries.append(_Entry(17, "unburdened", _unburdened_icon))
    entries.append(_Entry(14, "size: activation", _size_icon))
    if highlight_label:
        entries.append(_Entry(10, highlight_label, _highlight_icon))
    return entries


def _legend_rows(entries: Sequence[_Entry], width: float) -> list[list[_Entry]]:
    rows: list[list[_Entry]] = [[]]
    used = 0.0
    for entry in entries:
        if rows[-1] and used + entry.width > width:
            rows.append([])
            used = 0.0
        rows[-1].append(entry)
        used += entry.width
    return rows


def _kind_icon(kind: str, d: Drawing, x: float, y: float) -> None:
    shape = style.shape_of(kind)
    d.add(_shape(shape, x + 5, y, 4.2, kind_colour(kind), colors.white, 0.5))
    d.add(
        String(
            x + 5,
            y - 1.9 - 4.2 * shape.letter_shift,
            style.kind_letter(kind),
            fontName=SANS_BOLD,
            fontSize=5 * shape.letter_scale,
            fillColor=LETTER,
            textAnchor="middle",
        )
    )


def _self_icon(d: Drawing, x: float, y: float) -> None:
    d.add(
        Circle(
            x + 5,
            y,
            4.5,
            fillColor=colors.HexColor(c.SELF_COLOUR),
            strokeColor=SELF_STROKE,
            strokeWidth=0.6,
        )
    )


def _line_icon(kind: str, d: Drawing, x: float, y: float) -> None:
    attrs = _line_attrs(kind, style.LEGEND_STRENGTH, 1.0)
    end = x + 18 if kind in c.DIRECTED else x + 22
    if style.line_style(kind).zigzag:
        size = PRINT_LINE * 0.6
        points = style.zigzag(
            (x, y), (end, y), style.ZIGZAG_AMPLITUDE * size, style.ZIGZAG_STEP * size
        )
        d.add(PolyLine(_flat(points), fillColor=None, **attrs))
    else:
        d.add(Line(x, y, end, y, **attrs))
    if kind in c.DIRECTED:
        d.add(_arrowhead((x + 22, y), 1.0, 0.0, 4.0, attrs["strokeColor"]))


def _unburdened_icon(d: Drawing, x: float, y: float) -> None:
    colour = kind_colour("exile")
    d.add(Circle(x + 5, y, 5.2, fillColor=colors.white, strokeColor=colour, strokeWidth=0.7))
    d.add(Circle(x + 5, y, 3.6, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5))
    d.add(String(x + 11, y + 1, "✓", fontName=SANS_BOLD, fontSize=6, fillColor=TICK))


def _size_icon(d: Drawing, x: float, y: float) -> None:
    d.add(Circle(x + 3, y, 2.2, fillColor=MUTED, strokeColor=None))
    d.add(Circle(x + 10, y, 4.0, fillColor=MUTED, strokeColor=None))


def _highlight_icon(d: Drawing, x: float, y: float) -> None:
    d.add(Circle(x + 5, y, 4.8, fillColor=None, strokeColor=HIGHLIGHT, strokeWidth=1.9))
    d.add(Circle(x + 5, y, 3.4, fillColor=MUTED, strokeColor=colors.white))
