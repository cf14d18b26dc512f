"""Translation of entries with wagtail-localize: publication rules, status, reader fallback."""
