"""Wagtail admin hooks of the practices app."""

# -- translation: entry translations overview, publication guard, vocabulary snippets ------
from .translation import admin as translation_admin  # noqa: F401  (registers its hooks)

# -- end translation ------------------------------------------------------------------------
