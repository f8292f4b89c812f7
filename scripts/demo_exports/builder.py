"""Builds the conversations: draws people, plans, dates and channels around the scenarios."""

from __future__ import annotations

import random
from datetime import date, timedelta

from .people import AGENTS, Customer, new_customer
from .scenarios import META, Convo, Turn, load_scenarios
from .settings import NOW, SEED, START
from .wording import (
    BOT_HANDOFF,
    BOT_HANDOFF_ASK,
    BOT_HELLO,
    COMPETITORS,
    CSAT_COMMENTS,
    PLAN_NAMES,
    PRICES,
    PROJECTS,
    SIGNOFF,
    day_text,
    money,
    month_text,
)

# how many conversations each helpdesk holds, by language, and its channels (weighted)
PLAN_OF_SOURCES = {
    "zendesk": ({"en": 118}, {"email": 6, "web": 3}),
    "intercom": ({"en": 72}, {"conversation": 6, "whatsapp": 2, "facebook": 1, "twitter": 1}),
    "helpscout": ({"zh_hans": 56, "zh_hant": 19}, {"email": 5, "chat": 3, "phone": 1}),
    "freshdesk": ({"ru": 56}, {1: 5, 2: 2, 3: 1, 7: 2}),
    "csv": ({"en": 22, "ru": 17}, {"phone": 3, "messaging": 1}),
}


class Builder:
    """Draws people, plans, dates and channels around the scenarios, reproducibly."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.scenarios = load_scenarios()
        self.customers: list[Customer] = []
        self.convos: list[Convo] = []
        self.used_names: set[str] = set()

    def new_customer(self, lang: str, start: date) -> Customer:
        """Draw a new customer from this builder's generator (see people.new_customer)."""
        return new_customer(self.rng, self.customers, self.used_names, lang, start)

    def pick_scenario(self, lang: str, seen: set[str]) -> str:
        """Choose the next scenario: each one once per language first, then by weight."""
        keys = list(self.scenarios[lang])
        unseen = [k for k in keys if k not in seen]
        if unseen:  # every scenario appears at least once per language
            return unseen[0]
        # Most conversations are everyday questions; every outcome scenario already appeared once.
        factor = {None: 2.2, "saved": 1.8, "lost": 0.6}
        weights = [META[k][0] * factor[META[k][1]] for k in keys]
        return self.rng.choices(keys, weights=weights)[0]

    def build(self) -> None:
        """Fill self.convos with every helpdesk's conversations, sorted by creation time."""
        rng = self.rng
        number = {"zendesk": 48210, "intercom": 2090, "helpscout": 310, "freshdesk": 1200, "csv": 1}
        for source, (by_lang, channels) in PLAN_OF_SOURCES.items():
            agents = [a for a in AGENTS if a[3] == source]
            for lang, count in by_lang.items():
                seen: set[str] = set()
                pool = [a for a in agents if lang in a[4].split()]
                for _ in range(count):
                    scenario = self.pick_scenario(lang, seen)
                    seen.add(scenario)
                    number[source] += rng.randint(1, 9)
                    channel = rng.choices(list(channels), weights=list(channels.values()))[0]
                    self.convos.append(
                        self.conversation(source, number[source], lang, scenario, pool, channel)
                    )
        self.convos.sort(key=lambda c: c.created)

    def conversation(
        self,
        source: str,
        number: int,
        lang: str,
        scenario: str,
        agents: list[tuple],
        channel: object,
    ) -> Convo:
        """One conversation: a customer, an agent, the scenario's turns filled in and timed."""
        rng = self.rng
        spec = self.scenarios[lang][scenario]
        created = START + timedelta(seconds=rng.randint(0, int((NOW - START).total_seconds()) - 1))
        created = created.replace(hour=rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 20]))
        outcome = META[scenario][1]
        # Only conversations without an outcome reuse a customer: nobody writes after leaving.
        repeat = [c for c in self.customers if c.lang == lang and c.ended is None]
        if repeat and outcome is None and rng.random() < 0.15:
            customer = rng.choice(repeat)
        else:
            customer = self.new_customer(lang, created.date())
        if scenario == "downgrade_saved" and customer.plan < 2:
            customer.plan = 2
        agent = rng.choice(agents)
        new_plan = max(customer.plan - 1, 0)
        prices = PRICES[customer.currency]
        values = {
            "customer": customer.first,
            "agent": agent[0].split()[0] if lang in ("en", "ru") else agent[0],
            "company": customer.company,
            "plan": PLAN_NAMES[lang][customer.plan],
            "price": money(prices[customer.plan], customer.currency),
            "new_plan": PLAN_NAMES[lang][new_plan],
            "new_price": money(prices[new_plan], customer.currency),
            "seats": rng.choice([6, 8, 12, 15, 25]),
            "month": month_text(created.date(), lang),
            "date": day_text((created - timedelta(days=rng.randint(2, 9))).date(), lang),
            "competitor": rng.choice(COMPETITORS),
            "project": rng.choice(PROJECTS[lang]),
            "invoice": f"INV-2026-{rng.randint(1000, 9999)}",
            "days": rng.choice([3, 5, 7]),
        }
        subject = rng.choice(spec["subjects"]).format(**values)
        convo = Convo(source, number, lang, scenario, customer, agent, channel, subject, created)
        convo.tags = list(META[scenario][4])
        convo.words = spec["words"].format(**values) if "words" in spec else None
        convo.story = spec["story"].format(**values) if "story" in spec else None
        at = created
        speed = agent[6]
        chatty = source == "intercom" or channel in ("chat", 7, "phone", 3, "messaging")
        if source == "intercom" and channel == "conversation" and rng.random() < 0.5:
            convo.turns.append(
                Turn("customer", rng.choice(spec["turns"][0][1:]).format(**values), at)
            )
            at += timedelta(seconds=rng.randint(2, 6))
            convo.turns.append(Turn("bot", BOT_HELLO.format(**values), at))
            at += timedelta(seconds=rng.randint(20, 90))
            convo.turns.append(Turn("customer", rng.choice(BOT_HANDOFF_ASK), at))
            at += timedelta(seconds=rng.randint(2, 5))
            convo.turns.append(Turn("bot", BOT_HANDOFF, at))
            turns = spec["turns"][1:]
        else:
            turns = spec["turns"]
        last_role = convo.turns[-1].role if convo.turns else None
        for i, (role, *variants) in enumerate(turns):
            text = rng.choice(variants).format(**values)
            if role == "note":
                at += timedelta(minutes=rng.randint(1, 25))
            elif role == "agent" and last_role in ("customer", "bot", None):
                base = rng.uniform(0.5, 4) if chatty else rng.uniform(20, 600)
                if scenario == "poor_service_lost":
                    base *= 30
                at += timedelta(minutes=base * speed)
            elif role == "agent":
                at += timedelta(hours=rng.uniform(4, 50))  # a promised follow-up
            else:
                at += timedelta(minutes=rng.uniform(1, 6) if chatty else rng.uniform(30, 1500))
            if role == "agent" and not chatty:
                text += f"\n\n{rng.choice(SIGNOFF[lang])}\n{agent[0]}"
            if i == 0 and role == "customer" and at != created:
                at = created
            convo.turns.append(Turn(role, text, at))
            if role != "note":
                last_role = role
        self.settle(convo, outcome, values)
        return convo

    def settle(self, convo: Convo, outcome: str | None, values: dict) -> None:
        """Status, satisfaction answers and the customer's billing future."""
        rng = self.rng
        last = convo.turns[-1].at
        if last > NOW - timedelta(hours=1):
            shift = last - (NOW - timedelta(hours=2))
            for turn in convo.turns:
                turn.at -= shift
            convo.created -= shift
        age = (NOW - convo.turns[-1].at).days
        if age < 10 and rng.random() < 0.5:
            convo.status = "open" if convo.turns[-1].role == "customer" else "pending"
        else:
            convo.status = "closed" if age > 28 else "solved"
        if convo.status in ("solved", "closed") and rng.random() < 0.55:
            good_chance = (META[convo.scenario][5] + convo.agent[5]) / 2
            convo.csat = rng.random() < good_chance
            comments = CSAT_COMMENTS[convo.lang][0 if convo.csat else 1]
            convo.csat_comment = rng.choice(comments) if rng.random() < 0.5 else None
        if convo.source == "csv" and convo.status in ("solved", "closed") and rng.random() < 0.7:
            base = 9 if convo.csat else 7
            convo.nps = max(0, min(10, base + rng.choice([-2, -1, 0, 0, 1, 1])))
        customer = convo.customer
        when = convo.created.date()
        if outcome == "lost":
            customer.ended = when + timedelta(days=rng.randint(1, 20))
        elif outcome == "saved" and rng.random() < 0.15:
            customer.ended = when + timedelta(days=rng.randint(9, 25))  # a save that failed
        elif outcome == "saved" and convo.scenario == "downgrade_saved":
            customer.mrr_after = (when, max(customer.plan - 1, 0))
