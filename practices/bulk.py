"""Bulk writers' helpers (importer, synthetic entries, search documents): multi-row INSERTs.
(Tree paths of new pages: `practices.importing.writer.ChildPaths`.)

SQLite gets `INSERT ... VALUES (...), (...)`. PostgreSQL gets one array per column,
`INSERT ... SELECT ... FROM unnest(...)`: the statement stays short whatever the number of
rows, so the driver does not have to parse thousands of placeholders at every chunk.

Rows can be prepared (converted to the database's values) apart from being written, for
example in another thread while the database works on the previous rows: `prepare_rows`
then `write_rows`. A column may hold placeholders, positions in a list of ids known only
later (the new pages' ids), resolved when the rows are written.
"""

import json
import queue
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection as default_connection
from psycopg.types.json import Jsonb

#: Django field types whose Python values the database drivers take as they are.
_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey",
    "IntegerField", "OneToOneField", "PositiveBigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField",
}  # fmt: skip


@dataclass
class PreparedRows:
    """Rows of `model` as tuples of database values, in the order of `fields`."""

    model: type
    fields: list
    values: list

    def resolve(self, attname, ids):
        """The same rows with the placeholders of column `attname` (positions in `ids`)
        replaced by the ids."""
        position = [field.attname for field in self.fields].index(attname)
        values = [
            (*row[:position], ids[row[position]], *row[position + 1 :]) for row in self.values
        ]
        return PreparedRows(self.model, self.fields, values)


def prepare_rows(model, rows, local_only=False, connection=None):
    """Plain dicts (attname -> value) as database values, without building model instances.

    Missing fields take their defaults. `connection` is the one the rows are for (the
    default connection of the calling thread if not given); nothing is read from it.
    """
    connection = connection or default_connection
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

    json_text = _json_text if connection.vendor == "postgresql" else None

    def prepared(row):
        for field, converter in zip(fields, converters, strict=True):
            value = row.get(field.attname, defaults[field.attname])
            if converter is not None and value is not None:
                value = converter.get_db_prep_save(value, connection)
                if json_text is not None:
                    value = json_text(value)
            yield value

    return PreparedRows(model, fields, [tuple(prepared(row)) for row in rows])


def _json_text(value):
    """psycopg's JSON wrapper as its text, serialised now rather than when the statement
    is sent (in `write_rows`: the preparing thread does the work)."""
    if isinstance(value, Jsonb):
        return (value.dumps or json.dumps)(value.obj)
    return value


def write_rows(prepared, returning=False, chunk_size=None):
    """INSERT prepared rows in chunks; with `returning`, the new primary keys in order."""
    meta = prepared.model._meta
    quote = default_connection.ops.quote_name
    columns = [quote(field.column) for field in prepared.fields]
    suffix = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    ids = []
    postgres = default_connection.vendor == "postgresql"
    chunk_size = chunk_size or (2000 if postgres else 300)
    rows = prepared.values
    with raw_cursor() as cursor:
        for start in range(0, len(rows), chunk_size):
            chunk = rows[start : start + chunk_size]
            if postgres:
                sql, params = _unnest_insert(meta, prepared.fields, columns, chunk)
                cursor.execute(sql + suffix, params, binary=True)
            else:
                row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
                sql = (
                    f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) VALUES "
                    + ", ".join([row_sql] * len(chunk))
                )
                cursor.execute(sql + suffix, [value for row in chunk for value in row])
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
    return ids


@contextmanager
def raw_cursor():
    """On PostgreSQL, a server-side binding cursor of the same connection (and transaction):
    parameters travel apart from the statement, and those of `%b` placeholders in binary
    (an array of text or numbers is then neither quoted nor escaped, which psycopg does in
    Python). Driver errors come out as Django's database errors, as from any other cursor."""
    connection = default_connection
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def _unnest_insert(meta, fields, columns, chunk):
    values = [list(column) for column in zip(*chunk, strict=True)]
    casts = [f"%b::{field.cast_db_type(default_connection)}[]" for field in fields]
    sql = (
        f"INSERT INTO {default_connection.ops.quote_name(meta.db_table)} ({', '.join(columns)}) "
        f"SELECT * FROM unnest({', '.join(casts)})"
    )
    return sql, values


def in_background(iterable, buffer=2):
    """Iterate over `iterable`, its next items computed by a thread meanwhile.

    For a bulk writer: the thread prepares the next rows (Python work) while the caller's
    thread waits for the database (the drivers let other threads run then). The thread must
    not use the database. Its exception comes out of this iterator; closing the iterator
    (use `contextlib.closing`) stops the thread.
    """
    items = queue.Queue(maxsize=buffer)
    stop = threading.Event()
    end = object()

    def put(item):
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for item in iterable:
                if not put((item, None)):
                    return
        except BaseException as error:  # noqa: BLE001 - handed over to the caller's thread
            put((end, error))
        else:
            put((end, None))

    thread = threading.Thread(target=produce, name="bulk-preparation", daemon=True)
    thread.start()
    try:
        while True:
            item, error = items.get()
            if item is end:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join()
