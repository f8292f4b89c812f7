"""The report layout on figures made by hand: structure, text, fonts, paper, masking, pages.

The database-to-PDF path is tested in test_reports_pdf.py; here the figures are fixed so each
assertion names an exact string.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph, Table

from reports import coaching, quality, saved_revenue
from reports.blocks import money, stat_text
from reports.document import render_pdf
from reports.masking import mask_figures, mask_text
from reports.styles import make_styles
from review.errors import InvalidInput
from review.figures.report_figures import (
    ActionRow,
    AgreementRow,
    CategoryScore,
    CoachingFigures,
    ConversationRef,
    ExampleConversation,
    Excerpt,
    GroupScore,
    MoneyRow,
    NoteRow,
    OutcomeRow,
    PeriodScore,
    QualityFigures,
    RatingRow,
    ReportHeader,
    ReviewRow,
    SavedRevenueFigures,
    SavedTotal,
    SaveStory,
    Stat,
)

ZH_HANS = "我想取消订阅，价格太贵了。"
ZH_HANT = "請問可以退款嗎？我們的團隊不再需要這個服務。"
RU = "Здравствуйте! Хочу отменить подписку, слишком дорого."
BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


def header(title: str, subject: str | None = None) -> ReportHeader:
    return ReportHeader(
        title, "Support 客服", "2024-05-01 to 2024-05-31", "created 2024-05-01 to 2024-05-31",
        "2024-06-02", subject=subject,
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


def saved_figures(empty: bool = False) -> SavedRevenueFigures:
    if empty:
        return SavedRevenueFigures(
            header("Saved recurring revenue"), 0, (), Stat(None, 0, "%"), Stat(None, 0), (), (),
            (), (), Stat(None, 0, "%"), Stat(None, 0, "%"), Stat(None, 0, "%"),
            Stat(None, 0, "%"), (),
        )  # fmt: skip
    story = SaveStory(conversation(), "Анна Петрова", "EUR", 4900, "discount or credit",
                      "confirmed", "2024-05-03", "Offered 20% off for a year.")  # fmt: skip
    return SavedRevenueFigures(
        header=header("Saved recurring revenue"),
        conversations=120,
        saved=(SavedTotal("EUR", 123456, 3, 4999, 1), SavedTotal("CNY", 99900, 1, 0, 0)),
        save_rate=Stat(60.0, 10, "%"),
        churn_intent=Stat(14, 120),
        by_agent=(MoneyRow("Анна Петрова", "EUR", 128455, 4), MoneyRow("李娜", "CNY", 99900, 1)),
        by_method=(MoneyRow("discount or credit", "EUR", 128455, 4),),
        by_week=(MoneyRow("2024-04-29", "EUR", 4900, 1), MoneyRow("2024-05-06", "EUR", 123555, 3)),
        lost_by_reason=(MoneyRow("Price", "EUR", 30000, 3), MoneyRow("Other", "EUR", 1000, 1)),
        preventable=Stat(50.0, 4, "%"),
        crr=Stat(96.0, 500, "%"),
        churn_simple=Stat(5.0, 500, "%"),
        churn_adjusted=Stat(4.63, 500, "%"),
        stories=(story,),
    )


def review_row(i: int) -> ReviewRow:
    ratings = (RatingRow("Tone and personal touch", "4 / 5", "Тон хороший"),
               RatingRow("Curiosity", "N/A", ""))  # fmt: skip
    return ReviewRow(i, conversation(i), "lead", f"2024-05-{i % 28 + 1:02d}", 75.0 + i % 10,
                     False, ratings, "很好")  # fmt: skip


def coaching_figures(reviews: int = 3) -> CoachingFigures:
    rows = tuple(review_row(i) for i in range(1, reviews + 1))
    return CoachingFigures(
        header=header("Coaching review", "Анна Петрова"),
        agent="Анна Петрова",
        score=Stat(82.5, reviews),
        team_score=Stat(78.0, 40),
        trend=(PeriodScore("2024-W18", Stat(80.0, 2)), PeriodScore("2024-W19", Stat(None, 0))),
        categories=(CategoryScore("Tone and personal touch", Stat(75.0, 3), Stat(70.0, 40)),),
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


def quality_figures() -> QualityFigures:
    return QualityFigures(
        header=header("Quality by team and agent"),
        overall=Stat(81.25, 8),
        by_team=(GroupScore("Support 客服", Stat(81.25, 8)),),
        by_agent=(GroupScore("Анна Петрова", Stat(81.25, 8), 9, "Support 客服"),),
        by_category=(GroupScore("Tone and personal touch", Stat(70.0, 8)),),
        by_channel=(GroupScore("email", Stat(81.25, 8)), GroupScore("chat", Stat(None, 0))),
        calibration=(AgreementRow("Tone and personal touch", Stat(50.0, 2, "%"), None),),
        calibration_conversations=2,
        score_spread=Stat(12.5, 2),
    )


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
    assert stat_text(Stat(None, 0)) == "no data"
    assert stat_text(Stat(0.0, 3, "%")) == "0.0%"


@pytest.mark.parametrize(
    "module, figures, headings",
    [
        (saved_revenue, saved_figures, ["Saved MRR and ARR", "Saves by agent", "Saves by method",
                                        "Saved MRR by week", "Lost MRR by reason",
                                        "Customer retention and churn", "Best save stories"]),
        (coaching, coaching_figures, ["Summary", "Quality score over time",
                                      "Score by category against the team",
                                      "Reviewed conversations", "Example conversations",
                                      "Saves and losses", "Coaching notes and action items"]),
        (quality, quality_figures, ["Overall", "By team", "By category", "By channel",
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
    pages = render_pdf(saved_revenue.build_story, saved_figures(), path, "a4")
    text = pdf_text(path)
    assert pages == len(PdfReader(path).pages)
    for expected in ("1,234.56 EUR", "14,814.72 EUR", "49.99 EUR", "599.88 EUR", "999.00 CNY",
                     "60.0%", "96.00%", "4.63%", "Support 客服", "2024-05-01 to 2024-05-31",
                     f"page 1 of {pages}"):  # fmt: skip
        assert expected in text, expected
    assert "n = 5 saves · ARR" in text  # 3 + 1 in EUR and 1 in CNY
    flat = squeeze(text)
    for excerpt in (ZH_HANS, ZH_HANT, RU):
        assert squeeze(excerpt) in flat


def test_empty_figures_say_no_data_never_zero(tmp_path):
    path = tmp_path / "empty.pdf"
    render_pdf(saved_revenue.build_story, saved_figures(empty=True), path, "letter")
    text = pdf_text(path)
    assert text.count("no data") >= 10
    assert "0.00 EUR" not in text and "0.0%" not in text


@pytest.mark.parametrize("paper, size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_every_font_is_embedded_on_both_papers(tmp_path, paper, size):
    for module, figures in ((saved_revenue, saved_figures), (coaching, coaching_figures),
                            (quality, quality_figures)):  # fmt: skip
        path = tmp_path / f"{module.__name__}.pdf"
        render_pdf(module.build_story, figures(), path, paper)
        reader = PdfReader(path)
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size
        fonts = fonts_of(path)
        assert fonts, "no font found"
        assert all(embedded for _, embedded in fonts), fonts
        assert not {name.split("+")[-1] for name, _ in fonts} & BASE14


def test_unknown_paper_is_refused(tmp_path):
    with pytest.raises(InvalidInput):
        render_pdf(quality.build_story, quality_figures(), tmp_path / "x.pdf", "a3")


def test_long_table_repeats_its_header_on_every_page(tmp_path):
    path = tmp_path / "coaching.pdf"
    pages = render_pdf(coaching.build_story, coaching_figures(reviews=120), path, "a4")
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
    assert masked.header.masked
    path = tmp_path / "masked.pdf"
    render_pdf(saved_revenue.build_story, masked, path, "a4")
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
        render_pdf(coaching.build_story, coaching_figures(reviews=30), path, "a4", on_progress=stop)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
    assert seen[0][1] > 3


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_first_page_renders_to_a_picture_that_is_not_blank(tmp_path):
    from PIL import Image

    path = tmp_path / "quality.pdf"
    render_pdf(quality.build_story, quality_figures(), path, "a4")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    inked = sum(image.histogram()[:200])
    assert inked > 0.01 * image.width * image.height
