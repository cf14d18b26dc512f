"""Attachments are accepted by what they contain, never by their name.

Office files are zip archives: they are judged from the archive's directory (member names,
sizes and compression ratios as the headers declare them) before anything is inflated, and
the one member that is read (`mimetype`, for ODT) is read a few bytes at most. A file is
stored under a name made from its detected type, so neither a long name nor a misleading
extension reaches the disk; the name the contributor gave is kept for display.
"""

import hashlib
import logging
import struct
import unicodedata
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import SubmissionFile

logger = logging.getLogger(__name__)

MAX_FILES = 5
MAX_FILE_SIZE = 10 * 1024 * 1024
#: Limits for archives (DOCX, XLSX, ODT), read from their directory before inflating.
MAX_ARCHIVE_MEMBERS = 5_000
MAX_CENTRAL_DIRECTORY = 2 * 1024 * 1024
MAX_UNCOMPRESSED_SIZE = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
#: Members smaller than this are not held to the ratio (tiny XML compresses very well).
RATIO_FLOOR = 1024 * 1024
MIMETYPE_READ = 128
#: Bytes of the stored file name's stem (file systems allow 255 bytes per name).
STORED_STEM_BYTES = 100

#: Kind -> (MIME type, extension).
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),
}

_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
_END_RECORD_SIZE = 22


def max_files():
    return getattr(settings, "SUBMISSION_MAX_FILES", MAX_FILES)


def max_file_size():
    return getattr(settings, "SUBMISSION_MAX_FILE_SIZE", MAX_FILE_SIZE)


def max_uncompressed_size():
    return getattr(settings, "SUBMISSION_MAX_UNCOMPRESSED_SIZE", MAX_UNCOMPRESSED_SIZE)


class ArchiveRefused(Exception):
    """The archive's directory announces more than an office document ever holds."""


def _check_directory_size(upload):
    """Refuse, from the end record alone, a directory too large to list in memory."""
    upload.seek(0, 2)
    length = upload.tell()
    tail_length = min(length, _END_RECORD_SIZE + 65_535)
    upload.seek(length - tail_length)
    tail = upload.read(tail_length)
    position = tail.rfind(_END_OF_CENTRAL_DIRECTORY)
    if position < 0 or len(tail) - position < _END_RECORD_SIZE:
        raise zipfile.BadZipFile("no end of central directory")
    entries, directory_size = struct.unpack("<xxxxxxxxxxHI", tail[position : position + 16])
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        raise ArchiveRefused("zip64 archive")
    if entries > MAX_ARCHIVE_MEMBERS or directory_size > MAX_CENTRAL_DIRECTORY:
        raise ArchiveRefused("too many members")


def _check_members(members):
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_COMPRESSION_RATIO:
            raise ArchiveRefused(f"{member.filename}: compression ratio {ratio:.0f}")
    if total > max_uncompressed_size():
        raise ArchiveRefused(f"{total} bytes uncompressed")


def _read_mimetype(archive, member):
    """The `mimetype` member, which is a few dozen bytes in a real ODT."""
    if member.file_size > MIMETYPE_READ:
        return None
    with archive.open(member) as handle:
        return handle.read(MIMETYPE_READ).decode("ascii", "replace").strip()


def _office_kind(upload):
    """DOCX, XLSX and ODT are zip archives: look inside (without inflating) to tell which."""
    try:
        _check_directory_size(upload)
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            _check_members(members)
            by_name = {member.filename: member for member in members}
            if "mimetype" in by_name:
                mimetype = _read_mimetype(archive, by_name["mimetype"])
                if mimetype == KINDS["odt"][0] and "content.xml" in by_name:
                    return "odt"
                return None
            if "[Content_Types].xml" not in by_name:
                return None
            if "word/document.xml" in by_name:
                return "docx"
            if "xl/workbook.xml" in by_name:
                return "xlsx"
    except ArchiveRefused as refusal:
        logger.warning("archive refused: %s", refusal)
        return None
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, struct.error):
        return None
    finally:
        upload.seek(0)
    return None


def detect_kind(upload):
    """The kind of an uploaded file from its bytes, or None if it is not accepted."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if mime == "application/pdf":
        return "pdf"
    if mime == "image/png":
        return "png"
    if mime == "image/jpeg":
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def check_upload(upload):
    """(kind, error message): exactly one of the two is None."""
    if upload.size > max_file_size():
        return None, _("“%(name)s” is larger than %(size)d MB.") % {
            "name": upload.name,
            "size": max_file_size() // (1024 * 1024),
        }
    if upload.size == 0:
        return None, _("“%(name)s” is empty.") % {"name": upload.name}
    kind = detect_kind(upload)
    if kind is None:
        return None, _(
            "“%(name)s” is not a PDF, DOCX, ODT, XLSX, PNG or JPEG file (checked by its content)."
        ) % {"name": upload.name}
    return kind, None


def stored_name(original, kind):
    """A file name safe on any file system: a readable stem of bounded bytes, the kind's extension.

    The stem keeps the letters of the original name (Arabic included), cut at a character
    boundary so that it never exceeds STORED_STEM_BYTES in UTF-8; the extension comes from
    the detected kind, never from the name.
    """
    stem = original.rsplit(".", 1)[0] if "." in original else original
    stem = slugify(unicodedata.normalize("NFC", stem), allow_unicode=True) or "file"
    encoded = stem.encode("utf-8")[:STORED_STEM_BYTES]
    stem = encoded.decode("utf-8", "ignore").strip("-_") or "file"
    return f"{stem}.{KINDS[kind][1]}"


def display_name(original):
    """The name shown to people: the original, shortened to fit its column if need be."""
    return original if len(original) <= 200 else f"{original[:120]}…{original[-79:]}"


def digest(upload):
    """SHA-256 of an upload, read in chunks."""
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def already_kept(submission, upload):
    """Whether the submission already holds a file with this content."""
    return submission.files.filter(sha256=digest(upload)).exists()


def storage_failed(name):
    return _(
        "“%(name)s” could not be stored because of a problem on our side. Everything you "
        "typed is kept: please try again later, or write to the editors."
    ) % {"name": name}


def store(submission, upload, kind):
    """Keep `upload` on the submission; (stored, error message).

    A file the submission already holds (same content) is not stored twice, so that a
    request sent again after a failure never duplicates what the first one kept. A storage
    failure (full or read-only disk) leaves neither a row nor a partial file behind.
    """
    sha256 = digest(upload)
    if submission.files.filter(sha256=sha256).exists():
        return False, None
    record = SubmissionFile(
        submission=submission,
        name=display_name(upload.name),
        size=upload.size,
        kind=kind,
        sha256=sha256,
    )
    try:
        with transaction.atomic():
            record.file.save(stored_name(upload.name, kind), upload, save=False)
            record.save()
    except (OSError, SuspiciousFileOperation):
        logger.exception("could not store an attachment of %s", submission.reference)
        if record.file.name:
            try:
                record.file.storage.delete(record.file.name)
            except OSError:
                pass
        return False, storage_failed(upload.name)
    return True, None
