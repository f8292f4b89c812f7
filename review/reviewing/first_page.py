"""The first page of the conversation list at once, even over a million conversations.

The whole list of a search for a common word is every hit, sorted: seconds at a million
conversations (329,397 hits of "refund": 2.8 s). The first page comes from the newest hits the
search index gives (its rowids run by conversation), put in the list's order; the whole list,
read off the GUI thread (browse.conversation_ids), then takes its place. Without a search the
first page is the list's own query with a limit, which walks the sort's index.
"""

from __future__ import annotations

from dataclasses import replace

from review.reviewing.browse import GIVEN_ORDER, ListQuery, conversation_ids
from review.store import Store
from review.store.search import CONVERSATION_OF_ROWID, match_expression

FIRST_PAGE = 1000  # rows shown before the whole list is read
SEARCH_FIRST_PAGE = 256  # rows of a search shown before all its hits are read (8 screens)
HITS_PER_ROW = 4  # index hits read per row wanted: a conversation often matches several times


def first_ids(db: Store, query: ListQuery, limit: int = FIRST_PAGE) -> tuple[list[int], bool]:
    """(the first ids of `query`'s list, whether they are the whole list). With a search
    they are the newest hits in the list's order, which the whole list may put otherwise."""
    if query.sort == GIVEN_ORDER and query.filters.conversation_ids is not None:
        return conversation_ids(db, query), True
    expression = match_expression(query.search) if query.search.strip() else ""
    if not expression:
        ids = conversation_ids(db, query, limit + 1)
        return ids[:limit], len(ids) <= limit
    limit = min(limit, SEARCH_FIRST_PAGE)  # the index's newest hits cost by the hit
    cap = limit * HITS_PER_ROW
    found: set[int] = set()
    complete = True
    for sql in (
        f"select {CONVERSATION_OF_ROWID} from search_messages where search_messages match :q "
        "order by rowid desc limit :cap",
        "select rowid from search_subjects where search_subjects match :q "
        "order by rowid desc limit :cap",
    ):
        rows = [r[0] for r in db.execute(sql, {"q": expression, "cap": cap})]
        complete = complete and len(rows) < cap
        found.update(rows)
    wanted = query.filters.conversation_ids
    candidates = tuple(sorted(found if wanted is None else found & set(wanted)))
    narrowed = replace(
        query, search="", filters=replace(query.filters, conversation_ids=candidates)
    )
    ids = conversation_ids(db, narrowed, limit + 1)
    return ids[:limit], complete and len(ids) <= limit
