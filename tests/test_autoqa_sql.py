"""Every query of the automatic suggestions, on whichever engine the run is on (SQLite; a real
PostgreSQL under SAVEDESK_TEST_STORE=postgresql): conversations written straight through the
Store (no importer), scored, read back with their evidence, accepted into a review (and
undone), measured for agreement, summed into the auto quality figure and sampled into a queue.
"""

from __future__ import annotations

import pytest

from review.figures.auto_quality import auto_quality
from review.figures.scope import read_scope
from review.filters import Filters
from review.reviewing.autoqa.accept import accept_suggestion
from review.reviewing.autoqa.agreement import agreement, store_agreement
from review.reviewing.autoqa.run import score_conversations
from review.reviewing.autoqa.store import unscored_ids
from review.reviewing.autoqa.suggestions import (
    accepted_categories,
    stored_ruleset,
    suggestions_for_conversation,
)
from review.reviewing.queues import lowest_auto_scores
from review.reviewing.reviews import get_review, start_review
from review.store import connect
from review.store.undo import undo

THREADS = {
    # external id: (language, [(role, text)])
    "zh": [("customer", "你好，导出的文件是空白的 😟"),
           ("agent", "😀 王先生您好！非常抱歉给您带来不便。请打开「设置 > 导出」重新导出。祝您工作顺利！")],
    "ru": [("customer", "Здравствуйте! Не могу выгрузить отчёт 😞"),
           ("agent", "🙂 Мария, добрый день! Извините за неудобства. Откройте Настройки > Экспорт "
                     "и нажмите «Выгрузить». Хорошего дня!")],
    "en": [("customer", "Hi, I want to cancel, the export never works."),
           ("agent", "Hi Ann, sorry about that! Open Settings > Export and click Export again. "
                     "Have a great day!")],
    "bot": [("customer", "How do I reset my password?"),
            ("bot", "Hi! Open Settings > Security and click Reset password.")],
}  # fmt: skip


NAMES = {"zh": "王伟", "ru": "Мария Петрова", "en": "Ann Lee", "bot": "Cai"}


@pytest.fixture
def db(db_path):
    store = connect(db_path)
    with store.atomic():
        agent = store.insert("agents", {"source": "t", "external_id": "a1", "name": "Olga"})
        for n, (key, messages) in enumerate(THREADS.items()):
            customer = store.insert(
                "customers", {"source": "t", "external_id": f"c{n}", "name": NAMES[key]}
            )
            cid = store.insert(
                "conversations",
                {"source": "t", "external_id": key, "subject": key, "channel": "chat",
                 "created_at": f"2026-05-0{n + 1}T08:00:00Z", "customer_id": customer,
                 "agent_id": None if key == "bot" else agent},
            )  # fmt: skip
            for m, (role, text) in enumerate(messages):
                store.insert(
                    "messages",
                    {"conversation_id": cid, "external_id": f"{key}-{m}", "author_role": role,
                     "created_at": f"2026-05-0{n + 1}T08:{m:02d}:00Z", "body_text": text},
                )  # fmt: skip
    yield store
    store.close()


def _id(db, key: str) -> int:
    return db.execute("select id from conversations where external_id = :k", {"k": key}).scalar()


def test_scored_with_evidence_that_is_the_stored_text(db):
    result = score_conversations(db)
    assert result.conversations == 4 and result.suggestions > 0
    kinds = dict(
        db.execute(
            "select c.external_id, s.author_kind from autoqa_scores s "
            "join conversations c on c.id = s.conversation_id"
        ).fetchall()
    )
    assert kinds == {"zh": "person", "ru": "person", "en": "person", "bot": "bot"}
    texts = dict(db.execute("select id, body_text from messages").fetchall())
    for key in THREADS:
        cid = _id(db, key)
        assert stored_ruleset(db, cid) == result.ruleset
        found = suggestions_for_conversation(db, cid)
        assert found
        for s in found:
            for e in s.evidence:
                assert texts[e["message_id"]][e["start"] : e["end"]] == e["text"]
    greeting = {
        e["text"]
        for s in suggestions_for_conversation(db, _id(db, "ru"))
        for e in s.evidence
        if s.category_key == "tone"
    }
    assert "Мария" in greeting and "добрый" in greeting
    assert unscored_ids(db, result.ruleset) == []
    assert len(unscored_ids(db, "another-ruleset")) == 4


def test_accept_undo_agreement_figure_and_queue(db):
    ruleset = score_conversations(db).ruleset
    cid = _id(db, "en")
    tone = next(s for s in suggestions_for_conversation(db, cid) if s.category_key == "tone")
    review = start_review(db, cid, "Pat")
    accept_suggestion(db, review.id, tone.id)
    rating = next(r for r in get_review(db, review.id).ratings.values())
    assert rating.rating == tone.rating
    assert accepted_categories(db, review.id) == {rating.category_id}
    assert agreement(db) == []  # an accepted rating is no independent human rating
    undo(db)
    assert accepted_categories(db, review.id) == set()
    assert not get_review(db, review.id).ratings
    # a person's own rating does count
    from review.reviewing.reviews import rate

    rate(db, review.id, rating.category_id, tone.rating)
    measured = agreement(db)
    assert [(a.category_key, a.language, a.pairs) for a in measured] == [("tone", "en", 1)]
    store_agreement(db, measured, ruleset)
    assert db.execute("select count(*) from autoqa_agreement").scalar() == 1
    # the figure: people and bots apart, each with its n
    figure = auto_quality(read_scope(db, None))
    assert (figure.people.n, figure.bots.n) == (3, 1)
    scores = [
        r[0]
        for r in db.execute(
            "select score from autoqa_scores where author_kind = 'person' order by score"
        ).fetchall()
    ]
    assert figure.people.value == pytest.approx(sum(scores) / 3)
    assert "1 of 1 category-language pairs" not in figure.people.note  # 1 pair: not offered
    # the lowest auto scores, unreviewed and not bots
    lowest = lowest_auto_scores(db, Filters(), 5)
    assert cid not in lowest and _id(db, "bot") not in lowest and len(lowest) == 2
