"""A process updates its in-memory snapshot with the documents that changed, and ends in the
same state as a snapshot rebuilt from the database; it rebuilds when it cannot follow."""

from datetime import UTC, datetime

import pytest

from practices.models import VOCABULARIES, PracticePage
from practices.search import memory
from practices.search.index import rebuild
from practices.search.memory import Snapshot, get_snapshot
from practices.search.models import SearchIndexChange


def state(snapshot):
    """Everything a search reads from a snapshot, in comparable form."""
    for name, ordered in snapshot.ordered.items():  # ranks agree with the orders
        assert [snapshot.order[name][pk] for pk in ordered] == list(range(len(ordered)))
    return {
        "facets": {
            key: {value: sorted(bitmap) for value, bitmap in values.items()}
            for key, values in snapshot.facets.items()
        },
        "visible": {code: sorted(bitmap) for code, bitmap in snapshot.visible.items()},
        "ordered": {name: list(ordered) for name, ordered in snapshot.ordered.items()},
        "documents": sorted(snapshot.all_documents),
        "entries": snapshot.entry_count,
        "tags": snapshot.tag_names,
        "version": snapshot.version,
    }


class Builds:
    """Counts the snapshots a process builds from scratch; `fresh()` builds one uncounted."""

    def __init__(self, monkeypatch):
        self.count = 0
        build = self.build = Snapshot.__init__

        def counted(snapshot):
            self.count += 1
            build(snapshot)

        monkeypatch.setattr(Snapshot, "__init__", counted)

    def fresh(self):
        snapshot = Snapshot.__new__(Snapshot)
        self.build(snapshot)
        return snapshot


@pytest.fixture
def builds(monkeypatch):
    return Builds(monkeypatch)


def at(year, month=1, day=1):
    return datetime(year, month, day, tzinfo=UTC)


def publish_at(page, when):
    """Give a page a publication date (sort order), as an import of older entries does."""
    PracticePage.objects.filter(pk=page.pk).update(first_published_at=when)
    page.refresh_from_db()
    page.save_revision().publish()
    return page


@pytest.fixture
def entries(make_practice, translate):
    """Entries whose orders have ties and gaps: equal years, no year, equal titles."""
    pages = [
        make_practice(title="Beta", year=2020, region=["africa"], countries=["SN"]),
        make_practice(title="alpha", year=2020, language="fr", countries=["ML", "SN"]),
        make_practice(title="Gamma", year=None, cooperation_model=["south-south-cooperation"]),
        make_practice(title="Beta", year=2018, language="ar"),
        make_practice(title="Éclat", year=None, language="es"),
    ]
    pages[3].tags.add("rehab")
    publish_at(pages[0], at(2021, 5))
    publish_at(pages[1], at(2021, 5))  # same year and same date: the id decides
    translate(pages[0], "fr", title="Bêta")
    return pages


def test_publishing_updates_the_snapshot(entries, make_practice, translate, builds):
    snapshot = get_snapshot()
    assert snapshot.change_id is not None and builds.count == 1

    steps = [
        # New ids for the versions of an entry tied with another on year and date.
        lambda: PracticePage.objects.get(pk=entries[0].pk).save_revision().publish(),
        lambda: make_practice(title="Delta", year=2020, region=["africa"], countries=["KH"]),
        lambda: translate(entries[2], "ar", title="غاما"),
        lambda: publish_at(entries[4], at(2019, 3)),
        lambda: entries[3].unpublish(),
        lambda: PracticePage.objects.get(pk=entries[1].pk).delete(),
    ]

    def edit():
        page = PracticePage.objects.get(pk=entries[0].pk)
        page.title, page.year = "Zeta", None
        page.regions = []
        page.save_revision().publish()

    steps.append(edit)
    for step in steps:
        step()
        updated = get_snapshot()
        assert updated is not snapshot and updated.version != snapshot.version
        assert builds.count == 1  # updated, not rebuilt
        assert state(updated) == state(builds.fresh())
        snapshot = updated
    assert "KH" in snapshot.facets["country"]
    assert "ML" not in snapshot.facets["country"]  # its only entry is gone


def test_the_snapshot_read_by_others_is_left_as_it_was(entries, make_practice, builds):
    before = get_snapshot()
    kept = state(before)
    make_practice(title="Epsilon", region=["africa"], countries=["SN"])
    assert state(get_snapshot()) != kept
    assert builds.count == 1
    assert state(before) == kept


def test_a_change_already_in_the_snapshot_changes_nothing(entries, make_practice, builds):
    """A snapshot built while a change committed may hold it already; updating is idempotent."""
    previous = get_snapshot()
    make_practice(title="Theta", year=2001, countries=["SN"])
    current = builds.fresh()  # built from the database: it holds the change
    current.change_id, current.version = previous.change_id, previous.version
    updated = current.updated()
    assert updated is not None
    assert state(updated) == state(builds.fresh())


def test_bulk_and_vocabulary_changes_rebuild(entries, make_practice):
    snapshot = get_snapshot()
    assert snapshot.updated() is None  # nothing new to apply
    make_practice(title="Iota")
    assert snapshot.updated() is not None
    term = VOCABULARIES["region"].objects.get(slug="africa")
    term.save()  # its labels may have changed: every snapshot must read them again
    assert snapshot.updated() is None
    rebuilt = get_snapshot()
    assert rebuilt.change_id == SearchIndexChange.objects.order_by("-pk").first().pk
    assert rebuilt.updated() is None
    rebuild()  # every document anew
    assert rebuilt.updated() is None
    assert SearchIndexChange.objects.order_by("-pk").first().full


def test_a_snapshot_whose_change_is_gone_rebuilds(entries, make_practice):
    snapshot = get_snapshot()
    make_practice(title="Kappa")
    SearchIndexChange.objects.filter(pk=snapshot.change_id).delete()  # trimmed
    assert snapshot.updated() is None
    memory.reset()
    assert get_snapshot().change_id == SearchIndexChange.objects.order_by("-pk").first().pk


def test_only_the_latest_changes_are_kept(db, monkeypatch):
    from practices.search.versions import bump_version

    monkeypatch.setattr(SearchIndexChange, "KEEP", 5)
    for _ in range(250):
        bump_version([], [], [])
    ids = sorted(SearchIndexChange.objects.values_list("pk", flat=True))
    assert len(ids) < 250
    assert ids[-1] - ids[0] < 5 + 100  # trimmed every hundredth change
