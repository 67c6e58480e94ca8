"""How a parts map looks, for every renderer: the Qt canvas and the printed PDF.

The screen and the page must tell the same story (a clinician compares the
printout with what they drew), so each kind's letter, colour and outline,
each line's colour, width, dash and arrowhead, and the sizes that encode
activation and Self energy are declared once here, as plain data and pure
geometry in scene units (y grows downwards). A renderer only converts units
and picks its own ink for lines drawn "in the text colour" (None below), so
dark and light screens and paper all read.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from console.clinical import ifs as c

Point = tuple[float, float]

# -- parts ------------------------------------------------------------------------

KIND_LETTERS: dict[str, str] = {
    "manager": "M",
    "firefighter": "F",
    "exile": "E",
    "unknown": "U",
    "trailhead": "T",
}
FALLBACK_LETTER = "?"
FALLBACK_KIND = "unknown"
LETTER_COLOUR = "#ffffff"
SELF_STROKE = "#9c7a10"
SELF_TEXT = "#1c1c1c"
UNBURDENED_MARK = "#1e7b34"  # the check mark of an unburdened part
DUPLICATE_NAME = "#b3261e"  # a name two parts share
GLOW = "#f5c400"  # parts picked out on screen (history slider, search)


@dataclass(frozen=True)
class Shape:
    """A regular outline: `corners` points on a circle of `scale` × radius.

    `start` is the angle of the first corner (degrees, clockwise from +x, as y
    grows downwards); `shift` moves the outline down by a fraction of the radius
    so the shape's weight sits on its centre; `rounding` rounds a square's
    corners (a fraction of the radius). `letter_scale` and `letter_shift` fit
    the kind's letter inside the shape. Circles have no corners.
    """

    corners: int
    scale: float
    start: float = 0.0
    shift: float = 0.0
    rounding: float = 0.0
    letter_scale: float = 1.0
    letter_shift: float = 0.0

    def points(self, r: float) -> list[Point]:
        """The corners at size `r` around the origin; a circle has none."""
        s = r * self.scale
        return [
            (
                s * math.cos(math.radians(self.start + i * 360 / self.corners)),
                s * math.sin(math.radians(self.start + i * 360 / self.corners)) + r * self.shift,
            )
            for i in range(self.corners)
        ]

    def bottom(self, r: float) -> float:
        """How far below the centre the shape ends: where its name goes."""
        points = self.points(r)
        return max(y for _, y in points) if points else r

    def edge(self, r: float, dx: float, dy: float) -> float:
        """How far from the centre the outline is in direction (dx, dy), a unit vector."""
        points = self.points(r)
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


SHAPES: dict[str, Shape] = {
    "circle": Shape(0, 1.0),
    "square": Shape(4, 0.9 * math.sqrt(2), start=-135.0, rounding=0.15),
    "triangle": Shape(3, 1.25, start=-90.0, shift=0.2, letter_scale=0.8, letter_shift=0.2),
    "diamond": Shape(4, 1.18, start=-90.0),
    "hexagon": Shape(6, 1.05),
}
SELF_SHAPE = SHAPES["circle"]
EXTENT = 1.3  # every shape fits within this many radii of its centre (labels, hit boxes)


def kind_colour(kind: str) -> str:
    return c.PART_KIND_COLOURS.get(kind, c.PART_KIND_COLOURS[FALLBACK_KIND])


def kind_letter(kind: str) -> str:
    return KIND_LETTERS.get(kind, FALLBACK_LETTER)


def shape_of(kind: str) -> Shape:
    return SHAPES[c.PART_KIND_SHAPES.get(kind, c.PART_KIND_SHAPES[FALLBACK_KIND])]


def outline(kind: str, r: float) -> list[Point]:
    """The corners of a kind's shape of size `r` around the origin; a circle has none."""
    return shape_of(kind).points(r)


def part_radius(activation: int) -> float:
    """Activation 0–10 shown as size: 20 to 44 scene units."""
    return 20.0 + 2.4 * max(c.ACTIVATION_MIN, min(c.ACTIVATION_MAX, activation))


def self_radius(energy: int | None) -> float:
    """Self energy 0–10 shown as size; an unread Self is drawn mid-sized."""
    return 26.0 + 3.0 * (5 if energy is None else energy)


MID_PART_RADIUS = part_radius(5)
MID_SELF_RADIUS = self_radius(5)


# -- lines ------------------------------------------------------------------------


@dataclass(frozen=True)
class LineStyle:
    """One relationship kind's stroke, in scene units; `dash` is in line widths.

    `colour` None is the renderer's text colour. `per_strength` widens a
    polarised line by its strength; `zigzag` draws it as tension, so kinds
    differ without colour too. `arrow` is the arrowhead's length (0: none).
    """

    width: float
    colour: str | None = None
    dash: tuple[float, ...] = ()
    per_strength: float = 0.0
    zigzag: bool = False
    arrow: float = 0.0

    def width_for(self, strength: int | None) -> float:
        if not self.per_strength:
            return self.width
        level = c.DEFAULT_POLARITY if strength is None else strength
        return self.width + self.per_strength * level


ARROW = 13.0
ARROW_SPREAD = 0.45  # half the arrowhead's base, as a fraction of its length
ZIGZAG_AMPLITUDE = 5.0
ZIGZAG_STEP = 12.0
DOTS = (0.1, 2.0)
DASHES = (4.0, 2.0)
DASH_DOTS = (4.0, 2.0, 0.1, 2.0)

LINE_STYLES: dict[str, LineStyle] = {
    "protects": LineStyle(2.0, arrow=ARROW),
    "polarised": LineStyle(1.0, "#d0453a", per_strength=0.6, zigzag=True),
    "allied": LineStyle(2.6, "#2f9e6e", dash=DOTS),
    "exiled_by": LineStyle(2.0, dash=DASHES, arrow=ARROW),
    "blended": LineStyle(2.4, SELF_STROKE, dash=DASH_DOTS, arrow=ARROW),
    "leads_to": LineStyle(1.0, arrow=9.0),
}
DEFAULT_LINE = LINE_STYLES["protects"]
LEGEND_STRENGTH = 6  # the polarised line the legends show


def line_style(kind: str) -> LineStyle:
    return LINE_STYLES.get(kind, DEFAULT_LINE)


def arrowhead(tip: Point, dx: float, dy: float, size: float) -> list[Point]:
    """The triangle of an arrow pointing along unit vector (dx, dy) with its point at `tip`."""
    bx, by = tip[0] - dx * size, tip[1] - dy * size
    half = size * ARROW_SPREAD
    return [tip, (bx - dy * half, by + dx * half), (bx + dy * half, by - dx * half)]


def zigzag(
    start: Point, end: Point, amplitude: float = ZIGZAG_AMPLITUDE, step: float = ZIGZAG_STEP
) -> list[Point]:
    """The polarised line between two points: a zigzag, tension even without its colour."""
    return zigzag_along([start, end], amplitude, step)


def zigzag_along(points: Sequence[Point], amplitude: float, step: float) -> list[Point]:
    """A zigzag following a polyline (a straight line or a sampled curve)."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(points)]
    total = sum(lengths)
    if total < step * 2:
        return list(points)
    count = int(total // step)
    out = [points[0]]
    for i in range(1, count):
        (x, y), (ux, uy) = _along(points, lengths, i * total / count)
        side = amplitude if i % 2 else -amplitude
        out.append((x - uy * side, y + ux * side))
    out.append(points[-1])
    return out


def _along(points: Sequence[Point], lengths: Sequence[float], at: float) -> tuple[Point, Point]:
    """The point `at` along a polyline, and the unit direction there."""
    for ((ax, ay), (bx, by)), length in zip(itertools.pairwise(points), lengths, strict=True):
        if at <= length and length > 0:
            ux, uy = (bx - ax) / length, (by - ay) / length
            return (ax + ux * at, ay + uy * at), (ux, uy)
        at -= length
    (ax, ay), (bx, by) = points[-2], points[-1]
    length = max(math.dist(points[-2], points[-1]), 1e-9)
    return (bx, by), ((bx - ax) / length, (by - ay) / length)
