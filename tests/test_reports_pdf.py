"""Each report built from a database made here: figures by value, then the PDF's own text.

The store holds two teams, Chinese (simplified and traditional), Russian and English
conversations in May 2024, one save in June (outside the period), reviews by two reviewers,
a coaching note, and customer counts for May. Money is in EUR and CNY.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from desktop.cli import cli
from reports.build import build_report, build_report_now
from review.errors import InvalidInput
from review.figures.coaching_review import coaching_review
from review.figures.saved_revenue import saved_revenue
from review.figures.team_quality import team_quality
from review.filters import Filters
from review.importing.records import Conversation, Message, Person, Team
from review.importing.writer import store_records
from review.retention.billing import set_period_counts
from review.retention.losses import find_loss_reason, loss_reasons, tag_loss
from review.retention.saves import tag_save, update_save
from review.retention.settings import set_exchange_rates
from review.reviewing.coaching import add_action_item, add_note
from review.reviewing.reviews import rate, start_review
from review.reviewing.rubrics import current_rubric

ZH_HANS = "我想取消订阅，价格太贵了。"
ZH_HANT = "請問可以退款嗎？我們的團隊不再需要這個服務。"
RU = "Хочу отменить подписку, слишком дорого."
RU_REPLY = "Анна здесь: могу предложить скидку 20% на год."
MAY = Filters(date_from="2024-05-01", date_to="2024-05-31")
BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def _conversation(n, day, customer, words, agent, team, reply=RU_REPLY):
    return Conversation(
        "t", str(n), subject=f"Заявка {n}", channel="chat" if n % 2 else "email",
        status="solved", created_at=f"{day}T09:00:00Z", agent=agent, team=team,
        customer=Person("t", f"c{n}", "customer", customer, f"c{n}@example.com", "+7 912 345 67 89"),
        messages=[
            Message("m1", "customer", f"{day}T09:00:00Z", words, author_name=customer),
            Message("m2", "agent", f"{day}T09:05:00Z", reply, author_name=agent.name),
            Message("m3", "agent", f"{day}T09:06:00Z", "internal: VIP", is_internal=True),
        ],
    )  # fmt: skip


@pytest.fixture
def store(db):
    """ids of the conversations and agents of the test store."""
    support, emea = Team("t", "t1", "Support 客服"), Team("t", "t2", "EMEA")
    anna = Person("t", "a1", "agent", "Анна Петрова", team="t1")
    li = Person("t", "a2", "agent", "李娜", team="t1")
    john = Person("t", "a3", "agent", "John Smith", team="t2")
    store_records(db, [
        _conversation(1, "2024-05-02", "王小明", ZH_HANS, anna, support),
        _conversation(2, "2024-05-09", "陳大文", ZH_HANT, li, support),
        _conversation(3, "2024-05-16", "Иван Иванов", RU, anna, support),
        _conversation(4, "2024-05-20", "Mary Major", "I want to cancel, too expensive", anna, support),
        _conversation(5, "2024-06-03", "Late Customer", "cancel please", anna, support),
        _conversation(6, "2024-05-21", "Quiet Customer", "How do I export?", john, emea),
    ])  # fmt: skip
    c = {int(ext): cid for cid, ext in db.execute("select id, external_id from conversations")}
    a = {ext: aid for aid, ext in db.execute("select id, external_id from agents")}
    # Churn intent as the detector stores it (the phrase lists are the churn helper's).
    for n in (1, 2, 3, 4, 5):
        message = db.execute(
            "select id from messages where conversation_id = ? and external_id = 'm1'", [c[n]]
        ).fetchone()[0]
        db.insert("churn_signals",
            {"conversation_id": c[n], "message_id": message, "phrase": "cancel",
             "intent": "cancel", "language": "en"}
        )  # fmt: skip
    tag_save(db, c[1], "49.99", "EUR", "discount", saved_on="2024-05-02",
             story="Offered 20% off; customer stayed.")  # fmt: skip
    update_save(db, db.execute("select max(id) from saves").fetchone()[0], status="confirmed")
    tag_save(db, c[2], "120.00", "CNY", "plan_change", saved_on="2024-05-09", story="Downgrade.")
    tag_save(db, c[3], "10.01", "EUR", "solved", saved_on="2024-05-16")
    tag_save(db, c[5], "1000.00", "EUR", "solved", saved_on="2024-06-03", story="June story")
    price = next(r.id for r in loss_reasons(db) if r.name == "Price")
    tag_loss(db, c[4], "30.00", "EUR", price, preventable=True, customer_words="too expensive",
             lost_on="2024-05-20")  # fmt: skip
    set_period_counts(db, "2024-05-01", "2024-05-31", 500, 580, 100)
    rubric = current_rubric(db)
    plain = [cat for cat in rubric.categories if not cat.critical]
    critical = next(cat for cat in rubric.categories if cat.critical)
    for reviewer in ("lead", "coach"):
        review = start_review(db, c[1], reviewer)
        for cat in plain[:3]:
            rate(db, review.id, cat.id, cat.scale_max)
    low = start_review(db, c[3], "lead")
    rate(db, low.id, plain[0].id, plain[0].scale_min)
    rate(db, low.id, critical.id, critical.scale_min)
    note = add_note(db, a["a1"], "coach", "Ask one more question before offering a discount.",
                    follow_up="2024-06-15", at="2024-05-25T10:00:00Z")  # fmt: skip
    add_action_item(db, note.id, "Shadow two chats with 李娜", due="2024-05-28")
    return c, a


def text_of(path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_fonts_embedded(path) -> None:
    for page in PdfReader(path).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            assert not any(b in name for b in BASE14), name
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{name} not embedded"


def test_saved_revenue_figures_are_exact(db, store):
    f = saved_revenue(db, MAY, made_on="2024-06-02")
    o = f.overview
    # no exchange rates yet: each currency apart, no single total
    assert o.saved.confirmed_mrr.parts == {"EUR": 49.99}
    assert o.saved.pending_mrr.parts == {"CNY": 120.0, "EUR": 10.01}
    assert o.saved.mrr.value is None and o.saved.mrr.n == 3
    assert (o.save_rate.value, o.save_rate.n) == (75.0, 4)  # 3 saves, 1 loss
    assert (f.churn_intent.value, f.churn_intent.n) == (80.0, 5)  # 4 of 5 with a churn signal
    assert (o.lost.preventable_share.value, o.lost.preventable_share.n) == (100.0, 1)
    assert [(r.label, r.figure.value) for r in o.losses] == [("Price", 30.0)]
    assert o.crr.value == pytest.approx(96.0) and o.churn_rate.value == pytest.approx(4.0)
    assert o.churn_rate_adjusted.value == pytest.approx(20 / 540 * 100)
    assert [s.conversation.customer_name for s in f.stories] == ["王小明", "陳大文"]
    assert [e.text for e in f.stories[0].conversation.excerpts] == [ZH_HANS, RU_REPLY]
    assert o.week_currency == "EUR"  # the commonest currency charted alone
    assert [(w.week, w.confirmed.value, w.pending.value) for w in o.weeks] == [
        ("2024-04-29", 49.99, None), ("2024-05-06", None, None), ("2024-05-13", None, 10.01),
    ]  # fmt: skip
    # with rates, one total in the base currency, the currencies behind it as a breakdown
    set_exchange_rates(db, "EUR", {"CNY": "0.13"})
    f = saved_revenue(db, MAY, made_on="2024-06-02")
    o = f.overview
    assert (o.saved.mrr.value, o.saved.mrr.unit, o.saved.mrr.n) == (75.60, "EUR", 3)
    assert o.saved.arr.value == pytest.approx(907.20) and o.net_mrr.value == 45.60
    assert o.week_currency is None
    assert [(a.name, a.mrr.value, a.mrr.parts) for a in f.by_agent] == [
        ("Анна Петрова", 60.0, {"EUR": 60.0}), ("李娜", 15.6, {"CNY": 120.0}),
    ]  # fmt: skip
    assert o.coverage.rates == "in EUR at 1 CNY = 0.13 EUR"


def test_saved_revenue_pdf_leads_with_the_base_currency_on_page_one(db, db_path, store, tmp_path):
    set_exchange_rates(db, "EUR", {"CNY": "0.13"})
    tag_loss(db, store[0][6], "12.00", "EUR", find_loss_reason(db, "Not a fit").id,
             lost_on="2024-05-21")  # fmt: skip
    path = tmp_path / "saved.pdf"
    built = build_report_now("saved-revenue", db_path, MAY, "a4", False, path,
                             made_on="2024-06-02")  # fmt: skip
    assert built.pages == len(PdfReader(path).pages) and built.size_bytes > 10_000
    first = PdfReader(path).pages[0].extract_text()
    for figure in ("75.60 EUR", "907.20 EUR", "49.99 EUR", "25.61 EUR", "30.00 EUR",
                   "45.60 EUR", "75.0%", "n = 3 saves", "n = 1 losses", "1 CNY = 0.13 EUR",
                   "2024-05-01 to 2024-05-31", "All teams", "2024-06-02", "Saves by agent"):  # fmt: skip
        assert figure in first, figure
    text = text_of(path)
    for figure in ("96.0%", "4.0%", "Right outcomes, apart", "12.00 EUR",
                   "Not a fit", "120.00 CNY"):  # fmt: skip
        assert figure in text, figure
    assert text.count("Lost MRR by reason") == 1  # one Pareto, in the base currency
    assert "1,000.00 EUR" not in text and "June story" not in text
    assert "internal: VIP" not in text
    flat = squeeze(text)
    for excerpt in (ZH_HANS, ZH_HANT, RU_REPLY):
        assert squeeze(excerpt) in flat, excerpt
    assert_fonts_embedded(path)


def test_coaching_review_pdf(db, db_path, store, tmp_path):
    c, a = store
    f = coaching_review(db, MAY, a["a1"], made_on="2024-06-01")
    mine, team, everyone = f.comparison.rows
    assert (mine.quality.value, mine.quality.n) == (pytest.approx(200 / 3), 3)  # 100, 100, 0
    assert mine.quality.few and team.label == "Team Support 客服" and everyone.label == "All agents"
    assert (mine.save_rate.value, mine.save_rate.n) == (pytest.approx(200 / 3), 3)
    assert f.follow_up == "2024-06-15"
    assert [e.kind for e in f.examples] == ["best", "instructive"]
    assert f.examples[1].review.critical_failed
    assert [n.items[0].status for n in f.notes] == ["overdue"]
    assert [(o.kind, o.cents) for o in f.outcomes] == [
        ("save", 4999),
        ("save", 1001),
        ("loss", 3000),
    ]
    path = tmp_path / "coaching.pdf"
    build_report_now("coaching", db_path, MAY, "letter", False, path, agent_id=a["a1"],
                     made_on="2024-06-01")  # fmt: skip
    text = text_of(path)
    for expected in ("Coaching review", "Анна Петрова", "66.7", "few", "Team Support 客服",
                     "All agents", "Shadow two chats with 李娜", "overdue", "2024-06-15",
                     "Service against the usual targets", "at or above 85%", "under 120 s",
                     "Agent: Анна Петрова", "Offered 20% off; customer stayed.",
                     "too expensive"):  # fmt: skip
        assert expected in text, expected
    flat = squeeze(text)
    assert squeeze(ZH_HANS) in flat and squeeze(RU) in flat
    assert "criticalfailed" in flat
    assert_fonts_embedded(path)


def test_coaching_review_of_an_agent_without_reviews_says_no_data(db, db_path, store, tmp_path):
    c, a = store
    path = tmp_path / "john.pdf"
    build_report_now("coaching", db_path, Filters(agent_ids=(a["a3"],)), "a4", False, path)
    text = text_of(path)
    assert "John Smith" in text and "EMEA" in text
    assert text.count("no data") >= 5
    with pytest.raises(InvalidInput):
        build_report_now("coaching", db_path, MAY, "a4", False, tmp_path / "x.pdf")


def test_quality_pdf(db, db_path, store, tmp_path):
    f = team_quality(db, MAY, made_on="2024-06-02")
    o = f.overview
    assert (o.quality.value, o.quality.n) == (pytest.approx(200 / 3), 3)
    assert f.agreement.conversations == 1
    assert all(c.agreement.value == 100.0 for c in f.agreement.categories)
    agents = {r.label: (r.quality.n, r.quality.value, r.save_rate.n) for r in o.agents}
    assert agents["Анна Петрова"] == (3, pytest.approx(200 / 3), 3)
    assert agents["李娜"] == (0, None, 1)
    assert f.reviews == 3
    path = tmp_path / "quality.pdf"
    build_report_now("quality", db_path, MAY, "a4", False, path)
    text = text_of(path)
    for expected in ("Quality by team and agent", "66.7", "Support 客服", "李娜", "no data",
                     "Quality beside retention, by agent", "Which behaviours keep customers",
                     "Service against the usual targets", "at or above 85%", "under 120 s",
                     "Calibration: agreement between reviewers", "100.0%", "few"):  # fmt: skip
        assert expected in text, expected
    assert_fonts_embedded(path)


@pytest.mark.parametrize("kind", ["saved-revenue", "quality"])
def test_empty_database_reports_say_no_data(db_path, tmp_path, kind):
    path = tmp_path / f"{kind}.pdf"
    build_report_now(kind, db_path, Filters(), "a4", False, path)
    text = text_of(path)
    assert "no data" in text and "all time" in text
    assert "0.00" not in text


def test_masked_report_hides_customers(db, db_path, store, tmp_path):
    path = tmp_path / "masked.pdf"
    build_report_now("saved-revenue", db_path, MAY, "a4", True, path)
    text = text_of(path)
    assert "王小明" not in text and "陳大文" not in text and "@example.com" not in text
    assert "[customer]" in text
    assert squeeze(ZH_HANT) in squeeze(text)


def test_build_report_job_progresses_and_cancels_cleanly(db, db_path, store, tmp_path):
    path = tmp_path / "cancel.pdf"
    job = build_report("coaching", db_path, MAY, "a4", False, path, agent_id=store[1]["a1"])
    steps = [next(job), next(job), next(job)]
    assert steps[0].label == "Reading figures"
    job.close()
    assert list(tmp_path.glob("*cancel.pdf*")) == []


def test_command_line_report_and_export(db, db_path, store, tmp_path):
    runner = CliRunner()
    out = tmp_path / "r.pdf"
    result = runner.invoke(cli, ["report", "coaching", "--db", str(db_path), "--from",
                                 "2024-05-01", "--to", "2024-05-31", "--agent", "Анна Петрова",
                                 "--paper", "letter", "--mask", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "pages" in result.output and out.exists()
    assert "王小明" not in text_of(out)
    result = runner.invoke(cli, ["report", "coaching", "--db", str(db_path), "-o", str(out)])
    assert result.exit_code != 0 and "one agent" in result.output
    csv_path = tmp_path / "s.csv"
    result = runner.invoke(cli, ["export", "saves", "--db", str(db_path), "--team", "Support 客服",
                                 "--from", "2024-05-01", "--to", "2024-05-31", "-o", str(csv_path)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 rows" in result.output
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
