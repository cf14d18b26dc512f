"""Country pages /<lang>/countries/ and /<lang>/countries/<ISO>/: entries as place and as
partner, funding received and given added up by status, the survivors fact with its
source, the links editors add."""

import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from http import HTTPStatus

import pytest
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import pgettext
from wagtail.models import Locale

from practices.funding import FundingStatus
from practices.models import CountryProfile, Organisation, PracticeFunding
from tests.conftest import LANGUAGES, shared_site_tree_fixtures
from tests.search.fixtures import funding_rows

shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")


@pytest.fixture(autouse=True)
def _fresh_search_state(fresh_snapshot):
    """Each test reads its own entries, not an earlier test's snapshot of the index."""


def text_of(html):
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def figure(value, language):
    """A whole number as the page formats it in `language`."""
    with translation.override(language):
        return number_format(
            Decimal(value).quantize(Decimal(1), ROUND_HALF_UP), 0, force_grouping=True
        )


def money(amount, currency, language):
    """An amount with its currency code, as the page writes it in `language`."""
    with translation.override(language):
        return pgettext("an amount with its currency code", "%(amount)s %(currency)s") % {
            "amount": figure(amount, language),
            "currency": currency,
        }


def label(status, language):
    with translation.override(language):
        return str(FundingStatus(status).label)


def section(html, heading_id):
    """The HTML of the <section> labelled by `heading_id`."""
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match.group(0)


def totals(html):
    """Status label -> (US dollar total, not converted) of the totals table of `html`."""
    match = re.search(r'<table class="funding-totals">(.*?)</table>', html, re.S)
    assert match
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", match.group(1), re.S):
        cells = re.split(r"</th>|</td>", row)
        values = [text_of(cell) for cell in cells[:-1]]
        rows[values[0]] = (*values[1:], "")[:2]  # no "Not converted" column when none is
    return rows


@pytest.fixture
def senegal(make_practice, translate):
    """(place, partner): an entry in Senegal funded from the United States (USD 250,000
    disbursed) and Ghana (GHS 1,000,000 pledged, no rate), translated into French; an entry
    in Mali funded by a Senegalese fund (USD 100,000 and 20,000 committed, 30,000
    disbursed)."""
    place = make_practice(
        title="Rehabilitation grants", countries=["SN"], year=2019, funding=funding_rows()
    )
    translate(place, "fr", title="Subventions de réadaptation")
    fund = Organisation.objects.create(
        slug="senegal-solidarity-fund", name_en="Senegal Solidarity Fund", country="SN"
    )
    given = [
        PracticeFunding(funder=fund, amount=amount, currency="USD", year_start=2020, status=status)
        for amount, status in ((100000, "committed"), (20000, "committed"), (30000, "disbursed"))
    ]
    partner = make_practice(title="Peer support in Mali", countries=["ML"], funding=given)
    make_practice(title="Draft in Senegal", countries=["SN"], publish=False)
    return place, partner


def rows_of(page):
    return list(page.funding.all())


def hand_totals(rows, language):
    """Status label -> (US dollar sum, amounts without a rate), summed here row by row."""
    sums = {}
    for row in rows:
        usd, apart = sums.setdefault(row.status, [Decimal(0), {}])
        if row.currency == "USD":
            sums[row.status][0] = usd + Decimal(row.amount)
        else:  # GHS 2019: no rate
            apart[row.currency] = apart.get(row.currency, Decimal(0)) + Decimal(row.amount)
    return {
        label(status, language): (
            figure(usd, language) if usd else "",
            " ".join(money(amount, code, language) for code, amount in apart.items()),
        )
        for status, (usd, apart) in sums.items()
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_country_page_shows_entries_and_funding_added_up_by_status(client, senegal, language):
    place, partner = senegal
    response = client.get(f"/{language}/countries/SN/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    name = {"en": "Senegal", "fr": "Sénégal"}[language]
    assert f'<html lang="{language}"' in html
    assert f'<h1 id="country-title">{name}</h1>' in html
    assert 'href="/en/countries/"' in html or language != "en"
    # Language switcher: the same page in the other languages.
    for other in LANGUAGES:
        if other != language:
            assert f'href="/{other}/countries/SN/"' in html

    places = text_of(section(html, "place-heading"))
    title = {"en": "Rehabilitation grants", "fr": "Subventions de réadaptation"}[language]
    assert title in places and "(1)" in places
    assert "Draft in Senegal" not in html
    partners = text_of(section(html, "partner-heading"))
    assert "Peer support in Mali" in partners and "(1)" in partners
    assert "Rehabilitation grants" not in partners

    received = section(html, "received-heading")
    # The French version's rows: the same figures, translated with the entry.
    source = place.get_translation(Locale.objects.get(language_code=language))
    expected = hand_totals(rows_of(source), language)
    assert totals(received) == {
        label("pledged", language): ("", expected[label("pledged", language)][1]),
        label("disbursed", language): (expected[label("disbursed", language)][0], ""),
    }
    assert totals(received)[label("pledged", language)][1] == money(1000000, "GHS", language)
    assert totals(received)[label("disbursed", language)][0] == figure(250000, language)
    assert received.count("<tr>") - received.count("<tr><th") >= 2  # the rows are listed

    given = section(html, "given-heading")
    assert totals(given) == hand_totals(rows_of(partner), language)
    assert totals(given) == {
        label("committed", language): (figure(120000, language), ""),
        label("disbursed", language): (figure(30000, language), ""),
    }
    # No one's contact details.
    assert "@" not in text_of(section(html, "given-heading"))


def test_survivors_fact_with_its_source_for_a_confirmed_state(client, senegal):
    html = client.get("/en/countries/SN/").content.decode()
    assert "Senegal is in the reference list of States with significant numbers of survivors" in (
        text_of(html)
    )
    assert (
        'href="http://www.the-monitor.org/en-gb/reports/2017/senegal/victim-assistance.aspx"'
        in html
    )
    # Algeria is on the list without a confirming source: no fact stated.
    html = client.get("/en/countries/DZ/").content.decode()
    assert "significant numbers of survivors" not in html
    # Ghana is not on the list.
    assert (
        "significant numbers of survivors" not in client.get("/en/countries/GH/").content.decode()
    )


def test_editor_links_shown_only_when_set(client, senegal):
    html = client.get("/en/countries/SN/").content.decode()
    assert 'id="links-heading"' not in html
    CountryProfile.objects.create(
        country="SN", article7_url="https://example.org/article-7/senegal"
    )
    html = client.get("/en/countries/SN/").content.decode()
    links = section(html, "links-heading")
    assert 'href="https://example.org/article-7/senegal"' in links
    assert "Article 7 reports" in links
    assert "Landmine Monitor profile" not in links and "focal point" not in links


def test_index_lists_countries_with_counts_sorted_by_name(client, senegal):
    response = client.get("/fr/countries/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    rows = re.findall(
        r'<tr><th scope="row"><a href="(/fr/countries/\w\w/)">(.*?)</a></th>'
        r'<td class="num">(\d+)</td><td class="num">(\d+)</td></tr>',
        html,
    )
    # In French alphabetical order (É with E); only countries with entries.
    assert rows == [
        ("/fr/countries/US/", "États-Unis d&#x27;Amérique", "0", "1"),
        ("/fr/countries/GH/", "Ghana", "0", "1"),
        ("/fr/countries/ML/", "Mali", "1", "0"),
        ("/fr/countries/SN/", "Sénégal", "1", "1"),
    ]
    assert 'href="/fr/countries/"' in html  # the navigation link


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_answer_in_each_language(client, senegal, language):
    for path in (f"/{language}/countries/", f"/{language}/countries/SN/"):
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        direction = "rtl" if language == "ar" else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in html


def test_unknown_code_is_not_found_and_lowercase_redirects(client, site_tree):
    assert client.get("/en/countries/XX/").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/en/countries/SEN/").status_code == HTTPStatus.NOT_FOUND
    response = client.get("/en/countries/sn/")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/en/countries/SN/"


def test_editors_keep_country_profiles_and_a_change_forgets_cached_pages(
    client, site_tree, django_user_model, monkeypatch
):
    from django.contrib.auth.models import Group

    from kb import pagecache

    editor = django_user_model.objects.create_user("editor", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    for action in ("view", "add", "change", "delete"):
        assert editor.has_perm(f"practices.{action}_countryprofile")
    client.force_login(editor)
    assert client.get("/admin/snippets/practices/countryprofile/add/").status_code == HTTPStatus.OK
    forgotten = []
    monkeypatch.setattr(pagecache, "bump_version", lambda **kwargs: forgotten.append(True))
    CountryProfile.objects.create(country="SN", monitor_url="https://example.org/monitor/sn")
    assert forgotten


def test_an_illustrative_sample_shows_as_partner_only_where_samples_show(
    client, senegal, make_practice
):
    """A sample names no country of its own, but a funder with a country makes that
    country its partner: with SHOW_ILLUSTRATIVE off (production) the sample is on no
    country page and in no count."""
    from django.core.management import call_command
    from django.test import override_settings

    fund = Organisation.objects.get(slug="senegal-solidarity-fund")
    make_practice(
        title="Sample solidarity grants",
        provenance="illustrative",
        region=["africa"],
        funding=[PracticeFunding(funder=fund, amount=5000, currency="USD", year_start=2021)],
    )
    html = client.get("/en/countries/SN/").content.decode()
    assert "Sample solidarity grants" in text_of(section(html, "partner-heading"))
    with override_settings(SHOW_ILLUSTRATIVE=False):
        call_command("rebuild_search_index", verbosity=0)
        html = client.get("/en/countries/SN/").content.decode()
        partners = text_of(section(html, "partner-heading"))
        assert "Sample solidarity grants" not in partners
        assert "Peer support in Mali" in partners and "(1)" in partners
    call_command("rebuild_search_index", verbosity=0)
