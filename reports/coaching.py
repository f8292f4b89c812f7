"""The coaching review for one agent and period: figures in, flowables out (no I/O).

It leads with the agent beside their team and everyone (quality score next to save rate, saved
and lost MRR, each with n and 95% interval), then quality over time and per category against
the team, which behaviours keep the team's customers, two conversations to teach from, every
review, the saves and losses, and the coaching notes.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Table

from reports import charts
from reports.blocks import (
    caption,
    esc,
    figure_cell,
    figure_note,
    gap,
    key_figures,
    money,
    no_data,
    number,
    quote,
    section,
    table,
    value,
)
from reports.figure_tables import behaviours_table, beside_table, service_table
from reports.styles import INK, Paragraph, Styles
from review.figures.coaching_review import (
    CoachingReview,
    ExampleConversation,
    NoteRow,
    ReviewRow,
)
from review.figures.wording import few_note

TITLE = "Coaching review"
CELL_LIMIT = 400  # characters of a comment shown in a table cell; the rest is cut with "…"


def build_story(figures: CoachingReview, styles: Styles) -> list[Flowable]:
    """The report body after the cover block, section by section."""
    return [
        *_summary(figures, styles),
        *_trend(figures, styles),
        *_categories(figures, styles),
        *_behaviours(figures, styles),
        *_service(figures, styles),
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


def _summary(f: CoachingReview, styles: Styles) -> list[Flowable]:
    c = f.comparison
    mine = c.mine
    team = c.rows[1] if len(c.rows) == 3 else None
    diff = "no data"
    if team is not None and mine.quality.value is not None and team.quality.value is not None:
        diff = f"{mine.quality.value - team.quality.value:+.1f} points"
    items = [
        (
            f"Quality score, {f.agent}",
            value(mine.quality),
            figure_note(mine.quality, "scored reviews"),
        ),
        ("Against the team", diff, "agent minus team"),
        ("Next follow-up", f.follow_up or "none set", "from the coaching notes"),
    ]
    note = (
        f"money {f.coverage.rates}; the team is the conversations of {c.agent.team_name or 'no team'}; "
        f"all agents = everyone in these filters; {few_note()}"
    )
    if mine.quality.note:
        note += f"; {mine.quality.note}"
    return [
        section(
            "Summary",
            styles,
            [
                key_figures(items, styles),
                gap(1),
                beside_table(c.rows, "", styles),
                caption(f.coverage, mine.quality.n, "scored reviews of the agent", styles, note),
            ],
        )
    ]


def _trend(f: CoachingReview, styles: Styles) -> list[Flowable]:
    trend = f.comparison.trend
    n = sum(p.figure.n for p in trend)
    title = f"Quality score over time, by {f.comparison.trend_period}"
    if not any(p.figure.value is not None for p in trend):
        return [section(title, styles, [no_data(styles), caption(f.coverage, n, "scored reviews",
                                                                 styles)])]  # fmt: skip
    team = {g.label: g.figure for g in f.comparison.team_trend}
    drawing = charts.trend_bars([(p.label, p.figure.value) for p in trend], styles.font)
    rows = [
        [p.label, figure_cell(p.figure, "reviews", styles),
         figure_cell(team[p.label], "reviews", styles) if p.label in team else "no data"]
        for p in trend
    ]  # fmt: skip
    return [
        section(title, styles, [drawing]),
        table(
            ["Period", "Agent (95% interval)", "Team (95% interval)"],
            rows,
            ["30%", "35%", "35%"],
            styles,
        ),  # fmt: skip
        caption(f.coverage, n, "scored reviews", styles),
    ]


def _categories(f: CoachingReview, styles: Styles) -> list[Flowable]:
    categories = f.comparison.categories
    n = max((c.agent.n for c in categories), default=0)
    title = "Score by category against the team"
    if not any(c.agent.value is not None for c in categories):
        return [section(title, styles, [no_data(styles), caption(f.coverage, 0, "ratings",
                                                                 styles)])]  # fmt: skip
    drawing = charts.score_bars(
        [(c.category, c.agent.value, c.team.value) for c in categories],
        (f.agent, "team"),
        styles.font,
    )
    rows = [
        [
            c.category,
            figure_cell(c.agent, "ratings", styles),
            figure_cell(c.team, "ratings", styles),
        ]
        for c in categories
    ]
    return [
        section(title, styles, [drawing]),
        table(
            ["Category", "Agent (95% interval)", "Team (95% interval)"],
            rows,
            ["40%", "30%", "30%"],
            styles,
        ),  # fmt: skip
        caption(
            f.coverage,
            n,
            "ratings at most per category",
            styles,
            "category score = mean of (rating − min) / (max − min) × 100; N/A left out",
        ),
    ]


def _behaviours(f: CoachingReview, styles: Styles) -> list[Flowable]:
    c = f.comparison
    title = f"Which behaviours keep customers ({c.behaviours_of})"
    if not c.behaviours:
        return [
            section(title, styles, [no_data(styles, "no reviewed conversation was saved or lost")])
        ]
    n = sum(k.saved.n + k.lost.n for k in c.behaviours)
    return [
        section(title, styles, [Paragraph(
            "Per category, the mean rating where the customer was saved against where they "
            "were lost: the behaviours to coach for.", styles.body)]),
        behaviours_table(c.behaviours, styles),
        caption(f.coverage, n, "ratings", styles, "lost = a loss (not Not a fit) or a failed save"),
    ]  # fmt: skip


def _service(f: CoachingReview, styles: Styles) -> list[Flowable]:
    o = f.service
    return [
        section(
            "Service against the usual targets",
            styles,
            [
                service_table(o, styles),
                caption(
                    f.coverage,
                    o.conversations,
                    "conversations assigned to the agent",
                    styles,
                    "targets from DOMAIN.md",
                ),
            ],
        )  # fmt: skip
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


def _reviews(f: CoachingReview, styles: Styles) -> list[Flowable]:
    if not f.reviews:
        return [
            section(
                "Reviewed conversations",
                styles,
                [no_data(styles), caption(f.coverage, 0, "reviews", styles)],
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
            "Reviewed conversations",
            styles,
            [caption(f.coverage, len(f.reviews), "reviews", styles)],
        ),
        body,
    ]


def _examples(f: CoachingReview, styles: Styles) -> list[Flowable]:
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


def _outcomes(f: CoachingReview, styles: Styles) -> list[Flowable]:
    if not f.outcomes:
        return [
            section(
                "Saves and losses",
                styles,
                [no_data(styles), caption(f.coverage, 0, "saves and losses", styles)],
            )
        ]
    rows = [
        [o.kind, o.conversation, o.on, money(o.cents, o.currency), o.detail, _cut(o.words, 300)]
        for o in f.outcomes
    ]
    kinds = {
        k: sum(1 for o in f.outcomes if o.kind == k) for k in ("save", "loss", "right outcome")
    }
    body = table(
        ["", "Conversation", "Date", "MRR", "How / why", "Story or customer's words"],
        rows,
        ["9%", "19%", "11%", "14%", "18%", "29%"],
        styles,
        right=(3,),
    )
    return [
        section(
            "Saves and losses",
            styles,
            [
                caption(
                    f.coverage,
                    len(f.outcomes),
                    "saves and losses",
                    styles,
                    f"{kinds['save']} saves, {kinds['loss']} losses, "
                    f"{kinds['right outcome']} right outcomes (Not a fit); each in its own currency",
                )
            ],
        ),
        body,
    ]


def _notes(f: CoachingReview, styles: Styles) -> list[Flowable]:
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


def _signatures(f: CoachingReview, styles: Styles) -> list[Flowable]:
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
