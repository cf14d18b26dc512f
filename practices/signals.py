"""Signal wiring for the practices app (search index maintenance lives in practices.search)."""
