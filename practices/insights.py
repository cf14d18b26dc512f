"""The figures of the insights of a search (CONTRACT.md, `GET /api/v1/insights/`): counts
by facet, entries active per year by cooperation model, funding broken down, and the
countries for a map.

Every count comes from the search service's facet counts for the same query, so it equals
what the search API says (disjunctive, as there). Funding comes from the rows of
`/api/v1/funding/` for the same query (practices.api.funding.funding_queryset): US dollars by
funding status, never one sum across statuses (a pledge is not a payment); rows without a
US dollar equivalent are never converted by a guess: they are added up apart, in their own
currency, in `funding.totals`.
"""

from collections import namedtuple
from dataclasses import replace
from decimal import Decimal

from django.utils.translation import gettext as _

from .api.funding import NO_STATUS, STATUS_KEYS, _number, funding_queryset, totals
from .api.serialisers import serialise_facet
from .country_pages import va_states
from .currency import row_usd
from .facets import FACET_LABELS, country_name
from .funding import FundingStatus
from .models import FundingMechanism, Organisation
from .search.service import matching_page_ids, search_practices

#: The facets whose counts the insights show, in order.
COUNTED_FACETS = (
    "cooperation_model",
    "guiding_question",
    "va_component",
    "region",
    "participation",
    "status",
    "evidence",
)
#: How many funders are named before the rest are grouped as "others".
TOP_FUNDERS = 10
OTHERS = "others"


def _timeline(query, results):
    """Entries active per year (`active_year` counts), in all and per cooperation model:
    the models the search selects, else every model with an entry."""

    def years_of(found):
        return {int(item.value): item.count for item in found.facets.get("active_year", [])}

    overall = years_of(results)
    chosen = set(query.filters.get("cooperation_model") or ())
    series = []
    for item in results.facets.get("cooperation_model", []):
        if (chosen and item.value not in chosen) or not item.count:
            continue
        filters = {**query.filters, "cooperation_model": [item.value]}
        found = search_practices(replace(query, filters=filters, page=1, page_size=1))
        series.append({"value": item.value, "label": str(item.label), "years": years_of(found)})
    years = sorted(overall)
    if years:
        years = list(range(years[0], years[-1] + 1))
    return {
        "years": years,
        "total": [overall.get(year, 0) for year in years],
        "series": [
            {
                "value": line["value"],
                "label": line["label"],
                "counts": [line["years"].get(year, 0) for year in years],
            }
            for line in series
        ],
    }


_STATUSES = frozenset(FundingStatus.values)


def _status(row):
    return row.status if row.status in _STATUSES else NO_STATUS


#: What the insights read of a funding row (columns, not models: 10,000 rows as models
#: take seconds). Its attributes are those funding_totals and totals() read of a row.
FundingFigure = namedtuple(
    "FundingFigure",
    "status amount currency usd_equivalent year_start funder_id source mechanism_id "
    "recipient_id places",
)


def _figures(query):
    """The FundingFigure of every row of `/api/v1/funding/` for the same query."""
    columns = (
        "status", "amount", "currency", "amount_usd", "year_start", "funder_id", "source",
        "mechanism_id", "recipient_organisation_id", "page__countries",
    )  # fmt: skip
    rows = funding_queryset(query, matching_page_ids(query)).values_list(*columns)
    # Each row's US dollars computed once: the amount at its first year's rate, or the
    # editor's figure.
    return [
        FundingFigure(status, amount, currency, row_usd(amount_usd, amount, currency, year),
                      year, *rest)
        for status, amount, currency, amount_usd, year, *rest in rows
    ]  # fmt: skip


def _breakdown(rows, key_of):
    """[{"value", "label", "usd": {status: US dollars}}] of the rows with a US dollar
    equivalent, grouped by `key_of(row) -> (value, label)`, largest first (by the largest
    of its status totals: the statuses are never added together)."""
    groups = {}
    for row in rows:
        equivalent = row.usd_equivalent
        if equivalent is None:
            continue
        value, label = key_of(row)
        group = groups.setdefault(value, {"label": label, "usd": {}})
        status = _status(row)
        group["usd"][status] = group["usd"].get(status, Decimal(0)) + equivalent
    items = [
        {
            "value": value,
            "label": group["label"],
            "usd": {status: _number(group["usd"].get(status, 0)) for status in STATUS_KEYS},
            "_rank": max(group["usd"].values()),
        }
        for value, group in groups.items()
    ]
    items.sort(key=lambda item: (-item["_rank"], str(item["label"])))
    for item in items:
        del item["_rank"]
    return items


def _top(items, size):
    """The first `size` items, and the rest added up by status as "others"."""
    if len(items) <= size:
        return items
    rest = items[size:]
    others = {
        "value": OTHERS,
        "label": _("Others (%(count)s)") % {"count": len(rest)},
        "usd": {status: _number(sum(Decimal(str(item["usd"][status])) for item in rest))
                for status in STATUS_KEYS},
    }  # fmt: skip
    return [*items[:size], others]


def _funding(query):
    rows = _figures(query)
    language = query.lang
    not_given = _("Not given")
    organisations = {
        organisation.pk: organisation
        for organisation in Organisation.objects.filter(
            pk__in={row.funder_id for row in rows} | {row.recipient_id for row in rows}
        )
    }
    mechanisms = {
        term.pk: term
        for term in FundingMechanism.objects.filter(pk__in={row.mechanism_id for row in rows})
    }

    def by_funder(row):
        funder = organisations.get(row.funder_id)
        if funder is not None:
            return funder.slug, funder.display_name(language)
        return None, row.source or not_given

    def by_mechanism(row):
        mechanism = mechanisms.get(row.mechanism_id)
        if mechanism is not None:
            return mechanism.slug, mechanism.get_label(language)
        return None, not_given

    def by_country(row):
        # Where the money went: the recipient organisation's country, else the entry's one
        # place; not given when neither says (an entry in several countries does not split
        # a row).
        recipient = organisations.get(row.recipient_id)
        if recipient is not None and recipient.country:
            code = recipient.country.code
        else:
            places = [code for code in (row.places or "").split(",") if code]
            code = places[0] if len(places) == 1 else None
        return code, country_name(code) if code else not_given

    def by_year(row):
        return row.year_start, str(row.year_start) if row.year_start else not_given

    years = _breakdown(rows, by_year)
    years.sort(key=lambda item: (item["value"] is None, item["value"] or 0))
    return {
        "rows": len(rows),
        "statuses": list(STATUS_KEYS),
        "by_mechanism": _breakdown(rows, by_mechanism),
        "by_funder": _top(_breakdown(rows, by_funder), TOP_FUNDERS),
        "by_recipient_country": _breakdown(rows, by_country),
        "by_year": years,
        "totals": totals(rows),
    }


def _countries(results):
    """Every country with an entry as place or as partner, and every State of the
    reference list of States with significant numbers of survivors (with or without an
    entry), sorted by code."""
    counts = {}
    for key, role in (("country", "place"), ("partner_country", "partner")):
        for item in results.facets.get(key, []):
            if item.count:
                counts.setdefault(item.value, {"place": 0, "partner": 0})[role] = item.count
    states = va_states()
    for code in states:
        counts.setdefault(code, {"place": 0, "partner": 0})
    return [
        {"code": code, "name": country_name(code), **numbers, "survivor_state": code in states}
        for code, numbers in sorted(counts.items())
    ]


def _selected(query, results, key):
    """For a facet the search filters on, [{"value", "label", "count"}] of each chosen value:
    how many of the entries found have it. (The facet's `values` are disjunctive, as in the
    search API: what each value would find instead, the facet's own filter left out.)"""
    chosen = [str(value) for value in query.filters.get(key) or ()]
    if not chosen:
        return None
    labels = {str(item["value"]): item["label"] for item in serialise_facet(results, key)}
    selected = []
    for value in chosen:
        filters = {**query.filters, key: [value]}
        found = search_practices(replace(query, filters=filters, page=1, page_size=1))
        selected.append({"value": value, "label": labels.get(value, value), "count": found.count})
    return selected


def _counts(query, results, key):
    figure = {"label": str(FACET_LABELS[key]), "values": serialise_facet(results, key)}
    selected = _selected(query, results, key)
    if selected is not None:
        figure["selected"] = selected
    return figure


def insights(query):
    """The figures of the insights of `query` (a valid SearchQuery), in `query.lang`."""
    results = search_practices(replace(query, page=1, page_size=1))
    return {
        "count": results.count,
        "counts": {key: _counts(query, results, key) for key in COUNTED_FACETS},
        "timeline": _timeline(query, results),
        "funding": _funding(query),
        "countries": _countries(results),
    }
