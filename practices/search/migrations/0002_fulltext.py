"""Engine-specific full-text structures: FTS5 tables on SQLite, tsvector + GIN on PostgreSQL."""

from django.db import migrations

LANGUAGES = ("ar", "en", "fr", "es")


def create_fulltext(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for language in LANGUAGES:
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS practices_search_fts_{language} "
                    "USING fts5(title, labels, body, "
                    "tokenize = 'unicode61 remove_diacritics 2', detail = full)"
                )
        elif connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute(
                "ALTER TABLE practices_search_searchdocument "
                "ADD COLUMN IF NOT EXISTS search_vector tsvector"
            )
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS practices_search_vector_gin "
                "ON practices_search_searchdocument USING gin (search_vector)"
            )


def drop_fulltext(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for language in LANGUAGES:
                cursor.execute(f"DROP TABLE IF EXISTS practices_search_fts_{language}")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS practices_search_vector_gin")
            cursor.execute(
                "ALTER TABLE practices_search_searchdocument DROP COLUMN IF EXISTS search_vector"
            )


def create_state(apps, schema_editor):
    apps.get_model("practices_search", "SearchIndexState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("practices_search", "0001_initial")]

    operations = [
        migrations.RunPython(create_fulltext, drop_fulltext),
        migrations.RunPython(create_state, migrations.RunPython.noop),
    ]
