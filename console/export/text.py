"""User text made printable by platypus: cleaned, escaped, chunked and put in visual order.

Three things go wrong when a note's text is handed straight to a Paragraph:

- platypus reads paragraph text as XML-like markup, so `<`, `>` and `&` typed
  by a clinician would break the parser or become markup: `escape` first;
- a megabyte-long note as one Paragraph makes platypus re-split a huge
  paragraph page after page: `text_flowables` gives one Paragraph per line of
  the note, and cuts lines longer than `MAX_CHUNK` characters at a space;
- reportlab draws characters left to right as stored. Hebrew and Arabic are
  stored in reading order and Arabic letters change shape with their
  neighbours. reportlab's own right-to-left support needs `rlbidi`, which is
  not on PyPI; so lines with right-to-left text are reshaped with
  `arabic-reshaper` (joining forms and lam-alef ligatures), wrapped in reading
  order, and each wrapped line is put in visual order with `python-bidi` (the
  Unicode bidirectional algorithm, line by line as rule L1–L4 requires).
  Vowel marks stay where reversal puts them, before their letter: the
  font draws Hebrew and Arabic marks to the right of the pen, over the letter
  that follows in visual order (checked by eye on pointed Hebrew and on
  Arabic with harakat).
"""

from __future__ import annotations

import re
import threading
from xml.sax.saxutils import escape as _xml_escape

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.ligatures import LIGATURES
from arabic_reshaper.reshaper_config import default_config
from bidi import get_base_level, get_display
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer

from console.export.fonts import covers

MAX_CHUNK = 2000  # characters per Paragraph; keeps platypus's line breaking cheap

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029|\x85")
_LEADING_SPACES = re.compile(r"^ +")
# Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan…, their presentation forms,
# the right-to-left marks and embeddings, and the historic RTL scripts.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u202b\u202e\u2067"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def clean(text: str) -> str:
    """Printable text: one kind of newline, tabs as spaces, no control characters.

    Lone surrogates (which cannot be encoded in a PDF) become U+FFFD.
    """
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = _NEWLINES.sub("\n", text).replace("\t", "    ")
    return _CONTROL.sub("", text)


def escape(text: str) -> str:
    """Text for platypus markup: cleaned, with &, < and > escaped."""
    return _xml_escape(clean(text))


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def _markup_line(line: str) -> str:
    """One escaped line; leading spaces kept (as no-break spaces) so indents survive."""
    indent = _LEADING_SPACES.match(line)
    if indent:
        line = "\u00a0" * len(indent.group()) + line[indent.end() :]
    return _xml_escape(line)


def _chunks(line: str, limit: int = MAX_CHUNK) -> list[str]:
    """Cut a long line into pieces of at most `limit` characters, at a space if any."""
    pieces = []
    while len(line) > limit:
        cut = line.rfind(" ", limit // 2, limit)
        cut = limit if cut <= 0 else cut + 1
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces


def text_flowables(text: str, style: ParagraphStyle, width: float) -> list[Flowable]:
    """Flowables for free text of any size and script: one Paragraph per line (or chunk).

    `width` is the width the paragraphs will be laid out in; right-to-left
    lines are wrapped to it here (see the module's docstring).
    """
    flowables: list[Flowable] = []
    blank = False
    for line in clean(text).split("\n"):
        if not line.strip():
            blank = bool(flowables)
            continue
        if blank:
            flowables.append(Spacer(1, style.leading * 0.5))
            blank = False
        for chunk in _chunks(line.rstrip()):
            if has_rtl(chunk):
                flowables.append(bidi_paragraph(chunk, style, width))
            else:
                flowables.append(Paragraph(_markup_line(chunk), style))
    return flowables


# -- right-to-left ---------------------------------------------------------

_reshaper: ArabicReshaper | None = None
_reshaper_lock = threading.Lock()


def _arabic_reshaper() -> ArabicReshaper:
    """A reshaper that keeps vowel marks and uses only ligatures the font can draw."""
    global _reshaper
    with _reshaper_lock:
        if _reshaper is None:
            config: dict[str, object] = {"delete_harakat": False, "support_ligatures": True}
            for name, (_match, forms) in LIGATURES:
                wanted = str(default_config.get(name, False)) == "True"
                drawable = all(covers(ch) for form in forms for ch in form)
                config[name] = wanted and drawable
            _reshaper = ArabicReshaper(configuration=config)
        return _reshaper


def shape_arabic(text: str) -> str:
    """Arabic letters in their joined forms (presentation forms the font has)."""
    if not _ARABIC.search(text):
        return text
    shaped = str(_arabic_reshaper().reshape(text))
    if all(covers(ch) for ch in set(shaped) - set(text)):
        return shaped
    return text  # unjoined letters are better than boxes


def _longest_fitting_prefix(word: str, font: str, size: float, width: float) -> int:
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(word[:middle], font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap in reading order; a word wider than a line is cut."""
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    current, current_width = "", 0.0
    for word in text.split(" "):
        word_width = stringWidth(word, font, size)
        if current and current_width + space + word_width <= width:
            current += " " + word
            current_width += space + word_width
            continue
        if current:
            lines.append(current)
        while word_width > width and len(word) > 1:
            cut = _longest_fitting_prefix(word, font, size, width)
            lines.append(word[:cut])
            word = word[cut:]
            word_width = stringWidth(word, font, size)
        current, current_width = word, word_width
    lines.append(current)
    return lines


def visual_line(text: str, rtl: bool | None = None) -> str:
    """One line (already wrapped) in visual order, for a canvas or a single-line cell."""
    if not has_rtl(text):
        return text
    shaped = shape_arabic(text)
    if rtl is None:
        rtl = get_base_level(shaped) == 1
    return str(get_display(shaped, base_dir="R" if rtl else "L"))


def bidi_paragraph(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A Paragraph of mixed-direction text, wrapped to `width` and in visual order.

    The paragraph's direction follows its first strong character (as editors
    do): a paragraph that starts in Hebrew or Arabic is right-aligned.
    """
    shaped = shape_arabic(text)
    rtl = get_base_level(shaped) == 1
    # a little slack so platypus never re-wraps a line we measured as fitting
    lines = wrap(shaped, style.fontName, style.fontSize, max(width - 2.0, 10.0))
    visual = [str(get_display(line, base_dir="R" if rtl else "L")) for line in lines]
    markup = "<br/>".join(_xml_escape(line) for line in visual)
    alignment = TA_RIGHT if rtl else (style.alignment if style.alignment != TA_RIGHT else TA_LEFT)
    return Paragraph(
        markup, ParagraphStyle(f"{style.name}-bidi", parent=style, alignment=alignment)
    )
