"""Write the demo's helpdesk exports into resources/demo/ (deterministic: same seed, same bytes).

Tasklane, a fictional project-management SaaS with monthly plans, runs support on several
helpdesks, so the demo exercises several importers:
  zendesk/  NDJSON full export (tickets with comments) + users NDJSON + a groups API page: English
  intercom/ conversations with parts, admins, teams: English chat, messaging and social, a bot
  helpscout/ conversations with embedded threads: Chinese (simplified and traditional)
  freshdesk/ tickets, conversations, agents, groups, satisfaction ratings: Russian
  csv/      a generic CSV, one row per message, from the phone system: English and Russian
Beside the exports: billing.csv (a monthly customer list for confirming saves and churn) and
story.json (which conversations ended saved or lost, for review.demo to tag).

The words come from hand-written scenarios in resources/demo/scenarios/*.toml; this package picks
people, plans, dates and channels around them. Run: .venv/bin/python -m scripts.demo_exports
(or .venv/bin/python scripts/make_demo_exports.py).

Modules: settings (seed, clock, paths), wording and people (what fills the scenarios),
scenarios (META, Turn, Convo, the TOML texts), builder (draws the conversations), output (JSON,
HTML and time spelling), then one writer per file: zendesk, intercom, helpscout, freshdesk,
phone_csv, story, billing.
"""

from __future__ import annotations

from .billing import write_billing
from .builder import Builder
from .freshdesk import write_freshdesk
from .helpscout import write_helpscout
from .intercom import write_intercom
from .phone_csv import write_csv
from .scenarios import Convo
from .settings import OUT
from .story import write_story
from .zendesk import write_zendesk


def main() -> None:
    """Build every conversation and write all the demo files, in a fixed order.

    The order matters: write_billing draws more customers from the builder's generator, so it
    runs last, after every conversation is built.
    """
    builder = Builder()
    builder.build()
    by_source: dict[str, list[Convo]] = {}
    for c in builder.convos:
        by_source.setdefault(c.source, []).append(c)
    write_zendesk(by_source["zendesk"], builder.customers)
    write_intercom(by_source["intercom"])
    write_helpscout(by_source["helpscout"])
    write_freshdesk(by_source["freshdesk"])
    write_csv(by_source["csv"])
    write_story(builder.convos)
    write_billing(builder)
    langs: dict[str, int] = {}
    for c in builder.convos:
        langs[c.lang] = langs.get(c.lang, 0) + 1
    print(f"{len(builder.convos)} conversations by language {langs}; written to {OUT}")
