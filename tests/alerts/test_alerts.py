"""Alerts: a published entry goes once to each confirmed subscription whose search it now
matches, in the subscriber's language, with the unsubscribe headers of RFC 8058."""

import pytest
from django.core import mail
from django.test import Client

from practices.models import AlertDelivery
from tests.conftest import build_practice, translate_practice

from .conftest import committed, subscribe

pytestmark = pytest.mark.django_db


def publish(language="en", **fields):
    with committed():
        return build_practice(language=language, **fields)


def test_a_matching_entry_is_sent_once_with_both_unsubscribe_headers(site_tree):
    subscription = subscribe("ana@example.org", query="q=zebrafinch&country=SN")

    page = publish(title="Zebrafinch workshops in Senegal", countries=["SN"])

    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "New example for your search: Zebrafinch workshops in Senegal"
    assert f"http://testserver{page.url}" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/en/alerts/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert unsubscribe.strip("<>") in message.body  # and a link in the body
    assert "/en/alerts/manage/" in message.body
    delivery = AlertDelivery.objects.get()
    assert (delivery.subscription, delivery.page_id, delivery.status) == (
        subscription,
        page.pk,
        AlertDelivery.Status.SENT,
    )
    assert delivery.sent_at is not None

    # Published again (an edit), or translated: never the same entry twice.
    mail.outbox = []
    with committed():
        page.save_revision().publish()
    with committed():
        translate_practice(page, "fr", title="Ateliers zebrafinch au Sénégal")
    assert mail.outbox == []
    assert AlertDelivery.objects.count() == 1


def test_a_one_click_post_to_the_header_address_stops_the_alerts(site_tree):
    subscribe("ana@example.org", query="q=zebrafinch")
    publish(title="Zebrafinch one")
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")

    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix("http://testserver"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    mail.outbox = []
    publish(title="Zebrafinch two")
    assert mail.outbox == []


def test_a_non_matching_or_unpublished_entry_sends_nothing(site_tree):
    subscribe("ana@example.org", query="q=zebrafinch&country=SN")

    publish(title="Zebrafinch workshops in Mali", countries=["ML"])
    publish(title="Prosthetics in Senegal", countries=["SN"])
    with committed():
        build_practice(title="Zebrafinch draft", countries=["SN"], publish=False)

    assert mail.outbox == []
    assert not AlertDelivery.objects.exists()


def test_an_unconfirmed_subscription_gets_nothing(site_tree):
    Client().post(
        "/en/alerts/follow/",
        {"email": "ana@example.org", "frequency": "immediate", "query": "q=zebrafinch"},
    )
    mail.outbox = []
    publish(title="Zebrafinch workshops")
    assert mail.outbox == []


def test_each_subscriber_gets_the_version_in_their_language_else_the_original_with_a_notice(
    site_tree,
):
    subscribe("fr@example.org", language="fr", query="country=SN")
    subscribe("ar@example.org", language="ar", query="country=SN")

    page = publish(title="Survivor networks", countries=["SN"])

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"fr@example.org", "ar@example.org"}
    french = by_address["fr@example.org"]
    assert "Survivor networks" in french.subject
    assert f"http://testserver{page.url}" in french.body  # the original, in English
    assert "Cet exemple est disponible en anglais" in french.body
    assert "/fr/alerts/unsubscribe/" in french.extra_headers["List-Unsubscribe"]
    arabic = by_address["ar@example.org"]
    assert "/ar/alerts/manage/" in arabic.body
    assert "السنغال" in arabic.body  # the search described in Arabic
    html, mimetype = arabic.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="ar" dir="rtl">' in html
    # The English title is marked as English inside the right-to-left mail.
    link = f'<a href="http://testserver{page.url}" lang="en" dir="ltr">Survivor networks</a>'
    assert link in html


def test_a_translation_published_into_the_subscriber_language_sends_the_translated_version(
    site_tree,
):
    subscribe("fr@example.org", language="fr", query="q=prothèses")
    original = publish(title="Prosthetics workshops", summary="Orthopaedic workshops.")
    assert mail.outbox == []  # the English text does not match the French words

    with committed():
        translation = translate_practice(
            original, "fr", title="Ateliers de prothèses", summary="Des ateliers de prothèses."
        )

    (message,) = mail.outbox
    assert message.subject == "Nouvel exemple pour votre recherche\u00a0: Ateliers de prothèses"
    assert f"http://testserver{translation.url}" in message.body
    assert translation.url.startswith("/fr/")
    assert "disponible en" not in message.body  # no notice: it is in French
    assert AlertDelivery.objects.get().page_id == translation.pk


def test_an_alert_the_queue_gives_up_on_is_recorded_as_not_delivered(site_tree, settings):
    subscribe("ana@example.org", query="q=zebrafinch")
    settings.MAIL_DELIVERY_BACKEND = "tests.submit.test_safety.FailingBackend"

    page = publish(title="Zebrafinch workshops")

    assert mail.outbox == []
    delivery = AlertDelivery.objects.get()
    assert delivery.status == AlertDelivery.Status.FAILED and delivery.sent_at is None
    # Recorded all the same: published again, it is not sent a second time.
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed():
        page.save_revision().publish()
    assert mail.outbox == []


def test_an_entry_older_than_the_subscription_is_not_news(site_tree):
    old = publish(title="Zebrafinch workshops")
    mail.outbox = []
    subscribe("ana@example.org", query="q=zebrafinch")

    with committed():
        old.save_revision().publish()  # published again, unchanged
    with committed():
        translate_practice(old, "ar", title="ورش زيبرافينش")  # another language's version
    assert mail.outbox == []
    assert not AlertDelivery.objects.exists()

    # Its version in the subscriber's language is news to them.
    french = subscribe("bea@example.org", query="q=zebrafinch", language="fr")
    with committed():
        version = translate_practice(old, "fr", title="Ateliers zebrafinch")
    (message,) = mail.outbox
    assert message.to == ["bea@example.org"]
    assert AlertDelivery.objects.get().page_id == version.pk
    assert AlertDelivery.objects.get().subscription == french


def test_titles_and_summaries_read_as_written_in_the_mail(site_tree):
    subscribe("ana@example.org", query="q=zebrafinch")
    publish(title="Zebrafinch workshops: the survivors' choice", summary='It\'s "their" fund.')
    (message,) = mail.outbox
    assert (
        message.subject
        == "New example for your search: Zebrafinch workshops: the survivors' choice"
    )
    assert 'It\'s "their" fund.' in message.body
    html = message.alternatives[0][0]
    assert (
        "<title>New example for your search: Zebrafinch workshops: the survivors&#x27; "
        "choice</title>" in html
    )
    assert "&amp;#x27;" not in html


def test_an_arabic_alert_sets_the_direction_of_an_entry_in_another_language(site_tree):
    subscribe("ana@example.org", query="q=zebrafinch&country=SN", language="ar")
    subscribe("bea@example.org", query="q=zebrafinch&country=SN", language="fr")
    publish(language="fr", title="Ateliers zebrafinch", countries=["SN"])
    by_address = {message.to[0]: message for message in mail.outbox}
    html = by_address["ana@example.org"].alternatives[0][0]
    assert 'lang="fr" dir="ltr">Ateliers zebrafinch</a>' in html
    # French writes a no-break space before the colon of "Pays : Sénégal".
    assert "Pays\u00a0: Sénégal" in by_address["bea@example.org"].body
