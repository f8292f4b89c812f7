"""Reply times are kept current by the import writer, batch by batch, in its own transaction
(review.figures.reply_times), no longer rebuilt lazily when a figure is read: every row is made
once here from the messages stored so far (a store whose table the lazy rebuild left stale), and
the fingerprints the lazy rebuild used are dropped.

Was m009_reply_times_kept_by_imports (a development build's step).

Revision ID: 0009
"""

from __future__ import annotations

from alembic import op

from review.store.intervals import seconds_between_on

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# as review.figures.reply_times builds them (the writer keeps them the same way from now on)
_FILL = """
insert into reply_times (conversation_id, created_at, agent_id, team_id, channel, resolved,
                         asked_at, first_reply_s, agent_replies)
with firsts as (
    select m.conversation_id as cid,
           min(case when m.author_role = 'customer' then m.created_at end) as asked,
           count(case when m.author_role = 'agent' then 1 end) as replies
    from messages m
    where m.kind = 'message' and m.is_internal = 0
    group by m.conversation_id
)
select f.cid, c.created_at, c.agent_id, c.team_id, c.channel,
       case when c.status in ('solved', 'closed', 'resolved') then 1 else 0 end, f.asked,
       (select {wait} from messages m
        where m.conversation_id = f.cid and m.author_role = 'agent' and m.kind = 'message'
          and m.is_internal = 0 and m.created_at >= f.asked),
       f.replies
from firsts f join conversations c on c.id = f.cid
"""


def upgrade() -> None:
    wait = seconds_between_on(op.get_bind().dialect.name, "f.asked", "min(m.created_at)")
    op.execute("delete from reply_times")
    op.execute(_FILL.format(wait=wait))
    op.drop_table("derived_tables")


def downgrade() -> None:
    raise NotImplementedError("savedesk never downgrades a store; restore the backup instead")
