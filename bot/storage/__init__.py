"""The SQLite store: migrations, rows <-> models, FTS5 search. No business logic."""
