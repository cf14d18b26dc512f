"""The closed values of a funding row (CONTRACT.md, "Facet keys, added in version 2"):
its type, status, share for victim assistance and channel. Their slugs are stable
identifiers, used by the API, the import format and the facets."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingType(models.TextChoices):
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")
    IN_KIND = "in-kind", _("In kind")
    BUDGET_ALLOCATION = "budget-allocation", _("Budget allocation")
    TECHNICAL_COOPERATION = "technical-cooperation", _("Technical cooperation")
    OTHER = "other", _("Other")


class FundingStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    COMMITTED = "committed", _("Committed")
    DISBURSED = "disbursed", _("Disbursed")


class VictimAssistanceShare(models.TextChoices):
    DEDICATED = "dedicated", _("Dedicated to victim assistance")
    PARTIAL = "partial", _("Partly for victim assistance")
    UNKNOWN = "unknown", _("Share not known")


class FundingChannel(models.TextChoices):
    DIRECT = "direct", _("Direct")
    INTERMEDIARY = "intermediary", _("Through an intermediary")


#: The label of the rows that give no status.
STATUS_NOT_GIVEN = _("Status not given")


@dataclass(frozen=True)
class StatusTotal:
    """The funding rows of one status, added up: `usd` sums the rows' US dollar
    equivalents (None when no row of the status has one); `not_converted` lists the rows
    without an equivalent as (currency, amount) sums by currency code ("" for rows that
    give no currency), in code order."""

    status: str  # a FundingStatus value, or "" for the rows without a status
    usd: Decimal | None
    not_converted: tuple[tuple[str, Decimal], ...]

    @property
    def label(self):
        return FundingStatus(self.status).label if self.status else STATUS_NOT_GIVEN


def funding_totals(rows):
    """The totals of funding rows by status: pledged, committed, disbursed, then the rows
    without a status, leaving out statuses without a figure. Never one sum across
    statuses: a pledge is not a payment. A row counts in US dollars when it has a US dollar
    equivalent (`row.usd_equivalent`), else in its own currency when it has an amount;
    rows with neither are left out."""
    usd, other = {}, {}
    statuses = frozenset(FundingStatus.values)  # the enum builds its list at each call
    for row in rows:
        status = row.status if row.status in statuses else ""
        equivalent = row.usd_equivalent
        if equivalent is not None:
            usd[status] = usd.get(status, Decimal(0)) + equivalent
        elif row.amount is not None:
            by_currency = other.setdefault(status, {})
            currency = (row.currency or "").upper()
            by_currency[currency] = by_currency.get(currency, Decimal(0)) + Decimal(row.amount)
    return [
        StatusTotal(
            status=status,
            usd=usd.get(status),
            not_converted=tuple(sorted(other.get(status, {}).items())),
        )
        for status in [*FundingStatus.values, ""]
        if status in usd or status in other
    ]
