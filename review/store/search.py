"""Full-text search over message bodies and subjects, in English, Russian and Chinese alike.

The FTS5 tables use the unicode61 tokenizer, which splits on spaces and punctuation and folds
case (Latin and Cyrillic). Chinese and Japanese are written without spaces, so before indexing
every Han or kana character becomes a token of its own; a Chinese query becomes a phrase of
those characters, which finds words of any length, two-character ones (退款) included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from review.store import Store

# A message's row in search_messages carries its conversation in the high 32 bits of the rowid
# and the message id in the low 32, so a search finds conversations without a lookup in the
# million-row messages table (it halves the time of a search over 100,000 conversations).
MESSAGE_BITS = 32
MESSAGE_MASK = (1 << MESSAGE_BITS) - 1
# SQL for the conversation and message of a search_messages rowid
CONVERSATION_OF_ROWID = f"rowid >> {MESSAGE_BITS}"
MESSAGE_OF_ROWID = f"rowid & {MESSAGE_MASK}"


def message_rowid(conversation_id: int, message_id: int) -> int:
    """The search_messages rowid of one message (conversation and message ids packed)."""
    if not 0 < message_id <= MESSAGE_MASK or not 0 < conversation_id < 1 << 31:
        raise ValueError(f"ids out of range for the search index: {conversation_id}, {message_id}")
    return conversation_id << MESSAGE_BITS | message_id


_CJK_CHARS = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002ffff"
)
_CJK = re.compile(f"([{_CJK_CHARS}])")
_TOKEN = re.compile(r"\w+", re.UNICODE)


def index_text(text: str | None) -> str:
    """The text as it goes into the index: Han and kana characters spaced apart."""
    if not text:
        return ""
    if not _CJK.search(text):  # most text: nothing to do, and the check is much cheaper
        return text
    return " ".join(_CJK.split(text))


def match_expression(query: str) -> str:
    """An FTS5 MATCH expression for what a user typed: every word must appear.

    Latin and Cyrillic words match as prefixes ("отмен" finds "отменить"); a run of Chinese
    characters must appear in that order. User input never reaches FTS5 syntax unquoted.
    """
    terms = []
    for word, pieces in _query_words(query):
        terms.append(f'"{word}"*' if pieces is None else '"' + " ".join(pieces) + '"')
    return " AND ".join(terms)


def _query_words(query: str) -> list[tuple[str, list[str] | None]]:
    """The words of what a user typed, each with its pieces when it holds Chinese or Japanese
    (a mixed run such as "退款123" splits into 退, 款 and 123: a phrase), else None (a word)."""
    return [
        (word, [p for p in _CJK.split(word) if p] if _CJK.search(word) else None)
        for word in _TOKEN.findall(query)
    ]


@dataclass(frozen=True)
class SearchHit:
    """One conversation that matches, with the message that matched (None: the subject did)."""

    conversation_id: int
    message_id: int | None
    subject: str | None
    snippet: str


def search_conversation_ids(db: Store, query: str, limit: int | None = None) -> list[int]:
    """Ids of conversations whose subject or messages match `query`, newest first."""
    from review.store.search_match import has_terms, matching_conversations, newest_matching

    if not has_terms(query):
        return []
    if limit:
        newest = newest_matching(db, query, int(limit))
        if newest is not None:
            return newest
    matching, params = matching_conversations(db, query)
    sql = f"""
        select c.id from conversations c
        where c.id in ({matching})
        order by c.created_at desc, c.id desc
    """
    if limit:
        sql += f" limit {int(limit)}"
    return [row[0] for row in db.execute(sql, params)]


def search(db: Store, query: str, limit: int = 20) -> list[SearchHit]:
    """Conversations matching `query`, newest first, each with a snippet around the first hit."""
    from review.store.search_match import matching_messages

    hits = []
    for conversation_id in search_conversation_ids(db, query, limit):
        subject = db.execute(
            "select subject from conversations where id = :id", {"id": conversation_id}
        ).fetchone()[0]
        matching, params = matching_messages(db, query, conversation_id)
        row = db.execute(
            f"""select id, body_text from messages
               where conversation_id = :c and id in ({matching})
               order by {db.dialect.order("created_at")}, id limit 1""",
            params,
        ).fetchone()
        if row:
            hits.append(SearchHit(conversation_id, row[0], subject, _snippet(row[1], query)))
        else:
            hits.append(SearchHit(conversation_id, None, subject, subject or ""))
    return hits


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where `query`'s words occur in `text` as the search matches them, for highlighting:
    sorted, non-overlapping (start, end) pairs. A Latin or Cyrillic word matches the start of a
    word in any case and spans the whole word ("отмен" marks "Отменить"); Chinese characters
    match where they stand, in the order typed."""
    pattern = _hit_pattern(query)
    if pattern is None or not text:
        return []
    return [m.span() for m in pattern.finditer(text)]


# A letter or digit of a Latin, Cyrillic... word: what the index's tokenizer keeps together.
# Han and kana are tokens of one character each, and "_" separates words, as in the index.
_WORD_CHAR = f"[^\\W_{_CJK_CHARS}]"


@lru_cache(maxsize=32)
def _hit_pattern(query: str) -> re.Pattern | None:
    alternatives = []
    for word, pieces in _query_words(query):
        if pieces is None:  # a word: from a word's start, on to that word's end
            alternatives.append(f"(?<!{_WORD_CHAR}){re.escape(word)}{_WORD_CHAR}*")
        else:  # a phrase: its characters in order, its other pieces as whole words
            alternatives.append("".join(_whole(p) for p in pieces))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)  # the longest word wins where two start together
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _whole(piece: str) -> str:
    if _CJK.fullmatch(piece):
        return re.escape(piece)
    return f"(?<!{_WORD_CHAR}){re.escape(piece)}(?!{_WORD_CHAR})"


def _snippet(text: str, query: str, width: int = 60) -> str:
    spans = match_spans(text, query)
    at = spans[0][0] if spans else 0
    start = max(0, at - width)
    end = min(len(text), at + width)
    snippet = " ".join(text[start:end].split())
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")
