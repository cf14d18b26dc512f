"""The funding table of an entry: US dollar equivalents, totals by status, amounts without
a rate counted apart, in the reader's language."""

import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.utils import translation
from django.utils.formats import number_format

from practices.currency import RATE_SOURCE, usd_equivalent
from practices.funding import funding_totals
from practices.models import Organisation, PracticeFunding
from tests.conftest import shared_site_tree_fixtures

#: The site skeleton, built once for the tests of this module.
shared_tree, vocabularies, site_tree, _no_transactional_test = shared_site_tree_fixtures("module")

#: 1,000,000 euros in West African CFA francs at their fixed parity.
XOF_AMOUNT = Decimal("655957000")


def row(status="", usd=None, amount=None, currency=""):
    return SimpleNamespace(status=status, usd_equivalent=usd, amount=amount, currency=currency)


# funding_totals


def test_totals_keep_each_status_apart_in_a_fixed_order():
    totals = funding_totals(
        [
            row("disbursed", Decimal("10.50"), 10, "USD"),
            row("pledged", Decimal(100), 100, "USD"),
            row("disbursed", Decimal(5), 5, "USD"),
            row("", Decimal(1), 1, "USD"),
        ]
    )
    assert [(total.status, total.usd) for total in totals] == [
        ("pledged", Decimal(100)),
        ("disbursed", Decimal("15.50")),
        ("", Decimal(1)),
    ]
    assert [str(total.label) for total in totals] == ["Pledged", "Disbursed", "Status not given"]


def test_amounts_without_a_rate_are_added_up_by_currency_and_never_converted():
    totals = funding_totals(
        [
            row("committed", None, Decimal(1000), "GHS"),
            row("committed", None, Decimal(500), "GHS"),
            row("committed", None, Decimal(7), "AFN"),
            row("committed", Decimal(20), 20, "USD"),
            row("committed", None, Decimal(3), ""),
            row("committed", None, None, "GHS"),  # no figure at all: left out
        ]
    )
    (committed,) = totals
    assert committed.usd == Decimal(20)
    assert committed.not_converted == (
        ("", Decimal(3)),
        ("AFN", Decimal(7)),
        ("GHS", Decimal(1500)),
    )


def test_a_status_with_only_unconverted_amounts_has_no_dollar_total():
    (pledged,) = funding_totals([row("pledged", None, Decimal(1), "GHS")])
    assert pledged.usd is None and pledged.not_converted == (("GHS", Decimal(1)),)


def test_no_figures_no_totals():
    assert funding_totals([]) == []
    assert funding_totals([row("pledged")]) == []


# The page as a reader sees it


def page_text(client, url):
    """The page's main content as text: tags removed, spaces collapsed."""
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    html = response.content.decode()
    return html, text_of(html)


def text_of(html):
    """The text of `html`: tags removed, runs of spaces and line breaks made one space (the
    no-break spaces of French and Spanish numbers are kept)."""
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def figure(value, language):
    """A whole number as the page formats it in `language`."""
    with translation.override(language):
        return number_format(
            Decimal(value).quantize(Decimal(1), ROUND_HALF_UP), 0, force_grouping=True
        )


def section(html, class_name):
    """The text of the first table with `class_name`."""
    match = re.search(rf'<table class="{class_name}">(.*?)</table>', html, re.S)
    assert match, class_name
    return text_of(match.group(1))


@pytest.fixture
def entry_with_funding(make_practice):
    def build(language):
        agency = Organisation.objects.create(
            slug=f"agency-{language}",
            name_en="Development Agency",
            name_fr="Agence de développement",
            acronym="DA",
        )
        xof_in_usd = usd_equivalent(XOF_AMOUNT, "XOF", 2019)
        rows = [
            PracticeFunding(
                source="Typed name of the agency",
                funder=agency,
                recipient="Survivors' association",
                amount=Decimal(100000),
                currency="USD",
                year_start=2019,
                year_end=2020,
                funding_type="grant",
                status="pledged",
                va_share="dedicated",
                url="https://example.org/pledge",
            ),
            PracticeFunding(
                source="Regional fund",
                amount=XOF_AMOUNT,
                currency="XOF",
                year_start=2019,
                status="disbursed",
            ),
            PracticeFunding(
                source="Ministry of Health",
                amount=Decimal(50000),
                currency="USD",
                year_start=2020,
                status="disbursed",
            ),
            PracticeFunding(
                source="Ghana Health Service",
                amount=Decimal(1000000),
                currency="GHS",
                year_start=2019,
                status="disbursed",
                note="Counted in cedis.",
            ),
            PracticeFunding(
                source="European donor",
                amount=Decimal(1000),
                currency="EUR",
                year_start=2019,
                amount_usd=Decimal(1100),
                status="committed",
            ),
            PracticeFunding(source="Private gift", amount=Decimal(2500), currency="USD"),
        ]
        page = make_practice(language=language, slug=f"funded-{language}", funding=rows)
        # The totals by hand: one per status, never across statuses.
        expected = {
            "pledged": Decimal(100000),
            "committed": Decimal(1100),
            "disbursed": xof_in_usd + Decimal(50000),
            "none": Decimal(2500),
        }
        return page, xof_in_usd, expected

    return build


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language,labels",
    [
        (
            "en",
            {
                "usd": "US dollar equivalent",
                "totals": "Totals in US dollars by status",
                "pledged": "Pledged",
                "committed": "Committed",
                "disbursed": "Disbursed",
                "none": "Status not given",
                "not_converted": "Not converted",
                "no_rate": "No exchange rate",
                "funder": "Development Agency (DA)",
                "dedicated": "Dedicated to victim assistance",
                "source": "Source of the figure",
            },
        ),
        (
            "fr",
            {
                "usd": "Équivalent en dollars des États-Unis",
                "totals": "Totaux en dollars des États-Unis par statut",
                "pledged": "Annoncé",
                "committed": "Engagé",
                "disbursed": "Décaissé",
                "none": "Statut non indiqué",
                "not_converted": "Non converti",
                "no_rate": "Pas de taux de change",
                "funder": "Agence de développement (DA)",
                "dedicated": "Entièrement consacré à l'assistance aux victimes",
                "source": "Source du chiffre",
            },
        ),
    ],
)
def test_the_reader_sees_dollar_equivalents_and_totals_by_status(
    client, entry_with_funding, language, labels
):
    page, xof_in_usd, expected = entry_with_funding(language)
    html, text = page_text(client, f"/{language}/practices/funded-{language}/")

    # The table: the funder by its name in the page's language, the amount in its currency,
    # its US dollar equivalent, and a dash for the cedis, that have no rate in 2019.
    table = section(html, "funding-table")
    assert labels["usd"] in table and labels["funder"] in table
    assert "Typed name of the agency" not in table
    assert figure(XOF_AMOUNT, language) in table and "XOF" in table
    assert figure(xof_in_usd, language) in table
    assert labels["dedicated"] in table
    assert 'href="https://example.org/pledge"' in html and labels["source"] in table
    ghs_row = re.search(r"<tr>(?:(?!</tr>).)*Ghana Health Service.*?</tr>", html, re.S).group(0)
    assert '<span aria-hidden="true">—</span>' in ghs_row
    assert f'<span class="visually-hidden">{labels["no_rate"]}</span>' in ghs_row
    assert "Counted in cedis." in ghs_row

    # The totals, one per status, equal to the sums by hand; the cedis apart.
    totals = section(html, "funding-totals")
    assert totals.startswith(labels["totals"])
    for status in ("pledged", "committed", "disbursed", "none"):
        assert f"{labels[status]} {figure(expected[status], language)}" in totals, status
    mixed = sum(expected.values())
    assert figure(mixed, language) not in text  # never one sum across statuses
    assert labels["not_converted"] in totals
    assert figure(1000000, language) in totals and "GHS" in totals

    with translation.override(language):
        assert str(RATE_SOURCE) in text
    assert "mailto:" not in html
