import pytest

from practices.models import Organisation, PracticeFunding
from tests.conftest import build_practice, translate_practice
from tests.search.fixtures import funding_rows


@pytest.fixture(autouse=True)
def _fresh_search_state(fresh_snapshot):
    """Each API test starts with no snapshot of an earlier test's database."""


@pytest.fixture
def ledger(make_practice, translate):
    """(funded, pledged, unfunded): see `build_ledger`."""
    return build_ledger()


def build_ledger():
    """(funded, pledged, unfunded): an entry with both rows of `funding_rows`, translated
    into French; an entry with only a pledged loan of another funder; one without funding."""
    make_practice, translate = build_practice, translate_practice
    funded = make_practice(title="Rehabilitation grants", countries=["SN"], funding=funding_rows())
    translate(funded, "fr", title="Subventions de réadaptation")
    fund = Organisation.objects.get(slug="west-african-fund")
    pledged = make_practice(
        title="Solidarity loans",
        countries=["GH"],
        funding=[
            PracticeFunding(
                source="Solidarity fund",
                funder=fund,
                amount=1000,
                currency="EUR",
                year_start=2019,
                amount_usd=1100,
                note="Converted at the fund's own rate of its 2019 report.",
                funding_type="loan",
                status="pledged",
            )
        ],
    )
    unfunded = make_practice(title="Peer support without funding")
    return funded, pledged, unfunded
