"""Tables more than one report shows: quality beside retention (per agent or team), which
behaviours keep customers (per category, saved against lost), and the service figures against
the targets teams set. Each cell is a figure with its 95% interval and n, as on the screens."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Table

from reports.blocks import figure_cell, table
from reports.styles import Paragraph, Styles
from review.figures.outcomes import CategoryOutcome, RetentionRow
from review.figures.overview import Overview
from review.figures.targets import TARGETS, judge
from review.figures.values import Figure
from review.figures.wording import n_text, value_text


def _money_cell(figure: Figure, noun: str, styles: Styles) -> Paragraph:
    return Paragraph(
        f"{value_text(figure)}<br/><font size=6.5 color='#5f6b7a'>{n_text(figure, noun)}</font>",
        styles.cell_right,
    )


def beside_table(rows: Sequence[RetentionRow], group: str, styles: Styles) -> Table:
    """Quality score beside save rate, saved MRR and lost MRR, one row per agent or team."""
    data = [
        [
            Paragraph(r.label, styles.cell),
            figure_cell(r.quality, "reviews", styles),
            figure_cell(r.save_rate, "tagged", styles),
            _money_cell(r.saved_mrr, "saves", styles),
            _money_cell(r.lost_mrr, "losses", styles),
            f"{r.right_outcomes:,}",
        ]
        for r in rows
    ]
    return table(
        [group, "Quality score (95%)", "Save rate (95%)", "Saved MRR", "Lost MRR", "Not a fit"],
        data,
        ["20%", "19%", "19%", "16%", "16%", "10%"],
        styles,
        right=(5,),
    )


def behaviours_table(categories: Sequence[CategoryOutcome], styles: Styles) -> Table:
    """Per rubric category, the mean rating where the customer was saved and where lost."""
    data = [
        [
            Paragraph(k.category, styles.cell),
            figure_cell(k.saved, "ratings", styles),
            figure_cell(k.lost, "ratings", styles),
            "no data" if k.difference is None else f"{k.difference:+.1f}",
        ]
        for k in categories
    ]
    return table(
        ["Category", "Saved (0–100, 95%)", "Lost (0–100, 95%)", "Saved − lost"],
        data,
        ["40%", "22%", "22%", "16%"],
        styles,
        right=(3,),
    )


def service_table(o: Overview, styles: Styles) -> Table:
    """CSAT, NPS, first contact resolution, first response and resolution rate, each against
    the target teams commonly set."""
    chat = o.first_reply_chat.median
    rows = [
        ("CSAT", o.csat, "ratings", TARGETS["csat"].text, judge("csat", o.csat)),
        ("NPS", o.nps, "answers", "above 0 good, 20 great, 50 excellent", judge("nps", o.nps)),
        ("First contact resolution", o.fcr, "resolved conversations", "", ""),
        ("First response, median", o.first_response.median, "conversations", "", ""),
        ("First response, 90th percentile", o.first_response.p90, "conversations", "", ""),
        ("First reply on chat, median", chat, "chats", TARGETS["first_reply_chat"].text,
         judge("first_reply_chat", chat)),
        ("Resolution rate", o.resolution_rate, "conversations", TARGETS["resolution_rate"].text,
         judge("resolution_rate", o.resolution_rate)),
    ]  # fmt: skip
    data = [
        [label, figure_cell(figure, noun, styles), target, verdict]
        for label, figure, noun, target, verdict in rows
    ]
    return table(
        ["Figure", "Value (95% interval)", "Target", "Against it"],
        data,
        ["30%", "26%", "22%", "22%"],
        styles,
    )
