"""One look for the parts map: the canvas and the PDF read the same letters, colours and shapes."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from console.clinical import ifs as c
from console.clinical import ifs_style as style
from console.export import ifs_drawing

ROOT = Path(__file__).resolve().parents[2]
RENDERERS = ("ui/ifs_map/items.py", "ui/ifs_map/legend.py", "console/export/ifs_drawing.py")


def test_every_kind_has_a_distinct_letter_and_a_shape() -> None:
    letters = [style.kind_letter(k) for k in c.PART_KINDS]
    assert len(set(letters)) == len(letters)
    assert style.FALLBACK_LETTER not in letters
    assert style.kind_letter("no such kind") == style.FALLBACK_LETTER
    assert all(c.PART_KIND_SHAPES[k] in style.SHAPES for k in c.PART_KINDS)


def test_the_pdf_prints_the_shared_letters_and_colours() -> None:
    for kind in c.PART_KINDS:
        assert ifs_drawing.kind_colour(kind).hexval()[2:] == style.kind_colour(kind).lstrip("#")
    attrs = ifs_drawing._line_attrs("polarised", 5, 1.0)
    polarised = style.line_style("polarised").colour
    assert polarised is not None
    assert attrs["strokeColor"] == ifs_drawing.colors.HexColor(polarised)


@pytest.mark.parametrize("path", RENDERERS)
def test_renderers_declare_no_colours_or_shape_scales_of_their_own(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert not re.findall(r"#[0-9a-fA-F]{6}\b", text)
    assert not re.findall(r"r \* 1\.\d+|math\.radians|KIND_LETTERS\s*[:=]", text)


@pytest.mark.parametrize("kind", c.PART_KINDS)
def test_outlines_surround_the_centre(kind: str) -> None:
    shape = style.shape_of(kind)
    points = style.outline(kind, 10.0)
    assert len(points) == shape.corners
    for angle in range(0, 360, 15):
        dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        edge = shape.edge(10.0, dx, dy)
        assert 4.0 < edge < 14.0
    assert shape.bottom(10.0) > 0


def test_square_outline_and_triangle_point_up() -> None:
    square = style.SHAPES["square"].points(10.0)
    assert {(round(x, 6), round(y, 6)) for x, y in square} == {
        (-9.0, -9.0),
        (9.0, -9.0),
        (9.0, 9.0),
        (-9.0, 9.0),
    }
    apex = min(style.SHAPES["triangle"].points(10.0), key=lambda p: p[1])
    assert apex[0] == pytest.approx(0.0, abs=1e-9) and apex[1] < 0


def test_sizes_grow_with_activation_and_energy() -> None:
    assert style.part_radius(0) < style.part_radius(10) == style.part_radius(99)
    assert style.self_radius(None) == style.MID_SELF_RADIUS
    assert style.self_radius(0) < style.self_radius(10)


def test_line_styles_differ_without_colour() -> None:
    strokes = {(s.dash, s.zigzag) for k, s in style.LINE_STYLES.items() if k != "leads_to"}
    assert len(strokes) >= 4
    polarised = style.line_style("polarised")
    assert polarised.width_for(8) > polarised.width_for(2)
    assert polarised.width_for(None) == polarised.width_for(c.DEFAULT_POLARITY)
    assert style.line_style("unheard of") == style.DEFAULT_LINE
    assert all(style.line_style(k).arrow > 0 for k in c.DIRECTED)


def test_arrowhead_and_zigzag() -> None:
    tip, left, right = style.arrowhead((10.0, 0.0), 1.0, 0.0, 4.0)
    assert tip == (10.0, 0.0) and left[0] == right[0] == 6.0 and left[1] == -right[1]
    points = style.zigzag((0.0, 0.0), (120.0, 0.0))
    assert points[0] == (0.0, 0.0) and points[-1] == (120.0, 0.0)
    assert max(abs(y) for _, y in points) == pytest.approx(style.ZIGZAG_AMPLITUDE)
    assert style.zigzag((0.0, 0.0), (5.0, 0.0)) == [(0.0, 0.0), (5.0, 0.0)]
    bent = style.zigzag_along([(0.0, 0.0), (60.0, 0.0), (60.0, 60.0)], 2.0, 10.0)
    assert bent[-1] == (60.0, 60.0) and len(bent) > 5
