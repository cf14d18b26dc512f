from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Practices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals
        from .alerts import signals as alert_signals
        from .roles import connect_role_setup
        from .submit import moderation
        from .translation.publication_guard import guard_revision_publishing

        guard_revision_publishing()
        signals.connect_page_cache()
        connect_role_setup()
        alert_signals.connect()
        moderation.use_project_notifiers()
