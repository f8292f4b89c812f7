"""Words the scenarios are filled with: plans and prices, projects, sign-offs, CSAT remarks,
the Intercom bot's lines, and money and dates written the way each language writes them.
"""

from __future__ import annotations

from datetime import date

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


BOT_HELLO = (
    "Hi {customer} 👋 I'm Fin, Tasklane's assistant. I can answer most questions right away, "
    "or connect you with the team."
)
BOT_HANDOFF_ASK = ["Talk to a person please", "I need a human", "agent", "Can I talk to someone?"]
BOT_HANDOFF = (
    "No problem, I'm passing you to the team. They usually reply in a few minutes, "
    "and you'll get the answer here and by email."
)


def money(amount: int, currency: str) -> str:
    """Show an amount the way a customer paying in this currency writes it."""
    if currency == "RUB":
        return f"{amount:,}".replace(",", "\u00a0") + "\u00a0₽"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "CNY": "¥", "TWD": "NT$"}[currency]
    return f"{symbol}{amount:,}"


def day_text(d: date, lang: str) -> str:
    """Show a day of the month ("March 4", "4 марта", "3月4日") in a language."""
    if lang == "en":
        return f"{MONTHS['en'].split()[d.month - 1]} {d.day}"
    if lang == "ru":
        return f"{d.day} {MONTHS_GEN.split()[d.month - 1]}"
    return f"{d.month}月{d.day}日"


def month_text(d: date, lang: str) -> str:
    """Name the month as in "in March" (Russian prepositional case; 3月 in Chinese)."""
    return MONTHS[lang].split()[d.month - 1] if lang in MONTHS else f"{d.month}月"
