"""The quality report by team and agent: figures in, flowables out (no I/O)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from reports import charts
from reports.blocks import caption, key_figures, no_data, number, section, stat_text, table
from reports.styles import Styles
from review.figures.report_figures import GroupScore, QualityFigures

TITLE = "Quality by team and agent"


def build_story(figures: QualityFigures, styles: Styles) -> list[Flowable]:
    """The report body after the cover block, section by section."""
    f = figures
    return [
        *_overall(f, styles),
        *_groups(f, f.by_team, "By team", "Team", styles, chart=True),
        *_agents(f, styles),
        *_groups(f, f.by_category, "By category", "Category", styles, chart=True),
        *_groups(f, f.by_channel, "By channel", "Channel", styles, chart=False),
        *_calibration(f, styles),
    ]


def _overall(f: QualityFigures, styles: Styles) -> list[Flowable]:
    reviewed_agents = sum(1 for a in f.by_agent if a.reviews)
    items = [
        ("Quality score", stat_text(f.overall), f"n = {f.overall.n:,} scored reviews"),
        ("Agents reviewed", f"{reviewed_agents:,}", f"of {len(f.by_agent):,} agents listed"),
        ("Reviews", f"{sum(a.reviews for a in f.by_agent):,}", "scored or not"),
    ]
    return [
        section(
            "Overall",
            styles,
            [
                key_figures(items, styles),
                caption(
                    f.header,
                    f.overall.n,
                    "scored reviews",
                    styles,
                    "quality score = mean of review scores (0–100); reviews with no score left out",
                ),
            ],
        )
    ]


def _groups(
    f: QualityFigures,
    groups: tuple[GroupScore, ...],
    title: str,
    what: str,
    styles: Styles,
    chart: bool,
) -> list[Flowable]:
    n = sum(g.score.n for g in groups)
    if not any(g.score.value is not None for g in groups):
        return [section(title, styles, [no_data(styles), caption(f.header, n, "scores", styles)])]
    rows = [[g.label, stat_text(g.score), f"{g.score.n:,}"] for g in groups]
    head: list[Flowable] = []
    if chart:
        head.append(
            charts.score_bars(
                [(g.label, g.score.value, f.overall.value) for g in groups],
                (title.lower().removeprefix("by "), "all"),
                styles.font,
            )
        )
    body = table([what, "Score", "n"], rows, ["60%", "20%", "20%"], styles, right=(1, 2))
    return [
        section(title, styles, [*head, caption(f.header, n, "scores", styles)]),
        body,
    ]


def _agents(f: QualityFigures, styles: Styles) -> list[Flowable]:
    if not f.by_agent:
        return [
            section("By agent", styles, [no_data(styles), caption(f.header, 0, "reviews", styles)])
        ]
    rows = [
        [a.label, a.group or "—", stat_text(a.score), f"{a.score.n:,}", f"{a.reviews:,}"]
        for a in f.by_agent
    ]
    return [
        section(
            "By agent, with reviews per agent",
            styles,
            [
                caption(
                    f.header,
                    sum(a.reviews for a in f.by_agent),
                    "reviews",
                    styles,
                    "n = scored reviews; reviews = all reviews of the agent",
                )
            ],
        ),
        table(
            ["Agent", "Team", "Score", "n", "Reviews"],
            rows,
            ["34%", "26%", "14%", "12%", "14%"],
            styles,
            right=(2, 3, 4),
        ),
    ]


def _calibration(f: QualityFigures, styles: Styles) -> list[Flowable]:
    title = "Calibration: agreement between reviewers"
    if not f.calibration or f.calibration_conversations == 0:
        return [
            section(
                title,
                styles,
                [
                    no_data(styles, "no conversation has been reviewed by more than one reviewer"),
                    caption(f.header, 0, "conversations with several reviewers", styles),
                ],
            )
        ]
    rows = [
        [r.category, stat_text(r.agreement), f"{r.agreement.n:,}", number(r.alpha, 2)]
        for r in f.calibration
    ]
    return [
        section(
            title,
            styles,
            [
                key_figures(
                    [
                        (
                            "Conversations compared",
                            f"{f.calibration_conversations:,}",
                            "reviewed by two or more reviewers",
                        ),
                        (
                            "Spread of overall scores",
                            stat_text(f.score_spread),
                            f"points, n = {f.score_spread.n:,} conversations",
                        ),
                    ],
                    styles,
                ),
                caption(
                    f.header,
                    f.calibration_conversations,
                    "conversations",
                    styles,
                    "agreement = exact same rating; α = Krippendorff's alpha, ordinal",
                ),
            ],
        ),
        table(
            ["Category", "Exact agreement", "n", "Krippendorff's α"],
            rows,
            ["46%", "20%", "14%", "20%"],
            styles,
            right=(1, 2, 3),
        ),
    ]
