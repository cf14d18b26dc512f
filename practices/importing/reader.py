"""Reading an import file: a JSON array of objects or JSON Lines, record by record."""

import json
from pathlib import Path


class ImportFileError(Exception):
    """The file as a whole cannot be read (not JSON, not an array or JSON Lines)."""


def read_records(path):
    """Read a file: see `parse_records`."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"Cannot read {path}: {error}") from error
    return parse_records(text)


def parse_records(text):
    """[(position, record or None, error or None)] from a JSON array or JSON Lines.

    Position is the 1-based index in a JSON array, or the line number in JSON Lines.
    """
    stripped = text.lstrip()
    if not stripped:
        raise ImportFileError("The file is empty.")
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"Not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
            ) from error
        return [
            (index, item, None) if isinstance(item, dict) else (index, None, "not a JSON object")
            for index, item in enumerate(data, start=1)
        ]
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            records.append((number, None, f"not valid JSON (column {error.colno}): {error.msg}"))
            continue
        if isinstance(item, dict):
            records.append((number, item, None))
        else:
            records.append((number, None, "not a JSON object"))
    return records
