"""US dollar equivalents of funding amounts, at the average rate of the row's first year.

Rates come from the European Central Bank's euro foreign exchange reference rates. These
are published every working day since 4 January 1999, and the `currencyconverter` package
bundles them (the package version in requirements.txt dates the table). A year's rate for a
currency is the mean of that year's daily rates, in US dollars per unit, through the euro.
For 2019 this gives 1.1195 US dollars per euro, the ECB's published annual average.

Two CFA francs are fixed to the euro at 655.957 francs per euro since 1 January 1999:
- XOF, the West African CFA franc (BCEAO);
- XAF, the Central African CFA franc (BEAC).
The parity comes from Council Decision 98/683/EC of 23 November 1998.

An amount gets no equivalent when there is no rate: the ECB does not publish the currency,
or the year has no rates (before 1999, or after the bundled table ends). Such rows are
counted apart, in their own currency. They are never guessed.
"""

import datetime
import statistics
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

#: Currencies fixed to the euro: units per euro.
EURO_PEGS = {"XOF": Decimal("655.957"), "XAF": Decimal("655.957")}
#: Since when the pegs hold.
EURO_PEGS_SINCE = 1999

RATE_SOURCE = _(
    "US dollar equivalents use the average of the European Central Bank's daily euro "
    "reference rates in the first year of each row (CFA francs at their fixed parity of "
    "655.957 per euro)."
)

CENT = Decimal("0.01")


@lru_cache(maxsize=1)
def _converter():
    from currency_converter import CurrencyConverter

    return CurrencyConverter()


def table_years():
    """(first, last) years with rates in the bundled table."""
    bounds = _converter().bounds["USD"]
    return bounds.first_date.year, bounds.last_date.year


@lru_cache(maxsize=2048)
def _euro_rates(currency, year):
    """Mean of the year's daily rates: (units of `currency` per euro, US dollars per euro),
    both as Decimal; None when the ECB published no rate for the currency that year."""
    from currency_converter import RateNotFoundError

    converter = _converter()
    if currency not in converter.currencies:
        return None
    in_currency, in_dollars = [], []
    day, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    while day <= end:
        try:
            units = converter.convert(1, "EUR", currency, day)
            dollars = converter.convert(1, "EUR", "USD", day)
        except RateNotFoundError:  # a weekend, a holiday, a day outside the table
            pass
        else:
            in_currency.append(units)
            in_dollars.append(dollars)
        day += datetime.timedelta(days=1)
    if not in_currency:
        return None
    # Both as means of the same days, so that EUR -> USD -> EUR gives back the amount.
    return Decimal(str(statistics.fmean(in_currency))), Decimal(str(statistics.fmean(in_dollars)))


def usd_rate(currency, year):
    """US dollars per unit of `currency` in `year` (a Decimal), or None without a rate."""
    currency = (currency or "").upper()
    if currency == "USD":
        return Decimal(1)
    if not year:
        return None
    if currency in EURO_PEGS:
        if year < EURO_PEGS_SINCE:
            return None
        euro = _euro_rates("EUR", year)
        if euro is None:
            return None
        return euro[1] / EURO_PEGS[currency]
    rates = _euro_rates(currency, year)
    if rates is None:
        return None
    units_per_euro, dollars_per_euro = rates
    return dollars_per_euro / units_per_euro


def usd_equivalent(amount, currency, year):
    """`amount` of `currency` in US dollars at the average rate of `year`, to the cent; None
    when there is no amount or no rate."""
    if amount is None:
        return None
    rate = usd_rate(currency, year)
    if rate is None:
        return None
    return (Decimal(amount) * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def row_usd(amount_usd, amount, currency, year):
    """A funding row's US dollars: the editor's figure, else `amount` at the average rate
    of its first year; None without either."""
    if amount_usd is not None:
        return amount_usd
    return usd_equivalent(amount, currency, year)
