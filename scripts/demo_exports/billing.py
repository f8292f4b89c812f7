"""The billing list: monthly snapshots of every customer's plan, for confirming saves and churn."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

from .builder import Builder
from .settings import NOW, OUT, SEED, START
from .wording import PRICES


def write_billing(builder: Builder) -> None:
    """Write billing.csv: monthly snapshots of the customer list, plus customers who never wrote.

    Draws those extra customers from the builder's generator, so it must run after build().
    """
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
