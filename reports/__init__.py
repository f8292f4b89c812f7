"""PDF (reportlab) and CSV reports built on review/. No Qt here."""
