"""The quality report by team and agent, beside retention: figures in, flowables out (no I/O).

It leads with the quality score and the service figures against their targets, then quality
beside save rate, saved and lost MRR per team and per agent, quality per category with the
behaviours that keep customers (saved against lost), per channel and rubric version, and how
well reviewers agree, with a section per closed calibration session.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from reports import charts
from reports.blocks import (
    caption,
    figure_cell,
    figure_note,
    key_figures,
    no_data,
    number,
    section,
    stat,
    table,
    value,
)
from reports.figure_tables import behaviours_table, beside_table, service_table
from reports.session_sections import session_sections
from reports.styles import Paragraph, Styles
from review.figures.team_quality import TeamQuality
from review.figures.values import GroupFigure
from review.figures.wording import few_note

TITLE = "Quality by team and agent"


def build_story(figures: TeamQuality, styles: Styles) -> list[Flowable]:
    """The report body after the cover block, section by section."""
    f = figures
    return [
        *_overall(f, styles),
        *_beside(f, styles),
        *_categories(f, styles),
        *_groups(f, f.by_channel, "By channel", "Channel", styles),
        *_groups(f, f.overview.quality_by_version, "By rubric version", "Rubric", styles),
        *_calibration(f, styles),
        *session_sections(f.sessions, styles),
    ]


def _overall(f: TeamQuality, styles: Styles) -> list[Flowable]:
    o = f.overview
    reviewed = sum(1 for a in o.agents if a.quality.n)
    items = [
        ("Quality score (0–100)", value(o.quality), figure_note(o.quality, "scored reviews")),
        (
            "Auto quality score (rules)",
            value(o.auto_quality.people),
            figure_note(o.auto_quality.people, "conversations scored by the rules"),
        ),
        (
            "  bots' conversations",
            value(o.auto_quality.bots),
            figure_note(o.auto_quality.bots, "scored apart"),
        ),
        ("Reviews", f"{f.reviews:,}", "scored or not"),
        ("Agents reviewed", f"{reviewed:,}", f"of {len(o.agents):,} with reviews, saves or losses"),
    ]
    note = "quality score = mean of review scores; reviews with no score left out; " + few_note()
    if o.quality.note:
        note += f"; {o.quality.note}"
    note += f"; auto quality score = mean of the rules' scores, never a rating: {o.auto_quality.people.note}"
    return [
        section(
            "Overall",
            styles,
            [
                key_figures(items, styles),
                caption(o.coverage, o.quality.n, "scored reviews", styles, note),
            ],
        ),  # fmt: skip
        section(
            "Service against the usual targets",
            styles,
            [
                service_table(o, styles),
                caption(
                    o.coverage, o.conversations, "conversations", styles, "targets from DOMAIN.md"
                ),
            ],
        ),  # fmt: skip
    ]


def _beside(f: TeamQuality, styles: Styles) -> list[Flowable]:
    o = f.overview
    note = (
        f"money {o.coverage.rates}; save rate = saves kept / (saves + losses); "
        "Not a fit is the right outcome, counted apart"
    )
    out: list[Flowable] = []
    for title, group, rows in (
        ("Quality beside retention, by team", "Team", o.teams),
        ("Quality beside retention, by agent", "Agent", o.agents),
    ):
        if not rows:
            out.append(section(title, styles, [no_data(styles), caption(o.coverage, 0, "reviews",
                                                                        styles)]))  # fmt: skip
            continue
        out += [
            section(title, styles, [caption(o.coverage, o.quality.n, "scored reviews", styles,
                                            note)]),
            beside_table([*rows, o.everyone], group, styles),
        ]  # fmt: skip
    return out


def _categories(f: TeamQuality, styles: Styles) -> list[Flowable]:
    o = f.overview
    out: list[Flowable] = []
    groups = [g for g in f.by_category if g.figure.value is not None]
    if groups:
        drawing = charts.score_bars(
            [(g.label, g.figure.value, None) for g in groups], ("mean rating", ""), styles.font
        )
        out += [
            section("By category", styles, [drawing]),
            _group_table(f.by_category, "Category", styles),
            caption(o.coverage, max(g.figure.n for g in groups), "ratings at most per category",
                    styles, "(rating − min) / (max − min) × 100; N/A left out"),
        ]  # fmt: skip
    else:
        out.append(section("By category", styles, [no_data(styles)]))
    if o.categories:
        drawing = charts.score_bars(
            [(k.category, k.saved.value, k.lost.value) for k in o.categories],
            ("saved", "lost"),
            styles.font,
        )
        out += [
            section(
                "Which behaviours keep customers",
                styles,
                [
                    Paragraph(
                        "Per category, the mean rating in reviewed conversations that ended "
                        "with the customer saved against those that ended lost; largest "
                        "difference first.",
                        styles.body,
                    ),
                    drawing,
                ],
            ),
            behaviours_table(o.categories, styles),
            caption(o.coverage, sum(k.saved.n + k.lost.n for k in o.categories), "ratings",
                    styles, "lost = a loss (not Not a fit) or a failed save"),
        ]  # fmt: skip
    return out


def _group_table(groups, what: str, styles: Styles):
    rows = [[g.label, figure_cell(g.figure, "ratings" if what == "Category" else "reviews",
                                  styles)] for g in groups]  # fmt: skip
    return table([what, "Score (95%)"], rows, ["60%", "40%"], styles)


def _groups(
    f: TeamQuality, groups: tuple[GroupFigure, ...], title: str, what: str, styles: Styles
) -> list[Flowable]:
    n = sum(g.figure.n for g in groups)
    if what == "Rubric" and len(groups) < 2:
        return []  # one version: nothing to set apart
    if not any(g.figure.value is not None for g in groups):
        return [
            section(title, styles, [no_data(styles), caption(f.coverage, n, "reviews", styles)])
        ]
    return [
        section(title, styles, [caption(f.coverage, n, "scored reviews", styles)]),
        _group_table(groups, what, styles),
    ]


def _calibration(f: TeamQuality, styles: Styles) -> list[Flowable]:
    a = f.agreement
    title = "Calibration: agreement between reviewers"
    if not a.categories or a.conversations == 0:
        return [
            section(
                title,
                styles,
                [
                    no_data(styles, "no conversation has been reviewed by more than one reviewer"),
                    caption(f.coverage, 0, "conversations with several reviewers", styles),
                ],
            )
        ]
    rows = [
        [c.name, figure_cell(c.agreement, "pairs", styles), f"{c.units:,}", number(c.alpha, 2)]
        for c in a.categories
    ]
    items = [
        ("Conversations compared", f"{a.conversations:,}", "reviewed by two or more reviewers"),
        ("Spread of overall scores", stat(a.spread), f"points, n = {a.spread.n:,} conversations"),
    ]
    return [
        section(
            title,
            styles,
            [
                key_figures(items, styles),
                caption(
                    f.coverage,
                    a.conversations,
                    "conversations",
                    styles,
                    "agreement = exact same rating; α = Krippendorff's alpha, ordinal",
                ),
            ],
        ),  # fmt: skip
        table(
            ["Category", "Exact agreement (95%)", "Conversations", "Krippendorff's α"],
            rows,
            ["40%", "26%", "14%", "20%"],
            styles,
            right=(2, 3),
        ),
    ]
