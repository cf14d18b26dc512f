"""Publishing a language version of an entry queues its alerts once the transaction commits."""

from wagtail.signals import page_published

from ..models import PracticePage
from .notifications import alert_after_commit


def on_published(sender, instance, **kwargs):
    alert_after_commit(instance.pk)


def connect():
    page_published.connect(on_published, sender=PracticePage, dispatch_uid="practices_alerts")
