"""Who is in the demo: the agents and teams, and the customers drawn from name lists."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

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


def new_customer(
    rng: random.Random, customers: list[Customer], used_names: set[str], lang: str, start: date
) -> Customer:
    """Draw a new customer in a language, append it to customers and return it.

    A name already used comes back now and then (people share names); the key and email are
    always new. Consumes rng, so the call order decides every later draw.
    """
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
        if name not in used_names or rng.random() < 0.15:
            break
    used_names.add(name)
    domain = {"en": "example.com", "ru": "example.ru", "zh_hans": "example.cn"}.get(
        lang, "example.com.tw"
    )
    n = len(customers) + 1
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
    customers.append(customer)
    return customer


def agent_index(agent: tuple) -> int:
    """The agent's 1-based position in AGENTS: the seed of its id in every helpdesk."""
    return AGENTS.index(agent) + 1
