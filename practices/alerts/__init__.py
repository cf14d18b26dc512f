"""Follow a search: e-mail alerts when new entries match it (docs/alerts.md)."""
