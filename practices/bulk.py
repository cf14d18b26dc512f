"""Bulk writers' helpers (importer, synthetic entries, search documents): multi-row INSERTs
and the page tree's last child.

SQLite gets `INSERT ... VALUES (...), (...)`. PostgreSQL gets one array per column,
`INSERT ... SELECT ... FROM unnest(...)`: the statement stays short whatever the number of
rows, so the driver does not have to parse thousands of placeholders at every chunk.
"""

from contextlib import contextmanager

from django.db import connection

#: Django field types whose Python values the database drivers take as they are.
_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey",
    "IntegerField", "OneToOneField", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField",
}  # fmt: skip


def insert_rows(model, rows, returning=False, local_only=False, chunk_size=None):
    """INSERT plain dicts (attname -> value) in chunks, without building model instances.

    Missing fields take their defaults. With `returning`, the new primary keys in order.
    """
    meta = model._meta
    fields = [
        field
        for field in (meta.local_concrete_fields if local_only else meta.concrete_fields)
        if not (field.primary_key and field.attname not in (rows[0] if rows else {}))
    ]
    defaults = {field.attname: field.get_default() for field in fields}
    converters = [
        None
        if type(field).__module__.startswith("django.db.models")
        and field.get_internal_type() in _PLAIN_TYPES
        else field
        for field in fields
    ]

    def prepared(row):
        for field, converter in zip(fields, converters, strict=True):
            value = row.get(field.attname, defaults[field.attname])
            if converter is not None and value is not None:
                value = converter.get_db_prep_save(value, connection)
            yield value

    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in fields]
    suffix = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    ids = []
    postgres = connection.vendor == "postgresql"
    chunk_size = chunk_size or (2000 if postgres else 300)
    with raw_cursor() as cursor:
        for start in range(0, len(rows), chunk_size):
            chunk = rows[start : start + chunk_size]
            if postgres:
                sql, params = _unnest_insert(meta, fields, columns, chunk, prepared)
                cursor.execute(sql + suffix, params, binary=True)
            else:
                row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
                sql = (
                    f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) VALUES "
                    + ", ".join([row_sql] * len(chunk))
                )
                cursor.execute(sql + suffix, [value for row in chunk for value in prepared(row)])
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
    return ids


@contextmanager
def raw_cursor():
    """On PostgreSQL, a server-side binding cursor of the same connection (and transaction):
    arrays travel in binary, without being quoted into the statement's text. Driver errors
    come out as Django's database errors, as from any other cursor."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def _unnest_insert(meta, fields, columns, chunk, prepared):
    values = [list(column) for column in zip(*(prepared(row) for row in chunk), strict=True)]
    casts = [f"%s::{field.cast_db_type(connection)}[]" for field in fields]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({', '.join(columns)}) "
        f"SELECT * FROM unnest({', '.join(casts)})"
    )
    return sql, values


def last_child_path(parent):
    """The treebeard path of the last child of page `parent`, or None if it has none.

    A range on the path rather than startswith: LIKE cannot use SQLite's index.
    """
    from wagtail.models import Page

    children = Page.objects.filter(
        path__gt=parent.path,
        path__lt=parent.path + Page.alphabet[-1] * Page.steplen + "~",
        depth=parent.depth + 1,
    )
    return children.order_by("-path").values_list("path", flat=True).first()
