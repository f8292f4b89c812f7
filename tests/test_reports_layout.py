"""The report layout on figures made by hand: structure, text, fonts, paper, masking, pages.

The database-to-PDF path is tested in test_reports_pdf.py; here the figures are fixed so each
assertion names an exact string.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph, Table

from reports import coaching, quality, saved_revenue
from reports.blocks import money, stat
from reports.document import render_pdf
from reports.masking import mask_figures, mask_text
from reports.styles import make_styles
from review.errors import InvalidInput
from review.figures.agent_comparison import AgentComparison, CategoryScore
from review.figures.agents import AgentInfo
from review.figures.agreement import Agreement, CategoryAgreement, RatingGrid
from review.figures.auto_quality import AutoQuality
from review.figures.coaching_review import (
    ActionRow,
    CoachingReview,
    ExampleConversation,
    NoteRow,
    OutcomeRow,
    RatingRow,
    ReviewRow,
)
from review.figures.coverage import Coverage
from review.figures.customers import ContactRetention
from review.figures.excerpts import ConversationRef, Excerpt
from review.figures.lost import LostTotals, ReasonFigure
from review.figures.outcomes import CategoryOutcome, RetentionRow
from review.figures.overview import Overview
from review.figures.responsiveness import ResponseTimes
from review.figures.saved import AgentSaves, SavedTotals, WeekSaves
from review.figures.saved_revenue import SavedRevenue, SaveStory
from review.figures.team_quality import TeamQuality
from review.figures.values import Figure, GroupFigure, mean_figure, no_data, rate_figure

ZH_HANS = "我想取消订阅，价格太贵了。"
ZH_HANT = "請問可以退款嗎？我們的團隊不再需要這個服務。"
RU = "Здравствуйте! Хочу отменить подписку, слишком дорого."
BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


def coverage(subject: str | None = None) -> Coverage:
    return Coverage(
        "2024-05-01 to 2024-05-31", "created 2024-05-01 to 2024-05-31", "Support 客服",
        "in EUR at 1 CNY = 0.13 EUR", "2024-06-02", subject=subject,
    )  # fmt: skip


def conversation(cid: int = 1) -> ConversationRef:
    return ConversationRef(
        cid, f"#{cid} · Cancel", "email", "2024-05-03T10:00:00Z", "王小明", "wang@example.cn",
        "+86 138 1234 5678",
        (
            Excerpt("customer", "王小明", "2024-05-03T10:00:00Z",
                    f"{ZH_HANS} 王小明, wang@example.cn, +86 138 1234 5678"),
            Excerpt("customer", "王小明", "2024-05-03T10:02:00Z", ZH_HANT),
            Excerpt("agent", "Анна", "2024-05-03T10:05:00Z", RU),
        ),
    )  # fmt: skip


def eur(value: float | None, n: int, parts: dict | None = None) -> Figure:
    if not n:
        return Figure(None, 0, "EUR")
    return Figure(value, n, "EUR", parts=parts or {"EUR": value})


def empty_overview() -> Overview:
    none = Figure(None, 0, "EUR")
    rate, score = no_data("%", sampled=True), no_data("score", sampled=True)
    row = RetentionRow(None, "All agents", score, rate, none, none, 0)
    return Overview(
        coverage(), 0, SavedTotals(none, none, none, none, none, none),
        LostTotals(none, none, none, none, rate), none, rate, score, (), AutoQuality(score, score), rate,
        no_data("nps", sampled=True), rate, rate, ResponseTimes(no_data("s"), no_data("s")),
        ResponseTimes(no_data("s"), no_data("s")), no_data("%"), no_data("%"), no_data("%"),
        ContactRetention(rate, rate), (), None, (), (), (), row, (),
    )  # fmt: skip


def overview() -> Overview:
    saved = eur(1364.86, 5, {"CNY": 999.0, "EUR": 1234.56})
    lost = eur(310.0, 4)
    quality = mean_figure(8, 81.25, 81.25**2 + 16)
    rate = rate_figure(6, 10)
    everyone = RetentionRow(None, "All agents", quality, rate, saved, lost, 1)
    anna = RetentionRow(1, "Анна Петрова", quality, rate_figure(4, 6), eur(1234.56, 4), lost, 1)
    return replace(
        empty_overview(),
        conversations=120,
        saved=SavedTotals(saved, eur(16378.32, 5), eur(1234.56, 3), eur(14814.72, 3),
                          eur(130.30, 2), eur(1563.60, 2)),
        lost=LostTotals(lost, eur(3720.0, 4), eur(300.0, 3), eur(25.0, 1), rate_figure(2, 4)),
        net_mrr=Figure(1054.86, 9, "EUR"),
        save_rate=rate,
        quality=quality,
        csat=rate_figure(17, 20),
        nps=Figure(30.0, 20, "nps", 10.0, 50.0, sampled=True),
        fcr=rate_figure(30, 40),
        resolution_rate=rate_figure(110, 120),
        first_response=ResponseTimes(Figure(5121.5, 100, "s"), Figure(29941.4, 100, "s")),
        first_reply_chat=ResponseTimes(Figure(125.0, 30, "s"), Figure(600.0, 30, "s")),
        crr=Figure(96.0, 500, "%"),
        churn_rate=Figure(5.0, 500, "%"),
        churn_rate_adjusted=Figure(4.63, 500, "%"),
        contacts=ContactRetention(rate_figure(76, 100), rate_figure(81, 100)),
        weeks=(WeekSaves("2024-04-29", eur(49.0, 1), eur(None, 0)),
               WeekSaves("2024-05-06", eur(1235.55, 3), eur(80.31, 1))),
        reasons=(ReasonFigure(1, "Price", None, eur(300.0, 3)),
                 ReasonFigure(2, "Other", None, eur(10.0, 1)),
                 ReasonFigure(3, "Not a fit (the wrong tool)", None, eur(25.0, 1), True)),
        agents=(anna,),
        teams=(replace(anna, key="Support 客服", label="Support 客服"),),
        everyone=everyone,
        categories=(CategoryOutcome("Tone and personal touch", mean_figure(5, 90.0, 8200.0),
                                    mean_figure(4, 50.0, 2600.0)),),
    )  # fmt: skip


def saved_figures(empty: bool = False) -> SavedRevenue:
    if empty:
        return SavedRevenue(empty_overview(), (), (), rate_figure(0, 0), ())
    story = SaveStory(conversation(), "Анна Петрова", "CNY", 99900, eur(129.87, 1),
                      "Discount or credit", "confirmed", "2024-05-03",
                      "Offered 20% off for a year.")  # fmt: skip
    return SavedRevenue(
        overview(),
        (AgentSaves(1, "Анна Петрова", eur(1234.56, 4), 3, 1),
         AgentSaves(2, "李娜", eur(129.87, 1, {"CNY": 999.0}), 1, 0)),
        (GroupFigure("discount", "Discount or credit", eur(1364.43, 5)),),
        rate_figure(14, 120),
        (story,),
    )  # fmt: skip


def review_row(i: int) -> ReviewRow:
    ratings = (RatingRow("Tone and personal touch", "4/5", "Тон хороший"),
               RatingRow("Curiosity", "N/A", ""))  # fmt: skip
    return ReviewRow(i, conversation(i), "lead", f"2024-05-{i % 28 + 1:02d}", 75.0 + i % 10,
                     False, ratings, "很好")  # fmt: skip


def coaching_figures(reviews: int = 3) -> CoachingReview:
    rows = tuple(review_row(i) for i in range(1, reviews + 1))
    o = overview()
    mine = replace(o.agents[0], quality=mean_figure(reviews, 82.5, 82.5**2 + 9))
    team = replace(o.everyone, key="Support 客服", label="Team Support 客服")
    comparison = AgentComparison(
        AgentInfo(1, "Анна Петрова", "Support 客服", (1,)),
        (mine, team, o.everyone),
        "week",
        (GroupFigure("2024-W18", "2024-W18", mean_figure(2, 80.0, 6404.0)),
         GroupFigure("2024-W19", "2024-W19", no_data("score", sampled=True))),
        (GroupFigure("2024-W18", "2024-W18", mean_figure(20, 78.0, 6100.0)),),
        (CategoryScore("Tone and personal touch", mean_figure(3, 75.0, 5700.0),
                       mean_figure(40, 70.0, 5000.0)),),
        o.categories,
        "Team Support 客服",
    )  # fmt: skip
    return CoachingReview(
        coverage=coverage("Анна Петрова"),
        comparison=comparison,
        service=o,
        reviews=rows,
        examples=(ExampleConversation("best", "highest score", rows[0]),),
        outcomes=(OutcomeRow("save", "#1", "2024-05-03", "EUR", 4900, "discount", "story"),),
        notes=(
            NoteRow(
                "2024-05-10",
                "coach",
                "Ask one more question.",
                "2024-06-01",
                (ActionRow("Shadow a chat", "2024-05-20", "overdue"),),
            ),
        ),  # fmt: skip
        follow_up="2024-06-01",
    )


def quality_figures() -> TeamQuality:
    agreement = Agreement(
        2, ("coach", "lead"),
        (CategoryAgreement("tone", "Tone and personal touch", "1-5", rate_figure(1, 2), None, 2),),
        (), Figure(12.5, 2, "points"), RatingGrid((), []),
    )  # fmt: skip
    return TeamQuality(
        overview(),
        (GroupFigure("Tone and personal touch", "Tone and personal touch",
                     mean_figure(8, 70.0, 5000.0)),),
        (GroupFigure("email", "email", mean_figure(8, 81.25, 6617.0)),
         GroupFigure("chat", "chat", no_data("score", sampled=True))),
        9,
        agreement,
    )  # fmt: skip


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts_of(path: Path) -> list[tuple[str, bool]]:
    """(BaseFont, embedded) of every font on every page."""
    found = []
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]).lstrip("/"), embedded))
    return found


def texts(story) -> list[str]:
    """Text of every paragraph in a story, tables included."""
    out = []

    def walk(item):
        if isinstance(item, Paragraph):
            out.append(item.getPlainText())
        elif isinstance(item, Table):
            for row in item._cellvalues:
                for cell in row:
                    walk(cell)
        elif isinstance(item, list | tuple):
            for sub in item:
                walk(sub)
        elif hasattr(item, "_content"):
            walk(item._content)

    walk(story)
    return out


def test_characters_the_font_lacks_are_written_out_not_left_blank():
    from reports.fonts import printable

    assert printable("9 900 ₽ 🙂") == "9 900 RUB ?"
    assert printable(ZH_HANT + RU) == ZH_HANT + RU


def test_money_is_exact_and_no_data_is_not_zero():
    assert money(123456, "EUR") == "1,234.56 EUR"
    assert money(5, "USD") == "0.05 USD"
    assert money(-199, "CNY") == "-1.99 CNY"
    assert stat(Figure(None, 0)) == "no data"
    assert stat(Figure(0.0, 3, "%")) == "0.0%"
    assert stat(rate_figure(3, 4)) == "75.0% (95% 30.1–95.4%, few)"


@pytest.mark.parametrize(
    "module, figures, headings",
    [
        (saved_revenue, saved_figures, ["Headline", "Saves by agent", "Saved MRR by week",
                                        "Lost MRR by reason", "Right outcomes, apart",
                                        "Save rate and customers", "Best save stories"]),
        (coaching, coaching_figures, ["Summary", "Quality score over time, by week",
                                      "Score by category against the team",
                                      "Which behaviours keep customers (Team Support 客服)",
                                      "Service against the usual targets",
                                      "Reviewed conversations", "Example conversations",
                                      "Saves and losses", "Coaching notes and action items"]),
        (quality, quality_figures, ["Overall", "Service against the usual targets",
                                    "Quality beside retention, by team",
                                    "Quality beside retention, by agent", "By category",
                                    "Which behaviours keep customers", "By channel",
                                    "Calibration: agreement between reviewers"]),
    ],
)  # fmt: skip
def test_story_has_every_section(module, figures, headings):
    story = module.build_story(figures(), make_styles())
    found = texts(story)
    for heading in headings:
        assert heading in found
    tables = [t for t in _flat(story) if isinstance(t, Table) and t.repeatRows]
    assert tables and all(t.repeatRows == 1 for t in tables)


def _flat(story):
    for item in story:
        if hasattr(item, "_content"):
            yield from _flat(item._content)
        else:
            yield item


def test_saved_revenue_pdf_states_figures_to_the_cent(tmp_path):
    path = tmp_path / "saved.pdf"
    pages = render_pdf(saved_revenue.TITLE, saved_revenue.build_story, saved_figures(), path, "a4")
    text = pdf_text(path)
    assert pages == len(PdfReader(path).pages)
    first = PdfReader(path).pages[0].extract_text()
    for expected in ("1,364.86 EUR", "16,378.32 EUR", "1,234.56 EUR", "14,814.72 EUR",
                     "310.00 EUR", "1,054.86 EUR", "60.0%", "95% 31.3–83.2%", "n = 5 saves",
                     "n = 4 losses", "in EUR at 1 CNY = 0.13 EUR", "Support 客服",
                     "2024-05-01 to 2024-05-31", f"page 1 of {pages}"):  # fmt: skip
        assert expected in first, expected
    for expected in ("999.00 CNY", "96.0%", "4.6%", "Not a fit (the wrong tool)", "25.00 EUR"):
        assert expected in text, expected
    flat = squeeze(text)
    for excerpt in (ZH_HANS, ZH_HANT, RU):
        assert squeeze(excerpt) in flat


def test_empty_figures_say_no_data_never_zero(tmp_path):
    path = tmp_path / "empty.pdf"
    render_pdf(saved_revenue.TITLE, saved_revenue.build_story, saved_figures(empty=True), path,
               "letter")  # fmt: skip
    text = pdf_text(path)
    assert text.count("no data") >= 10
    assert "0.00 EUR" not in text and "0.0%" not in text


@pytest.mark.parametrize("paper, size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_every_font_is_embedded_on_both_papers(tmp_path, paper, size):
    for module, figures in ((saved_revenue, saved_figures), (coaching, coaching_figures),
                            (quality, quality_figures)):  # fmt: skip
        path = tmp_path / f"{module.__name__}.pdf"
        render_pdf(module.TITLE, module.build_story, figures(), path, paper)
        reader = PdfReader(path)
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size
        fonts = fonts_of(path)
        assert fonts, "no font found"
        assert all(embedded for _, embedded in fonts), fonts
        assert not {name.split("+")[-1] for name, _ in fonts} & BASE14


def test_unknown_paper_is_refused(tmp_path):
    with pytest.raises(InvalidInput):
        render_pdf(quality.TITLE, quality.build_story, quality_figures(), tmp_path / "x.pdf", "a3")


def test_long_table_repeats_its_header_on_every_page(tmp_path):
    path = tmp_path / "coaching.pdf"
    pages = render_pdf(coaching.TITLE, coaching.build_story, coaching_figures(reviews=120), path,
                       "a4")  # fmt: skip
    assert pages > 3
    reader = PdfReader(path)
    with_header = [
        i for i, page in enumerate(reader.pages) if "Ratings and comments" in page.extract_text()
    ]
    assert len(with_header) >= 3
    assert with_header == list(range(with_header[0], with_header[-1] + 1))
    assert "Тон хороший" in pdf_text(path)


def test_masking_hides_customer_details_but_keeps_the_rest(tmp_path):
    masked = mask_figures(saved_figures())
    assert masked.coverage.masked
    path = tmp_path / "masked.pdf"
    render_pdf(saved_revenue.TITLE, saved_revenue.build_story, masked, path, "a4")
    text = pdf_text(path)
    for secret in ("王小明", "wang@example.cn", "1234 5678"):
        assert secret not in text
    assert "[customer]" in text and "[e-mail]" in text and "[phone]" in text
    flat = squeeze(text)
    assert squeeze(ZH_HANT) in flat and squeeze(RU) in flat
    assert "masked" in text


def test_mask_text_in_three_scripts():
    assert mask_text("Hi Anna, mail anna@example.com, call +7 (912) 345-67-89", ["Anna Petrova"]) \
        == "Hi [customer], mail [e-mail], call [phone]"  # fmt: skip
    assert mask_text("王先生您好，请拨打13812345678", ["王小明"]) == "[customer]您好，请拨打[phone]"
    assert mask_text("Анна Петрова: 8 800 555 35 35", ["Анна Петрова"]) == "[customer]: [phone]"
    # Dates, prices and words that merely contain the name stay.
    assert (
        mask_text("Annual plan 49.00 on 2024-05-01", ["Ann"]) == "Annual plan 49.00 on 2024-05-01"
    )


def test_cancelled_build_leaves_no_file(tmp_path):
    path = tmp_path / "cancelled.pdf"
    seen = []

    def stop(done: int, total: int) -> None:
        seen.append((done, total))
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_pdf(coaching.TITLE, coaching.build_story, coaching_figures(reviews=30), path, "a4",
                   on_progress=stop)  # fmt: skip
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
    assert seen[0][1] > 3


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_first_page_renders_to_a_picture_that_is_not_blank(tmp_path):
    from PIL import Image

    path = tmp_path / "quality.pdf"
    render_pdf(quality.TITLE, quality.build_story, quality_figures(), path, "a4")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    inked = sum(image.histogram()[:200])
    assert inked > 0.01 * image.width * image.height
