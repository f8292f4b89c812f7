"""savedesk's domain and storage: conversations, importers, rubrics, saves, losses, metrics.

No Qt and no reportlab here; SQL lives only in this package.
"""
