"""Every number savedesk shows, computed once (ARCHITECTURE.md, the Figures seam).

One function per question, each taking a `Scope` (a store, a Filters, and the settings read
once for the set: exchange rates, which loss reasons are right outcomes) and returning frozen
values whose figures carry their n, unit and, where sampled, a 95% interval:

- what support kept: review.figures.saved (saved MRR and ARR, by agent, method, week)
- what it lost: review.figures.lost (lost MRR, by reason, right outcomes apart, save rate)
- quality: review.figures.quality (score by agent, team, category, channel, period, version)
- quality beside retention: review.figures.outcomes
- how support answered: review.figures.responsiveness (FCR, first response, resolution)
- what customers said: review.figures.satisfaction (NPS, CSAT)
- the customer base: review.figures.customers (CRR, churn, contact retention)
- the targets teams set: review.figures.targets

The sets the surfaces read: `overview` (the dashboard, `savedesk stats`, the head of every
report), `saved_revenue`, `team_quality`, `coaching_review`, `agent_comparison` (the coaching
page), `reviewer_agreement` (the calibration page), `export_rows` (CSV files).

Nothing is imported here: each surface imports the module of the figures it shows, so that
importing one (the import's reply times, a dialog's agreement) does not load them all.
"""
