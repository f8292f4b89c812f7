"""Every look in the reports: paragraph styles, table styles and colours, in one place.

All styles use the embedded report font and CJK word wrapping: any paragraph may hold a
Chinese agent name or excerpt, and CJK wrapping still breaks Latin and Cyrillic at spaces.
Use this module's `Paragraph`: it wraps text without Chinese or Japanese the ordinary way,
because CJK wrapping measures every character and made a 190-page coaching review ~3x slower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as _ReportlabParagraph
from reportlab.platypus import TableStyle

from reports.fonts import register_fonts

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
ACCENT = colors.HexColor("#1d5fa8")
ACCENT_LIGHT = colors.HexColor("#9cc0e8")
WARN = colors.HexColor("#b3541e")
RULE = colors.HexColor("#c8d0da")
HEADER_FILL = colors.HexColor("#e8eef5")
ZEBRA = colors.HexColor("#f6f8fa")
QUOTE_FILL = colors.HexColor("#f3f5f8")
SERIES = (
    ACCENT,
    colors.HexColor("#e08a2c"),
    colors.HexColor("#3c9a5f"),
    colors.HexColor("#8e5bb5"),
)


_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_WORD_WRAPPED: dict[int, ParagraphStyle] = {}


class Paragraph(_ReportlabParagraph):
    """reportlab's Paragraph, wrapping CJK-style only where the text holds CJK characters."""

    def __init__(self, text: str, style: ParagraphStyle | None = None, *args, **kwargs):
        if style is not None and style.wordWrap == "CJK" and not _CJK.search(text or ""):
            style = _word_wrapped(style)
        super().__init__(text, style, *args, **kwargs)


def _word_wrapped(style: ParagraphStyle) -> ParagraphStyle:
    plain = _WORD_WRAPPED.get(id(style))
    if plain is None:
        plain = style.clone(f"{style.name}-words", wordWrap=None)
        _WORD_WRAPPED[id(style)] = plain
    return plain


@dataclass(frozen=True)
class Styles:
    """Paragraph styles and shared table looks for one report."""

    font: str
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    caption: ParagraphStyle  # the "period · filters · n" line under each figure
    no_data: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    quote: ParagraphStyle
    quote_who: ParagraphStyle
    big_number: ParagraphStyle
    big_label: ParagraphStyle
    header_footer_size: float = 7.5

    def table_style(self, header_rows: int = 1, zebra: bool = True, rows: int = 0) -> TableStyle:
        """Grid look for data tables: shaded header row(s), light rules, optional zebra rows."""
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), self.font),
            ("FONTSIZE", (0, 0), (-1, -1), self.cell.fontSize),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
            ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if header_rows:
            commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
        if zebra and rows:
            commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [None, ZEBRA]))
        return TableStyle(commands)


def make_styles() -> Styles:
    """The report styles, with the report font registered."""
    font = register_fonts().regular

    def style(name: str, size: float, leading: float | None = None, **kw) -> ParagraphStyle:
        kw.setdefault("textColor", INK)
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading or size * 1.3,
            wordWrap="CJK",
            **kw,
        )

    return Styles(
        font=font,
        title=style("title", 20, 25, textColor=ACCENT, spaceAfter=4),
        h1=style("h1", 13.5, 17, textColor=ACCENT, spaceBefore=12, spaceAfter=3),
        h2=style("h2", 11, 14, spaceBefore=8, spaceAfter=2),
        body=style("body", 9, 12.5, spaceAfter=4),
        caption=style("caption", 7, 9, textColor=MUTED, spaceAfter=6),
        no_data=style("no_data", 9, 12, textColor=WARN, spaceAfter=4),
        cell=style("cell", 8, 10, alignment=TA_LEFT),
        cell_right=style("cell_right", 8, 10, alignment=TA_RIGHT),
        cell_head=style("cell_head", 8, 10, textColor=INK),
        quote=style(
            "quote",
            9,
            13,
            leftIndent=10,
            borderPadding=(3, 4, 3, 4),
            backColor=QUOTE_FILL,
            spaceBefore=2,
            spaceAfter=5,
        ),
        quote_who=style("quote_who", 7, 9, textColor=MUTED, leftIndent=10, spaceBefore=3),
        big_number=style("big_number", 16, 19, textColor=ACCENT),
        big_label=style("big_label", 7.5, 9.5, textColor=MUTED),
    )
