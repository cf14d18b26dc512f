"""Small files of each accepted kind, built in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"})
PLAIN_ZIP = _zip({"notes.txt": "hello"})


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def zip_bomb(inflated_size, member="mimetype", prefix=b"application/vnd.oasis.opendocument.text"):
    """An ODT-looking archive whose `member` inflates to `inflated_size` bytes (written in chunks).

    The padding is whitespace, so a reader that inflates the member whole and strips it finds
    a valid ODT mimetype: the archive is refused only if it is judged before inflating.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(member, "w", force_zip64=False) as handle:
            handle.write(prefix)
            chunk = b" " * (1024 * 1024)
            written = len(prefix)
            while written < inflated_size:
                piece = chunk[: inflated_size - written]
                handle.write(piece)
                written += len(piece)
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()
