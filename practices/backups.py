"""Backups of a whole site: the database, and the media folder (images, documents and the
files of contributions), in one archive with a manifest of SHA-256 sums.

SQLite is copied with SQLite's online backup API (consistent while the site runs);
PostgreSQL with pg_dump's custom format, restored with pg_restore. Derived data (the search
documents are in the database; an Elasticsearch index is not) needs `es_reindex` after a
restore, and the application processes need a restart (they keep in-memory search data).
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    pass


def sha256_of(path):
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


def media_files(root):
    """Relative POSIX path -> absolute path of every file under `root`."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _engine():
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _postgres_arguments():
    config = connection.settings_dict
    arguments = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if config.get(key):
            arguments += [flag, str(config[key])]
    env = {**os.environ}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    return arguments, env


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def dump_database(target):
    engine = _engine()
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        arguments, env = _postgres_arguments()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                *arguments,
                connection.settings_dict["NAME"],
            ],
            env,
        )
    return engine


def load_database(source, engine):
    if engine != _engine():
        raise BackupError(f"this backup is of a {engine} database, the site uses {_engine()}")
    if engine == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("cannot restore inside a transaction")
        saved = sqlite3.connect(source)
        try:
            saved.backup(connection.connection)
        finally:
            saved.close()
        return
    arguments, env = _postgres_arguments()
    connection.close()
    # Extensions (unaccent) are created once by a superuser and left alone: the
    # application's user may not drop or create them.
    listing = _run(["pg_restore", "--list", str(source)], env)
    kept = "\n".join(line for line in listing.splitlines() if " EXTENSION " not in line)
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as handle:
        handle.write(kept)
    try:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                f"--use-list={handle.name}",
                *arguments,
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ],
            env,
        )
    finally:
        os.unlink(handle.name)


def backup(archive_path):
    """Write the archive; return its manifest."""
    archive_path = Path(archive_path)
    with tempfile.TemporaryDirectory() as folder:
        engine = _engine()
        database = Path(folder) / DATABASE_FILES[engine]
        dump_database(database)
        files = {DATABASE_FILES[engine]: sha256_of(database)}
        media = media_files(settings.MEDIA_ROOT)
        files.update({f"{MEDIA}/{name}": sha256_of(path) for name, path in media.items()})
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "database": DATABASE_FILES[engine],
            "files": files,
        }
        partial = archive_path.with_name(archive_path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            manifest_path = Path(folder) / MANIFEST
            manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
            archive.add(manifest_path, MANIFEST)
            archive.add(database, DATABASE_FILES[engine])
            for name, path in media.items():
                archive.add(path, f"{MEDIA}/{name}")
        partial.replace(archive_path)
    return manifest


def _replace_media(source):
    """Make MEDIA_ROOT hold exactly the files of `source` (files of later uploads go)."""
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if source.is_dir():
        shutil.copytree(source, root, dirs_exist_ok=True)


def restore(archive_path):
    """Check the archive against its manifest, then replace the database and the media."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        with tarfile.open(archive_path, "r:*") as archive:
            archive.extractall(folder, filter="data")
        manifest = json.loads((folder / MANIFEST).read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        present = {
            path.relative_to(folder).as_posix()
            for path in folder.rglob("*")
            if path.is_file() and path.name != MANIFEST
        }
        if present != set(manifest["files"]):
            raise BackupError("the archive does not hold the files its manifest lists")
        for name, digest in manifest["files"].items():
            if sha256_of(folder / name) != digest:
                raise BackupError(f"{name} is damaged (its SHA-256 does not match)")
        load_database(folder / manifest["database"], manifest["engine"])
        _replace_media(folder / MEDIA)
    return manifest
