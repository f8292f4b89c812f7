"""Lost customers and the reason taxonomy: seeded from DOMAIN.md, extended, renamed by id."""

from __future__ import annotations

import pytest

from review.errors import InvalidInput
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.retention.losses import (
    add_loss_reason,
    find_loss_reason,
    get_loss,
    loss_reasons,
    losses_for_conversation,
    rename_loss_reason,
    set_loss_reason_outcome,
    tag_loss,
    update_loss,
)


def _conversation(db) -> int:
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                "1",
                created_at="2024-05-01T09:00:00Z",
                agent=Person("zendesk", "a1", "agent", name="Ana"),
            )
        ],
    )
    return db.execute("select id from conversations").fetchone()[0]


def test_the_domain_taxonomy_is_seeded_with_natural_causes_as_a_group(db):
    reasons = loss_reasons(db)
    top = [r.name for r in reasons if r.parent is None]
    assert len(top) == 11
    assert top[0] == "Poor service experience" and top[-1] == "Other"
    natural = next(r for r in reasons if r.name == "Natural causes")
    children = [r.name for r in reasons if r.parent == natural.id]
    assert children == [
        "Champion or staff change",
        "Process change",
        "Business closed or moved",
        "Outgrew the product",
        "Budget cut",
    ]
    assert all(r.builtin for r in reasons)


def test_a_loss_records_mrr_reason_preventable_and_words(db):
    cid = _conversation(db)
    price = find_loss_reason(db, "price")
    tag_loss(
        db, cid, "120.50", "EUR", price.id, True, "Слишком дорого для нас", lost_on="2024-05-03"
    )
    (loss,) = losses_for_conversation(db, cid)
    assert loss.mrr_cents == 12050 and loss.currency == "EUR" and loss.reason_id == price.id
    assert loss.preventable is True and loss.customer_words == "Слишком дорого для нас"
    assert loss.agent_id is not None and loss.lost_on == "2024-05-03"


def test_renaming_a_reason_keeps_old_tags_pointing_at_it(db):
    cid = _conversation(db)
    mine = add_loss_reason(db, "Moved to in-house tool")
    tag_loss(db, cid, "10", "USD", mine.id)
    rename_loss_reason(db, mine.id, "Built it themselves")
    loss = losses_for_conversation(db, cid)[0]
    assert loss.reason_id == mine.id
    assert find_loss_reason(db, mine.id).name == "Built it themselves"
    assert not find_loss_reason(db, "Built it themselves").builtin


def test_reason_names_stay_unique_and_children_can_be_added(db):
    natural = find_loss_reason(db, "Natural causes")
    child = add_loss_reason(db, "Merger", parent=natural.id)
    assert find_loss_reason(db, "Natural causes: Merger").id == child.id
    with pytest.raises(InvalidInput, match="already"):
        add_loss_reason(db, "PRICE")
    with pytest.raises(InvalidInput, match="already"):
        rename_loss_reason(db, child.id, "Budget cut")
    with pytest.raises(InvalidInput, match="parent"):
        add_loss_reason(db, "Orphan", parent=999)


def test_bad_losses_are_refused(db):
    cid = _conversation(db)
    with pytest.raises(InvalidInput, match="reason"):
        tag_loss(db, cid, "10", "USD", 999)
    with pytest.raises(InvalidInput, match="fractions of a cent"):
        tag_loss(db, cid, "10.001", "USD", 1)
    with pytest.raises(InvalidInput, match="loss 42"):
        get_loss(db, 42)
    assert losses_for_conversation(db, cid) == []


def test_a_loss_can_be_corrected(db):
    cid = _conversation(db)
    tag_loss(db, cid, "10", "USD", find_loss_reason(db, "Other").id)
    loss = losses_for_conversation(db, cid)[0]
    update_loss(
        db, loss.id, mrr="12.00", reason_id=find_loss_reason(db, "Price").id, preventable=False
    )
    loss = get_loss(db, loss.id)
    assert (loss.mrr_cents, loss.preventable) == (1200, False)
    assert loss.reason_id == find_loss_reason(db, "Price").id
    with pytest.raises(InvalidInput, match="no field"):
        update_loss(db, loss.id, colour="red")


def test_not_a_fit_is_seeded_as_the_right_outcome_and_the_rest_as_losses(db):
    reasons = {r.name.split(" (")[0]: r for r in loss_reasons(db)}
    assert reasons["Not a fit"].right_outcome and reasons["Not a fit"].outcome == "right_outcome"
    assert [n for n, r in reasons.items() if r.right_outcome] == ["Not a fit"]


def test_an_added_reason_says_whether_it_is_a_loss_or_the_right_outcome(db):
    natural = find_loss_reason(db, "Natural causes")
    acquired = add_loss_reason(db, "Company acquired", natural.id)
    abusive = add_loss_reason(db, "Abusive customer", outcome="right outcome")
    assert not acquired.right_outcome and abusive.right_outcome
    names = [r.name for r in loss_reasons(db)]
    # a group's new child follows its last child, before the next top-level reason
    assert names.index("Company acquired") == names.index("Budget cut") + 1
    assert names[-1] == "Abusive customer"
    with pytest.raises(InvalidInput, match="neither 'loss' nor 'right outcome'"):
        add_loss_reason(db, "Maybe", outcome="perhaps")
    set_loss_reason_outcome(db, acquired.id, "right-outcome")
    assert find_loss_reason(db, "Company acquired").right_outcome


def test_reasons_are_added_and_listed_from_the_command_line(db_path):
    from click.testing import CliRunner

    from desktop.cli import cli

    runner = CliRunner()
    added = runner.invoke(
        cli, ["tag", "add-reason", "Abusive customer", "--right-outcome", "--db", str(db_path)]
    )
    assert added.exit_code == 0 and "counts as the right outcome" in added.output
    under = runner.invoke(
        cli, ["tag", "add-reason", "Acquired", "--under", "Natural causes", "--db", str(db_path)]
    )
    assert under.exit_code == 0 and "counts as a loss" in under.output
    listed = runner.invoke(cli, ["tag", "reasons", "--db", str(db_path)]).output
    assert "Abusive customer  [right outcome]" in listed and "    Acquired\n" in listed
    again = runner.invoke(cli, ["tag", "add-reason", "price", "--db", str(db_path)])
    assert again.exit_code == 1 and "already a reason called 'price'" in again.output
