"""US dollar equivalents from the bundled ECB reference rates (practices.currency)."""

from decimal import Decimal

import pytest

from practices.currency import table_years, usd_equivalent, usd_rate


def test_a_known_ecb_annual_average():
    # The ECB's published average for 2019: 1.1195 US dollars per euro.
    assert round(usd_rate("EUR", 2019), 4) == Decimal("1.1195")
    assert usd_equivalent(Decimal("1000"), "EUR", 2019) == Decimal("1119.47")


def test_another_currency_goes_through_the_euro():
    # Norwegian krone, 2019: 9.8511 NOK per euro (ECB annual average), 1.1195 USD per euro.
    assert round(usd_rate("NOK", 2019), 4) == round(Decimal("1.1195") / Decimal("9.8511"), 4)


def test_cfa_francs_follow_the_euro_at_their_fixed_parity():
    euro = usd_equivalent(Decimal("1000"), "EUR", 2019)
    assert usd_equivalent(Decimal("655957"), "XOF", 2019) == euro
    assert usd_equivalent(Decimal("655957"), "XAF", 2019) == euro
    assert usd_rate("XOF", 1998) is None  # before the parity with the euro


def test_dollars_stay_dollars_in_any_year():
    assert usd_equivalent(Decimal("250.5"), "USD", 1985) == Decimal("250.50")


@pytest.mark.parametrize(
    "currency,year",
    [
        ("AFN", 2019),  # a currency the ECB does not publish
        ("EUR", 1998),  # before the table starts
        ("EUR", None),  # no year
        ("", 2019),  # no currency
    ],
)
def test_no_rate_no_equivalent(currency, year):
    assert usd_rate(currency, year) is None
    assert usd_equivalent(Decimal("100"), currency, year) is None


def test_a_year_after_the_table_has_no_rate():
    _first, last = table_years()
    assert usd_rate("EUR", last + 1) is None
