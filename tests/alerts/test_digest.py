"""The weekly digest groups what was published for a search since the last one; an
unconfirmed subscription is deleted after ALERTS_CONFIRM_DAYS."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from practices.models import AlertDelivery, Subscription
from tests.conftest import build_practice

from .conftest import committed, subscribe

pytestmark = pytest.mark.django_db


def publish(**fields):
    with committed():
        return build_practice(**fields)


def digest():
    call_command("send_alert_digests", stdout=StringIO())


def test_the_weekly_digest_groups_what_was_published_that_week(site_tree):
    subscribe("weekly@example.org", query="q=zebrafinch", frequency="weekly")
    subscribe("daily@example.org", query="q=zebrafinch")
    first = publish(title="Zebrafinch one")
    second = publish(title="Zebrafinch two")
    publish(title="Something else")
    assert {message.to[0] for message in mail.outbox} == {"daily@example.org"}
    mail.outbox = []

    digest()

    (message,) = mail.outbox
    assert message.to == ["weekly@example.org"]
    assert message.subject == "This week: 2 new examples for your search"
    assert "Zebrafinch one" in message.body and "Zebrafinch two" in message.body
    assert "Something else" not in message.body
    assert f"http://testserver{first.url}" in message.body
    assert f"http://testserver{second.url}" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"sent"}

    # Next week: only what was published since.
    mail.outbox = []
    digest()
    assert mail.outbox == []
    publish(title="Zebrafinch three")
    mail.outbox = []
    digest()
    (message,) = mail.outbox
    assert message.subject == "This week: 1 new example for your search"
    assert "Zebrafinch three" in message.body and "Zebrafinch one" not in message.body


def test_an_entry_unpublished_before_the_digest_is_left_out(site_tree):
    subscribe("weekly@example.org", query="q=zebrafinch", frequency="weekly")
    kept = publish(title="Zebrafinch kept")
    withdrawn = publish(title="Zebrafinch withdrawn")
    with committed():
        withdrawn.unpublish()

    digest()

    (message,) = mail.outbox
    assert "Zebrafinch kept" in message.body and "withdrawn" not in message.body
    assert list(AlertDelivery.objects.values_list("page_id", flat=True)) == [kept.pk]


def test_changing_to_weekly_keeps_the_next_entries_for_the_digest(site_tree):
    subscription = subscribe("ana@example.org", query="q=zebrafinch")
    subscription.frequency = Subscription.Frequency.WEEKLY
    subscription.save()
    publish(title="Zebrafinch one")
    assert mail.outbox == []
    digest()
    assert len(mail.outbox) == 1


def test_unconfirmed_subscriptions_are_deleted_after_seven_days(site_tree, settings):
    assert settings.ALERTS_CONFIRM_DAYS == 7
    for email in ("old@example.org", "recent@example.org"):
        Client().post("/en/alerts/follow/", {"email": email, "frequency": "immediate", "query": ""})
    confirmed = subscribe("confirmed@example.org")
    old = timezone.now() - timedelta(days=8)
    Subscription.objects.filter(email__in=["old@example.org", "confirmed@example.org"]).update(
        created_at=old
    )
    output = StringIO()

    call_command("purge_submission_drafts", stdout=output)

    assert set(Subscription.objects.values_list("email", flat=True)) == {
        "recent@example.org",
        "confirmed@example.org",
    }
    assert Subscription.objects.get(email="confirmed@example.org") == confirmed
    assert "1 unconfirmed subscription(s) to a search deleted." in output.getvalue()


def test_entries_kept_for_a_digest_still_go_out_once_after_changing_to_immediate(site_tree):
    subscription = subscribe("ana@example.org", query="q=zebrafinch", frequency="weekly")
    publish(title="Zebrafinch kept")
    subscription.frequency = Subscription.Frequency.IMMEDIATE
    subscription.save()
    publish(title="Zebrafinch at once")
    (at_once,) = mail.outbox
    assert "Zebrafinch at once" in at_once.subject
    mail.outbox = []

    digest()

    (message,) = mail.outbox
    assert "Zebrafinch kept" in message.body and "at once" not in message.body
