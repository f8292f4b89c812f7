"""The one font every report uses, registered with reportlab from the file savedesk ships.

WenQuanYi Micro Hei covers Latin, Cyrillic and Chinese (simplified and traditional) in
TrueType outlines, so reportlab embeds a subset of it. The base-14 fonts (Helvetica...) are
never used: they are not embedded and hold no Chinese or Cyrillic. The font has no bold face;
headings differ by size and colour, and <b> maps back to the same face so nothing falls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "SavedeskSans"
FONT_FILE = "wqy-microhei.ttc"


@dataclass(frozen=True)
class Fonts:
    """Registered font names to give to styles, tables and charts."""

    regular: str
    bold: str


def font_path() -> Path:
    """Where the shipped font file lives (resources/fonts/wqy-microhei.ttc)."""
    return Path(__file__).resolve().parents[1] / "resources" / "fonts" / FONT_FILE


@cache
def register_fonts() -> Fonts:
    """Register the report font once per process and return its names.

    Raises FileNotFoundError naming the file when the font is missing from the installation.
    """
    path = font_path()
    if not path.is_file():
        raise FileNotFoundError(f"the report font {path} is missing from this installation")
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    # Every style of the family is the one face: <b>/<i> in a paragraph must not reach for
    # Helvetica-Bold.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT_NAME, bold, italic, FONT_NAME)
    return Fonts(regular=FONT_NAME, bold=FONT_NAME)


# Characters the font lacks, written so a reader still sees what was meant (a missing glyph
# would print as an empty gap).
SUBSTITUTES = {
    "\u20bd": "RUB",  # ₽
    "\u20b9": "INR",  # ₹
    "\u20a9": "KRW",  # ₩
    "\u20ba": "TRY",  # ₺
    "\u20b8": "KZT",  # ₸
    "\ufe0f": "",  # emoji presentation selector
    "\u200d": "",  # zero-width joiner (emoji sequences)
}


@cache
def _covered() -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    return frozenset(pdfmetrics.getFont(register_fonts().regular).face.charToGlyph)


def printable(text: str) -> str:
    """`text` with every character the report font cannot draw replaced: known symbols by
    their code (₽ -> RUB), others by their compatibility form, else by "?" (emoji, rare
    scripts). Line breaks and tabs are kept."""
    covered = _covered()
    if all(ord(ch) in covered or ch in "\n\t" for ch in text):
        return text
    import unicodedata

    out = []
    for ch in text:
        if ord(ch) in covered or ch in "\n\t":
            out.append(ch)
        elif ch in SUBSTITUTES:
            out.append(SUBSTITUTES[ch])
        else:
            compat = unicodedata.normalize("NFKC", ch)
            out.append(compat if compat != ch and all(ord(c) in covered for c in compat) else "?")
    return "".join(out)
