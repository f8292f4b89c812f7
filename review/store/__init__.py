"""Where savedesk's data lives: opening a store, schema and migrations, search index, undo log."""
