"""/sitemap.xml and /robots.txt, read as crawlers read them: ultimate-sitemap-parser from a
live server, starting at robots.txt, and the standard library's robots.txt parser."""

from urllib.robotparser import RobotFileParser

import pytest
from django.test import override_settings
from usp.tree import sitemap_tree_for_homepage
from wagtail.models import Page, PageViewRestriction

from practices.models import PracticePage

# The live server needs the data committed; serialized_rollback puts back what the
# migrations created (content types, root page, groups) after the flush, for the tests that
# run next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def crawl(live_server):
    """Every page of the sitemap found from robots.txt alone: address -> its alternates."""
    tree = sitemap_tree_for_homepage(f"{live_server.url}/", use_known_paths=False)
    pages = {}
    for page in tree.all_pages():
        assert page.url not in pages, f"{page.url} is listed twice"
        pages[page.url] = page
    return pages


@pytest.fixture
def entries(information_pages, make_practice, translate):
    original = make_practice(title="Mobile clinics", slug="mobile-clinics", countries=["CO"])
    french = translate(original, "fr", title="Cliniques mobiles", slug="cliniques-mobiles")
    spanish_only = make_practice(language="es", title="Fondo regional", slug="fondo-regional")
    sample = make_practice(title="Sample", slug="sample", provenance="illustrative")
    draft = make_practice(title="Draft", slug="draft", publish=False)
    private = make_practice(title="Private", slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    untranslated = translate(original, "ar", publish=False, title="عيادات")
    return {
        "original": original,
        "french": french,
        "spanish_only": spanish_only,
        "sample": sample,
        "hidden": [draft, private, untranslated],
    }


LANGUAGES = ("ar", "en", "es", "fr")


def country_pages(live_server):
    """The country index and Colombia's page (the only country with entries), in each
    language."""
    return {
        f"{live_server.url}/{language}/countries/{code}"
        for language in LANGUAGES
        for code in ("", "CO/")
    }


def insights_pages(live_server):
    return {f"{live_server.url}/{language}/insights/" for language in LANGUAGES}


def live_versions(live_server, show_illustrative=True):
    pages = Page.objects.live().public().filter(depth__gt=1).specific()
    return (
        {
            live_server.url + page.url
            for page in pages
            if show_illustrative
            or not (isinstance(page, PracticePage) and page.provenance == "illustrative")
        }
        | country_pages(live_server)
        | insights_pages(live_server)
    )


def test_the_sitemap_lists_every_live_version_with_its_alternates(live_server, entries):
    pages = crawl(live_server)
    url = live_server.url

    assert set(pages) == live_versions(live_server)
    for language in ("ar", "en", "es", "fr"):
        assert f"{url}/{language}/" in pages
        assert f"{url}/{language}/practices/" in pages
    assert f"{url}/en/practices/sample/" in pages
    for hidden in entries["hidden"]:
        assert f"{url}{hidden.url}" not in pages
    assert not [address for address in pages if address.endswith(("/draft/", "/private/"))]
    assert f"{url}/ar/practices/mobile-clinics/" not in pages  # an unpublished translation

    original, french = entries["original"], entries["french"]
    expected = {
        ("en", url + original.url),
        ("fr", url + french.url),
        ("x-default", url + original.url),
    }
    assert set(pages[url + original.url].alternates) == expected
    assert set(pages[url + french.url].alternates) == expected
    spanish = url + entries["spanish_only"].url
    assert set(pages[spanish].alternates) == {("es", spanish), ("x-default", spanish)}
    home = pages[f"{url}/fr/"].alternates
    assert set(home) == {
        *((language, f"{url}/{language}/") for language in ("ar", "en", "es", "fr")),
        ("x-default", f"{url}/en/"),
    }
    assert all(page.last_modified for page in pages.values())
    colombia = pages[f"{url}/es/countries/CO/"]
    assert set(colombia.alternates) == {
        *((language, f"{url}/{language}/countries/CO/") for language in LANGUAGES),
        ("x-default", f"{url}/en/countries/CO/"),
    }
    assert (
        colombia.last_modified.date()
        == max(  # the sitemap gives the day
            version.last_published_at for version in (original, french)
        ).date()
    )
    assert ("x-default", f"{url}/en/countries/") in pages[f"{url}/ar/countries/"].alternates
    insights = pages[f"{url}/ar/insights/"]
    assert set(insights.alternates) == {
        *((language, f"{url}/{language}/insights/") for language in LANGUAGES),
        ("x-default", f"{url}/en/insights/"),
    }
    newest = max(page.last_published_at for page in PracticePage.objects.live())
    assert insights.last_modified.date() == newest.date()


def test_illustrative_samples_leave_the_sitemap_when_they_are_not_shown(live_server, entries):
    with override_settings(SHOW_ILLUSTRATIVE=False):
        pages = crawl(live_server)
    assert f"{live_server.url}/en/practices/sample/" not in pages
    assert set(pages) == live_versions(live_server, show_illustrative=False)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out(client, site_tree):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    robots = RobotFileParser()
    robots.parse(response.content.decode().splitlines())

    assert robots.site_maps() == ["http://testserver/sitemap.xml"]
    for path in ("/en/", "/fr/practices/", "/es/practices/fondo-regional/", "/e/x/"):
        assert robots.can_fetch("AnyBot", path), path
    for path in (
        "/admin/",
        "/admin/pages/",
        "/en/submit/link/private-token/",
        "/fr/submit/AB12CD/step/2/",
        "/ar/submit/AB12CD/check/",
        "/es/_util/authenticate_with_password/3/4/",
        "/en/alerts/follow/",
        "/ar/alerts/manage/12-abcdef/",
        "/fr/alerts/unsubscribe/12-abcdef/",
    ):
        assert not robots.can_fetch("AnyBot", path), path
