"""The IFS parts map in the session record and the client chart, read back from the PDFs.

Pages are also rendered to tests/artifacts (gitignored) as PNGs to look at.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy
import pypdf
import pytest

from console.clinical import ifs as c
from console.export.ifs_drawing import legend_drawing, map_drawing, shorten
from console.export.ifs_section import ifs_chart, ifs_session
from console.export.sections import chart_sections, session_sections
from console.export.service import ExportService
from console.services.bundle import Services
from console.services.clients import ClientFields
from console.services.ifs import PartWorkFields
from console.services.sessions import SessionFields
from models import SessionKind
from tests.pdf_text import flat

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
START = datetime(2026, 4, 6, 10, 0, tzinfo=UTC)
HEBREW = "הילד הקטן"
ARABIC = "الناقد"


def _part(name: str, kind: str = "manager", **kw: object) -> c.Part:
    return c.Part(id=uuid.uuid4(), name=name, kind=kind, **kw)  # type: ignore[arg-type]


def _rel(
    kind: str, source: c.Part, target: c.Part | None, strength: int | None = None
) -> c.Relation:
    return c.Relation(
        uuid.uuid4(), kind, source.id, None if target is None else target.id, strength
    )


class Story:
    """A client with two IFS sessions: a first map, then a grown one with work done."""

    def __init__(self, services: Services) -> None:
        self.client = services.clients.create(ClientFields(name="Mira Testperson")).id
        self.first, self.second = (
            services.sessions.create(
                self.client,
                SessionFields(starts_at=START + timedelta(days=d), kind=SessionKind.IFS),
            ).id
            for d in (0, 7)
        )
        critic = _part(
            "The Critic",
            "manager",
            status="active",
            activation=8,
            body_location="Jaw",
            burden="Mistakes are dangerous",
            positive_intent="Keep me safe from shame",
        )
        binge = _part("Binger", "firefighter", activation=6)
        little = _part("Little one", "exile", age="6", burden="I am too much")
        hebrew = _part(HEBREW, "unknown")
        first = c.tidy_layout(
            c.PartsMap((critic, binge, little, hebrew), self_energy=4, self_cs=("calm",))
        )
        critic, binge, little, hebrew = first.parts  # where the layout put them
        first = first.with_relation(_rel("protects", critic, little))
        first = first.with_relation(_rel("polarised", critic, binge, 8))
        services.ifs.save(self.client, first, self.first)

        door = _part("Slammed door", "trailhead")
        arabic = _part(ARABIC, "manager", activation=3)
        second = replace(
            first, self_energy=7, self_cs=("calm", "curiosity", "compassion")
        ).without_part(hebrew.id)
        second = second.with_part(replace(little, status="unburdened"))
        for new in (door, arabic):
            spot = c.free_spot(second, new.kind)
            second = second.with_part(replace(new, x=spot[0], y=spot[1]))
        second = second.with_relation(_rel("allied", critic, arabic))
        second = second.with_relation(_rel("leads_to", door, little))
        second = second.with_relation(_rel("blended", binge, None))
        second = second.with_relation(_rel("exiled_by", little, critic))
        services.ifs.save(self.client, second, self.second)
        services.ifs.save_part_work(
            self.second,
            little.id,
            PartWorkFields(
                six_fs=("find", "focus", "feel_toward", "befriend"),
                six_fs_notes=(("find", "A tight knot in the belly"), ("befriend", "It waved")),
                witnessing="Shown the kitchen at age six",
                release_element="light",
                qualities_invited="Playfulness",
            ),
        )
        services.ifs.save_part_work(
            self.second, critic.id, PartWorkFields(six_fs=("find",), six_fs_notes=())
        )
        self.critic, self.little, self.hebrew = critic, little, hebrew


@pytest.fixture
def story(services: Services) -> Story:
    return Story(services)


def test_sections_are_registered() -> None:
    assert ifs_session in session_sections()
    assert ifs_chart in chart_sections()


def test_session_record_prints_the_map_tables_and_part_work(
    story: Story, export: ExportService
) -> None:
    pdf = export.session_record(story.second)
    text = flat(pdf)
    assert "Parts map" in text
    assert "Self energy: 7/10" in text
    assert "✓ Calm" in text and "✓ Curiosity" in text and "✓ Compassion" in text
    assert "Since 6 Apr 2026: added " in text
    new_line = text[text.index("Since 6 Apr") :]
    assert "Slammed door" in new_line[:200] and "unburdened Little one" in new_line[:200]
    assert "removed " in new_line[:200]  # the Hebrew-named part, removed in this session
    for name in ("The Critic", "Binger", "Little one", "Slammed door"):
        assert name in text
    assert "Keep me safe from shame" in text and "Mistakes are dangerous" in text
    # relationships, in words
    assert "The Critic protects Little one" in text
    assert "The Critic polarised with (8/10) Binger" in text
    assert "Binger blended with Self Self" in text
    assert "Slammed door leads to Little one" in text
    # the part work
    assert "Part work in this session" in text
    assert "✓ Find A tight knot in the belly" in text
    assert "✓ beFriend It waved" in text
    assert "Not done: Flesh out, Fears" in text
    assert "Unburdening" in text and "Shown the kitchen at age six" in text
    assert "Release to Light" in text and "Playfulness" in text
    # the drawing and its legend: the kind labels only the legend prints
    assert "Trailhead (trigger)" in text and "polarised (thicker = stronger)" in text
    assert "new or unburdened since the last map" in text
    # Hebrew and Arabic names (shaped, in visual order): either order reads back
    extracted = unicodedata.normalize("NFKC", text)
    assert ARABIC in extracted or ARABIC[::-1] in extracted
    first = unicodedata.normalize("NFKC", flat(export.session_record(story.first)))
    assert HEBREW in first or HEBREW[::-1] in first
    # only the embedded DejaVu fonts, also in the drawing
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"]["/Font"]  # type: ignore[index]
        for font in fonts.values():
            assert "DejaVu" in str(font.get_object()["/BaseFont"])


def test_first_session_says_it_is_the_first_map(story: Story, export: ExportService) -> None:
    text = flat(export.session_record(story.first))
    assert "First map of this client: 4 parts." in text
    assert "Since " not in text and "Part work in this session" not in text
    assert "Self energy: 4/10" in text and "✓ Calm" in text
    assert "✓ Curiosity" not in text


def test_the_map_drawing_is_on_the_page(story: Story, export: ExportService) -> None:
    """Render the page and count coloured pixels of the part colours in the drawing."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    png = _render(export.session_record(story.second), "ifs-session")
    from PIL import Image

    pixels = numpy.asarray(Image.open(png).convert("RGB"), dtype=int)
    wanted = {k: _rgb(v) for k, v in c.PART_KIND_COLOURS.items() if k != "unknown"}
    wanted["self"] = _rgb(c.SELF_COLOUR)
    counts = {
        key: int((numpy.abs(pixels - numpy.array(rgb)).sum(axis=2) < 40).sum())
        for key, rgb in wanted.items()
    }
    # every kind on that map, and Self, drawn in its colour (more than the legend icons)
    assert all(n > 100 for n in counts.values()), counts  # a legend icon is ~40 pixels


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _render(pdf: bytes, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
        check=True,
    )
    pages = sorted(ARTIFACTS.glob(f"{name}-*.png"))
    assert pages
    return pages[0]


def test_client_chart_prints_the_live_map_and_its_history(
    story: Story, export: ExportService
) -> None:
    text = flat(export.client_chart(story.client))
    assert text.count("Parts map") >= 3  # the chart's part, and one under each session
    assert "The map as it stands now: 5 parts; Self energy 7/10" in text
    assert "How the map changed" in text
    row = text[text.index("How the map changed") :]
    assert "6 Apr 2026 4 4/10" in row
    assert "13 Apr 2026 5 7/10" in row
    assert "Unburdening" in text and "A tight knot in the belly" in text
    assert "The Critic allied with " in text
    # under each session the chart is brief: no second parts table per session
    assert text.count("POSITIVE INTENT") == 1


def test_chart_range_limits_the_history_rows(story: Story, export: ExportService) -> None:
    day = (START + timedelta(days=7)).date()
    text = flat(export.client_chart(story.client, start=day))
    row = text[text.index("How the map changed") :]
    assert "13 Apr 2026 5 7/10" in row and "6 Apr 2026 4" not in row
    # the Hebrew-named part removed that session is still named (from part_names)
    row = unicodedata.normalize("NFKC", row)
    assert HEBREW in row or HEBREW[::-1] in row


def test_sessions_and_clients_without_ifs_print_no_parts_map(
    services: Services, export: ExportService
) -> None:
    client = services.clients.create(ClientFields(name="No Parts")).id
    session = services.sessions.create(
        client, SessionFields(starts_at=START, kind=SessionKind.IFS)
    ).id
    assert "Parts map" not in flat(export.session_record(session))
    assert "Parts map" not in flat(export.client_chart(client))


def test_part_work_without_a_snapshot_still_prints(
    story: Story, services: Services, export: ExportService
) -> None:
    third = services.sessions.create(
        story.client, SessionFields(starts_at=START + timedelta(days=14), kind=SessionKind.IFS)
    ).id
    services.ifs.save_part_work(
        third,
        story.critic.id,
        PartWorkFields(six_fs=("fears",), six_fs_notes=(("fears", "Chaos"),)),
    )
    text = flat(export.session_record(third))
    assert "Parts map" in text and "✓ Fears Chaos" in text
    assert "Self energy" not in text


def test_a_200_part_map_exports(services: Services, export: ExportService) -> None:
    client = services.clients.create(ClientFields(name="Many Parts")).id
    session = services.sessions.create(
        client, SessionFields(starts_at=START, kind=SessionKind.IFS)
    ).id
    parts = tuple(
        _part(
            f"Part number {i} with a long name" if i % 3 else f"{HEBREW} {i} 🌱",
            c.PART_KINDS[i % 5],
            activation=i % 11,
            status="unburdened" if i % 17 == 0 else "active",
        )
        for i in range(200)
    )
    parts_map = c.PartsMap(parts, self_energy=5)
    relations = [_rel("protects", parts[i], parts[i + 5]) for i in range(0, 150, 5)]
    relations += [_rel("polarised", parts[i], parts[i + 1], i % 11) for i in range(1, 100, 7)]
    for relation in relations:
        parts_map = parts_map.with_relation(relation)
    services.ifs.save(client, c.tidy_layout(parts_map), session)
    pdf = export.session_record(session)
    text = flat(pdf)
    assert "Parts map" in text and "Part number 199 with a long name" in text
    chart = export.client_chart(client)
    assert "Part number 1 with a long name" in flat(chart)
    if shutil.which("pdftoppm") is not None:
        _render(pdf, "ifs-200")


def test_drawing_fits_and_handles_untidy_maps() -> None:
    parts = tuple(_part(f"P{i}", c.PART_KINDS[i % 5]) for i in range(12))  # all at (0, 0)
    drawing = map_drawing(c.PartsMap(parts), 400, 250, highlight={parts[0].id})
    x0, y0, x1, y1 = drawing.getBounds()
    assert x0 >= -1 and y0 >= -1 and x1 <= 401 and y1 <= 251
    assert legend_drawing(300, highlight_label="new").height > legend_drawing(2000).height - 1
    assert shorten("A very long name for a part indeed", "DejaVuSans", 7, 40).endswith("…")


def test_render_pages_for_review(story: Story, export: ExportService) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    _render(export.session_record(story.second), "ifs-session")
    _render(export.client_chart(story.client), "ifs-chart")
    assert re.search(r"ifs-chart-\d+\.png", " ".join(p.name for p in ARTIFACTS.iterdir()))
