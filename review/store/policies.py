"""Who may do what on a team store, as the SQL the server enforces (PostgreSQL only).

DOMAIN.md ("A team on one store") names four roles; each is a group role here, and every person
signs in with a login of their own in exactly one of them:
- savedesk_agent: reads the reviews, ratings and coaching notes about themselves (and the
  conversations those are about, the rubric and the people's names); writes nothing.
- savedesk_lead: reads the imported conversations; reviews (as themselves only), tags, saves,
  losses and coaches the agents of their teams; sees every review of their own, of their teams'
  agents and of any conversation they reviewed (calibration); claims queue items.
- savedesk_manager: reads everything (the audit trail too); builds and assigns queues; runs
  calibration sessions (creates and closes them, records the reference ratings).

Calibration sessions are scored blind: a session's reviews (reviews.calibration_session_id)
are read only by their reviewer, managers and admins until every reviewer named in the session
has finished or it is closed; then by the session's reviewers too. A lead writes a session
review only in a session naming them, on its conversations, while it is open and they have not
finished (whatever the conversation's team); agents never see session reviews.
- savedesk_admin: imports, rubrics, billing lists, settings, people; reads everything; upgrades
  the schema by `set role savedesk_owner` (the owner of every table, which nobody inherits).

GRANTs say which tables and columns a role touches at all; row-level security says which rows.
The person is `session_user` everywhere: `set role` cannot change it, so nobody can write as
someone else. Helper functions run as the owner (security definer) so a policy can look at
other tables (and at reviews itself) without recursing.
"""

from __future__ import annotations

ROLES = ("agent", "lead", "manager", "admin")
OWNER = "savedesk_owner"
SCHEMA = "savedesk"  # people, the audit trail and the helper functions; public holds the store


def group(role: str) -> str:
    """The group role of a savedesk role name."""
    return f"savedesk_{role}"


IMPORTED = (
    "imports", "import_problems", "import_runs", "teams", "agents", "customers",
    "conversations", "messages", "tags", "conversation_tags", "ratings", "churn_signals",
    "search_messages", "search_subjects", "reply_times",
    "autoqa_suggestions", "autoqa_scores", "autoqa_agreement",
)  # fmt: skip
REFERENCE = ("rubrics", "rubric_categories", "loss_reasons", "settings", "alembic_version")
BILLING = ("billing_imports", "billing_records", "period_counts")
REVIEW_WORK = (
    "reviews", "review_ratings", "disputes", "coaching_notes", "coaching_note_versions",
    "coaching_note_reviews", "action_items", "action_item_categories", "saves", "losses",
)  # fmt: skip
QUEUES = ("queues", "queue_items")
CALIBRATION = (
    "calibration_sessions", "calibration_session_conversations", "calibration_session_reviewers",
    "calibration_references",
)  # fmt: skip
PER_PERSON = ("undo_log", "applied_operations", "drafts")
# the second saves and losses an earlier savedesk let a conversation have (revision 0013): read
# by the staff, put back or cleared by an admin
SET_ASIDE = ("saves_set_aside", "losses_set_aside")
# each audited table with its key columns
AUDITED = {
    "reviews": ("id",), "review_ratings": ("review_id", "category_id"),
    "conversation_tags": ("conversation_id", "tag_id"), "coaching_notes": ("id",),
    "action_items": ("id",), "saves": ("id",), "losses": ("id",), "queues": ("id",),
    "queue_items": ("queue_id", "position"), "disputes": ("id",),
    "calibration_sessions": ("id",),
    "calibration_session_conversations": ("session_id", "conversation_id"),
    "calibration_session_reviewers": ("session_id", "reviewer"),
    "calibration_references": ("session_id", "conversation_id", "category_id"),
}  # fmt: skip
EVERY_TABLE = (
    IMPORTED + REFERENCE + BILLING + REVIEW_WORK + QUEUES + CALIBRATION + PER_PERSON + SET_ASIDE
)

DISPUTE_RESOLUTION = "status, resolution_note, resolved_by, resolved_at, version"
# A lead updates only these columns of a review: never its reviewer or its conversation.
REVIEW_COLUMNS = (
    "rubric_id, agent_id, score, critical_failed, overall_comment, updated_at, updated_by, version, "
    "edited_in"
)

PEOPLE = f"""
create schema if not exists {SCHEMA};
create table if not exists {SCHEMA}.people (
    login text primary key,
    role text not null check (role in ('agent', 'lead', 'manager', 'admin')),
    agent_id integer references public.agents (id),
    added_at timestamptz not null default now()
);
create table if not exists {SCHEMA}.people_teams (
    login text not null references {SCHEMA}.people (login) on delete cascade,
    team_id integer not null references public.teams (id),
    primary key (login, team_id)
);
create table if not exists {SCHEMA}.audit_log (
    id bigserial primary key,
    at timestamptz not null default now(),
    actor text not null default session_user,
    table_name text not null,
    action text not null,
    before jsonb,
    after jsonb
);
alter table {SCHEMA}.audit_log add column if not exists row_key jsonb;
alter table {SCHEMA}.audit_log add column if not exists tx bigint not null default txid_current();
create index if not exists idx_audit_log_table_at on {SCHEMA}.audit_log (table_name, at);
-- the trigger's look-up of the row's latest audit row in this transaction, one index probe
-- (table_name compared as text in the column's collation: compared as tg_table_name, a name in
-- collation "C", it was no index key, and each look-up read every row the transaction had
-- audited: ~n^2 / 2 rows for an import of n tags)
drop index if exists {SCHEMA}.idx_audit_log_tx;
create index if not exists idx_audit_log_tx_row on {SCHEMA}.audit_log (tx, table_name, row_key, id);
"""

# `stable` and no arguments: evaluated once per statement, not per row. Those a policy runs for
# every row written are PL/pgSQL: its plans are kept for the session, where a SQL function
# (security definer, so never inlined) is planned again at each call.
FUNCTIONS = f"""
create or replace function {SCHEMA}.my_agent() returns integer
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    return (select agent_id from {SCHEMA}.people where login = session_user);
end $$;

create or replace function {SCHEMA}.my_teams() returns integer[]
language sql stable security definer set search_path = pg_catalog, public as $$
    select coalesce(array_agg(team_id), '{{}}') from {SCHEMA}.people_teams
     where login = session_user $$;

create or replace function {SCHEMA}.my_agents() returns integer[]
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    return (select coalesce(array_agg(a.id), '{{}}') from public.agents a
      join {SCHEMA}.people_teams t on t.team_id = a.team_id where t.login = session_user);
end $$;

-- The hot read policies call these as `(select fn())`: an InitPlan run once per statement, where
-- a function taking a row's columns would run (and look its answer up again) for every row.
-- PL/pgSQL keeps each one's plan for the session; a SQL function is planned again at each call.
create or replace function {SCHEMA}.sees_everything() returns boolean
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    return pg_has_role(session_user, 'savedesk_manager', 'member')
        or pg_has_role(session_user, 'savedesk_admin', 'member');
end $$;

-- whose reviews and coaching notes the login reads: an agent their own, a lead their teams'
create or replace function {SCHEMA}.watched_agents() returns integer[]
language plpgsql stable security definer set search_path = pg_catalog, public as $$
declare
    agent boolean := pg_has_role(session_user, 'savedesk_agent', 'member');
    lead boolean := pg_has_role(session_user, 'savedesk_lead', 'member');
begin
    if not (agent or lead) then
        return '{{}}';
    end if;
    return (select coalesce(array_agg(a.id), '{{}}') from public.agents a
             where (agent and a.id = (select p.agent_id from {SCHEMA}.people p
                                       where p.login = session_user))
                or (lead and a.team_id in (select t.team_id from {SCHEMA}.people_teams t
                                            where t.login = session_user)));
end $$;

-- the conversations a lead reviewed ordinarily (as reviewed_by_me): every ordinary review of
-- them is theirs to read
create or replace function {SCHEMA}.calibrated_conversations() returns setof integer
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    if pg_has_role(session_user, 'savedesk_lead', 'member') then
        return query select r.conversation_id from public.reviews r
                      where r.reviewer = session_user and r.calibration_session_id is null;
    end if;
end $$;

create or replace function {SCHEMA}.is_lead() returns boolean
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    return pg_has_role(session_user, 'savedesk_lead', 'member');
end $$;

create or replace function {SCHEMA}.team_conversation(conversation integer) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    return exists (select 1 from public.conversations c where c.id = conversation
       and (c.team_id = any({SCHEMA}.my_teams()) or c.agent_id = any({SCHEMA}.my_agents())));
end $$;

-- an ordinary review (not one written in a calibration session) of the conversation by me
create or replace function {SCHEMA}.reviewed_by_me(conversation integer) returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
    select exists (select 1 from public.reviews r
                    where r.conversation_id = conversation and r.reviewer = session_user
                      and r.calibration_session_id is null) $$;

create or replace function {SCHEMA}.about_me(conversation integer) returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
    select exists (select 1 from public.reviews r
                    where r.conversation_id = conversation and r.agent_id = {SCHEMA}.my_agent()
                      and r.calibration_session_id is null) $$;

create or replace function {SCHEMA}.customer_conversation(customer integer) returns integer
language sql stable security definer set search_path = pg_catalog, public as $$
    select r.conversation_id from public.reviews r join public.conversations c
        on c.id = r.conversation_id
     where c.customer_id = customer and r.agent_id = {SCHEMA}.my_agent()
       and r.calibration_session_id is null limit 1 $$;

create or replace function {SCHEMA}.in_session(calibration integer) returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
    select exists (select 1 from public.calibration_session_reviewers s
                    where s.session_id = calibration and s.reviewer = session_user) $$;

-- every reviewer of the session has finished, or it is closed: its ratings may be compared
create or replace function {SCHEMA}.session_revealed(calibration integer) returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
    select exists (select 1 from public.calibration_sessions s where s.id = calibration
       and (s.status = 'closed' or not exists (select 1 from public.calibration_session_reviewers
            r where r.session_id = s.id and r.finished_at is null))) $$;

-- I may still rate this conversation of the session: open, naming me, not finished by me
create or replace function {SCHEMA}.session_scoring(calibration integer, conversation integer)
returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
    select exists (select 1 from public.calibration_sessions s
                     join public.calibration_session_reviewers r on r.session_id = s.id
                     join public.calibration_session_conversations c on c.session_id = s.id
                    where s.id = calibration and s.status = 'open'
                      and r.reviewer = session_user and r.finished_at is null
                      and c.conversation_id = conversation) $$;

create or replace function {SCHEMA}.review_row_visible(reviewer text, agent integer,
                                                     conversation integer, calibration integer)
returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
    select reviewer = session_user
        or pg_has_role(session_user, 'savedesk_manager', 'member')
        or pg_has_role(session_user, 'savedesk_admin', 'member')
        or case when calibration is null then
            (pg_has_role(session_user, 'savedesk_agent', 'member') and agent = {SCHEMA}.my_agent())
            or (pg_has_role(session_user, 'savedesk_lead', 'member')
                and (agent = any({SCHEMA}.my_agents()) or {SCHEMA}.reviewed_by_me(conversation)))
           else pg_has_role(session_user, 'savedesk_lead', 'member')
                and {SCHEMA}.in_session(calibration) and {SCHEMA}.session_revealed(calibration)
           end $$;

create or replace function {SCHEMA}.review_visible(review integer) returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
    select exists (select 1 from public.reviews r where r.id = review
       and {SCHEMA}.review_row_visible(r.reviewer, r.agent_id, r.conversation_id,
                                       r.calibration_session_id)) $$;

create or replace function {SCHEMA}.review_mine(review integer) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    return exists (select 1 from public.reviews r where r.id = review and r.reviewer = session_user);
end $$;

-- my review that I may still change: an ordinary one, or one of a session I am still scoring
create or replace function {SCHEMA}.review_writable(review integer) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    return exists (select 1 from public.reviews r where r.id = review and r.reviewer = session_user
       and (r.calibration_session_id is null
            or {SCHEMA}.session_scoring(r.calibration_session_id, r.conversation_id)));
end $$;

create or replace function {SCHEMA}.note_row_visible(author text, agent integer)
returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
    select (pg_has_role(session_user, 'savedesk_agent', 'member') and agent = {SCHEMA}.my_agent())
        or (pg_has_role(session_user, 'savedesk_lead', 'member')
            and (agent = any({SCHEMA}.my_agents()) or author = session_user))
        or pg_has_role(session_user, 'savedesk_manager', 'member')
        or pg_has_role(session_user, 'savedesk_admin', 'member') $$;

create or replace function {SCHEMA}.note_visible(note integer) returns boolean
language sql stable security definer set search_path = pg_catalog, public as $$
    select exists (select 1 from public.coaching_notes n where n.id = note
       and {SCHEMA}.note_row_visible(n.author, n.agent_id)) $$;

create or replace function {SCHEMA}.note_mine(note integer) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    return exists (select 1 from public.coaching_notes n where n.id = note
       and n.author = session_user and n.agent_id = any({SCHEMA}.my_agents()));
end $$;

create or replace function {SCHEMA}.item_mine(item integer) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, public as $$
begin
    return exists (select 1 from public.action_items i where i.id = item
       and {SCHEMA}.note_mine(i.note_id));
end $$;

-- One audit row per row a transaction changes: a second write of the row in the same
-- transaction (a review's score after its rating) updates that row's "after"; a row inserted
-- and deleted again leaves none. The trigger's arguments name the table's key columns.
create or replace function {SCHEMA}.audit() returns trigger
language plpgsql security definer set search_path = pg_catalog, public as $$
declare
    image jsonb := case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end;
    key jsonb := '{{}}';
    column_name text;
    earlier {SCHEMA}.audit_log%rowtype;
begin
    foreach column_name in array tg_argv loop
        key := key || jsonb_build_object(column_name, image -> column_name);
    end loop;
    select * into earlier from {SCHEMA}.audit_log
     where tx = txid_current() and table_name = cast(tg_table_name as text) collate "default"
       and row_key = key
     order by id desc limit 1;
    if not found then
        insert into {SCHEMA}.audit_log (actor, table_name, action, row_key, before, after)
        values (session_user, tg_table_name, lower(tg_op), key,
                case when tg_op <> 'INSERT' then to_jsonb(old) end,
                case when tg_op <> 'DELETE' then to_jsonb(new) end);
    elsif earlier.action = 'insert' and tg_op = 'DELETE' then
        delete from {SCHEMA}.audit_log where id = earlier.id;
    else
        update {SCHEMA}.audit_log
           set after = case when tg_op <> 'DELETE' then to_jsonb(new) end,
               action = case when earlier.action = 'insert' then 'insert'
                             when tg_op = 'DELETE' then 'delete'
                             when tg_op = 'INSERT' then 'update' else earlier.action end,
               at = now()
         where id = earlier.id;
    end if;
    return null;
end $$;

create or replace function {SCHEMA}.stamp_review() returns trigger
language plpgsql set search_path = pg_catalog, public as $$
begin
    new.updated_by := session_user;
    return new;
end $$;
"""


def _policy(table: str, name: str, command: str, roles: str, using: str | None, check: str | None):
    where = table if "." in table else f"public.{table}"
    parts = [f"create policy {name} on {where} for {command} to {roles}"]
    if using is not None:
        parts.append(f"using ({using})")
    if check is not None:
        parts.append(f"with check ({check})")
    return " ".join(parts) + ";"


def database_grants(database: str) -> list[str]:
    """Who may connect at all, and who creates in schema public: only the database's owner
    changes these (`admin init`), not an admin upgrading as the schema's owner."""
    everyone = ", ".join(group(r) for r in ROLES)
    return [
        f'revoke all on database "{database}" from public;',
        f'grant connect, temporary on database "{database}" to {everyone};',
        f'grant create on database "{database}" to {OWNER};',
        "revoke all on schema public from public;",
        f"grant usage, create on schema public to {OWNER};",
        f"grant usage on schema public to {everyone};",
    ]


def grants() -> list[str]:
    """The GRANT statements: which tables, columns and sequences each role touches at all."""
    agent, lead, manager, admin = (group(r) for r in ROLES)
    everyone = f"{agent}, {lead}, {manager}, {admin}"
    staff = f"{lead}, {manager}, {admin}"
    sql = [
        f"grant usage on schema {SCHEMA} to {everyone};",
        f"revoke all on all tables in schema public, {SCHEMA} from public;",
        f"revoke all on all tables in schema public from {everyone};",
        f"revoke all on all tables in schema {SCHEMA} from {everyone};",
        f"revoke all on all functions in schema {SCHEMA} from public;",
        f"grant execute on all functions in schema {SCHEMA} to {everyone};",
        f"grant usage, select on all sequences in schema public to {staff};",
    ]
    for table in EVERY_TABLE:
        sql.append(f"grant select on public.{table} to {manager}, {admin};")
    for table in IMPORTED + BILLING + REFERENCE + SET_ASIDE:
        sql.append(f"grant select on public.{table} to {lead};")
        if table != "alembic_version":
            sql.append(f"grant insert, update, delete on public.{table} to {admin};")
    # an agent reads the conversations about them as the reader shows them: with their
    # customer, CSAT/NPS answers, tags and churn marks (row-level security keeps it to those)
    for table in ("rubrics", "rubric_categories", "loss_reasons", "teams", "agents", "tags",
                  "alembic_version", "conversations", "messages", "customers", "ratings",
                  "conversation_tags", "churn_signals"):  # fmt: skip
        sql.append(f"grant select on public.{table} to {agent};")
    for table in ("reviews", "review_ratings", "coaching_notes", "coaching_note_versions",
                  "coaching_note_reviews", "action_items", "action_item_categories"):  # fmt: skip
        sql.append(f"grant select on public.{table} to {agent}, {lead};")
    sql += [
        f"grant insert, delete on public.reviews to {lead};",
        f"grant update ({REVIEW_COLUMNS}) on public.reviews to {lead};",
        f"grant insert, update, delete on public.review_ratings to {lead};",
        f"grant insert, update, delete on public.coaching_notes, public.coaching_note_versions, "
        f"public.coaching_note_reviews, public.action_items, public.action_item_categories "
        f"to {lead};",
        f"grant select, insert, update, delete on public.saves, public.losses to {lead};",
        f"grant insert, delete on public.conversation_tags to {lead};",
        f"grant insert on public.tags to {lead};",
        f"grant select on public.queues, public.queue_items to {lead};",
        # disputes: an agent opens one, the review's reviewer or a manager resolves it
        f"grant select on public.disputes to {agent}, {lead};",
        f"grant insert (review_id, category_id, reason, opened_by, opened_at, status) "
        f"on public.disputes to {agent};",
        f"grant usage on sequence public.disputes_id_seq to {agent};",
        f"grant update ({DISPUTE_RESOLUTION}) on public.disputes to {lead}, {manager};",
        f"grant update (claimed_by, claimed_at) on public.queue_items to {lead};",
        # calibration sessions: a manager runs them, a lead reads those naming them and
        # says when they have finished (row-level security narrows both)
        *(f"grant select on public.{table} to {lead};" for table in CALIBRATION),
        f"grant update (finished_at) on public.calibration_session_reviewers to {lead};",
        *(f"grant insert, update, delete on public.{table} to {manager};" for table in CALIBRATION),
        f"grant insert, update, delete on public.queues, public.queue_items to {manager};",
    ]
    # everyone's actions go through review/operations, which keeps each login's own undo
    # history and applied-operation ids (an agent's dispute too)
    for table in PER_PERSON:
        sql.append(f"grant select, insert, update, delete on public.{table} to {everyone};")
    sql += [
        f"grant select on {SCHEMA}.people, {SCHEMA}.people_teams to {everyone};",
        f"grant insert, update, delete on {SCHEMA}.people, {SCHEMA}.people_teams to {admin};",
        f"grant select on {SCHEMA}.audit_log to {manager}, {admin};",
    ]
    return sql


def _owned(table: str, role: str, mine: str) -> list[str]:
    """Insert, update and delete of the rows `mine` holds for; others' rows are not there for
    an update or a delete (nothing changes), an insert of one is refused."""
    return [
        _policy(table, "add_own", "insert", role, None, mine),
        _policy(table, "change_own", "update", role, mine, mine),
        _policy(table, "remove_own", "delete", role, mine, None),
    ]


def policies() -> list[str]:
    """Row-level security: which rows of the tables a role may touch, by command."""
    agent, lead, manager, admin = (group(r) for r in ROLES)
    s = SCHEMA
    everyone = f"{agent}, {lead}, {manager}, {admin}"
    readers = f"{lead}, {manager}, {admin}"
    above = (
        "pg_has_role(session_user, 'savedesk_manager', 'member') "
        "or pg_has_role(session_user, 'savedesk_admin', 'member')"
    )
    team_agent = f"(agent_id is null or agent_id = any({s}.my_agents()))"
    # review_row_visible and note_row_visible as expressions the planner sees: helpers run once
    # per statement (InitPlans), not once per row, so a scan of many reviews stays cheap (the cast
    # keeps `any((select ...))` an array, not a subquery of rows)
    review_read = (
        f"(select {s}.sees_everything()) or reviewer = session_user "
        f"or (calibration_session_id is null "
        f"and (agent_id = any(cast((select {s}.watched_agents()) as integer[])) "
        f"or conversation_id in (select {s}.calibrated_conversations()))) "
        f"or (calibration_session_id is not null and (select {s}.is_lead()) "
        f"and {s}.in_session(calibration_session_id) "
        f"and {s}.session_revealed(calibration_session_id))"
    )
    note_read = (
        f"(select {s}.sees_everything()) or agent_id = any(cast((select {s}.watched_agents()) as integer[])) "
        f"or (author = session_user and (select {s}.is_lead()))"
    )
    # a row under a review (a note) is visible with its review (note): the subquery runs under
    # that table's own row-level security, as an index probe or one hashed scan per statement
    review_shown = "exists (select 1 from public.reviews r where r.id = review_id)"
    note_shown = "exists (select 1 from public.coaching_notes n where n.id = note_id)"
    sql: list[str] = []
    for table, column in (("conversations", "id"), ("messages", "conversation_id"),
                          ("ratings", "conversation_id"), ("churn_signals", "conversation_id"),
                          ("customers", f"{s}.customer_conversation(id)")):  # fmt: skip
        sql.append(_policy(table, "read_all", "select", readers, "true", None))
        sql.append(
            _policy(table, "read_about_me", "select", agent, f"{s}.about_me({column})", None)
        )
        sql.append(_policy(table, "import", "all", admin, "true", "true"))
    # an ordinary review is of the lead's teams' agents; a session review is in a session the
    # lead is still scoring, on one of its conversations, whoever's agent it is
    reviewable = (
        f"case when calibration_session_id is null then {team_agent} "
        f"else {s}.session_scoring(calibration_session_id, conversation_id) end"
    )
    sql += [
        _policy("reviews", "read", "select", everyone, review_read, None),
        _policy("reviews", "add_own", "insert", lead, None,
                f"reviewer = session_user and {reviewable}"),
        # the reviewer column is not granted: changing another's review is refused aloud
        _policy("reviews", "change_own", "update", lead, review_read,
                f"reviewer = session_user and {reviewable}"),
        _policy("reviews", "remove_own", "delete", lead,
                f"reviewer = session_user and (calibration_session_id is null or {reviewable})",
                None),
        _policy("review_ratings", "read", "select", everyone, review_shown, None),
        *_owned("review_ratings", lead, f"{s}.review_writable(review_id)"),
        _policy("coaching_notes", "read", "select", everyone, note_read, None),
        *_owned("coaching_notes", lead,
                f"author = session_user and agent_id = any({s}.my_agents())"),
        _policy("action_item_categories", "read", "select", everyone, "true", None),
        *_owned("action_item_categories", lead, f"{s}.item_mine(item_id)"),
    ]  # fmt: skip
    resolved = "resolved_by = session_user and status <> 'open'"
    sql += [
        _policy("disputes", "read", "select", everyone, review_shown, None),
        # review_visible: for an agent, only the reviews about themselves
        _policy("disputes", "dispute_mine", "insert", agent, None,
                f"opened_by = session_user and status = 'open' and {s}.review_visible(review_id)"),
        _policy("disputes", "resolve_mine", "update", lead, f"{s}.review_mine(review_id)",
                f"{s}.review_mine(review_id) and {resolved}"),
        _policy("disputes", "resolve", "update", manager, "true", resolved),
    ]  # fmt: skip
    for table in ("coaching_note_versions", "coaching_note_reviews", "action_items"):
        sql.append(_policy(table, "read", "select", everyone, note_shown, None))
        sql += _owned(table, lead, f"{s}.note_mine(note_id)")
    for table in ("saves", "losses", "conversation_tags"):
        sql.append(_policy(table, "read", "select", readers, "true", None))
        sql += _owned(table, lead, f"{s}.team_conversation(conversation_id)")
    sql.append(_policy("conversation_tags", "import", "all", admin, "true", "true"))
    sql.append(_policy("conversation_tags", "read_about_me", "select", agent,
                       f"{s}.about_me(conversation_id)", None))  # fmt: skip
    assigned = "exists (select 1 from public.queues q where q.id = queue_id)"
    free = "claimed_by is null or claimed_by = session_user"
    sql += [
        _policy("queues", "read", "select", f"{manager}, {admin}", "true", None),
        _policy("queues", "read_mine", "select", lead,
                "reviewer is null or reviewer = session_user", None),
        _policy("queues", "build", "all", manager, "true", "true"),
        _policy("queue_items", "read", "select", f"{manager}, {admin}", "true", None),
        _policy("queue_items", "read_mine", "select", lead, assigned, None),
        _policy("queue_items", "claim", "update", lead, f"{assigned} and ({free})", free),
        _policy("queue_items", "build", "all", manager, "true", "true"),
        _policy("undo_log", "own", "all", everyone, "login = session_user",
                "login = session_user"),
    ]  # fmt: skip
    sql += calibration_policies()
    for table in ("people", "people_teams"):
        sql.append(
            _policy(f"{s}.{table}", "read_own", "select", everyone,
                    f"login = session_user or {above}", None)
        )  # fmt: skip
        sql.append(_policy(f"{s}.{table}", "manage", "all", admin, "true", "true"))
    return sql


def calibration_policies() -> list[str]:
    """Calibration sessions: a manager creates, closes and records references (as themselves);
    a lead reads the sessions naming them and marks their own scoring finished, once; the
    references are read by the session's leads once its ratings are revealed."""
    _, lead, manager, admin = (group(r) for r in ROLES)
    s = SCHEMA
    above = f"{manager}, {admin}"
    revealed = f"{s}.session_revealed(session_id)"
    return [
        _policy("calibration_sessions", "read", "select", above, "true", None),
        _policy("calibration_sessions", "read_mine", "select", lead, f"{s}.in_session(id)", None),
        _policy("calibration_sessions", "open_one", "insert", manager, None,
                "created_by = session_user and status = 'open'"),
        _policy("calibration_sessions", "close_one", "update", manager, "true",
                "status = 'open' or closed_by = session_user"),
        _policy("calibration_sessions", "remove", "delete", manager, "true", None),
        _policy("calibration_session_conversations", "read", "select", above, "true", None),
        _policy("calibration_session_conversations", "read_mine", "select", lead,
                f"{s}.in_session(session_id)", None),
        _policy("calibration_session_conversations", "build", "all", manager, "true", "true"),
        _policy("calibration_session_reviewers", "read", "select", above, "true", None),
        _policy("calibration_session_reviewers", "read_mine", "select", lead,
                f"{s}.in_session(session_id)", None),
        _policy("calibration_session_reviewers", "finish_mine", "update", lead,
                "reviewer = session_user and finished_at is null and exists (select 1 from "
                "public.calibration_sessions c where c.id = session_id and c.status = 'open')",
                "reviewer = session_user and finished_at is not null"),
        _policy("calibration_session_reviewers", "build", "all", manager, "true", "true"),
        _policy("calibration_references", "read", "select", above, "true", None),
        _policy("calibration_references", "read_mine", "select", lead,
                f"{s}.in_session(session_id) and {revealed}", None),
        _policy("calibration_references", "record", "insert", manager, None,
                f"recorded_by = session_user and {revealed}"),
        _policy("calibration_references", "change", "update", manager, "true",
                f"recorded_by = session_user and {revealed}"),
        _policy("calibration_references", "remove", "delete", manager, "true", None),
    ]  # fmt: skip


def policy_tables() -> tuple[str, ...]:
    """The tables under row-level security (the rest are whole-table GRANTs)."""
    return (
        "conversations", "messages", "customers", "ratings", "churn_signals", "reviews",
        "review_ratings", "coaching_notes",
        "coaching_note_versions", "coaching_note_reviews", "action_items",
        "action_item_categories", "saves", "losses", "conversation_tags", "queues",
        "queue_items", "undo_log", "disputes", f"{SCHEMA}.people", f"{SCHEMA}.people_teams",
        *CALIBRATION,
    )  # fmt: skip


def server_defaults() -> list[str]:
    """What makes the writing login the reviewer, the author (of a note, save or loss), the
    changer and the undo history's owner."""
    return [
        "alter table public.reviews alter column reviewer set default session_user;",
        "alter table public.undo_log alter column login set default session_user;",
        "alter table public.coaching_notes alter column author set default session_user;",
        "alter table public.saves alter column author set default session_user;",
        "alter table public.losses alter column author set default session_user;",
        "alter table public.disputes alter column opened_by set default session_user;",
        "alter table public.calibration_sessions alter column created_by set default session_user;",
        "alter table public.calibration_references alter column recorded_by "
        "set default session_user;",
        "drop trigger if exists stamp on public.reviews;",
        f"create trigger stamp before insert or update on public.reviews "
        f"for each row execute function {SCHEMA}.stamp_review();",
    ]


def audit_triggers() -> list[str]:
    """One audit row per row written to an audited table, by the server."""
    sql = []
    for table, key in AUDITED.items():
        sql.append(f"drop trigger if exists audit on public.{table};")
        sql.append(
            f"create trigger audit after insert or update or delete on public.{table} "
            f"for each row execute function {SCHEMA}.audit({', '.join(repr(k) for k in key)});"
        )
    return sql
