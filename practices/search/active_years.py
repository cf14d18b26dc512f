"""An ongoing practice is active in every year up to the current one (CONTRACT.md,
`active_year`). Its documents count the years when they are built, so on a new year they
stop one year short until the entry is indexed again: `stale_entries()` finds those entries
and `refresh()` reindexes them, in every configured backend, and nothing else.

`publish_scheduled` (run from cron every few minutes, docs/deployment.md) calls `refresh()`,
so the new year counts within minutes of midnight UTC without a full rebuild; the
`refresh_active_years` command does the same on demand.
"""

from .. import results
from ..results import PracticeStatus
from .documents import searchable_versions
from .models import SearchDocument
from .signals import index_entries


def stale_entries():
    """The translation keys of the ongoing entries whose documents do not count this year."""
    year = results.today().year
    ongoing = set(
        searchable_versions()
        .filter(status=PracticeStatus.ONGOING, year__lte=year)
        .exclude(year__isnull=True)
        .values_list("translation_key", flat=True)
    )
    if not ongoing:
        return set()
    stale = set()
    documents = SearchDocument.objects.filter(entry_key__in=ongoing).values_list(
        "entry_key", "facets"
    )
    indexed = set()
    for key, facets in documents.iterator():
        indexed.add(key)
        years = {int(value) for value in (facets or {}).get("active_year", [])}
        if year not in years:
            stale.add(key)
    # An ongoing entry without any document is the index's business (rebuild), not a
    # question of years; it is left to the usual updates.
    return stale & indexed


def refresh():
    """Reindex the stale ongoing entries; returns how many there were."""
    keys = stale_entries()
    index_entries(keys)
    return len(keys)
