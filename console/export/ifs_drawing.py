"""An IFS parts map as a reportlab drawing, for the printed records.

The picture follows the screen: Self in the middle as a gold circle sized by
Self energy; each part with its kind's shape and colour and the kind's letter
inside (colour is never the only cue, and the letter survives a black-and-white
printer), sized by activation, its name underneath; unburdened parts get a
second outline and a check mark; parts to highlight (new since the last
session) a thick dark outline. Lines say how parts relate, each kind with
its own stroke so they differ without colour too:

- protects: solid, with an arrowhead at the protected part;
- polarised: dashed, thicker the stronger the polarisation;
- allied: dotted;
- exiled by: dashed, with an arrowhead;
- blended: a line to Self, with an arrowhead;
- leads to (a trailhead): a thin line with an arrowhead.

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

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from console.clinical import ifs as c
from console.export.fonts import SANS, SANS_BOLD, register_fonts
from console.export.styles import INK, MUTED, SIGNED
from console.export.text import visual_line

KIND_LETTERS: dict[str, str] = {
    "manager": "M",
    "firefighter": "F",
    "exile": "E",
    "unknown": "U",
    "trailhead": "T",
}
HIGHLIGHT = INK
SELF_STROKE = colors.HexColor("#9c7a10")
LINE_COLOURS: dict[str, colors.Color] = {
    "protects": colors.HexColor("#37474f"),
    "polarised": colors.HexColor("#b3261e"),
    "allied": colors.HexColor("#2e6b34"),
    "exiled_by": colors.HexColor("#5b3a8c"),
    "blended": colors.HexColor("#9c7a10"),
    "leads_to": colors.HexColor("#5b6670"),
}
LEGEND_LINE_LABELS: dict[str, str] = {
    "protects": "protects",
    "polarised": "polarised (thicker = stronger)",
    "allied": "allied",
    "exiled_by": "exiled by",
    "blended": "blended with Self",
    "leads_to": "trailhead leads to",
}
MAX_SCALE = 0.65  # points per scene unit: a small map is not blown up
# scene units: parts closer than this (the editor's "nobody near" distance for a
# new part) would overlap in print, so such a map is laid out tidily instead
CROWDED = c.SPACING * 0.6


@dataclass(frozen=True)
class _Node:
    x: float
    y: float
    r: float  # the shape's size (see `_outline`)
    shape: str
    reach: float  # extra distance to the outermost outline (double outline, highlight)


def kind_colour(kind: str) -> colors.Color:
    return colors.HexColor(c.PART_KIND_COLOURS.get(kind, c.PART_KIND_COLOURS["unknown"]))


def _outline(shape: str, x: float, y: float, r: float) -> list[tuple[float, float]]:
    """The polygon of a shape centred on (x, y); a circle has none (empty list)."""
    if shape == "square":
        s = r * 0.88
        return [(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)]
    if shape == "diamond":
        s = r * 1.18
        return [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
    if shape == "triangle":
        s = r * 1.3
        return [
            (x + s * math.cos(math.radians(a)), y + s * math.sin(math.radians(a)))
            for a in (90, 210, 330)
        ]
    if shape == "hexagon":
        s = r * 1.06
        return [
            (x + s * math.cos(math.radians(a)), y + s * math.sin(math.radians(a)))
            for a in range(0, 360, 60)
        ]
    return []


def _edge_distance(shape: str, r: float, dx: float, dy: float) -> float:
    """How far from the centre the outline is in direction (dx, dy), a unit vector."""
    points = _outline(shape, 0.0, 0.0, r)
    if not points:
        return r
    best = math.inf
    for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=True):
        ex, ey = bx - ax, by - ay
        denom = dx * ey - dy * ex
        if abs(denom) < 1e-12:
            continue
        t = (ax * ey - ay * ex) / denom
        u = (ax * dy - ay * dx) / denom
        if t > 0 and -1e-9 <= u <= 1 + 1e-9:
            best = min(best, t)
    return r if best == math.inf else best


def _shape(
    shape: str, x: float, y: float, r: float, fill: object, stroke: object, width: float
) -> Circle | Polygon:
    points = _outline(shape, x, y, r)
    if not points:
        return Circle(x, y, r, fillColor=fill, strokeColor=stroke, strokeWidth=width)
    flat = [v for point in points for v in point]
    return Polygon(flat, fillColor=fill, strokeColor=stroke, strokeWidth=width, strokeLineJoin=1)


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


def _arrowhead(
    tip_x: float, tip_y: float, dx: float, dy: float, size: float, colour: object
) -> Polygon:
    bx, by = tip_x - dx * size, tip_y - dy * size
    half = size * 0.45
    return Polygon(
        [tip_x, tip_y, bx - dy * half, by + dx * half, bx + dy * half, by - dx * half],
        fillColor=colour,
        strokeColor=colour,
        strokeWidth=0.3,
    )


def _line_style(kind: str, strength: int | None, weight: float) -> dict[str, object]:
    """Stroke attributes of one kind of line; `weight` scales widths for small maps."""
    colour = LINE_COLOURS.get(kind, MUTED)
    if kind == "polarised":
        level = c.DEFAULT_POLARITY if strength is None else strength
        return {
            "strokeColor": colour,
            "strokeWidth": (0.6 + 0.24 * level) * weight,
            "strokeDashArray": [4, 2.5],
        }
    if kind == "allied":
        return {
            "strokeColor": colour,
            "strokeWidth": 1.3 * weight,
            "strokeDashArray": [0.1, 2.4],
            "strokeLineCap": 1,
        }
    if kind == "exiled_by":
        return {"strokeColor": colour, "strokeWidth": 1.0 * weight, "strokeDashArray": [5, 2.5]}
    if kind == "blended":
        return {"strokeColor": colour, "strokeWidth": 1.2 * weight}
    if kind == "leads_to":
        return {"strokeColor": colour, "strokeWidth": 0.6 * weight}
    return {"strokeColor": colour, "strokeWidth": 1.0 * weight}  # protects


def map_drawing(
    parts_map: c.PartsMap,
    width: float,
    height: float,
    *,
    highlight: Collection[uuid.UUID] = (),
) -> Drawing:
    """The map fitted into width × height points; `highlight` parts get a thick outline."""
    register_fonts()
    drawing = Drawing(width, height, initialFontName=SANS, initialFontSize=7)
    if _crowded(parts_map.parts):
        parts_map = _spread(c.tidy_layout(parts_map))
    parts = parts_map.parts
    xs = [0.0, *(p.x for p in parts)]
    ys = [0.0, *(-p.y for p in parts)]  # scene y grows downwards, the page's upwards
    pad_x, pad_top, pad_bottom = 34.0, 16.0, 22.0
    span_x = max(max(xs) - min(xs), 1.0)
    span_y = max(max(ys) - min(ys), 1.0)
    scale = min((width - 2 * pad_x) / span_x, (height - pad_top - pad_bottom) / span_y, MAX_SCALE)
    # a small map takes the height it needs, not all it was given
    height = min(height, span_y * scale + pad_top + pad_bottom + c.SPACING * scale * 0.6)
    drawing.height = height
    unit = c.SPACING * scale  # points between two neighbouring parts
    off_x = (width - span_x * scale) / 2 - min(xs) * scale
    off_y = pad_bottom + (height - pad_top - pad_bottom - span_y * scale) / 2 - min(ys) * scale

    def at(x: float, y: float) -> tuple[float, float]:
        return off_x + x * scale, off_y - y * scale

    base = min(max(unit * 0.16, 2.6), 12.0)
    font = min(max(unit * 0.11, 3.6), 7.5)
    label_width = max(unit * 1.0, 24.0)
    weight = min(max(unit / 55.0, 0.5), 1.0)
    arrow = min(max(unit * 0.09, 3.0), 6.0)
    marked = set(highlight)

    energy = parts_map.self_energy
    self_r = min(max(unit * 0.3, 7.0), 20.0) * (0.65 + 0.07 * (5 if energy is None else energy))
    sx, sy = at(0.0, 0.0)
    nodes: dict[uuid.UUID | None, _Node] = {None: _Node(sx, sy, self_r, "circle", 0.0)}
    for part in parts:
        px, py = at(part.x, part.y)
        r = base * (0.7 + 0.06 * max(c.ACTIVATION_MIN, min(part.activation, c.ACTIVATION_MAX)))
        reach = 0.0
        if part.status == "unburdened":
            reach += 2.4 * weight + 0.6
        if part.id in marked:
            reach += 1.6
        shape = c.PART_KIND_SHAPES.get(part.kind, "diamond")
        nodes[part.id] = _Node(px, py, r, shape, reach)

    # lines first, so shapes sit on top of them
    heads: list[Polygon] = []  # drawn last: a label must not hide where a line points
    pairs: dict[frozenset[uuid.UUID | None], list[c.Relation]] = {}
    for relation in parts_map.relations:
        if relation.source in nodes and relation.target in nodes:
            pairs.setdefault(frozenset((relation.source, relation.target)), []).append(relation)
    for group in pairs.values():
        for index, relation in enumerate(group):
            shift = (index - (len(group) - 1) / 2) * max(3.0 * weight, 1.8)
            if relation.source != group[0].source:
                shift = -shift  # the same side whichever way the line points
            _relation_line(drawing, relation, nodes, shift, weight, arrow, heads)

    # Self
    drawing.add(
        Circle(
            sx,
            sy,
            self_r,
            fillColor=colors.HexColor(c.SELF_COLOUR),
            strokeColor=SELF_STROKE,
            strokeWidth=1.0,
            strokeDashArray=[2, 1.5] if energy is None else None,
        )
    )
    self_font = min(max(self_r * 0.5, 4.0), 9.0)
    drawing.add(
        String(
            sx,
            sy - self_font * 0.1,
            "Self",
            fontName=SANS_BOLD,
            fontSize=self_font,
            fillColor=INK,
            textAnchor="middle",
        )
    )
    if energy is not None:
        drawing.add(
            String(
                sx,
                sy - self_font * 1.05,
                f"{energy}/10",
                fontName=SANS,
                fontSize=self_font * 0.75,
                fillColor=INK,
                textAnchor="middle",
            )
        )

    # parts, then their labels (on top of every line and shape)
    named: list[tuple[str, _Node]] = []
    for part in parts:
        node = nodes[part.id]
        fill = kind_colour(part.kind)
        if part.status == "unburdened":
            ring = node.r + 2.4 * weight + 0.6
            drawing.add(_shape(node.shape, node.x, node.y, ring, colors.white, fill, 0.9 * weight))
        if part.id in marked:
            outer = node.r + (2.4 * weight + 0.6 if part.status == "unburdened" else 0.0) + 0.9
            drawing.add(_shape(node.shape, node.x, node.y, outer, None, HIGHLIGHT, 1.9))
        drawing.add(_shape(node.shape, node.x, node.y, node.r, fill, colors.white, 0.7 * weight))
        letter_size = node.r * (0.85 if node.shape == "triangle" else 1.05)
        letter_y = node.y - letter_size * 0.36 - (node.r * 0.15 if node.shape == "triangle" else 0)
        drawing.add(
            String(
                node.x,
                letter_y,
                KIND_LETTERS.get(part.kind, "?"),
                fontName=SANS_BOLD,
                fontSize=letter_size,
                fillColor=colors.white,
                textAnchor="middle",
            )
        )
        if part.status == "unburdened":
            tick = max(font * 1.1, 4.0)
            drawing.add(
                String(
                    node.x + node.r + node.reach * 0.5,
                    node.y + node.r * 0.6,
                    "✓",
                    fontName=SANS_BOLD,
                    fontSize=tick,
                    fillColor=SIGNED,
                    textAnchor="start",
                )
            )
        named.append((part.name, node))
    for label in _place_labels(named, list(nodes.values()), font, label_width):
        drawing.add(label)
    for head in heads:
        drawing.add(head)
    return drawing


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
    weight: float,
    arrow: float,
    heads: list[Polygon],
) -> None:
    a, b = nodes[relation.source], nodes[relation.target]
    dist = math.hypot(b.x - a.x, b.y - a.y)
    if dist < 1e-6:
        return
    style = _line_style(relation.kind, relation.strength, weight)
    directed = relation.kind in c.DIRECTED
    bend = None if relation.target is None else _detour(a, b, nodes[None], shift)
    if bend is not None:
        ax, ay = _unit(bend[0] - a.x, bend[1] - a.y)  # leaving a towards the bend
        bx, by = _unit(b.x - bend[0], b.y - bend[1])  # arriving at b from the bend
        start = _edge_distance(a.shape, a.r, ax, ay) + a.reach + 1.0
        end = _edge_distance(b.shape, b.r, -bx, -by) + b.reach + 1.0
        x1, y1 = a.x + ax * start, a.y + ay * start
        x2, y2 = b.x - bx * end, b.y - by * end
        head = arrow if directed else 0.0
        tx, ty = x2 - bx * head * 0.8, y2 - by * head * 0.8
        path = Path(fillColor=None, **style)
        path.moveTo(x1, y1)
        path.curveTo(
            x1 + (bend[0] - x1) * 2 / 3,
            y1 + (bend[1] - y1) * 2 / 3,
            tx + (bend[0] - tx) * 2 / 3,
            ty + (bend[1] - ty) * 2 / 3,
            tx,
            ty,
        )
        drawing.add(path)
        if directed:
            heads.append(_arrowhead(x2, y2, bx, by, head, style["strokeColor"]))
        return
    dx, dy = (b.x - a.x) / dist, (b.y - a.y) / dist
    nx, ny = -dy * shift, dx * shift  # side by side with other lines of this pair
    start = _edge_distance(a.shape, a.r, dx, dy) + a.reach + 1.0
    end = _edge_distance(b.shape, b.r, -dx, -dy) + b.reach + 1.0
    if start + end >= dist:
        return  # the shapes touch: nothing to draw between them
    x1, y1 = a.x + dx * start + nx, a.y + dy * start + ny
    x2, y2 = b.x - dx * end + nx, b.y - dy * end + ny
    length = dist - start - end
    head = min(arrow, length * 0.5)
    if directed:
        drawing.add(Line(x1, y1, x2 - dx * head * 0.8, y2 - dy * head * 0.8, **style))
        heads.append(_arrowhead(x2, y2, dx, dy, head, style["strokeColor"]))
    else:
        drawing.add(Line(x1, y1, x2, y2, **style))


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _overlaps(box: Box, others: Sequence[Box]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in others)


def _node_box(node: _Node) -> Box:
    extent = node.r * 1.3 + node.reach
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
        top = node.y - node.r * (1.3 if node.shape == "diamond" else 1.1) - node.reach - 1.0
        y0 = top - font * 1.1
    else:
        y0 = node.y + node.r * 1.3 + node.reach + 0.5
    return (node.x - text_width / 2 - 0.8, y0, node.x + text_width / 2 + 0.8, y0 + font * 1.15)


# -- legend -----------------------------------------------------------------------


def legend_drawing(width: float, *, highlight_label: str = "") -> Drawing:
    """What the shapes, lines and marks mean, in rows that fit `width`."""
    register_fonts()
    font = 7.0
    row_h = 13.0
    items: list[tuple[float, Callable[[Drawing, float, float], None]]] = []

    def text_item(icon_w: float, label: str, icon: Callable[[Drawing, float, float], None]) -> None:
        w = icon_w + 3 + stringWidth(label, SANS, font) + 12

        def draw(d: Drawing, x: float, y: float) -> None:
            icon(d, x, y)
            d.add(
                String(
                    x + icon_w + 3,
                    y - font * 0.35,
                    label,
                    fontName=SANS,
                    fontSize=font,
                    fillColor=MUTED,
                )
            )

        items.append((w, draw))

    for kind in c.PART_KINDS:

        def kind_icon(d: Drawing, x: float, y: float, kind: str = kind) -> None:
            shape = c.PART_KIND_SHAPES.get(kind, "diamond")
            d.add(_shape(shape, x + 5, y, 4.2, kind_colour(kind), colors.white, 0.5))
            d.add(
                String(
                    x + 5,
                    y - 1.9,
                    KIND_LETTERS[kind],
                    fontName=SANS_BOLD,
                    fontSize=5,
                    fillColor=colors.white,
                    textAnchor="middle",
                )
            )

        text_item(10, c.PART_KIND_LABELS[kind], kind_icon)

    def self_icon(d: Drawing, x: float, y: float) -> None:
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

    text_item(10, "Self (size: Self energy)", self_icon)

    for relation in c.RELATION_KINDS:

        def line_icon(d: Drawing, x: float, y: float, kind: str = relation) -> None:
            style = _line_style(kind, 6 if kind == "polarised" else None, 1.0)
            if kind in c.DIRECTED:
                d.add(Line(x, y, x + 18, y, **style))
                d.add(_arrowhead(x + 22, y, 1.0, 0.0, 4.0, style["strokeColor"]))
            else:
                d.add(Line(x, y, x + 22, y, **style))

        text_item(22, LEGEND_LINE_LABELS[relation], line_icon)

    def unburdened_icon(d: Drawing, x: float, y: float) -> None:
        colour = kind_colour("exile")
        d.add(Circle(x + 5, y, 5.2, fillColor=colors.white, strokeColor=colour, strokeWidth=0.7))
        d.add(Circle(x + 5, y, 3.6, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5))
        d.add(String(x + 11, y + 1, "✓", fontName=SANS_BOLD, fontSize=6, fillColor=SIGNED))

    text_item(17, "unburdened", unburdened_icon)

    def size_icon(d: Drawing, x: float, y: float) -> None:
        d.add(Circle(x + 3, y, 2.2, fillColor=MUTED, strokeColor=None))
        d.add(Circle(x + 10, y, 4.0, fillColor=MUTED, strokeColor=None))

    text_item(14, "size: activation", size_icon)

    if highlight_label:

        def highlight_icon(d: Drawing, x: float, y: float) -> None:
            d.add(Circle(x + 5, y, 4.8, fillColor=None, strokeColor=HIGHLIGHT, strokeWidth=1.9))
            d.add(Circle(x + 5, y, 3.4, fillColor=MUTED, strokeColor=colors.white))

        text_item(10, highlight_label, highlight_icon)

    rows: list[list[tuple[float, Callable[[Drawing, float, float], None]]]] = [[]]
    used = 0.0
    for item in items:
        if rows[-1] and used + item[0] > width:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += item[0]
    drawing = Drawing(width, row_h * len(rows) + 2, initialFontName=SANS, initialFontSize=font)
    for number, row in enumerate(rows):
        y = drawing.height - row_h * number - row_h / 2 - 1
        x = 0.0
        for item_width, draw in row:
            draw(drawing, x, y)
            x += item_width
    return drawing
