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

The words come from hand-written scenarios in resources/demo/scenarios/*.toml; this script picks
people, plans, dates and channels around them. Run: .venv/bin/python scripts/make_demo_exports.py
"""

from __future__ import annotations

import csv
import html
import io
import json
import random
import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

SEED = 20261101
NOW = datetime(2026, 11, 1, tzinfo=UTC)
START = NOW - timedelta(days=183)
OUT = Path(__file__).resolve().parents[1] / "resources" / "demo"
EXPORTS = OUT / "exports"

# scenario -> (weight, outcome, save method or loss reason, preventable, tags, chance of good CSAT)
META: dict[str, tuple] = {
    "billing_double_charge": (5, None, None, None, ["billing", "refund"], 0.85),
    "invoice_company_details": (4, None, None, None, ["billing", "invoice"], 0.9),
    "bug_gantt_export": (4, None, None, None, ["bug", "export"], 0.75),
    "bug_notifications": (4, None, None, None, ["bug", "notifications"], 0.8),
    "howto_recurring_tasks": (5, None, None, None, ["how-to"], 0.95),
    "howto_guest_access": (4, None, None, None, ["how-to", "permissions"], 0.92),
    "password_2fa_reset": (3, None, None, None, ["account", "security"], 0.8),
    "onboarding_import": (5, None, None, None, ["onboarding", "import"], 0.9),
    "feature_time_tracking": (4, None, None, None, ["feature-request"], 0.7),
    "seats_proration": (3, None, None, None, ["billing"], 0.9),
    "integration_slack_bug": (3, None, None, None, ["bug", "integrations"], 0.85),
    "billing_failed_payment": (3, None, None, None, ["billing"], 0.9),
    "happy_thanks": (3, None, None, None, ["praise"], 1.0),
    "cancel_price_saved": (3, "saved", "discount", None, ["cancellation", "retention"], 0.8),
    "cancel_pause_saved": (2, "saved", "pause", None, ["cancellation", "retention"], 0.9),
    "downgrade_saved": (2.5, "saved", "plan_change", None, ["downgrade", "retention"], 0.8),
    "switch_competitor_saved": (2, "saved", "taught", None, ["competitor", "retention"], 0.9),
    "angry_outage_saved": (2, "saved", "discount", None, ["outage", "complaint"], 0.55),
    "cancel_business_closed_lost": (
        1.5,
        "lost",
        "Natural causes: Business closed or moved",
        False,
        ["cancellation"],
        0.8,
    ),
    "refund_not_used_lost": (2, "lost", "Success drop-off", True, ["refund", "cancellation"], 0.6),
    "switch_competitor_lost": (2, "lost", "Switched to a competitor", True, ["competitor"], 0.5),
    "export_missing_feature_lost": (
        1.5,
        "lost",
        "Missing feature",
        True,
        ["export", "feature-request"],
        0.4,
    ),
    "angry_bugs_lost": (1.2, "lost", "Bugs or reliability", True, ["bug", "complaint"], 0.1),
    "poor_service_lost": (1, "lost", "Poor service experience", True, ["complaint"], 0.0),
    "onboarding_failed_lost": (1, "lost", "Ineffective onboarding", True, ["cancellation"], 0.4),
    "pushed_too_hard_lost": (1, "lost", "Pushed too hard", True, ["complaint", "sales"], 0.3),
    "champion_left_lost": (
        1,
        "lost",
        "Natural causes: Champion or staff change",
        True,
        ["cancellation"],
        0.7,
    ),
    "budget_cut_lost": (1, "lost", "Natural causes: Budget cut", False, ["cancellation"], 0.8),
    "price_lost": (1.5, "lost", "Price", True, ["cancellation", "pricing"], 0.4),
    "not_a_fit_lost": (1, "lost", "Not a fit", False, ["refund"], 0.9),
}

PLANS = ["Starter", "Team", "Business", "Enterprise"]
PRICES = {
    "USD": [19, 49, 129, 399],
    "EUR": [18, 45, 119, 369],
    "GBP": [15, 39, 99, 319],
    "RUB": [1490, 3900, 9900, 29900],
    "CNY": [129, 329, 899, 2690],
    "TWD": [590, 1490, 3990, 11990],
}
PLAN_NAMES = {
    "en": PLANS,
    "ru": ["«Старт»", "«Команда»", "«Бизнес»", "«Корпоративный»"],
    "zh_hans": ["入门版", "团队版", "商业版", "企业版"],
    "zh_hant": ["入門版", "團隊版", "商業版", "企業版"],
}
COMPETITORS = ["Planfield", "Taskora", "Bricklane", "Orbitly"]
PROJECTS = {
    "en": [
        "Website relaunch",
        "Q4 campaign",
        "Warehouse move",
        "Mobile app v2",
        "Client onboarding",
    ],
    "ru": [
        "Запуск сайта",
        "Переезд склада",
        "Рекламная кампания",
        "Новый офис",
        "Мобильное приложение",
    ],
    "zh_hans": ["官网改版", "新品发布", "双十一活动", "仓库搬迁", "客户上线"],
    "zh_hant": ["官網改版", "新品發表", "週年慶活動", "倉庫搬遷", "客戶導入"],
}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "ru": "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре",
}
MONTHS_GEN = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
SIGNOFF = {
    "en": ["Best,", "Kind regards,", "Thanks,", "Cheers,"],
    "ru": ["С уважением,", "Хорошего дня,"],
    "zh_hans": ["祝好，", "此致，"],
    "zh_hant": ["祝順心，", "敬祝 平安，"],
}
CSAT_COMMENTS = {
    "en": (
        ["Quick and friendly, thanks!", "Solved in one reply.", "Very helpful.", "Great support."],
        ["Took too long.", "Didn't solve my problem.", "Felt like a copy-paste answer."],
    ),
    "ru": (["Быстро и по делу, спасибо!", "Очень помогли."], ["Долго ждал ответа.", "Не помогли."]),
    "zh_hans": (["回复很快，谢谢！", "很专业。"], ["等太久了。", "没有解决问题。"]),
    "zh_hant": (["回覆很快，謝謝！"], ["等太久了。"]),
}

# name, email, team, source, languages, skill (mean quality 0-1), reply speed factor
AGENTS = [
    ("Maya Patel", "maya.patel", "Customer Care", "zendesk", "en", 0.86, 0.6),
    ("Tom Becker", "tom.becker", "Customer Care", "zendesk", "en", 0.62, 1.6),
    ("James Okafor", "james.okafor", "Billing & Retention", "zendesk", "en", 0.8, 0.9),
    ("Priya Nair", "priya.nair", "Billing & Retention", "zendesk", "en", 0.72, 1.0),
    ("Lucas Martin", "lucas.martin", "Customer Care", "intercom", "en", 0.7, 0.8),
    ("Emma Fischer", "emma.fischer", "Customer Care", "intercom", "en", 0.9, 0.7),
    ("陈静", "chen.jing", "International", "helpscout", "zh_hans", 0.84, 0.8),
    ("王磊", "wang.lei", "International", "helpscout", "zh_hans", 0.58, 1.4),
    ("林志豪", "lin.chihhao", "International", "helpscout", "zh_hant", 0.76, 1.0),
    ("Ольга Смирнова", "olga.smirnova", "International", "freshdesk", "ru", 0.88, 0.7),
    ("Дмитрий Волков", "dmitry.volkov", "International", "freshdesk", "ru", 0.66, 1.2),
    ("Sofia Alvarez", "sofia.alvarez", "Customer Care", "csv", "en ru", 0.78, 1.0),
]
TEAMS = {"Customer Care": 1001, "Billing & Retention": 1002, "International": 1003}

# how many conversations each helpdesk holds, by language, and its channels (weighted)
PLAN_OF_SOURCES = {
    "zendesk": ({"en": 118}, {"email": 6, "web": 3}),
    "intercom": ({"en": 72}, {"conversation": 6, "whatsapp": 2, "facebook": 1, "twitter": 1}),
    "helpscout": ({"zh_hans": 56, "zh_hant": 19}, {"email": 5, "chat": 3, "phone": 1}),
    "freshdesk": ({"ru": 56}, {1: 5, 2: 2, 3: 1, 7: 2}),
    "csv": ({"en": 22, "ru": 17}, {"phone": 3, "messaging": 1}),
}

FIRST = {
    "en": [
        "Anna",
        "Ben",
        "Chloe",
        "Daniel",
        "Ella",
        "Felix",
        "Grace",
        "Henry",
        "Isla",
        "Jack",
        "Kate",
        "Leo",
        "Mia",
        "Noah",
        "Olivia",
        "Paul",
        "Quinn",
        "Ruby",
        "Sam",
        "Tara",
        "Uma",
        "Victor",
        "Wendy",
        "Zoe",
        "Aaron",
        "Bella",
        "Carlos",
        "Diana",
        "Ethan",
        "Fiona",
    ],
    "ru": [
        ("Анна", "anna"),
        ("Иван", "ivan"),
        ("Мария", "maria"),
        ("Сергей", "sergey"),
        ("Елена", "elena"),
        ("Алексей", "alexey"),
        ("Наталья", "natalia"),
        ("Павел", "pavel"),
        ("Татьяна", "tatiana"),
        ("Андрей", "andrey"),
        ("Юлия", "yulia"),
        ("Михаил", "mikhail"),
    ],
}
LAST = {
    "en": [
        "Smith",
        "Johnson",
        "Brown",
        "Taylor",
        "Wilson",
        "Clarke",
        "Hughes",
        "Walker",
        "Wright",
        "Green",
        "Hall",
        "Wood",
        "Moore",
        "Evans",
        "Cooper",
        "Ward",
        "Turner",
        "Hill",
        "Baker",
        "Reed",
        "Kelly",
        "Shaw",
    ],
    "ru": [
        ("Иванов", "ivanov"),
        ("Петров", "petrov"),
        ("Соколов", "sokolov"),
        ("Попов", "popov"),
        ("Лебедев", "lebedev"),
        ("Козлов", "kozlov"),
        ("Новиков", "novikov"),
        ("Морозов", "morozov"),
    ],
}
ZH_NAMES = {
    "zh_hans": [
        ("张伟", "zhang.wei"),
        ("李娜", "li.na"),
        ("刘洋", "liu.yang"),
        ("赵敏", "zhao.min"),
        ("孙磊", "sun.lei"),
        ("周婷", "zhou.ting"),
        ("吴昊", "wu.hao"),
        ("郑爽", "zheng.shuang"),
        ("黄欣", "huang.xin"),
        ("何涛", "he.tao"),
        ("高悦", "gao.yue"),
        ("马超", "ma.chao"),
        ("罗琳", "luo.lin"),
        ("徐凯", "xu.kai"),
        ("朱莉", "zhu.li"),
        ("胡斌", "hu.bin"),
    ],
    "zh_hant": [
        ("陳怡君", "chen.yijun"),
        ("張家豪", "chang.chiahao"),
        ("黃雅婷", "huang.yating"),
        ("蔡宗翰", "tsai.tsunghan"),
        ("吳佩珊", "wu.peishan"),
        ("許志明", "hsu.chihming"),
        ("鄭淑芬", "cheng.shufen"),
        ("謝承恩", "hsieh.chengen"),
    ],
}
COMPANIES = {
    "en": [
        "Northwind",
        "Bluebird",
        "Harbor",
        "Maple",
        "Summit",
        "Copper",
        "Lantern",
        "Fieldstone",
        "Brightside",
        "Redwood",
        "Silverline",
        "Kestrel",
        "Oakridge",
        "Pinecone",
        "Meridian",
        "Tidewater",
    ],
    "en_kind": ["Studio", "Logistics", "Design", "Consulting", "Labs", "Builders", "Media"],
    "ru": ["Вектор", "Северный ветер", "Альфа-Строй", "Горизонт", "Медиа Плюс", "Техносфера"],
    "zh_hans": ["杭州云帆科技", "深圳蓝海设计", "北京启明咨询", "上海星河传媒", "成都锦程物流"],
    "zh_hant": ["台北晨光設計", "新竹鼎盛科技", "台中樂活行銷", "高雄海港物流"],
}


@dataclass
class Customer:
    key: int
    name: str
    first: str
    email: str
    company: str
    lang: str
    currency: str
    plan: int
    since: date
    ended: date | None = None
    mrr_after: tuple[date, int] | None = None  # a downgrade: from this day, this plan


@dataclass
class Turn:
    role: str  # customer | agent | note | bot
    text: str
    at: datetime


@dataclass
class Convo:
    source: str
    number: int
    lang: str
    scenario: str
    customer: Customer
    agent: tuple
    channel: object
    subject: str
    created: datetime
    turns: list[Turn] = field(default_factory=list)
    status: str = "solved"
    csat: bool | None = None  # True good, False bad, None not answered
    csat_comment: str | None = None
    nps: int | None = None
    tags: list[str] = field(default_factory=list)
    words: str | None = None  # the customer's own words, for a loss
    story: str | None = None  # what a coach can teach from, for a save


def load_scenarios() -> dict[str, dict]:
    scenarios = {}
    for lang in ("en", "ru", "zh_hans", "zh_hant"):
        path = OUT / "scenarios" / f"{lang}.toml"
        scenarios[lang] = tomllib.loads(path.read_text("utf-8"))
        unknown = set(scenarios[lang]) - set(META)
        assert not unknown, f"{path}: scenarios without META: {unknown}"
    return scenarios


def money(amount: int, currency: str) -> str:
    if currency == "RUB":
        return f"{amount:,}".replace(",", "\u00a0") + "\u00a0₽"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "TWD": "NT$"}[currency]
    return f"{symbol}{amount:,}"


def day_text(d: date, lang: str) -> str:
    if lang == "en":
        return f"{MONTHS['en'].split()[d.month - 1]} {d.day}"
    if lang == "ru":
        return f"{d.day} {MONTHS_GEN.split()[d.month - 1]}"
    return f"{d.month}月{d.day}日"


def month_text(d: date, lang: str) -> str:
    return MONTHS[lang].split()[d.month - 1] if lang in MONTHS else f"{d.month}月"


class Builder:
    """Draws people, plans, dates and channels around the scenarios, reproducibly."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.scenarios = load_scenarios()
        self.customers: list[Customer] = []
        self.convos: list[Convo] = []
        self.used_names: set[str] = set()

    def new_customer(self, lang: str, start: date) -> Customer:
        rng = self.rng
        for _ in range(100):
            if lang == "en":
                first, last = rng.choice(FIRST["en"]), rng.choice(LAST["en"])
                name, latin = f"{first} {last}", f"{first}.{last}".lower()
                company = f"{rng.choice(COMPANIES['en'])} {rng.choice(COMPANIES['en_kind'])}"
            elif lang == "ru":
                (first, f_lat), (last, l_lat) = rng.choice(FIRST["ru"]), rng.choice(LAST["ru"])
                if first.endswith("а") or first.endswith("я"):
                    last += "а"
                    l_lat += "a"
                name, latin = f"{first} {last}", f"{f_lat}.{l_lat}"
                company = rng.choice(COMPANIES["ru"])
            else:
                name, latin = rng.choice(ZH_NAMES[lang])
                first = name
                company = rng.choice(COMPANIES[lang])
            if name not in self.used_names or rng.random() < 0.15:
                break
        self.used_names.add(name)
        domain = {"en": "example.com", "ru": "example.ru", "zh_hans": "example.cn"}.get(
            lang, "example.com.tw"
        )
        n = len(self.customers) + 1
        currency = {"ru": "RUB", "zh_hans": "CNY", "zh_hant": "TWD"}.get(lang) or rng.choice(
            ["USD"] * 6 + ["EUR"] * 2 + ["GBP"]
        )
        customer = Customer(
            key=n,
            name=name,
            first=name if lang.startswith("zh") else name.split()[0],
            email=f"{latin}{n}@{domain}",
            company=company,
            lang=lang,
            currency=currency,
            plan=rng.choices(range(4), weights=[3, 5, 3, 1])[0],
            since=start - timedelta(days=rng.randint(12, 900)),
        )
        self.customers.append(customer)
        return customer

    def pick_scenario(self, lang: str, seen: set[str]) -> str:
        keys = list(self.scenarios[lang])
        unseen = [k for k in keys if k not in seen]
        if unseen:  # every scenario appears at least once per language
            return unseen[0]
        # Most conversations are everyday questions; every outcome scenario already appeared once.
        factor = {None: 2.2, "saved": 1.8, "lost": 0.6}
        weights = [META[k][0] * factor[META[k][1]] for k in keys]
        return self.rng.choices(keys, weights=weights)[0]

    def build(self) -> None:
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

    def conversation(self, source, number, lang, scenario, agents, channel) -> Convo:
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


BOT_HELLO = (
    "Hi {customer} 👋 I'm Fin, Tasklane's assistant. I can answer most questions right away, "
    "or connect you with the team."
)
BOT_HANDOFF_ASK = ["Talk to a person please", "I need a human", "agent", "Can I talk to someone?"]
BOT_HANDOFF = (
    "No problem, I'm passing you to the team. They usually reply in a few minutes, "
    "and you'll get the answer here and by email."
)


# -- writers ----------------------------------------------------------------------------------


def iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(t: datetime) -> int:
    return int(t.timestamp())


def as_html(text: str, wrapper: str = "") -> str:
    paragraphs = "".join(
        "<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in text.split("\n\n")
    )
    return f"<div{wrapper}>{paragraphs}</div>"


def dump(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", "utf-8")


def dump_lines(path: Path, values: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in values)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def agent_index(agent: tuple) -> int:
    return AGENTS.index(agent) + 1


ZD_CUSTOMER, ZD_AGENT = 36190000000, 36180000000
ZD_STATUS = {"open": "open", "pending": "pending", "solved": "solved", "closed": "closed"}


def write_zendesk(convos: list[Convo], customers: list[Customer]) -> None:
    rng = random.Random(SEED + 1)
    tickets, seen = [], {}
    for c in convos:
        requester, assignee = ZD_CUSTOMER + c.customer.key, ZD_AGENT + agent_index(c.agent)
        seen[c.customer.key] = c.customer
        comments = []
        for i, t in enumerate(c.turns):
            author = requester if t.role == "customer" else assignee
            comments.append(
                {
                    "id": c.number * 100 + i,
                    "type": "Comment",
                    "author_id": author,
                    "body": t.text,
                    "html_body": as_html(t.text, ' class="zd-comment" dir="auto"'),
                    "plain_body": t.text,
                    "public": t.role != "note",
                    "attachments": [],
                    "audit_id": c.number * 1000 + i,
                    "via": {"channel": c.channel if i == 0 else "web", "source": {"rel": None}},
                    "created_at": iso(t.at),
                    "metadata": {"system": {"client": "Mozilla/5.0"}, "custom": {}},
                }
            )
        rating = {"score": "unoffered"}
        if c.csat is not None:
            rating = {
                "id": c.number * 7,
                "score": "good" if c.csat else "bad",
                "comment": c.csat_comment,
                "created_at": iso(c.turns[-1].at + timedelta(hours=rng.randint(1, 30))),
            }
        elif c.status in ("solved", "closed"):
            rating = {"score": "offered"}
        updated = c.turns[-1].at
        tickets.append(
            {
                "url": f"https://tasklane.zendesk.com/api/v2/tickets/{c.number}.json",
                "id": c.number,
                "via": {"channel": c.channel, "source": {"from": {}, "to": {}, "rel": None}},
                "created_at": iso(c.created),
                "updated_at": iso(updated),
                "type": "incident" if "bug" in c.tags else "question",
                "subject": c.subject,
                "raw_subject": c.subject,
                "description": c.turns[0].text,
                "priority": "high" if "complaint" in c.tags else "normal",
                "status": ZD_STATUS[c.status],
                "recipient": "support@tasklane.io",
                "requester_id": requester,
                "submitter_id": requester,
                "assignee_id": assignee,
                "organization_id": None,
                "group_id": TEAMS[c.agent[2]],
                "collaborator_ids": [],
                "is_public": True,
                "tags": c.tags,
                "custom_fields": [{"id": 360011, "value": PLANS[c.customer.plan].lower()}],
                "satisfaction_rating": rating,
                "comments": comments,
            }
        )
    dump_lines(EXPORTS / "zendesk" / "tickets.ndjson", tickets)
    agents = [
        {
            "id": ZD_AGENT + agent_index(a),
            "url": f"https://tasklane.zendesk.com/api/v2/users/{ZD_AGENT + agent_index(a)}.json",
            "name": a[0],
            "email": f"{a[1]}@tasklane.io",
            "role": "agent",
            "active": True,
            "default_group_id": TEAMS[a[2]],
            "time_zone": "London",
            "created_at": "2024-02-01T09:00:00Z",
        }
        for a in AGENTS
        if a[3] == "zendesk"
    ]
    users = [
        {
            "id": ZD_CUSTOMER + cu.key,
            "url": f"https://tasklane.zendesk.com/api/v2/users/{ZD_CUSTOMER + cu.key}.json",
            "name": cu.name,
            "email": cu.email,
            "role": "end-user",
            "active": True,
            "organization_id": None,
            "created_at": iso(datetime.combine(cu.since, datetime.min.time(), UTC)),
        }
        for cu in seen.values()
    ]
    dump_lines(EXPORTS / "zendesk" / "users.ndjson", users)
    groups = [
        {
            "url": f"https://tasklane.zendesk.com/api/v2/groups/{gid}.json",
            "id": gid,
            "name": name,
            "description": "",
            "default": gid == 1001,
            "deleted": False,
            "created_at": "2024-02-01T09:00:00Z",
            "updated_at": "2026-03-12T10:21:00Z",
        }
        for name, gid in TEAMS.items()
        if name != "International"
    ]
    # The agents with their groups side-loaded: GET /api/v2/users.json?role=agent&include=groups
    dump(
        EXPORTS / "zendesk" / "agents.json",
        {
            "users": agents,
            "groups": groups,
            "next_page": None,
            "previous_page": None,
            "count": len(agents),
        },
    )


def write_intercom(convos: list[Convo]) -> None:
    rng = random.Random(SEED + 2)
    items = []
    for c in convos:
        contact = f"6571{c.customer.key:08x}"
        admin = {"type": "admin", "id": str(7000 + agent_index(c.agent)), "name": c.agent[0]}
        admin["email"] = f"{c.agent[1]}@tasklane.io"
        user = {"type": "user", "id": contact, "name": c.customer.name, "email": c.customer.email}
        bot = {"type": "bot", "id": "7999", "name": "Fin", "email": "operator+tasklane@intercom.io"}
        first, rest = c.turns[0], c.turns[1:]
        parts = []
        for i, t in enumerate(rest):
            author = {"customer": user, "bot": bot}.get(t.role, admin)
            parts.append(
                {
                    "type": "conversation_part",
                    "id": str(c.number * 1000 + i),
                    "part_type": "note" if t.role == "note" else "comment",
                    "body": as_html(t.text)[5:-6],
                    "created_at": epoch(t.at),
                    "updated_at": epoch(t.at),
                    "notified_at": epoch(t.at),
                    "assigned_to": None,
                    "author": author,
                    "attachments": [],
                    "redacted": False,
                }
            )
            if t.role == "bot" and i > 0 and rest[i - 1].role == "customer" and i + 1 < len(rest):
                parts.append(
                    {
                        "type": "conversation_part",
                        "id": str(c.number * 1000 + 500 + i),
                        "part_type": "assignment",
                        "body": None,
                        "created_at": epoch(t.at),
                        "updated_at": epoch(t.at),
                        "notified_at": epoch(t.at),
                        "assigned_to": {"type": "team", "id": str(TEAMS[c.agent[2]])},
                        "author": bot,
                        "attachments": [],
                        "redacted": False,
                    }
                )
        closed = c.status in ("solved", "closed")
        if closed:
            end = c.turns[-1].at + timedelta(minutes=rng.randint(1, 30))
            parts.append(
                {
                    "type": "conversation_part",
                    "id": str(c.number * 1000 + 999),
                    "part_type": "close",
                    "body": None,
                    "created_at": epoch(end),
                    "updated_at": epoch(end),
                    "notified_at": epoch(end),
                    "assigned_to": None,
                    "author": admin,
                    "attachments": [],
                    "redacted": False,
                }
            )
        rating = None
        if c.csat is not None:
            rating = {
                "rating": rng.choice([4, 5, 5]) if c.csat else rng.choice([1, 2, 3]),
                "remark": c.csat_comment,
                "created_at": epoch(c.turns[-1].at + timedelta(minutes=rng.randint(5, 600))),
                "contact": {"type": "contact", "id": contact},
                "teammate": {"type": "admin", "id": admin["id"]},
            }
        source_type = c.channel
        items.append(
            {
                "type": "conversation",
                "id": str(c.number),
                "title": c.subject,
                "created_at": epoch(c.created),
                "updated_at": parts[-1]["created_at"] if parts else epoch(c.turns[-1].at),
                "waiting_since": None if closed else epoch(c.turns[-1].at),
                "snoozed_until": None,
                "open": not closed,
                "state": "closed" if closed else "open",
                "read": True,
                "priority": "priority" if "complaint" in c.tags else "not_priority",
                "admin_assignee_id": int(admin["id"]),
                "team_assignee_id": str(TEAMS[c.agent[2]]),
                "tags": {
                    "type": "tag.list",
                    "tags": [
                        {"type": "tag", "id": str(zlib.crc32(t.encode()) % 10**6), "name": t}
                        for t in c.tags
                    ],
                },
                "source": {
                    "type": source_type,
                    "id": str(c.number * 10),
                    "delivered_as": "customer_initiated",
                    "subject": "",
                    "body": as_html(first.text)[5:-6],
                    "author": user,
                    "attachments": [],
                    "url": None,
                    "redacted": False,
                },
                "contacts": {
                    "type": "contact.list",
                    "contacts": [
                        {"type": "contact", "id": contact, "external_id": f"cus_{c.customer.key}"}
                    ],
                },
                "teammates": {
                    "type": "admin.list",
                    "admins": [{"type": "admin", "id": admin["id"]}],
                },
                "conversation_rating": rating,
                "custom_attributes": {"Plan": PLANS[c.customer.plan]},
                "conversation_parts": {
                    "type": "conversation_part.list",
                    "conversation_parts": parts,
                    "total_count": len(parts),
                },
            }
        )
    dump(
        EXPORTS / "intercom" / "conversations.json",
        {
            "type": "conversation.list",
            "conversations": items,
            "total_count": len(items),
            "pages": {"type": "pages", "page": 1, "per_page": len(items), "total_pages": 1},
        },
    )
    admins = [
        {
            "type": "admin",
            "id": str(7000 + agent_index(a)),
            "name": a[0],
            "email": f"{a[1]}@tasklane.io",
            "away_mode_enabled": False,
            "has_inbox_seat": True,
            "team_ids": [TEAMS[a[2]]],
        }
        for a in AGENTS
        if a[3] == "intercom"
    ]
    dump(EXPORTS / "intercom" / "admins.json", {"type": "admin.list", "admins": admins})
    teams = [
        {"type": "team", "id": str(gid), "name": name, "admin_ids": []}
        for name, gid in TEAMS.items()
        if name == "Customer Care"
    ]
    dump(EXPORTS / "intercom" / "teams.json", {"type": "team.list", "teams": teams})


HS_STATUS = {"open": "active", "pending": "pending", "solved": "closed", "closed": "closed"}


def write_helpscout(convos: list[Convo]) -> None:
    items = []
    for c in convos:
        cid = 880000 + c.number
        customer = {"id": 51000 + c.customer.key, "email": c.customer.email}
        customer_person = {**customer, "type": "customer", "first": c.customer.name, "last": ""}
        agent = {
            "id": 4200 + agent_index(c.agent),
            "type": "user",
            "first": c.agent[0],
            "last": "",
            "email": f"{c.agent[1]}@tasklane.io",
        }
        threads = []
        for i, t in enumerate(c.turns):
            kind = {"customer": "customer", "note": "note"}.get(t.role, "reply")
            if c.channel in ("chat", "phone") and t.role in ("customer", "agent"):
                kind = c.channel
            by_customer = t.role == "customer"
            threads.append(
                {
                    "id": cid * 100 + i,
                    "type": kind,
                    "status": "active",
                    "state": "published",
                    "action": None,
                    "body": as_html(t.text),
                    "source": {
                        "type": "email" if c.channel == "email" else "web",
                        "via": "customer" if by_customer else "user",
                    },
                    "customer": customer,
                    "createdBy": customer_person if by_customer else agent,
                    "assignedTo": agent,
                    "to": [],
                    "cc": [],
                    "bcc": [],
                    "createdAt": iso(t.at),
                    "openedAt": iso(t.at + timedelta(minutes=3)),
                    "_embedded": {"attachments": []},
                }
            )
            if i == 0:
                threads.append(
                    {
                        "id": cid * 100 + 90,
                        "type": "lineitem",
                        "status": "active",
                        "state": "published",
                        "action": {"type": "manual-workflow", "text": f"Assigned to {c.agent[0]}"},
                        "body": None,
                        "source": {"type": "web", "via": "user"},
                        "createdBy": agent,
                        "assignedTo": agent,
                        "createdAt": iso(t.at + timedelta(seconds=40)),
                    }
                )
        threads.sort(key=lambda t: t["createdAt"], reverse=True)  # the API lists newest first
        closed = c.status in ("solved", "closed")
        items.append(
            {
                "id": cid,
                "number": c.number,
                "threads": len(threads),
                "type": c.channel,
                "folderId": 1,
                "status": HS_STATUS[c.status],
                "state": "published",
                "subject": c.subject,
                "preview": c.turns[0].text[:80],
                "mailboxId": 101 if c.lang == "zh_hans" else 102,
                "assignee": agent,
                "createdBy": customer_person,
                "createdAt": iso(c.created),
                "closedBy": agent["id"] if closed else 0,
                "closedAt": iso(c.turns[-1].at) if closed else None,
                "userUpdatedAt": iso(c.turns[-1].at),
                "customerWaitingSince": {
                    "time": iso(c.turns[-1].at),
                    "friendly": "",
                    "latestReplyFrom": "user",
                },
                "source": {"type": c.channel, "via": "customer"},
                "tags": [
                    {"id": zlib.crc32(t.encode()) % 10**5, "color": "#929499", "tag": t}
                    for t in c.tags
                ],
                "cc": [],
                "bcc": [],
                "primaryCustomer": customer_person,
                "customFields": [
                    {
                        "id": 8101,
                        "name": "Plan",
                        "value": PLANS[c.customer.plan],
                        "text": PLANS[c.customer.plan],
                    }
                ],
                "_embedded": {"threads": threads},
            }
        )
    dump(
        EXPORTS / "helpscout" / "conversations.json",
        {
            "_embedded": {"conversations": items},
            "_links": {
                "self": {"href": "https://api.helpscout.net/v2/conversations?embed=threads"}
            },
            "page": {"size": len(items), "totalElements": len(items), "totalPages": 1, "number": 1},
        },
    )


FD_STATUS = {"open": 2, "pending": 3, "solved": 4, "closed": 5}


def write_freshdesk(convos: list[Convo]) -> None:
    rng = random.Random(SEED + 3)
    tickets, entries, ratings = [], [], []
    for c in convos:
        requester = 77000000 + c.customer.key
        responder = 77100000 + agent_index(c.agent)
        first, rest = c.turns[0], c.turns[1:]
        first_reply = next((t.at for t in rest if t.role == "agent"), None)
        closed = c.status in ("solved", "closed")
        tickets.append(
            {
                "cc_emails": [],
                "fwd_emails": [],
                "reply_cc_emails": [],
                "fr_escalated": False,
                "spam": False,
                "email_config_id": 77000012 if c.channel == 1 else None,
                "group_id": TEAMS[c.agent[2]],
                "priority": 3 if "complaint" in c.tags else 1,
                "requester_id": requester,
                "responder_id": responder,
                "source": c.channel,
                "company_id": None,
                "status": FD_STATUS[c.status],
                "subject": c.subject,
                "to_emails": None,
                "product_id": None,
                "id": c.number,
                "type": "Incident" if "bug" in c.tags else "Question",
                "due_by": iso(c.created + timedelta(days=3)),
                "fr_due_by": iso(c.created + timedelta(hours=8)),
                "is_escalated": False,
                "description": as_html(first.text),
                "description_text": first.text,
                "custom_fields": {"cf_plan": PLANS[c.customer.plan]},
                "created_at": iso(c.created),
                "updated_at": iso(c.turns[-1].at),
                "tags": c.tags,
                "attachments": [],
                "requester": {
                    "id": requester,
                    "name": c.customer.name,
                    "email": c.customer.email,
                    "mobile": None,
                    "phone": None,
                },
                "stats": {
                    "first_responded_at": iso(first_reply) if first_reply else None,
                    "resolved_at": iso(c.turns[-1].at) if closed else None,
                    "closed_at": iso(c.turns[-1].at) if c.status == "closed" else None,
                },
            }
        )
        for i, t in enumerate(rest):
            incoming = t.role == "customer"
            entries.append(
                {
                    "body": as_html(t.text),
                    "body_text": t.text,
                    "id": c.number * 100 + i,
                    "incoming": incoming,
                    "private": t.role == "note",
                    "user_id": requester if incoming else responder,
                    "support_email": None if incoming else "support@tasklane.ru",
                    "source": 2 if t.role == "note" else 0,
                    "ticket_id": c.number,
                    "to_emails": [] if t.role == "note" else [c.customer.email],
                    "from_email": None,
                    "cc_emails": [],
                    "bcc_emails": [],
                    "created_at": iso(t.at),
                    "updated_at": iso(t.at),
                    "attachments": [],
                }
            )
        if c.csat is not None:
            value = rng.choice([101, 102, 103, 103]) if c.csat else rng.choice([-103, -102, 100])
            ratings.append(
                {
                    "id": 9100000 + c.number,
                    "survey_id": 77000001,
                    "user_id": requester,
                    "agent_id": responder,
                    "feedback": c.csat_comment,
                    "group_id": TEAMS[c.agent[2]],
                    "ticket_id": c.number,
                    "ratings": {"default_question": value},
                    "created_at": iso(c.turns[-1].at + timedelta(hours=rng.randint(1, 20))),
                    "updated_at": iso(c.turns[-1].at + timedelta(hours=21)),
                }
            )
    folder = EXPORTS / "freshdesk"
    dump(folder / "tickets.json", tickets)
    dump(folder / "conversations.json", entries)
    dump(folder / "satisfaction_ratings.json", ratings)
    agents = [a for a in AGENTS if a[3] == "freshdesk"]
    stamp = epoch(NOW) * 1000
    records = [
        {
            "available": True,
            "occasional": False,
            "id": 77100000 + agent_index(a),
            "signature": None,
            "ticket_scope": 1,
            "group_ids": [TEAMS[a[2]]],
            "role_ids": [],
            "created_at": "2024-03-01T08:00:00Z",
            "updated_at": "2026-06-01T08:00:00Z",
            "contact": {
                "active": True,
                "email": f"{a[1]}@tasklane.io",
                "job_title": "Специалист поддержки",
                "language": "ru",
                "mobile": None,
                "name": a[0],
                "phone": None,
                "time_zone": "Moscow",
            },
        }
        for a in agents
    ]
    group = {
        "id": TEAMS["International"],
        "name": "International",
        "description": "Поддержка на русском языке",
        "escalate_to": None,
        "unassigned_for": "30m",
        "business_hours_id": None,
        "group_type": "support_agent_group",
        "agent_ids": [77100000 + agent_index(a) for a in agents],
        "auto_ticket_assign": False,
        "created_at": "2024-03-01T08:00:00Z",
        "updated_at": "2026-06-01T08:00:00Z",
    }
    # Agents and groups as Airbyte's Freshdesk connector writes them (JSON Lines).
    dump_lines(
        folder / "airbyte-agents-groups.jsonl",
        [{"stream": "agents", "data": r, "emitted_at": stamp} for r in records]
        + [{"stream": "groups", "data": group, "emitted_at": stamp}],
    )


CSV_COLUMNS = [
    "conversation_id",
    "created_at",
    "channel",
    "status",
    "subject",
    "customer_name",
    "customer_email",
    "agent_name",
    "agent_email",
    "team",
    "author_role",
    "author_name",
    "internal",
    "body",
    "csat",
    "nps",
]


def write_csv(convos: list[Convo]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in convos:
        for i, t in enumerate(c.turns):
            last = i == len(c.turns) - 1
            is_customer = t.role == "customer"
            writer.writerow(
                [
                    f"PH-{c.number:04d}",
                    iso(t.at),
                    c.channel,
                    c.status,
                    c.subject,
                    c.customer.name,
                    c.customer.email,
                    c.agent[0],
                    f"{c.agent[1]}@tasklane.io",
                    c.agent[2],
                    "customer" if is_customer else "agent",
                    c.customer.name if is_customer else c.agent[0],
                    "true" if t.role == "note" else "false",
                    t.text,
                    ("" if c.csat is None else ("5" if c.csat else "2")) if last else "",
                    ("" if c.nps is None else str(c.nps)) if last else "",
                ]
            )
    path = EXPORTS / "csv" / "phone-log.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue().encode("utf-8"))


def external_id(c: Convo) -> str:
    return {
        "zendesk": str(c.number),
        "intercom": str(c.number),
        "helpscout": str(880000 + c.number),
        "freshdesk": str(c.number),
        "csv": f"PH-{c.number:04d}",
    }[c.source]


def write_billing(builder: Builder) -> None:
    """Monthly snapshots of the customer list, plus customers who never wrote to support."""
    rng = random.Random(SEED + 4)
    everyone = list(builder.customers)
    for _ in range(220):  # customers who never contacted support
        lang = rng.choices(["en", "ru", "zh_hans", "zh_hant"], weights=[60, 20, 15, 5])[0]
        since = NOW.date() - timedelta(days=rng.randint(5, 1000))
        cu = builder.new_customer(lang, since + timedelta(days=12))
        cu.since = since
        if rng.random() < 0.16:
            cu.ended = max(since, START.date()) + timedelta(days=rng.randint(10, 170))
        everyone.append(cu)
    rows = []
    month = START.date().replace(day=1)
    while month <= NOW.date():
        for cu in everyone:
            if cu.since > month:
                continue
            plan = cu.plan
            if cu.mrr_after and month >= cu.mrr_after[0]:
                plan = cu.mrr_after[1]
            gone = cu.ended is not None and cu.ended <= month
            if gone and cu.ended < month - timedelta(days=62):
                continue  # billing lists drop customers a while after they leave
            price = PRICES[cu.currency][plan]
            rows.append(
                [
                    cu.email,
                    "cancelled" if gone else "active",
                    f"{price}.00",
                    cu.currency,
                    month.isoformat(),
                ]
            )
        month = (month + timedelta(days=32)).replace(day=1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "status", "mrr", "currency", "as_of"])
    writer.writerows(rows)
    (OUT / "billing.csv").write_text(out.getvalue(), "utf-8")


def write_story(convos: list[Convo]) -> None:
    """Which conversations ended saved or lost, with what review.demo needs to tag them."""
    entries = []
    for c in convos:
        _, outcome, how, preventable, _, _ = META[c.scenario]
        if outcome is None:
            continue
        plan = c.customer.plan
        if outcome == "saved" and c.scenario == "downgrade_saved":
            plan = max(plan - 1, 0)
        entry = {
            "source": c.source,
            "external_id": external_id(c),
            "scenario": c.scenario,
            "outcome": outcome,
            "mrr": f"{PRICES[c.customer.currency][plan]}.00",
            "currency": c.customer.currency,
            "on": c.turns[-1].at.date().isoformat(),
            "agent_email": f"{c.agent[1]}@tasklane.io",
        }
        if outcome == "saved":
            entry.update(method=how, story=c.story)
        else:
            entry.update(reason=how, preventable=preventable, words=c.words)
        entries.append(entry)
    agents = {f"{a[1]}@tasklane.io": {"name": a[0], "skill": a[5]} for a in AGENTS}
    scenarios = {f"{c.source}:{external_id(c)}": c.scenario for c in convos}
    dump(
        OUT / "story.json",
        {
            "now": NOW.date().isoformat(),
            "agents": agents,
            "scenarios": scenarios,
            "outcomes": entries,
        },
    )


def main() -> None:
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


if __name__ == "__main__":
    main()
