"""The savedesk schema as one Alembic chain, for SQLite files and PostgreSQL servers alike.

Revisions 0001-0004 are the steps savedesk made with sqlite-utils before (m001_store ...
m004_search_rowids), so a file made by any earlier savedesk is stamped at the revision its
last step matches and upgraded from there (review.store.migrate).
"""
