"""Decide whether an uploaded delivery-plan file is safe and of a kind we read.

Runs before any parser sees the upload. Pure standard library, no Django. Every refusal is a
:class:`WorkbookRefused` whose text is written for the council officer who uploaded the file.

Zip sizes are read from the zip's central directory and nothing is decompressed here. That is
enough because :mod:`zipfile` (which openpyxl uses) never yields more than a member's declared
size and fails on a CRC mismatch, so a directory that lies can't make a parser unpack more.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ENCRYPTION_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_RATIO_MIN_BYTES = MB  # only members bigger than this are checked for their compression ratio
_TEXT_EXTENSIONS = {"csv", "txt"}
_ANOTHER_FORMAT = "upload the plan as an Excel workbook (.xlsx) or a CSV file."
_SAVE_AGAIN = 'save it again in Excel as "Excel Workbook (.xlsx)" and upload the new copy.'
_ZIP_ERRORS = (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError)
_MAGIC_KINDS = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a picture"),
    (b"\xff\xd8\xff", "a picture"),
    (b"GIF8", "a picture"),
)


class WorkbookRefused(Exception):
    """The file can't be read; ``str(exc)`` is the message for the person who uploaded it."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024  # the file as uploaded
    max_unpacked_bytes: int = 200 * 1024 * 1024  # total uncompressed size of an .xlsx's parts
    max_parts: int = 2000  # members in the .xlsx zip
    max_ratio: int = 200  # a part's uncompressed / compressed size


def check_workbook(data: bytes | BinaryIO, *, filename: str, limits: Limits = Limits()) -> str:
    """Return ``"xlsx"`` or ``"csv"`` if the upload may be parsed; raise WorkbookRefused if not.

    A file object is read (at most ``max_bytes + 1`` bytes) and then put back where it was.
    The decision is made on content first; the extension only decides whether text is a CSV.
    """
    name = _display_name(filename)
    size, content = _read(data, limits.max_bytes)
    if size == 0:
        raise WorkbookRefused(
            f"{name} is empty (0 bytes). Check you chose the right file and upload it again."
        )
    if size > limits.max_bytes:
        raise WorkbookRefused(
            f"{name} is {_mb(size, up=True)}, which is over the {_mb(limits.max_bytes)} limit. "
            "Make it smaller (for example, remove pictures or unused sheets) and upload it again."
        )
    if content.startswith(OLE_MAGIC):
        if any(stream in content for stream in _ENCRYPTION_STREAMS):
            raise WorkbookRefused(
                f"{name} is protected with a password, so we can't open it. In Excel, remove "
                "the password (File > Info > Protect Workbook), save, and upload again."
            )
        raise WorkbookRefused(
            f"{name} is an old-style .xls workbook, which we can't read. Open it in Excel, use "
            'File > Save As and choose "Excel Workbook (.xlsx)" first, then upload the new file.'
        )
    if content.startswith(_ZIP_MAGICS):
        _check_zip(content, name, limits)
        return "xlsx"
    for magic, kind in _MAGIC_KINDS:
        if content.startswith(magic):
            raise WorkbookRefused(f"{name} is {kind}, not a spreadsheet: {_ANOTHER_FORMAT}")
    if content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise WorkbookRefused(
            f"{name} is a web page or XML file, not a spreadsheet: {_ANOTHER_FORMAT}"
        )
    if _extension(filename) in _TEXT_EXTENSIONS:
        if _is_text(content):
            return "csv"
        raise WorkbookRefused(
            f"{name} is not a text file, so we can't read it as a CSV. In Excel, use File > "
            'Save As and choose "CSV UTF-8 (Comma delimited) (.csv)", then upload it again.'
        )
    raise WorkbookRefused(f"{name} is not a spreadsheet: {_ANOTHER_FORMAT}")


def _check_zip(content: bytes, name: str, limits: Limits) -> None:
    damaged = WorkbookRefused(
        f"{name} can't be opened: the file is damaged or incomplete. Open it in Excel to check "
        f"it, then {_SAVE_AGAIN}"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            _check_members(members, name, limits)
            _check_kind(archive, {m.filename.lower() for m in members}, name)
    except WorkbookRefused:
        raise
    except _ZIP_ERRORS as exc:
        raise damaged from exc


def _check_members(members: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    def unsafe(reason: str) -> WorkbookRefused:
        return WorkbookRefused(f"{name} can't be opened safely: {reason}. Please {_SAVE_AGAIN}")

    if len(members) > limits.max_parts:
        raise unsafe(f"it is made of more than {limits.max_parts} parts")
    if sum(m.file_size for m in members) > limits.max_unpacked_bytes:
        raise unsafe(f"it unpacks to more than {_mb(limits.max_unpacked_bytes)}")
    for member in members:
        path = member.filename.replace("\\", "/")
        if path.startswith("/") or re.match(r"[A-Za-z]:", path) or ".." in path.split("/"):
            raise unsafe("it contains parts with unsafe names")
        if member.file_size > _RATIO_MIN_BYTES and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise unsafe("part of it is packed far more tightly than a real workbook")


def _check_kind(archive: zipfile.ZipFile, names: set[str], name: str) -> None:
    if "[content_types].xml" in names and "xl/workbook.xml" in names:
        return
    kind = "a zip file, not an Excel workbook"
    if "xl/workbook.bin" in names:
        raise WorkbookRefused(
            f'{name} is an Excel binary workbook (.xlsb): open it in Excel, save it as "Excel '
            'Workbook (.xlsx)", and upload it again.'
        )
    if any(n.startswith("word/") for n in names):
        kind = "a Word document"
    elif any(n.startswith("ppt/") for n in names):
        kind = "a PowerPoint presentation"
    elif "mimetype" in names and "content.xml" in names:
        info = archive.getinfo("mimetype") if "mimetype" in archive.namelist() else None
        stored = info is not None and info.compress_type == zipfile.ZIP_STORED  # as ODF requires
        mimetype = archive.read(info) if stored and info.file_size <= 200 else b""
        if b"opendocument.spreadsheet" in mimetype:
            raise WorkbookRefused(
                f"{name} is an OpenDocument spreadsheet (.ods): save it as .xlsx (File > Save "
                'As, then choose "Excel 2007-365 (.xlsx)") and upload it again.'
            )
        kind = "an OpenDocument file"
    raise WorkbookRefused(f"{name} is {kind}, not a spreadsheet: {_ANOTHER_FORMAT}")


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _read(data: bytes | BinaryIO, max_bytes: int) -> tuple[int, bytes]:
    """Return the upload's size and (unless it is too big) its bytes."""
    if isinstance(data, bytes | bytearray | memoryview):
        content = bytes(data)
        return len(content), content
    seekable = getattr(data, "seekable", lambda: False)()
    start = data.tell() if seekable else 0
    if seekable:
        size = data.seek(0, io.SEEK_END) - start
        data.seek(start)
        if size > max_bytes:
            return size, b""
    content = bytes(data.read(max_bytes + 1) or b"")
    if seekable:
        data.seek(start)
    return len(content), content


def _display_name(filename: str) -> str:
    base = re.split(r"[/\\]", filename or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip()[:120]
    return f'"{base}"' if base else "The file"


def _extension(filename: str) -> str:
    base = re.split(r"[/\\]", filename or "")[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _mb(size: int, *, up: bool = False) -> str:
    tenths = -(-size * 10 // MB) if up else size * 10 // MB  # round a file's size up, limits down
    return f"{tenths / 10:.1f}".removesuffix(".0") + " MB"
