"""The saved-recurring-revenue report a manager forwards: figures in, flowables out (no I/O).

Page 1 leads with the headline in the base currency (saved MRR and ARR, confirmed and pending,
lost MRR, net, save rate, quality score), each with its n, under the cover block that names the
period, filters and exchange rates. Then saves by agent (one row each, the currencies behind
it as a breakdown), saved MRR by week, one Pareto of lost MRR by reason with the right outcomes
apart, customers (retention, churn against the usual 5%, contacts against non-contacts), and
the best save stories, several to a page.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

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
    quote,
    section,
    table,
    value,
)
from reports.styles import Paragraph, Styles
from review.figures.outcomes import EVERYONE
from review.figures.saved_revenue import SavedRevenue, SaveStory
from review.figures.targets import judge
from review.figures.values import Figure
from review.figures.wording import few_note, n_text

TITLE = "Saved recurring revenue"
STORY_CHARACTERS = 420  # a story longer than this is cut with an ellipsis
QUOTE_CHARACTERS = 260


def build_story(figures: SavedRevenue, styles: Styles) -> list[Flowable]:
    """The report body after the cover block, section by section."""
    return [
        *_headline(figures, styles),
        *_by_agent(figures, styles),
        *_weekly(figures, styles),
        *_losses(figures, styles),
        *_customers(figures, styles),
        *_stories(figures, styles),
    ]


def _arr(figure: Figure) -> str:
    if figure.value is None:
        return value(figure)
    return value(Figure(round(12 * figure.value, 2), figure.n, figure.unit))


def _headline(f: SavedRevenue, styles: Styles) -> list[Flowable]:
    o = f.overview
    c = o.coverage
    items = [
        ("Saved MRR, confirmed + pending", value(o.saved.mrr), n_text(o.saved.mrr, "saves")),
        ("Lost MRR", value(o.lost.mrr), n_text(o.lost.mrr, "losses; Not a fit left out")),
        ("Net MRR (saved − lost)", value(o.net_mrr), n_text(o.net_mrr, "saves and losses")),
    ]
    second = [
        ("Save rate", value(o.save_rate), figure_note(o.save_rate, "saves and losses")),
        ("Quality score (0–100)", value(o.quality), figure_note(o.quality, "scored reviews")),
        ("Churn intent", value(f.churn_intent), figure_note(f.churn_intent, "conversations")),
    ]
    rows = [
        ["Saved, confirmed", value(o.saved.confirmed_mrr), _arr(o.saved.confirmed_mrr),
         f"{o.saved.confirmed_mrr.n:,}"],
        ["Saved, pending", value(o.saved.pending_mrr), _arr(o.saved.pending_mrr),
         f"{o.saved.pending_mrr.n:,}"],
        ["Saved, confirmed + pending", value(o.saved.mrr), _arr(o.saved.mrr), f"{o.saved.mrr.n:,}"],
        ["Lost", value(o.lost.mrr), _arr(o.lost.mrr), f"{o.lost.mrr.n:,}"],
        ["  of which judged preventable", value(o.lost.preventable_mrr),
         _arr(o.lost.preventable_mrr), f"{o.lost.preventable_mrr.n:,}"],
        ["Net (saved − lost)", value(o.net_mrr), _arr(o.net_mrr), f"{o.net_mrr.n:,}"],
        ["Right outcomes (Not a fit), apart", value(o.lost.right_outcomes),
         _arr(o.lost.right_outcomes), f"{o.lost.right_outcomes.n:,}"],
    ]  # fmt: skip
    note = (
        f"money {c.rates}; ARR = 12 × MRR; failed saves left out; save rate = saves kept / "
        "(saves + losses), right outcomes left out; " + few_note()
    )
    if o.quality.note:
        note += f"; {o.quality.note}"
    return [
        section(
            "Headline",
            styles,
            [
                key_figures(items, styles),
                gap(1),
                key_figures(second, styles),
                table(
                    ["", "MRR", "ARR", "n"],
                    rows,
                    ["40%", "24%", "24%", "12%"],
                    styles,
                    right=(1, 2, 3),
                ),  # fmt: skip
                caption(c, o.conversations, "conversations", styles, note),
            ],
        )
    ]


def _breakdown(parts: dict[str, float] | None, base: str) -> str:
    if not parts or list(parts) == [base]:
        return ""
    return "; ".join(f"{amount:,.2f} {currency}" for currency, amount in parts.items())


def _by_agent(f: SavedRevenue, styles: Styles) -> list[Flowable]:
    o = f.overview
    if not f.by_agent:
        return [section("Saves by agent", styles, [no_data(styles, "no saves"),
                                                   caption(o.coverage, 0, "saves", styles)])]  # fmt: skip
    base = o.saved.mrr.unit
    rows = [
        [a.name, f"{a.confirmed:,} / {a.pending:,}", value(a.mrr),
         value(Figure(a.arr, a.mrr.n, a.mrr.unit)), _breakdown(a.mrr.parts, base)]
        for a in f.by_agent
    ] + [[EVERYONE, f"{o.saved.confirmed_mrr.n:,} / {o.saved.pending_mrr.n:,}",
          value(o.saved.mrr), _arr(o.saved.mrr), _breakdown(o.saved.mrr.parts, base)]]  # fmt: skip
    body = table(
        ["Agent", "Saves conf. / pend.", "Saved MRR", "Saved ARR", "Currencies behind it"],
        rows,
        ["24%", "13%", "17%", "18%", "28%"],
        styles,
        right=(1, 2, 3),
    )
    return [
        section("Saves by agent", styles, [body]),
        caption(
            o.coverage, o.saved.mrr.n, "saves", styles, f"confirmed and pending; {o.coverage.rates}"
        ),
    ]


def _weekly(f: SavedRevenue, styles: Styles) -> list[Flowable]:
    o = f.overview
    weeks = [w for w in o.weeks]
    if not weeks:
        return [section("Saved MRR by week", styles, [no_data(styles),
                                                      caption(o.coverage, 0, "saves", styles)])]  # fmt: skip
    unit = o.week_currency or o.saved.mrr.unit
    drawing = charts.weekly_bars(
        [(w.week, w.confirmed.value or 0.0, w.pending.value or 0.0) for w in weeks],
        unit,
        styles.font,
    )
    extra = "weeks start on Monday"
    if o.week_currency:
        extra += f"; {o.week_currency} only (no exchange rate for the other currencies)"
    n = sum(w.n for w in weeks)
    return [
        section(
            "Saved MRR by week", styles, [drawing, caption(o.coverage, n, "saves", styles, extra)]
        )
    ]


def _losses(f: SavedRevenue, styles: Styles) -> list[Flowable]:
    o = f.overview
    losses = [r for r in o.losses if r.figure.value is not None]
    values = [float(r.figure.value or 0) for r in losses]  # none is None, after the filter
    story: list[Flowable] = []
    if not losses:
        story.append(section("Lost MRR by reason", styles, [no_data(styles, "no losses tagged"),
                                                            caption(o.coverage, 0, "losses", styles)]))  # fmt: skip
    else:
        total = sum(values)
        drawing = charts.pareto(
            [(r.short_name, v) for r, v in zip(losses, values, strict=True)],
            o.lost.mrr.unit,
            styles.font,
        )
        running = 0.0
        rows = []
        for r, v in zip(losses, values, strict=True):
            running += v
            rows.append([r.label, f"{r.figure.n:,}", value(r.figure),
                         f"{100 * v / total:.1f}%" if total else "no data",
                         f"{100 * running / total:.1f}%" if total else "no data"])  # fmt: skip
        body = table(["Reason", "Losses", "Lost MRR", "Share", "Cumulative"], rows,
                     ["46%", "10%", "20%", "12%", "12%"], styles, right=(1, 2, 3, 4))  # fmt: skip
        left_out = sum(r.figure.n for r in o.losses) - sum(r.figure.n for r in losses)
        extra = "largest first; line: cumulative share"
        if left_out:
            extra += f"; {left_out} losses in a currency without an exchange rate not drawn"
        story += [
            section("Lost MRR by reason", styles,
                    [drawing, caption(o.coverage, o.lost.mrr.n, "losses", styles, extra)]),
            body,
        ]  # fmt: skip
    right = o.right_outcomes
    rows = [[r.label, f"{r.figure.n:,}", value(r.figure)] for r in right]
    body = (
        table(["Reason", "Customers", "MRR"], rows, ["60%", "15%", "25%"], styles, right=(1, 2))
        if rows
        else no_data(styles, "no loss was the right outcome")
    )
    story.append(
        KeepTogether(
            [
                Paragraph("Right outcomes, apart", styles.h2),
                Paragraph(
                    esc(
                        "The product was the wrong tool, or the customer was abusive: telling "
                        "them so was right. Left out of lost MRR, the Pareto and the save rate."
                    ),
                    styles.body,
                ),  # fmt: skip
                body,
                caption(o.coverage, o.lost.right_outcomes.n, "right outcomes", styles),
            ]
        )
    )
    return story


def _customers(f: SavedRevenue, styles: Styles) -> list[Flowable]:
    o = f.overview
    rows = [
        ["Save rate", figure_cell(o.save_rate, "saves and losses", styles),
         "saves kept / (saves + losses); Not a fit left out"],
        ["Losses judged preventable", figure_cell(o.lost.preventable_share, "judged losses", styles),
         "of the losses judged either way"],
        ["Retention, customers who contacted support", figure_cell(o.contacts.contacted, "customers", styles),
         "paying at the start and still at the end"],
        ["Retention, customers who did not", figure_cell(o.contacts.not_contacted, "customers", styles),
         "from the billing list"],
        ["Customer retention rate (CRR)", figure_cell(o.crr, "customers at start", styles),
         "(E − N) / S × 100"],
        ["Churn rate", figure_cell(o.churn_rate, "customers at start", styles),
         "lost / S × 100; " + (judge("churn_rate", o.churn_rate) or "around 5% a month is typical")],
        ["Churn rate, adjusted", figure_cell(o.churn_rate_adjusted, "customers at start", styles),
         "lost / ((S + E) / 2) × 100"],
    ]  # fmt: skip
    body = table(["Figure", "Value (95% interval)", "Definition"], rows, ["38%", "27%", "35%"],
                 styles, right=(1,))  # fmt: skip
    note = (
        "S, E = customers at the period's start and end, N = new; retention from the billing list"
    )
    return [
        section(
            "Save rate and customers",
            styles,
            [body, caption(o.coverage, o.crr.n, "customers at the start", styles, note)],
        )
    ]


def _stories(f: SavedRevenue, styles: Styles) -> list[Flowable]:
    if not f.stories:
        return [section("Best save stories", styles, [no_data(styles, "no saves with a story")])]
    story: list[Flowable] = []
    for i, s in enumerate(f.stories):
        block = _story(s, styles)
        story.append(section("Best save stories", styles, block) if i == 0 else KeepTogether(block))
    return story


def _cut(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


def _story(s: SaveStory, styles: Styles) -> list[Flowable]:
    amount = money(s.cents, s.currency)
    if s.base.value is not None and s.base.unit != s.currency:
        amount += f" ({value(s.base)})"
    title = f"{s.conversation.label} — {amount} MRR, {s.agent}"
    meta = (
        f"{s.method} · {s.status} · saved on {s.saved_on} · {s.conversation.channel} · "
        f"customer: {s.conversation.customer_name or 'unnamed'}"
    )
    out: list[Flowable] = [
        Paragraph(f"<b>{esc(title)}</b>", styles.body),
        Paragraph(esc(meta), styles.caption),
        Paragraph(esc(_cut(s.story, STORY_CHARACTERS)), styles.body),
    ]
    for excerpt in s.conversation.excerpts:
        out += quote(excerpt, styles, limit=QUOTE_CHARACTERS)
    out.append(gap(2))
    return out
