"""The saved-recurring-revenue report for managers: figures in, flowables out (no I/O)."""

from __future__ import annotations

from collections import defaultdict

from reportlab.platypus import Flowable, KeepTogether

from reports import charts
from reports.blocks import (
    caption,
    esc,
    gap,
    key_figures,
    money,
    no_data,
    quote,
    section,
    stat_text,
    table,
)
from reports.styles import Paragraph, Styles
from review.figures.report_figures import MoneyRow, SavedRevenueFigures, SaveStory

TITLE = "Saved recurring revenue"


def build_story(figures: SavedRevenueFigures, styles: Styles) -> list[Flowable]:
    """The report body after the cover block, section by section."""
    return [
        *_totals(figures, styles),
        *_rates(figures, styles),
        *_by_label(figures, figures.by_agent, "Saves by agent", "agent", styles),
        *_by_label(figures, figures.by_method, "Saves by method", "method", styles),
        *_weekly(figures, styles),
        *_losses(figures, styles),
        *_customers(figures, styles),
        *_stories(figures, styles),
    ]


def _totals(f: SavedRevenueFigures, styles: Styles) -> list[Flowable]:
    n = sum(t.all_n for t in f.saved)
    if not f.saved:
        body: list[Flowable] = [no_data(styles, "no saves in this period")]
    else:
        rows = [
            [
                t.currency,
                money(t.confirmed_cents, t.currency),
                money(12 * t.confirmed_cents, t.currency),
                money(t.pending_cents, t.currency),
                money(12 * t.pending_cents, t.currency),
                f"{t.confirmed_n:,} / {t.pending_n:,}",
            ]
            for t in f.saved
        ]
        body = [
            table(
                [
                    "Currency",
                    "Confirmed MRR",
                    "Confirmed ARR",
                    "Pending MRR",
                    "Pending ARR",
                    "Saves conf. / pend.",
                ],
                rows,
                ["11%", "17%", "19%", "17%", "19%", "17%"],
                styles,
                right=(1, 2, 3, 4, 5),
            )
        ]
    return [
        section(
            "Saved MRR and ARR",
            styles,
            [*body, caption(f.header, n, "saves", styles, "ARR = 12 × MRR; failed saves left out")],
        ),
    ]


def _rates(f: SavedRevenueFigures, styles: Styles) -> list[Flowable]:
    items = [
        (
            "Save rate",
            stat_text(f.save_rate),
            f"n = {f.save_rate.n:,} saves and losses tagged",
        ),
        (
            "Churn-intent conversations",
            stat_text(f.churn_intent),
            f"n = {f.churn_intent.n:,} conversations",
        ),
        (
            "Losses marked preventable",
            stat_text(f.preventable),
            f"n = {f.preventable.n:,} judged losses",
        ),
    ]
    return [
        section(
            "Save rate and churn intent",
            styles,
            [
                key_figures(items, styles),
                caption(
                    f.header,
                    f.conversations,
                    "conversations",
                    styles,
                    "save rate = saves kept / (saves + losses); a failed save counts as not kept",
                ),
            ],
        )
    ]


def _by_label(
    f: SavedRevenueFigures, rows: tuple[MoneyRow, ...], title: str, what: str, styles: Styles
) -> list[Flowable]:
    n = sum(r.n for r in rows)
    if not rows:
        return [section(title, styles, [no_data(styles), caption(f.header, 0, "saves", styles)])]
    body = table(
        [what.capitalize(), "Saves", "Saved MRR", "Saved ARR"],
        [
            [r.label, f"{r.n:,}", money(r.cents, r.currency), money(12 * r.cents, r.currency)]
            for r in rows
        ],
        ["43%", "13%", "22%", "22%"],
        styles,
        right=(1, 2, 3),
    )
    return [
        section(title, styles, [body]),
        caption(f.header, n, "saves", styles, "confirmed and pending"),
    ]


def _weekly(f: SavedRevenueFigures, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = []
    by_currency: dict[str, list[MoneyRow]] = defaultdict(list)
    for row in f.by_week:
        by_currency[row.currency].append(row)
    if not by_currency:
        return [
            section(
                "Saved MRR by week",
                styles,
                [no_data(styles), caption(f.header, 0, "saves", styles)],
            )
        ]
    for i, (currency, rows) in enumerate(by_currency.items()):
        drawing = charts.weekly_bars(
            [(r.label, r.cents / 100) for r in rows], currency, styles.font
        )
        cap = caption(
            f.header,
            sum(r.n for r in rows),
            f"saves in {currency}",
            styles,
            "weeks start on Monday",
        )
        block = [drawing, cap]
        story.append(section("Saved MRR by week", styles, block) if i == 0 else KeepTogether(block))
    return story


def _losses(f: SavedRevenueFigures, styles: Styles) -> list[Flowable]:
    if not f.lost_by_reason:
        return [
            section(
                "Lost MRR by reason",
                styles,
                [no_data(styles, "no losses tagged"), caption(f.header, 0, "losses", styles)],
            )
        ]
    story: list[Flowable] = []
    by_currency: dict[str, list[MoneyRow]] = defaultdict(list)
    for row in f.lost_by_reason:
        by_currency[row.currency].append(row)
    for i, (currency, rows) in enumerate(by_currency.items()):
        total = sum(r.cents for r in rows)
        drawing = charts.pareto([(r.label, r.cents / 100) for r in rows], currency, styles.font)
        running = 0
        table_rows = []
        for r in rows:
            running += r.cents
            table_rows.append(
                [
                    r.label,
                    f"{r.n:,}",
                    money(r.cents, currency),
                    f"{100 * r.cents / total:.1f}%" if total else "no data",
                    f"{100 * running / total:.1f}%" if total else "no data",
                ]
            )
        body = table(
            ["Reason", "Losses", "Lost MRR", "Share", "Cumulative"],
            table_rows,
            ["46%", "10%", "20%", "12%", "12%"],
            styles,
            right=(1, 2, 3, 4),
        )
        cap = caption(f.header, sum(r.n for r in rows), f"losses in {currency}", styles)
        head = [drawing, cap]
        story.append(section("Lost MRR by reason", styles, head) if i == 0 else KeepTogether(head))
        story += [body, gap(2)]
    return story


def _customers(f: SavedRevenueFigures, styles: Styles) -> list[Flowable]:
    rows = [
        ["Customer retention rate (CRR)", stat_text(f.crr, 2), "(E − N) / S × 100"],
        ["Churn rate, simple", stat_text(f.churn_simple, 2), "lost / S × 100"],
        ["Churn rate, adjusted", stat_text(f.churn_adjusted, 2), "lost / ((S + E) / 2) × 100"],
    ]
    body = table(["Figure", "Value", "Definition"], rows, ["40%", "18%", "42%"], styles, right=(1,))
    note = "S, E = customers at the period's start and end, N = new"
    return [
        section(
            "Customer retention and churn",
            styles,
            [body, caption(f.header, f.crr.n, "customers at the start", styles, note)],
        )
    ]


def _stories(f: SavedRevenueFigures, styles: Styles) -> list[Flowable]:
    if not f.stories:
        return [section("Best save stories", styles, [no_data(styles, "no saves with a story")])]
    story: list[Flowable] = []
    for i, s in enumerate(f.stories):
        # A story stays on one page where it fits (KeepTogether splits it only when it cannot).
        block = _story(s, styles)
        story.append(section("Best save stories", styles, block) if i == 0 else KeepTogether(block))
        story.append(gap(3))
    return story


def _story(s: SaveStory, styles: Styles) -> list[Flowable]:
    title = f"{s.conversation.label} — {money(s.cents, s.currency)} MRR, {s.method}, {s.agent}"
    meta = (
        f"{s.status} · saved on {s.saved_on} · {s.conversation.channel} · "
        f"customer: {s.conversation.customer_name or 'unnamed'}"
    )
    out: list[Flowable] = [
        Paragraph(esc(title), styles.h2),
        Paragraph(esc(meta), styles.caption),
        Paragraph(esc(s.story) if s.story else "<i>no story written</i>", styles.body),
    ]
    for excerpt in s.conversation.excerpts:
        out += quote(excerpt, styles)
    return out
