"""Writing pages fast, as Wagtail writes them: the one module that uses Wagtail's,
treebeard's and modelsearch's private API.

Wagtail's way of creating a published page is `parent.add_child(instance=page)` (treebeard
reads the parent and its last child, `Page.save` validates against the database and
modelcluster saves the child rows one relation at a time), `page.save_revision()` and
`revision.publish()` (which loads the page back from the revision and saves it again). The
importer and `generate_practices` write thousands of pages; `PageWriter` writes the same rows
in a fraction of the queries:

* `ChildPaths` allocates treebeard paths for new last children, reading each parent's last
  child once (shared with `generate_practices`, which writes its own rows in bulk);
* `PageWriter.insert_page` saves a new page, its child rows and (later, with others) its links
  to terms, its log entry and its parent's child count;
* `PageWriter.revision_of_new_page` gives it its first revision, published or not, with the
  signals and log entry of Wagtail's publishing;
* `PageWriter.new_translation` copies an original as `copy_for_translation` does, in memory;
* `deferred_indexing` and `index_pages` update the reference and search indexes once for many
  pages (`create_references` inserts the reference rows of new pages in one query).

`tests/importing/test_page_writer_parity.py` checks that, for the same record, this gives the
page, revision, log and reference index rows that Wagtail's own API gives: run it after any
upgrade of Wagtail, treebeard or modelsearch.
"""

import logging
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler as search_on_save
from treebeard.exceptions import PathOverflow
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, TranslatableMixin
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published, published

from ..models import PracticePage
from ..search.index import deferred_updates as deferred_search_updates

logger = logging.getLogger(__name__)
page_logger = logging.getLogger("wagtail")  # where Page.save logs "Page created"

# -- the tree -----------------------------------------------------------------------------


def last_child_path(parent):
    """The treebeard path of the last child of page `parent`, or None if it has none.

    A range on the path rather than startswith: LIKE cannot use SQLite's index.
    """
    children = Page.objects.filter(
        path__gt=parent.path,
        path__lt=parent.path + Page.alphabet[-1] * Page.steplen + "~",
        depth=parent.depth + 1,
    )
    return children.order_by("-path").values_list("path", flat=True).first()


class ChildPaths:
    """Treebeard paths of new last children, the last one remembered per parent.

    What `add_child` computes from the parent's last child, read here once per parent (this
    assumes no other writer adds children to the same parents meanwhile).
    """

    def __init__(self):
        self._last = {}

    def start(self, parent):
        """Read the last child path of `parent` now, so that `next` needs no query."""
        if parent.pk not in self._last:
            self._last[parent.pk] = last_child_path(parent)

    def next(self, parent):
        """The path of a new last child of `parent` (reserved: the next call gives the one
        after it)."""
        if parent.pk not in self._last:
            self.start(parent)
        last = self._last[parent.pk]
        step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        if len(Page._int2str(step)) > Page.steplen:
            raise PathOverflow(f"No room for another page below {parent.url_path}")
        path = Page._get_path(parent.path, parent.depth + 1, step)
        self._last[parent.pk] = path
        return path

    def forget(self):
        """Read the last paths again (after a rollback gave back reserved paths)."""
        self._last.clear()


def add_children(counts):
    """Add to the child counts (`numchild`) of parents in the database: {parent: count}."""
    for parent, count in counts.items():
        if count:
            Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)


# -- indexes ------------------------------------------------------------------------------


@contextmanager
def deferred_indexing():
    """Skip the search and reference index updates that every save of a page triggers.

    A published import saves each page three times (create, revision, publish); indexing it
    once afterwards (`index_pages`) gives the same index at a third of the cost.
    """
    disconnected = post_save.disconnect(search_on_save, sender=PracticePage)
    try:
        with disable_reference_index_auto_update(), deferred_search_updates():
            yield
    finally:
        if disconnected:
            post_save.connect(search_on_save, sender=PracticePage)


def index_pages(page_ids, written=()):
    """Bring the reference index and the search backends up to date for these pages.

    `written` are pages among them that were created in the same transaction, with their
    child rows and terms still in memory: they are indexed as they are instead of being
    read back.
    """
    if not page_ids:
        return
    created = [page for page in written if page.pk in page_ids]
    others = set(page_ids) - {page.pk for page in created}
    pages = list(PracticePage.get_indexed_objects().filter(pk__in=others)) if others else []
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)
    create_references(created)
    pages += created
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(PracticePage, pages)
        except Exception:
            # As modelsearch does for single objects: an external engine being down must not
            # lose the import; a database backend error must abort the transaction.
            logger.exception("Indexing imported entries in the %r search backend failed", name)
            if not backend.catch_indexing_errors:
                raise


def create_references(pages):
    """`ReferenceIndex.create_or_update_for_object` for new pages, in one insert.

    A page created in this transaction has no references recorded yet, so there is nothing
    to read back and compare: its references are extracted as Wagtail extracts them and
    inserted together with those of the other pages.
    """
    if not pages:
        return
    content_type = ContentType.objects.get_for_model(PracticePage, for_concrete_model=False)
    base_content_type = ContentType.objects.get_for_model(Page, for_concrete_model=False)
    ReferenceIndex.objects.bulk_create(
        [
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=page.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for page in pages
            for to_content_type_id, to_object_id, model_path, content_path in set(
                ReferenceIndex._extract_references_from_object(page)
            )
        ],
        ignore_conflicts=connection.features.supports_ignore_conflicts,
    )


# -- pages --------------------------------------------------------------------------------


@dataclass
class PendingWrites:
    """What the writer leaves to write with other pages' rows (`PageWriter.flush`)."""

    #: Pages created.
    pages: list = field(default_factory=list)
    log_entries: list = field(default_factory=list)
    #: Many-to-many model -> links of the new pages to their terms.
    links: dict = field(default_factory=dict)
    #: Parent page -> number of pages added below it.
    children: Counter = field(default_factory=Counter)

    def add(self, other):
        """Take over what `other` leaves to write."""
        self.pages.extend(other.pages)
        self.log_entries.extend(other.log_entries)
        self.children.update(other.children)
        for through, links in other.links.items():
            self.links.setdefault(through, []).extend(links)


def copy_row(row, parental_key):
    """A new, unsaved copy of a child row (funding, source...), without its page."""
    copy = type(row)()
    for model_field in type(row)._meta.concrete_fields:
        if model_field.primary_key or model_field == parental_key:
            continue
        if model_field.is_relation and model_field.is_cached(row):
            setattr(copy, model_field.name, getattr(row, model_field.name))
        else:
            setattr(copy, model_field.attname, getattr(row, model_field.attname))
    return copy


def mark_published(page):
    """Make an unsaved page live, as publishing its first revision does."""
    now = timezone.now()
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.first_published_at or now
    page.last_published_at = now


class PageWriter:
    """Create pages as Wagtail does (see the module documentation), as `user` if given."""

    def __init__(self, user=None):
        self.user = user
        self.paths = ChildPaths()

    def insert_page(self, page, parent, pending):
        """Save a new page, with its child rows and terms, as the last child of `parent`.

        This is what `parent.add_child(instance=page)` does (with `Page.save` and
        `PracticePage.save`), in far fewer queries:

        * the tree position follows the last child path, which the writer remembers per
          parent instead of reading it (and the parent) again for every page;
        * the page is validated as `Page.save` validates it (everything for a live page, the
          title and slug of a draft), without re-reading from the database what the caller
          knows: that its locale and content type exist, and that its path and translation
          key are new (both are also unique in the database);
        * the child rows (funding, sources, attachments, tags) are inserted in bulk, where
          modelcluster first reads every relation back (empty for a new page), and the links
          to terms later, with others (`write_links`); both stay in memory, so that the revision
          is serialised and the page indexed without reading them back;
        * the language-neutral classification is already the original's: a new original
          includes its answered questions (the importer's `_include_answered_questions`) and
          a new translation is a copy of the original (`new_translation`); no other version
          can exist yet to propagate it to.

        What is left to write with other pages (log entry, links to terms, the parent's child
        count) is added to `pending`, written by `flush`.
        """
        page.depth = parent.depth + 1
        page.path = self.paths.next(parent)
        page.numchild = 0
        page._cached_parent_obj = parent  # treebeard's cache: get_parent() without a query
        page.set_url_path(parent)
        page.draft_title = page.title
        if page.live:
            # Country codes were checked by the importer (and are the original's in a
            # translation); django-countries' check of a code reads every country name.
            known_valid = ["locale", "content_type", "owner", "countries"]
            page.full_clean(exclude=known_valid, validate_unique=False)
        else:
            page.minimal_clean()
        rows = {
            relation: list(getattr(page, relation.get_accessor_name()).all())
            for relation in get_all_child_relations(page)
        }
        terms = {
            relation: list(getattr(page, relation.name).all())
            for relation in get_all_child_m2m_relations(page)
        }
        # The row itself, with the post_save signal, but without ClusterableModel.save (the
        # relations are written below) and the housekeeping of Page.save done above.
        models.Model.save(page)
        for relation, children in rows.items():
            for child in children:
                setattr(child, relation.field.name, page)
                if isinstance(child, TranslatableMixin):  # sources: in the page's language
                    child.locale_id = page.locale_id
            if children:
                relation.related_model.objects.bulk_create(children)
            setattr(page, relation.get_accessor_name(), children)  # kept in memory
        for relation, items in terms.items():
            through = relation.remote_field.through
            source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
            pending.links.setdefault(through, []).extend(
                through(**{source: page, target: item})
                for item in {item.pk: item for item in items}.values()
            )
            setattr(page, relation.name, items)  # kept in memory
        page_logger.info(
            'Page created: "%s" id=%d content_type=%s.%s path=%s',
            page.title,
            page.id,
            page._meta.app_label,
            type(page).__name__,
            page.url_path,
        )
        self.log(page, "wagtail.create", pending, content_changed=True)
        pending.pages.append(page)
        pending.children[parent] += 1
        # In memory at once (in the database by `flush`): treebeard's
        # get_children(), used by the slug check, finds nothing below a childless parent.
        parent.numchild += 1

    def revision_of_new_page(self, page, publish, pending):
        """The first revision of a page just saved with its final content.

        With `publish`, the page was saved live (`mark_published`) and this revision becomes
        its live revision, with the signals and log entries of Wagtail's publishing. This is
        what `revision.publish()` does for a new page, without loading the revision back and
        saving the page a second time (which halves the import time).
        """
        # As page.save_revision() does for a page without comments, with a single update.
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=self.user,
            content=page.serializable_data(),
            object_str=str(page),
        )
        page.latest_revision = revision
        page.latest_revision_created_at = revision.created_at
        page.draft_title = page.title
        update_fields = ["latest_revision", "latest_revision_created_at", "draft_title"]
        if publish:
            page.live_revision = revision
            update_fields.append("live_revision")
        else:
            page.has_unpublished_changes = True
            update_fields.append("has_unpublished_changes")
        Page.objects.filter(pk=page.pk).update(
            **{name: getattr(page, name) for name in update_fields}
        )
        if not publish:
            self.log(page, "wagtail.edit", pending, revision=revision, content_changed=True)
        else:
            page_published.send(sender=PracticePage, instance=page, revision=revision)
            published.send(sender=PracticePage, instance=page, revision=revision)
            self.log(page, "wagtail.publish", pending, revision=revision, content_changed=True)
        return revision

    def revision_of_existing_page(self, page, publish):
        """A new revision of an existing page (validated), published with `publish`."""
        revision = page.save_revision(user=self.user, log_action=True)
        if publish:
            revision.publish(user=self.user)
        return revision

    def log(self, page, action, pending, **kwargs):
        """Log an action as `wagtail.log_actions.log(page, action, ...)` does.

        The entry is added to `pending` and inserted with others by `flush`, without the
        validation of each entry on its own, which reads back the page, content type and
        revision it names.
        """
        context = get_active_log_context()
        pending.log_entries.append(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                label=PageLogEntry.objects.get_instance_title(page),
                action=action,
                timestamp=timezone.now(),
                data=kwargs.pop("data", None) or {},
                user=self.user or context.user,
                uuid=context.uuid,
                page=page,
                **kwargs,
            )
        )

    def new_translation(self, original, locale, new_entry=False):
        """An unsaved translation of `original` into `locale`, a copy as Wagtail makes it.

        `copy_for_translation` copies every field but the tree position and revisions, the
        child rows as new rows and the terms, saves the copy as a draft with a revision, and
        the import then saved it again with its text. Here the copy is made in memory (with
        the same translation key, which is what makes it a translation for Wagtail and
        wagtail-localize) and saved once, by `insert_page`.

        `new_entry`: the original was created in the same transaction, with its
        classification in memory.
        """
        excluded = {
            *PracticePage.default_exclude_fields_in_copy,
            *PracticePage.exclude_fields_in_copy,
        }
        page = PracticePage()
        for model_field in PracticePage._meta.concrete_fields:
            if not model_field.primary_key and model_field.name not in excluded:
                setattr(page, model_field.attname, getattr(original, model_field.attname))
        for relation in get_all_child_relations(original):
            name = relation.get_accessor_name()
            if name not in excluded:
                rows = getattr(original, name).all()
                setattr(page, name, [copy_row(row, relation.field) for row in rows])
        for relation in get_all_child_m2m_relations(original):
            if relation.name not in excluded:
                setattr(page, relation.name, list(getattr(original, relation.name).all()))
        # What copy_for_translation changes in the copy.
        page.locale = locale
        page.live = False
        page.has_unpublished_changes = True
        page.live_revision = None
        page.first_published_at = page.last_published_at = None
        page.alias_of = None
        if self.user:
            page.owner = self.user
        if not new_entry:
            # As PracticePage.save: the classification is that of the saved original, which
            # is not the draft being imported when the import does not publish.
            page.copy_classification_from(page.get_original())
        return page

    def write_links(self, pending):
        """Insert the links to terms of the pages created so far (`pending.links`)."""
        for through, links in pending.links.items():
            through.objects.bulk_create(links)
        pending.links = {}

    def flush(self, pending):
        """Write what `pending` holds: links to terms, log entries and the parents' child
        counts (the pages stay in `pending.pages`)."""
        self.write_links(pending)
        PageLogEntry.objects.bulk_create(pending.log_entries)
        add_children(pending.children)
        pending.log_entries, pending.children = [], Counter()
