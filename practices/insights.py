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

import threading
import weakref
from collections import defaultdict, namedtuple
from dataclasses import replace
from decimal import Decimal
from operator import attrgetter

from django.utils.translation import gettext as _

from .api.funding import NO_STATUS, ROW_FILTERS, STATUS_KEYS, _number, totals
from .api.serialisers import serialise_facet
from .country_pages import va_states
from .currency import row_usd
from .facets import FACET_LABELS, country_name
from .funding import FundingStatus
from .models import FundingMechanism, Organisation, PracticeFunding
from .search.models import SearchDocument
from .search.service import counts_by_value, matching_documents, search_practices

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

    def years_of(counts):
        return {int(item.value): item.count for item in counts or ()}

    overall = years_of(results.facets.get("active_year"))
    chosen = set(query.filters.get("cooperation_model") or ())
    models = [
        item
        for item in results.facets.get("cooperation_model", [])
        if item.count and (not chosen or item.value in chosen)
    ]
    by_model = counts_by_value(
        query, "cooperation_model", [item.value for item in models], count_key="active_year"
    )
    series = [
        {"value": item.value, "label": str(item.label), "years": years_of(by_model[item.value][1])}
        for item in models
    ]
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


#: What the insights read of a funding row (columns, not models: 10,000 rows as models
#: take seconds). Its attributes are those funding_totals and totals() read of a row, and
#: those the search's row filters (ROW_FILTERS) choose rows by.
FundingFigure = namedtuple(
    "FundingFigure",
    "status amount currency usd_equivalent year_start funder_id source mechanism_id "
    "recipient_id places funder_slug funding_type",
)
#: The row filters of the funding API (ROW_FILTERS: facet key -> the row's field), as
#: attributes of a FundingFigure ("funder__slug" -> "funder_slug").
_ROW_FILTER_ATTRIBUTES = {key: field.replace("__", "_") for key, field in ROW_FILTERS.items()}

#: Snapshot -> {document id: its page's FundingFigures}. A snapshot stands for one version
#: of the search index, and every publication (or change of an organisation) makes a new
#: one: the rows are read once per version, not once per request.
_figures_by_snapshot = weakref.WeakKeyDictionary()
_figures_lock = threading.Lock()


def _document_figures(snapshot):
    with _figures_lock:
        figures = _figures_by_snapshot.get(snapshot)
    if figures is None:
        figures = _read_figures()
        with _figures_lock:
            _figures_by_snapshot[snapshot] = figures
    return figures


def _read_figures():
    """{document id: (FundingFigure, ...)} of every searchable version, in the rows' order."""
    documents = defaultdict(list)
    for pk, page_id in SearchDocument.objects.values_list("pk", "page_id"):
        documents[page_id].append(pk)
    columns = (
        "page_id", "status", "amount", "currency", "amount_usd", "year_start", "funder_id",
        "source", "mechanism_id", "recipient_organisation_id", "page__countries",
        "funder__slug", "funding_type",
    )  # fmt: skip
    rows = (
        PracticeFunding.objects.filter(page_id__in=SearchDocument.objects.values("page_id"))
        .order_by("page_id", "sort_order", "pk")
        .values_list(*columns)
    )
    figures = defaultdict(list)
    # The same short texts (statuses, currencies, slugs, places) come again and again: one
    # object each, and a row's source text only where no organisation names its funder (the
    # only rows whose label it is). About half the memory of 13,000 rows.
    shared = {}

    def one(text):
        return shared.setdefault(text, text) if text is not None else None

    for page_id, status, amount, currency, amount_usd, year, funder_id, source, *rest in rows:
        mechanism_id, recipient_id, places, funder_slug, funding_type = rest
        # Each row's US dollars computed once: the editor's figure, else the amount at its
        # first year's rate.
        figure = FundingFigure(
            one(status), amount, one(currency), row_usd(amount_usd, amount, currency, year),
            year, funder_id, source if funder_id is None else None, mechanism_id, recipient_id,
            one(places), one(funder_slug), one(funding_type),
        )  # fmt: skip
        for pk in documents.get(page_id, ()):
            figures[pk].append(figure)
    return {pk: tuple(rows) for pk, rows in figures.items()}


def _figures(query):
    """The FundingFigure of every row of `/api/v1/funding/` for the same query: the rows of
    the matching entries' versions in `query.lang` that the row filters keep."""
    snapshot, matching = matching_documents(query)
    by_document = _document_figures(snapshot)
    rows = [figure for pk in matching for figure in by_document.get(pk, ())]
    for key, attribute in _ROW_FILTER_ATTRIBUTES.items():
        values = query.filters.get(key)
        if values:
            chosen = {str(value) for value in values}
            rows = [row for row in rows if getattr(row, attribute) in chosen]
    return rows


def _breakdown(rows, key_of, describe):
    """[{"value", "label", "usd": {status: US dollars}}] of the rows with a US dollar
    equivalent, grouped by `key_of(row)` (`describe(key) -> (value, label)`), largest first
    (by the largest of its status totals: the statuses are never added together)."""
    groups = {}
    for row in rows:
        equivalent = row.usd_equivalent
        if equivalent is None:
            continue
        sums = groups.setdefault(key_of(row), {})
        status = row.status if row.status in _STATUSES else NO_STATUS
        sums[status] = sums.get(status, 0) + equivalent
    items = []
    for key, sums in groups.items():
        value, label = describe(key)
        usd = {status: _number(sums.get(status, 0)) for status in STATUS_KEYS}
        items.append({"value": value, "label": label, "usd": usd, "_rank": max(sums.values())})
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
    countries = {
        pk: organisation.country.code
        for pk, organisation in organisations.items()
        if organisation.country
    }
    mechanisms = {
        term.pk: term
        for term in FundingMechanism.objects.filter(pk__in={row.mechanism_id for row in rows})
    }
    # The rows whose funder is only named in the text, not a registered organisation, are
    # one group: named by that text when they share it.
    unregistered = {row.source or not_given for row in rows if row.funder_id is None}
    unregistered_label = (
        next(iter(unregistered)) if len(unregistered) == 1 else _("Funders named only in the text")
    )

    def describe_funder(pk):
        funder = organisations.get(pk)
        if funder is None:
            return None, unregistered_label
        return funder.slug, funder.display_name(language)

    def describe_mechanism(pk):
        mechanism = mechanisms.get(pk)
        if mechanism is None:
            return None, not_given
        return mechanism.slug, mechanism.get_label(language)

    def country_of(row):
        # Where the money went: the recipient organisation's country, else the entry's one
        # place; not given when neither says (an entry in several countries does not split
        # a row).
        code = countries.get(row.recipient_id)
        if code is None:
            places = [code for code in (row.places or "").split(",") if code]
            code = places[0] if len(places) == 1 else None
        return code

    def describe_country(code):
        return code, country_name(code) if code else not_given

    def describe_year(year):
        return year, str(year) if year else not_given

    years = _breakdown(rows, attrgetter("year_start"), describe_year)
    years.sort(key=lambda item: (item["value"] is None, item["value"] or 0))
    return {
        "rows": len(rows),
        "statuses": list(STATUS_KEYS),
        "by_mechanism": _breakdown(rows, attrgetter("mechanism_id"), describe_mechanism),
        "by_funder": _top(_breakdown(rows, attrgetter("funder_id"), describe_funder), TOP_FUNDERS),
        "by_recipient_country": _breakdown(rows, country_of, describe_country),
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
    counts = counts_by_value(query, key, chosen)
    return [
        {"value": value, "label": labels.get(value, value), "count": counts[value][0]}
        for value in chosen
    ]


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
