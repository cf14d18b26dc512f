"""PostgreSQL: the search vectors move to a narrow table of their own.

Matching a common word reads every matching row: on the documents table (titles, summaries,
body text, facets) that meant hundreds of megabytes at 100,000 entries. The narrow table
keeps (document id, language) on its heap and the vector out of line, so the rows a text
match reads stay small. On SQLite (FTS5 tables) the table exists and stays empty.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


FORWARDS = """
ALTER TABLE practices_search_searchvector SET (toast_tuple_target = 128);
ALTER TABLE practices_search_searchvector ALTER COLUMN search_vector SET STORAGE EXTERNAL;
INSERT INTO practices_search_searchvector (document_id, language, search_vector)
    SELECT id, language, search_vector FROM practices_search_searchdocument
    WHERE search_vector IS NOT NULL;
CREATE INDEX practices_search_vector_text_gin ON practices_search_searchvector
    USING gin (search_vector);
DROP INDEX IF EXISTS practices_search_vector_gin;
ALTER TABLE practices_search_searchdocument DROP COLUMN IF EXISTS search_vector;
"""

BACKWARDS = """
ALTER TABLE practices_search_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector;
UPDATE practices_search_searchdocument d SET search_vector = v.search_vector
    FROM practices_search_searchvector v WHERE v.document_id = d.id;
CREATE INDEX IF NOT EXISTS practices_search_vector_gin ON practices_search_searchdocument
    USING gin (search_vector);
DROP INDEX IF EXISTS practices_search_vector_text_gin;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):

    dependencies = [
        ('practices_search', '0003_pendingsearchupdate'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchVector',
            fields=[
                ('document', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='practices_search.searchdocument')),
                ('language', models.CharField(max_length=8)),
                ('search_vector', django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
