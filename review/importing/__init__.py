"""Importers: helpdesk exports in, normalised records out, written to the store in one transaction."""
