"""The funding table of an entry: US dollar equivalents, totals by status, amounts without
a rate counted apart, in the reader's language."""

from decimal import Decimal
from types import SimpleNamespace

from practices.funding import funding_totals


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
