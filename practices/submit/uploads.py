"""Attachments are accepted by what they contain, never by their name."""

import zipfile

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

MAX_FILES = 5
MAX_FILE_SIZE = 10 * 1024 * 1024

#: Kind -> (MIME type, extension).
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),
}


def max_files():
    return getattr(settings, "SUBMISSION_MAX_FILES", MAX_FILES)


def max_file_size():
    return getattr(settings, "SUBMISSION_MAX_FILE_SIZE", MAX_FILE_SIZE)


def _office_kind(upload):
    """DOCX, XLSX and ODT are zip archives: look inside to tell which (if any)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype == KINDS["odt"][0] and "content.xml" in names:
                    return "odt"
                return None
            if "[Content_Types].xml" not in names:
                return None
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
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
