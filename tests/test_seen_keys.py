"""The import's memory of the conversations and people it wrote (review.importing.seen) never
forgets one, so a first import never adds a conversation twice; and it rarely claims one it
never met, so a first import rarely asks the database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from review.importing.seen import SeenKeys

_KEYS = st.tuples(st.sampled_from(["zendesk", "intercom", "front"]), st.text(max_size=12))


@given(st.lists(_KEYS, max_size=200))
def test_every_key_added_is_in(keys):
    seen = SeenKeys()
    for key in keys:
        seen.add(key)
    assert all(key in seen for key in keys)


def test_keys_never_added_are_rarely_in():
    seen = SeenKeys()
    for n in range(200_000):
        seen.add(("zendesk", str(n)))
    others = [("zendesk", f"other-{n}") for n in range(200_000)]
    maybe = sum(key in seen for key in others)
    assert maybe < len(others) // 100  # under 1% at this size (the filter's stated bound)
    assert ("zendesk", "12345") in seen
