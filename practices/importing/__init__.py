"""Validating and loading practice entries in the import format of the public contract.

The package: `schema` (the JSON Schema and the identity of a record), `reader` (files),
`validation` (semantic checks), `importer` (batches, savepoints, values)
and `writer` (pages written as Wagtail writes them, the only user of Wagtail's and treebeard's
private API, shared with `generate_practices`).

Input is a JSON array of objects or JSON Lines (one object per line). Each record is checked
with a JSON Schema (structure and types) and then semantically (vocabulary slugs, country
and currency codes, years, languages, translations; the values of version 2: provenance,
status, evidence, participation, rights markers, beneficiaries, last verified date; an
illustrative record names no country). Invalid records are reported by position
(1-based index in a JSON array, line number in JSON Lines) with every reason, and nothing of
them is written.

Writing rules:

* Each valid record is written inside its own savepoint; records are committed in batches
  (``BATCH_SIZE``) to keep SQLite fast. A record that fails while being written is rolled
  back entirely and reported as invalid; the records before and after it are kept.
* ``dry_run`` validates and says what would be created or updated, but writes nothing at all.
* Identity (idempotence): an entry is identified by its ``slug`` if given, otherwise by the
  slug of its title (``slugify(title, allow_unicode=True)``, so Arabic titles keep their
  letters), within the practices index of the record's ``language``. If an entry with that
  slug exists there, it is updated (a new revision) instead of duplicated; its translations
  are identified the same way, as the translation of that entry in each language. A slug that
  belongs to a translation of another entry is reported as a conflict.
* A new translation is what Wagtail's ``copy_for_translation`` makes, saved once: a copy of
  the original (its fields, funding, sources, attachments, tags and classification) with the
  same translation key, in the practices index of its language, with the translation's text.
  Text it does not give is left empty; names (organisation, partners) are the original's.
* Every created or updated page gets a revision and stays editable in the admin; with
  ``publish`` the revision is published (the page is live), otherwise a new entry is a draft
  and an existing entry gets a draft revision.
* ``contact`` goes to a private ``Submission`` (channel "import", status "imported") linked to
  the entry, never onto the page.
"""

from .importer import (
    BATCH_SIZE,
    Importer,
    ImportResult,
    InvalidRecord,
    import_file,
    import_records,
)
from .reader import ImportFileError, parse_records, read_records
from .schema import (
    LANGUAGE_CODES,
    PLAIN_TEXT_FIELDS,
    PROVENANCES,
    RECORD_SCHEMA,
    RICH_TEXT_FIELDS,
    SLUG_MAX_LENGTH,
    TRANSLATABLE_FIELDS,
    TRANSLATION_SCHEMA,
    record_slug,
    schema_errors,
)
from .validation import semantic_errors, validate
from .writer import PageWriter, deferred_indexing, index_pages

__all__ = [
    "BATCH_SIZE",
    "LANGUAGE_CODES",
    "PLAIN_TEXT_FIELDS",
    "PROVENANCES",
    "RECORD_SCHEMA",
    "RICH_TEXT_FIELDS",
    "SLUG_MAX_LENGTH",
    "TRANSLATABLE_FIELDS",
    "TRANSLATION_SCHEMA",
    "ImportFileError",
    "ImportResult",
    "Importer",
    "InvalidRecord",
    "PageWriter",
    "deferred_indexing",
    "import_file",
    "import_records",
    "index_pages",
    "parse_records",
    "read_records",
    "record_slug",
    "schema_errors",
    "semantic_errors",
    "validate",
]
