"""GET /api/v1/funding/: the funding rows of the entries a search matches, with totals.

The rows are those of each matching entry's version in `lang` (its original where it has
none), in the search's `newest` order; the row filters of the search (`funder`,
`funding_type`, `funding_status`) also choose the rows, so that asking for disbursed grants
lists and adds up only those. Totals never mix statuses: US dollars by status, and, by
status too, the amounts of the rows without a US dollar equivalent in their own currency
(counted apart, never converted by a guess). Only public fields: nothing of contributors.
"""

from decimal import Decimal

from django.db.models import F

from ..funding import FundingStatus, funding_totals
from ..models import PracticeFunding
from ..search.service import matching_page_ids

#: The status key of the rows whose status is not given.
NO_STATUS = "not-given"
#: Every status key of the totals, in order.
STATUS_KEYS = (*FundingStatus.values, NO_STATUS)
#: The search filters that also choose the rows: facet key -> the row's field.
ROW_FILTERS = {"funder": "funder__slug", "funding_type": "funding_type", "funding_status": "status"}


def _number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def funding_queryset(query, page_ids):
    """The rows of these pages (the entries matching `query`) that its row filters keep."""
    rows = PracticeFunding.objects.filter(page_id__in=page_ids)
    for key, field in ROW_FILTERS.items():
        values = query.filters.get(key)
        if values:
            rows = rows.filter(**{f"{field}__in": [str(value) for value in values]})
    return rows


def funding_rows(query):
    """The PracticeFunding rows of the entries matching `query`, as described above."""
    page_ids = matching_page_ids(query)
    position = {pk: index for index, pk in enumerate(page_ids)}
    # The entry's id and places come as columns: building 10,000 pages would take seconds.
    rows = (
        funding_queryset(query, page_ids)
        .select_related("funder", "recipient_organisation", "mechanism")
        .annotate(entry_key=F("page__translation_key"), entry_places=F("page__countries"))
    )
    return sorted(rows, key=lambda row: (position[row.page_id], row.sort_order, row.pk))


def serialise_row(row, language):
    """A row of `funding_rows`, with its entry's id."""
    return {"id": str(row.entry_key), **row_fields(row, language)}


def row_fields(row, language):
    """What a funding row says, in `language`."""
    return {
        "funder": row.funder_name_in(language),
        "funder_slug": row.funder.slug if row.funder is not None else None,
        "recipient": row.recipient_name_in(language),
        "recipient_slug": (
            row.recipient_organisation.slug if row.recipient_organisation is not None else None
        ),
        "amount": _number(row.amount),
        "currency": row.currency or None,
        "amount_usd": _number(row.usd_equivalent),
        "year_start": row.year_start,
        "year_end": row.year_end,
        "type": row.funding_type or None,
        "status": row.status or None,
        "va_share": row.va_share,
        "channel": row.channel or None,
        "mechanism": row.mechanism.slug if row.mechanism is not None else None,
        "source_url": row.url or None,
        "iati_identifier": row.iati_identifier or None,
        "note": row.note,
    }


def totals(rows):
    """{"usd": status -> US dollars, "currencies": currency -> status -> amount of the rows
    without a US dollar equivalent, "rows_without_amount": rows with neither that nor an
    amount in a currency}, from
    practices.funding.funding_totals (what the entry page shows)."""
    usd = dict.fromkeys(STATUS_KEYS, 0)
    currencies = {}
    for total in funding_totals(rows):
        status = total.status or NO_STATUS
        if total.usd is not None:
            usd[status] = _number(total.usd)
        for code, amount in total.not_converted:
            if not code:  # an amount without its currency: not an amount one can add
                continue
            by_status = currencies.setdefault(code, dict.fromkeys(STATUS_KEYS, 0))
            by_status[status] = _number(amount)
    without_amount = sum(
        1 for row in rows if row.usd_equivalent is None and (row.amount is None or not row.currency)
    )
    return {
        "usd": usd,
        "currencies": dict(sorted(currencies.items())),
        "rows_without_amount": without_amount,
    }


def funding_response(query):
    rows = funding_rows(query)
    return {
        "count": len(rows),
        "rows": [serialise_row(row, query.lang) for row in rows],
        "totals": totals(rows),
    }
