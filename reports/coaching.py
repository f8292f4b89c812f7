"""The coaching review for one agent and period: figures in, flowables out (no I/O)."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Table

from reports import charts
from reports.blocks import (
    caption,
    esc,
    gap,
    key_figures,
    money,
    no_data,
    number,
    quote,
    section,
    stat_text,
    table,
)
from reports.styles import INK, Paragraph, Styles
from review.figures.report_figures import CoachingFigures, ExampleConversation, NoteRow, ReviewRow

TITLE = "Coaching review"
CELL_LIMIT = 400  # characters of a comment shown in a table cell; the rest is cut with "…"


def build_story(figures: CoachingFigures, styles: Styles) -> list[Flowable]:
    """The report body after the cover block, section by section."""
    return [
        *_summary(figures, styles),
        *_trend(figures, styles),
        *_categories(figures, styles),
        *_examples(figures, styles),
        *_reviews(figures, styles),
        *_outcomes(figures, styles),
        *_notes(figures, styles),
        *_signatures(figures, styles),
    ]


def _cut(text: str, limit: int = CELL_LIMIT) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


def _score(value: float | None) -> str:
    return number(value, 1)


def _summary(f: CoachingFigures, styles: Styles) -> list[Flowable]:
    diff = "no data"
    if f.score.value is not None and f.team_score.value is not None:
        diff = f"{f.score.value - f.team_score.value:+.1f} points"
    items = [
        (f"Quality score, {f.agent}", stat_text(f.score), f"n = {f.score.n:,} scored reviews"),
        ("Team quality score", stat_text(f.team_score), f"n = {f.team_score.n:,} scored reviews"),
        ("Against the team", diff, "agent minus team"),
        ("Next follow-up", f.follow_up or "none set", "from the coaching notes"),
    ]
    return [
        section(
            "Summary",
            styles,
            [
                key_figures(items, styles),
                caption(
                    f.header,
                    f.score.n,
                    "scored reviews of the agent",
                    styles,
                    "score 0–100 by the rubric's formula; a failed critical category scores 0",
                ),
            ],
        )
    ]


def _trend(f: CoachingFigures, styles: Styles) -> list[Flowable]:
    n = sum(p.score.n for p in f.trend)
    if not any(p.score.value is not None for p in f.trend):
        return [
            section(
                "Quality score over time",
                styles,
                [no_data(styles), caption(f.header, n, "scored reviews", styles)],
            )
        ]
    drawing = charts.trend_bars([(p.label, p.score.value) for p in f.trend], styles.font)
    rows = [[p.label, stat_text(p.score), f"{p.score.n:,}"] for p in f.trend]
    return [
        section("Quality score over time", styles, [drawing]),
        table(["Period", "Score", "Reviews"], rows, ["40%", "30%", "30%"], styles, right=(1, 2)),
        caption(f.header, n, "scored reviews", styles),
    ]


def _categories(f: CoachingFigures, styles: Styles) -> list[Flowable]:
    n = max((c.agent.n for c in f.categories), default=0)
    if not any(c.agent.value is not None for c in f.categories):
        return [
            section(
                "Score by category against the team",
                styles,
                [no_data(styles), caption(f.header, 0, "ratings", styles)],
            )
        ]
    drawing = charts.score_bars(
        [(c.category, c.agent.value, c.team.value) for c in f.categories],
        (f.agent, "team"),
        styles.font,
    )
    rows = [
        [c.category, stat_text(c.agent), f"{c.agent.n:,}", stat_text(c.team), f"{c.team.n:,}"]
        for c in f.categories
    ]
    return [
        section("Score by category against the team", styles, [drawing]),
        table(
            ["Category", "Agent", "n", "Team", "n"],
            rows,
            ["44%", "15%", "13%", "15%", "13%"],
            styles,
            right=(1, 2, 3, 4),
        ),
        caption(
            f.header,
            n,
            "ratings at most per category",
            styles,
            "category score = mean of (rating − min) / (max − min) × 100; N/A left out",
        ),
    ]


def _ratings_text(review: ReviewRow) -> str:
    """Ratings in one flowing line, then the comments each on a line: compact enough for an
    agent with thousands of reviews."""
    parts = []
    if review.overall_comment:
        parts.append(f"<i>{esc(_cut(review.overall_comment))}</i>")
    if review.ratings:
        parts.append(" · ".join(f"{esc(r.category)} {esc(r.rating)}" for r in review.ratings))
    parts += [
        f"{esc(r.category)}: {esc(_cut(r.comment, 200))}" for r in review.ratings if r.comment
    ]
    return "<br/>".join(parts) or "no ratings"


def _reviews(f: CoachingFigures, styles: Styles) -> list[Flowable]:
    if not f.reviews:
        return [
            section(
                "Reviewed conversations",
                styles,
                [no_data(styles), caption(f.header, 0, "reviews", styles)],
            )
        ]
    rows = []
    for r in f.reviews:
        score = _score(r.score) + ("\ncritical failed" if r.critical_failed else "")
        rows.append(
            [
                f"{r.conversation.label}\n{r.conversation.channel}",
                r.reviewed_on,
                r.reviewer,
                score,
                Paragraph(_ratings_text(r), styles.cell),
            ]
        )
    body = table(
        ["Conversation", "Reviewed", "Reviewer", "Score", "Ratings and comments"],
        rows,
        ["22%", "11%", "12%", "9%", "46%"],
        styles,
        right=(3,),
    )
    return [
        section(
            "Reviewed conversations", styles, [caption(f.header, len(f.reviews), "reviews", styles)]
        ),
        body,
    ]


def _examples(f: CoachingFigures, styles: Styles) -> list[Flowable]:
    if not f.examples:
        return [
            section("Example conversations", styles, [no_data(styles, "no reviewed conversations")])
        ]
    story: list[Flowable] = []
    for i, example in enumerate(f.examples):
        block = _example(example, styles)
        head = block[:2]
        story.append(
            section("Example conversations", styles, head) if i == 0 else KeepTogether(head)
        )
        story += block[2:]
        story.append(gap(2))
    return story


def _example(example: ExampleConversation, styles: Styles) -> list[Flowable]:
    r = example.review
    kind = "Best" if example.kind == "best" else "Most instructive"
    title = f"{kind}: {r.conversation.label} — score {_score(r.score)}"
    out: list[Flowable] = [
        Paragraph(esc(title), styles.h2),
        Paragraph(
            esc(
                f"{example.why} · reviewed by {r.reviewer} on {r.reviewed_on} · "
                f"{r.conversation.channel}"
            ),
            styles.caption,
        ),
    ]
    if r.overall_comment:
        out.append(Paragraph(f"<i>{esc(r.overall_comment)}</i>", styles.body))
    for excerpt in r.conversation.excerpts:
        out += quote(excerpt, styles)
    return out


def _outcomes(f: CoachingFigures, styles: Styles) -> list[Flowable]:
    if not f.outcomes:
        return [
            section(
                "Saves and losses",
                styles,
                [no_data(styles), caption(f.header, 0, "saves and losses", styles)],
            )
        ]
    rows = [
        [o.kind, o.conversation, o.on, money(o.cents, o.currency), o.detail, _cut(o.words, 300)]
        for o in f.outcomes
    ]
    saves = sum(1 for o in f.outcomes if o.kind == "save")
    body = table(
        ["", "Conversation", "Date", "MRR", "How / why", "Story or customer's words"],
        rows,
        ["7%", "20%", "11%", "14%", "18%", "30%"],
        styles,
        right=(3,),
    )
    return [
        section(
            "Saves and losses",
            styles,
            [
                caption(
                    f.header,
                    len(f.outcomes),
                    "saves and losses",
                    styles,
                    f"{saves} saves, {len(f.outcomes) - saves} losses",
                )
            ],
        ),
        body,
    ]


def _notes(f: CoachingFigures, styles: Styles) -> list[Flowable]:
    if not f.notes:
        return [
            section(
                "Coaching notes and action items",
                styles,
                [no_data(styles, "no coaching notes yet")],
            )
        ]
    story: list[Flowable] = []
    for i, note in enumerate(f.notes):
        block = _note(note, styles)
        story.append(
            section("Coaching notes and action items", styles, block[:2])
            if i == 0
            else KeepTogether(block[:2])
        )
        story += block[2:]
    return story


def _note(note: NoteRow, styles: Styles) -> list[Flowable]:
    follow = f" · follow-up {note.follow_up}" if note.follow_up else ""
    out: list[Flowable] = [
        Paragraph(esc(f"{note.written_on} · {note.author}{follow}"), styles.h2),
        Paragraph(esc(note.text), styles.body),
    ]
    if note.items:
        out.append(
            table(
                ["Action item", "Due", "Status"],
                [[a.text, a.due or "—", a.status] for a in note.items],
                ["64%", "18%", "18%"],
                styles,
            )
        )
    else:
        out.append(Paragraph("no action items", styles.caption))
    out.append(gap(2))
    return out


def _signatures(f: CoachingFigures, styles: Styles) -> list[Flowable]:
    rows = [
        [Paragraph("Coach", styles.big_label), "", Paragraph("Date", styles.big_label), ""],
        [
            Paragraph(esc(f"Agent: {f.agent}"), styles.big_label),
            "",
            Paragraph("Date", styles.big_label),
            "",
        ],
    ]
    sign = Table(rows, colWidths=["24%", "44%", "8%", "24%"], rowHeights=[30, 30], hAlign="LEFT")
    sign.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), styles.font),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (1, 0), (1, -1), 0.6, INK),
            ("LINEBELOW", (3, 0), (3, -1), 0.6, INK),
        ]
    )
    follow = f"Next follow-up: {f.follow_up}" if f.follow_up else "Next follow-up: to be agreed"
    return [
        KeepTogether([Paragraph("Agreed", styles.h1), Paragraph(esc(follow), styles.body), sign])
    ]
