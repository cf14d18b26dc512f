"""The Atom feed of a search, read as a feed reader reads it: feedparser over HTTP."""

import re
from html import unescape
from http import HTTPStatus

import feedparser
import pytest
from django.core.management import call_command
from django.test import override_settings
from lxml import html as lxml_html

from tests.conftest import shared_site_tree_fixtures, submitted_with_contact

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


def read_feed(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def api_ids(client, query):
    response = client.get(f"/api/v1/practices/?{query}&sort=newest&page_size=50")
    assert response.status_code == HTTPStatus.OK
    return [result["id"] for result in response.json()["results"]]


def entry_ids(feed):
    """The entries' ids are their stable links: http://testserver/e/<id>/."""
    ids = []
    for entry in feed.entries:
        match = re.fullmatch(r"http://testserver/e/([0-9a-f-]{36})/", entry.id)
        assert match, entry.id
        ids.append(match.group(1))
    return ids


def test_the_feed_lists_the_newest_entries_with_their_details(client, make_practice):
    older = make_practice(
        title="Regional fund for rehabilitation",
        summary="Pooled money <for> limb fitting & physiotherapy.",
        organisation="Fundación Andina",
        cooperation_model=["regional-funds", "south-south-cooperation"],
    )
    newer = make_practice(title="Peer support grants", organisation="")

    feed = read_feed(client, "/en/practices/feed/")

    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    assert entry_ids(feed) == [str(newer.translation_key), str(older.translation_key)]
    first, second = feed.entries[1], feed.entries[0]
    assert first.link == "http://testserver" + older.url
    assert unescape(first.summary) == "Pooled money <for> limb fitting & physiotherapy."
    assert first.author == "Fundación Andina"
    labels = api_labels(client, "en")
    assert sorted(tag.term for tag in first.tags) == sorted(
        [labels["regional-funds"], labels["south-south-cooperation"]]
    )
    assert first.published_parsed and first.updated_parsed
    assert "author" not in second  # no organisation: the feed's author stands
    assert feed.feed.author
    assert feed.feed.language == "en"


def api_labels(client, lang):
    facets = client.get(f"/api/v1/practices/?lang={lang}").json()["facets"]
    return {item["value"]: item["label"] for item in facets["cooperation_model"]}


def test_the_feed_is_in_the_readers_language_each_entry_once(client, make_practice, translate):
    translated = make_practice(
        title="Mobile clinics", cooperation_model=["south-south-cooperation"]
    )
    translate(translated, "fr", title="Cliniques mobiles")
    original_only = make_practice(language="es", title="Fondo de becas")

    feed = read_feed(client, "/fr/practices/feed/")

    assert [entry.title for entry in feed.entries] == ["Fondo de becas", "Cliniques mobiles"]
    assert entry_ids(feed) == api_ids(client, "lang=fr")
    assert feed.entries[0].link == "http://testserver" + original_only.url
    french = api_labels(client, "fr")
    assert [tag.term for tag in feed.entries[1].tags] == [french["south-south-cooperation"]]
    assert french["south-south-cooperation"] != api_labels(client, "en")["south-south-cooperation"]


def test_the_feed_follows_the_search_and_the_search_page_links_to_it(client, make_practice):
    make_practice(title="Training of prosthetists", cooperation_model=["south-south-cooperation"])
    make_practice(title="Regional fund", cooperation_model=["regional-funds"])
    make_practice(title="Training in Senegal", cooperation_model=["south-south-cooperation"])

    html = client.get("/en/practices/?cooperation_model=south-south-cooperation").content.decode()
    links = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html)
    assert len(links) == 1
    href = unescape(re.search(r'href="([^"]+)"', links[0]).group(1))
    assert href == "/en/practices/feed/?cooperation_model=south-south-cooperation"

    feed = read_feed(client, href)
    assert [entry.title for entry in feed.entries] == [
        "Training in Senegal",
        "Training of prosthetists",
    ]
    assert entry_ids(feed) == api_ids(client, "cooperation_model=south-south-cooperation")
    # The visible link says what it is and points to the same feed.
    tree = lxml_html.fromstring(html)
    (visible,) = tree.xpath('//main//a[@type="application/atom+xml"]')
    assert " ".join(visible.text_content().split()) == "Feed (Atom feed of this search)"
    assert visible.get("href") == href
    page_2 = client.get("/en/practices/?q=training&page=2&sort=title").content.decode()
    (visible,) = lxml_html.fromstring(page_2).xpath('//main//a[@type="application/atom+xml"]')
    assert visible.get("href") == "/en/practices/feed/?q=training&sort=title"
    assert not read_feed(client, visible.get("href")).bozo
    feed = read_feed(client, "/en/practices/feed/?q=prosthetists&sort=title&page=3")
    assert [entry.title for entry in feed.entries] == ["Training of prosthetists"]


def test_the_feed_holds_the_newest_fifty(client, make_practice):
    pages = [make_practice(title=f"Entry number {number}") for number in range(52)]

    feed = read_feed(client, "/en/practices/feed/?page_size=10")

    assert len(feed.entries) == 50
    assert [entry.title for entry in feed.entries] == [page.title for page in pages[:1:-1]]


@pytest.mark.parametrize(
    "query, param",
    [
        ("cooperation_model=no-such-model", "cooperation_model"),
        ("country=XYZ", "country"),
        ("year=last", "year"),
        ("language=de", "language"),
    ],
)
def test_bad_parameters_are_a_clear_400(client, site_tree, query, param):
    response = client.get(f"/en/practices/feed/?{query}")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    text = response.content.decode()
    assert "not understood" in text
    assert f"{param}: " in text


def test_nothing_unpublished_and_no_contact_data(client, make_practice):
    published = make_practice(title="Published practice", organisation="Survivors' network")
    submitted_with_contact(published)
    make_practice(title="Unpublished draft practice", publish=False)
    withdrawn = make_practice(title="Withdrawn practice")
    withdrawn.unpublish()

    response = client.get("/en/practices/feed/")
    feed = read_feed(client, "/en/practices/feed/")

    assert [entry.title for entry in feed.entries] == ["Published practice"]
    body = response.content.decode()
    for private in (
        "Unpublished draft practice",
        "Withdrawn practice",
        "Private Contact Person",
        "private.contact@example.org",
        "Private Contact Organisation",
    ):
        assert private not in body


def test_illustrative_samples_leave_the_feed_when_they_are_not_shown(client, make_practice):
    make_practice(title="Documented practice", provenance="documented")
    make_practice(title="Illustrative sample", provenance="illustrative")
    feed = read_feed(client, "/en/practices/feed/")
    assert {entry.title for entry in feed.entries} == {"Documented practice", "Illustrative sample"}

    with override_settings(SHOW_ILLUSTRATIVE=False):
        call_command("rebuild_search_index", verbosity=0)
        feed = read_feed(client, "/en/practices/feed/")
        assert [entry.title for entry in feed.entries] == ["Documented practice"]
    call_command("rebuild_search_index", verbosity=0)


def test_an_entry_called_feed_gets_a_slug_that_the_feed_does_not_hide(client, site_tree):
    from practices.slugs import free_slug
    from tests.conftest import practice_index

    assert free_slug(practice_index("en"), "feed") == "feed-2"
    assert free_slug(practice_index("en"), "feeding-programmes") == "feeding-programmes"
