from django.apps import AppConfig


class SearchIndexConfig(AppConfig):
    """The public search: documents per entry and language, engines, index maintenance."""

    name = "practices.search"
    label = "practices_search"
    verbose_name = "Practice search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
