"""The page writer (practices/importing/writer.py) against Wagtail's own API.

The importer writes pages with private API of Wagtail and treebeard, for speed. For the same
record, an original and its translation, this compares what it leaves in the database with
what Wagtail's own way leaves: `parent.add_child(instance=page)`, `page.save_revision()` and
`revision.publish()`, the translation being copied as `copy_for_translation` copies
(`wagtail.models.copying`). Compared: the page rows (every field, child rows and links to
terms, as `serializable_data()` reads them back), the revisions, the log entries and the
reference index rows. Ids and keys that differ between two runs are compared by what they
refer to; times by whether they are set.

If this fails after an upgrade of Wagtail, treebeard or modelcluster, the writer no longer
writes what Wagtail writes: change the writer, not this test.
"""

import copy
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, TranslatableMixin
from wagtail.models.copying import _copy, _copy_m2m_relations

from practices.importing import Importer, record_slug
from practices.models import PracticePage
from tests.importing.conftest import VALID_RECORD

#: Keys whose values are ids or keys of rows created by the run, by the kind of row.
PAGE_KEYS = {"page", "page_ptr", "content_object", "object_id", "alias_of"}
ID_KEYS = {
    "pk",
    "id",
    "translation_key",
    "latest_revision",
    "live_revision",
    "revision",
    "uuid",
    "tag",  # the record's tags are created by each run
    "funder",  # and so are its organisations
    "recipient_organisation",
}
#: Times: compared by whether they are set.
TIME_KEYS = {
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "created_at",
    "timestamp",
}
#: What `Page.with_content_json` takes from the page row rather than from a revision, and
#: what publishing a revision sets on the page whatever the revision holds: a revision's
#: values for these are never used, so they may differ (the writer saves a published page
#: live before its first revision; Wagtail saves a draft, then publishes it).
PAGE_ROW_KEYS = {
    "pk",
    "content_type",
    "path",
    "depth",
    "numchild",
    "url_path",
    "draft_title",
    "live",
    "has_unpublished_changes",
    "owner",
    "locked",
    "locked_by",
    "locked_at",
    "latest_revision",
    "latest_revision_created_at",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "translation_key",
    "locale",
    "alias_of",
}


BLOCK_KEY = re.compile(r'data-block-key="[^"]*"')


def parity_record():
    """The conftest record with one translation and no contact (not a page matter)."""
    record = copy.deepcopy(VALID_RECORD)
    record.pop("contact")
    record["translations"] = {"fr": record["translations"]["fr"]}
    return record


class Labels:
    """Stand-ins for ids that differ between runs: the first id seen of a kind is 1..."""

    def __init__(self):
        self.seen = {}

    def __call__(self, kind, value):
        if value in (None, "", []):
            return value
        known = self.seen.setdefault(kind, {})
        return f"{kind} #{known.setdefault(str(value), len(known) + 1)}"


def normal(value, labels, key=None, kind="page"):
    """`value` (serialised page data, a row as a dict) with ids labelled and times as
    presence; stream blocks and rich text without their random ids and keys."""
    if key in PAGE_KEYS:
        return labels("page", value)
    if key == "pk":
        return labels(kind, value)
    if key in ID_KEYS:
        return labels(f"{kind}.{key}", value)
    if key in TIME_KEYS:
        return "set" if value else None
    if isinstance(value, dict):
        is_block = "type" in value and "value" in value
        return {
            name: normal(item, labels, name, kind)
            for name, item in value.items()
            if not (is_block and name == "id")
        }
    if isinstance(value, list):
        return [normal(item, labels, kind=key or kind) for item in value]
    if isinstance(value, str) and value[:1] in "[{":
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        return normal(parsed, labels, kind=kind)
    if isinstance(value, str):
        # Rich text in the editor's format: each paragraph has a random key.
        return BLOCK_KEY.sub('data-block-key="…"', value)
    return value


def child_ids_as_presence(value):
    """Child rows in a revision with "pk": "set" for their ids.

    Wagtail's own path serialises the tag rows of a page copied for translation with ids
    that are not those saved (the copy's rows are saved again when it is published); the
    test checks apart that the writer's revisions hold the saved ids.
    """
    if isinstance(value, list):
        return [
            {**item, "pk": "set" if item.get("pk") else None}
            if isinstance(item, dict) and "pk" in item
            else item
            for item in value
        ]
    return value


def describe(pages):
    """What the database holds of these pages ({role: page}), ids labelled consistently."""
    labels = Labels()
    for page in pages.values():  # pages first, in the same order in both runs
        labels("page", page.pk)
    page_type = ContentType.objects.get_for_model(Page)
    described = {}
    for role, page in pages.items():
        page = PracticePage.objects.get(pk=page.pk)
        revisions = list(Revision.page_revisions.filter(object_id=str(page.pk)).order_by("pk"))
        for revision in revisions:
            labels("page.revision", revision.pk)
        references = sorted(
            ReferenceIndex.objects.filter(
                base_content_type=page_type, object_id=str(page.pk)
            ).values(
                "content_type",
                "to_content_type",
                "to_object_id",
                "model_path",
                "content_path",
                "content_path_hash",
            ),
            key=lambda row: (row["model_path"], row["to_content_type"], int(row["to_object_id"])),
        )
        for row in references:
            assert row.pop("content_path_hash") == ReferenceIndex._get_content_path_hash(
                row["content_path"]
            )
            # A child row's id in the path: "funding.<pk>.mechanism".
            row["content_path"] = re.sub(
                r"(?<=\.)\d+(?=\.)",
                lambda match, row=row: labels(row["model_path"].split(".")[0], match[0]),
                row["content_path"],
            )
            row["to_object_id"] = labels(f"to {row['to_content_type']}", row["to_object_id"])
        data = page.serializable_data()
        children = [key for key, value in data.items() if isinstance(value, list) and value]
        children = [key for key in children if isinstance(data[key][0], dict)]
        described[role] = {
            "revision rows are the saved rows": all(
                [row["pk"] for row in revision.content[key]] == [row["pk"] for row in data[key]]
                for revision in revisions
                for key in children
            ),
            "page": normal(data, labels),
            "revision content keys": [sorted(revision.content) for revision in revisions],
            "revisions": [
                {
                    "content": {
                        key: child_ids_as_presence(normal(value, labels, key))
                        for key, value in revision.content.items()
                        if key not in PAGE_ROW_KEYS
                    },
                    "user": revision.user_id,
                    "object_str": revision.object_str,
                    "approved_go_live_at": revision.approved_go_live_at,
                }
                for revision in revisions
            ],
            "log": [
                {
                    "action": entry.action,
                    "revision": normal(entry.revision_id, labels, "revision"),
                    "content_changed": entry.content_changed,
                    "label": entry.label,
                    "user": entry.user_id,
                    "data": entry.data,
                    "content_type": entry.content_type_id,
                    "has_uuid": entry.uuid is not None,
                }
                for entry in PageLogEntry.objects.filter(page=page).order_by("timestamp", "pk")
            ],
            "references": references,
        }
    return described


class Undo(Exception):
    """Raised to roll back a run once it is described."""


def described_then_undone(write):
    """describe(write()), with what `write` wrote rolled back afterwards."""
    described = None
    try:
        with transaction.atomic():
            described = describe(write())
            raise Undo
    except Undo:
        pass
    return described


def by_the_importer(record, publish):
    importer = Importer(publish=publish)
    result = importer.run([(1, record, None)])
    assert result.ok, result.invalid
    original = PracticePage.objects.get(pk=result.created[0])
    translation = original.get_translation(importer.locales["fr"])
    return {"original": original, "translation": translation}


def save_as_wagtail_does(page, parent, publish, then=None):
    parent.add_child(instance=page)
    if then:
        then()
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision(log_action=True)  # as the admin's create view
    ReferenceIndex.create_or_update_for_object(page)


def by_wagtail(record, publish):
    importer = Importer(publish=publish)  # only for the values of the record
    original = importer.new_page(record)
    save_as_wagtail_does(original, importer.indexes["en"], publish)

    # Copied as CopyPageAction copies for copy_for_translation (same translation key).
    original = PracticePage.objects.get(pk=original.pk)
    excluded = original.default_exclude_fields_in_copy + original.exclude_fields_in_copy
    update_attrs = {
        "locale": importer.locales["fr"],
        "live": False,
        "has_unpublished_changes": True,
        "live_revision": None,
        "first_published_at": None,
        "last_published_at": None,
        "alias_of": None,
    }
    translation, rows = _copy(original, exclude_fields=excluded, update_attrs=update_attrs)
    for row in rows.values():  # copy_for_translation's process_child_object
        if isinstance(row, TranslatableMixin):
            row.locale = importer.locales["fr"]
    data = record["translations"]["fr"]
    importer.set_translation_text(translation, data)
    translation.slug = record_slug(data)
    # The page created is the translation: its draft title is its title, not the original's
    # left by the copy (as the admin's form would set it).
    translation.draft_title = translation.title
    save_as_wagtail_does(
        translation,
        importer.indexes["fr"],
        publish,
        then=lambda: _copy_m2m_relations(
            original, translation, exclude_fields=excluded, update_attrs=update_attrs
        ),
    )
    return {"original": original, "translation": translation}


@pytest.mark.parametrize("publish", [True, False], ids=["published", "draft"])
def test_the_writer_writes_what_wagtail_writes(site_tree, publish):
    record = parity_record()

    fast = described_then_undone(lambda: by_the_importer(record, publish))
    reference = described_then_undone(lambda: by_wagtail(record, publish))

    assert fast.keys() == reference.keys() == {"original", "translation"}
    for role in fast:
        assert fast[role].pop("revision rows are the saved rows")
        reference[role].pop("revision rows are the saved rows")  # see child_ids_as_presence
    assert fast["original"] == reference["original"]
    assert fast["translation"] == reference["translation"]


def test_the_comparison_sees_a_difference(site_tree):
    """The comparison is not blind: a different title, an extra log entry show."""
    record = parity_record()

    def imported_then_changed():
        pages = by_the_importer(record, publish=True)
        Page.objects.filter(pk=pages["original"].pk).update(title="Another title")
        PageLogEntry.objects.log_action(pages["translation"], "wagtail.edit")
        return pages

    fast = described_then_undone(imported_then_changed)
    reference = described_then_undone(lambda: by_wagtail(record, publish=True))

    assert fast["original"]["page"]["title"] == "Another title"
    assert fast["original"]["page"] != reference["original"]["page"]
    assert len(fast["translation"]["log"]) == len(reference["translation"]["log"]) + 1
