"""Which conversations and messages a search matches, as SQL on each engine.

SQLite asks its FTS5 tables (`match`, a message's rowid packing its conversation); PostgreSQL
asks its tsvector documents (`@@` a tsquery literal). Both are built from what the user typed
the same way (review.store.search: every word must appear; Latin and Cyrillic words match as
prefixes, a run of Chinese characters as a phrase), and the documents hold exactly the words
FTS5 indexes (review.store.tokens), so a search gives the same hits on both engines.
"""

from __future__ import annotations

from review.store.search import (
    CONVERSATION_OF_ROWID,
    MESSAGE_MASK,
    MESSAGE_OF_ROWID,
    _query_words,
    match_expression,
    message_rowid,
)
from review.store.store import Store
from review.store.tokens import words

Search = tuple[str, dict]  # (SQL, its parameters)


def tsquery(query: str) -> str:
    """The PostgreSQL tsquery literal for what a user typed (the twin of match_expression):
    'отмен':* for a word, '退' <-> '款' for a phrase, every term joined by &. Empty when the
    query holds no word."""
    terms = []
    for word, pieces in _query_words(query):
        tokens = words(word) if pieces is None else [t for p in pieces for t in words(p)]
        if not tokens:  # FTS5 matches nothing for a term of no words: an empty tsquery neither
            return ""
        quoted = [_lexeme(t) for t in tokens]
        if pieces is None:
            quoted[-1] += ":*"
        phrase = " <-> ".join(quoted)
        terms.append(f"({phrase})" if len(quoted) > 1 else phrase)
    return " & ".join(terms)


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _term(db: Store, query: str) -> str:
    return tsquery(query) if db.target.is_server else match_expression(query)


def has_terms(query: str) -> bool:
    """True when `query` holds a word to search for (else a search finds nothing to ask)."""
    return bool(match_expression(query)) if query.strip() else False


def matching_conversations(db: Store, query: str, name: str = "search") -> Search:
    """A subquery of the ids of the conversations whose messages or subject match `query`,
    with its parameter (`name`); `query` must have terms (has_terms)."""
    params = {name: _term(db, query)}
    if db.target.is_server:
        return (
            f"select conversation_id from search_messages where document @@ cast(:{name} as "
            f"tsquery) union all select conversation_id from search_subjects "
            f"where document @@ cast(:{name} as tsquery)"
        ), params
    return (
        f"select {CONVERSATION_OF_ROWID} from search_messages where search_messages match :{name} "
        f"union all select rowid from search_subjects where search_subjects match :{name}"
    ), params


NEWEST_WINDOW = 500  # the newest conversations a first page of hits is looked for among


def newest_matching(db: Store, query: str, limit: int) -> list[int] | None:
    """The `limit` newest conversations matching `query` (has_terms), newest first, when they
    are among the NEWEST_WINDOW newest conversations; None when they are not.

    On the server, matching every message first and then sorting (a common word is in one
    message of eight: 125,000 of 1,000,000, ~300 ms) is what the newest page of a common word
    does not need: the newest conversations, each probed by its own index entries (a scalar
    subquery per conversation, never hashed over every match), give it in ~1 ms. The first
    `limit` matches of the newest conversations in the search's own order are the search's
    first `limit`. A rare word finds too few there (~8 ms spent on 1,000,000 messages) and the
    caller matches every message instead. SQLite asks the same question of FTS5's whole match
    (a probe per conversation costs FTS5 more than the match): the same answers, the same
    statements on both engines."""
    sql, params = newest_matching_sql(db, query, limit)
    rows = db.execute(sql, params).fetchall()
    return [r[0] for r in rows] if len(rows) == limit else None


def newest_matching_sql(db: Store, query: str, limit: int) -> Search:
    """newest_matching's statement and parameters (has_terms)."""
    if db.target.is_server:
        matches = (
            "(select 1 from search_messages m where m.conversation_id = c.id "
            "and m.document @@ cast(:search as tsquery) limit 1) is not null "
            "or (select 1 from search_subjects s where s.conversation_id = c.id "
            "and s.document @@ cast(:search as tsquery)) is not null"
        )
        params: dict = {"search": tsquery(query)}
    else:
        matching, params = matching_conversations(db, query)
        matches = f"c.id in ({matching})"
    return (
        "select c.id from (select id, created_at from conversations "
        "order by created_at desc, id desc limit :window) c "
        f"where {matches} order by c.created_at desc, c.id desc limit :limit"
    ), {**params, "window": NEWEST_WINDOW, "limit": limit}


def newest_hits(db: Store, query: str, cap: int) -> tuple[set[int], bool]:
    """(conversations of the index's newest `cap` message hits and `cap` subject hits, whether
    those were all of them): the first page of a search without sorting every hit."""
    term = _term(db, query)
    if db.target.is_server:
        statements = (
            "select conversation_id from search_messages where document @@ cast(:q as tsquery) "
            "order by conversation_id desc, message_id desc limit :cap",
            "select conversation_id from search_subjects where document @@ cast(:q as tsquery) "
            "order by conversation_id desc limit :cap",
        )
    else:  # rowids run by conversation
        statements = (
            f"select {CONVERSATION_OF_ROWID} from search_messages where search_messages match :q "
            "order by rowid desc limit :cap",
            "select rowid from search_subjects where search_subjects match :q "
            "order by rowid desc limit :cap",
        )
    found: set[int] = set()
    complete = True
    for sql in statements:
        rows = [r[0] for r in db.execute(sql, {"q": term, "cap": cap})]
        complete = complete and len(rows) < cap
        found.update(rows)
    return found, complete


def matching_messages(db: Store, query: str, conversation_id: int) -> Search:
    """A subquery of the ids of one conversation's messages that match `query`, with its
    parameters (q, first, last, c)."""
    if db.target.is_server:
        return (
            "select message_id from search_messages where conversation_id = :c "
            "and document @@ cast(:q as tsquery)"
        ), {"q": tsquery(query), "c": conversation_id}
    first = message_rowid(conversation_id, 1)
    return (
        f"select {MESSAGE_OF_ROWID} from search_messages "
        "where search_messages match :q and rowid between :first and :last"
    ), {
        "q": match_expression(query),
        "c": conversation_id,
        "first": first,
        "last": first | MESSAGE_MASK,
    }
