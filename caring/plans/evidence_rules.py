"""Rules for evidence files: size, type, and that the content looks like the type it claims.

Pure: no Django. The limits come from settings and are passed in.
"""

from __future__ import annotations

from pathlib import PurePath

# The first bytes a file of each type begins with. Office formats are zip files.
_ZIP = (b"PK\x03\x04",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "pptx": _ZIP,
    "odt": _ZIP,
    "ods": _ZIP,
    "odp": _ZIP,
}
TEXT_TYPES = {"csv", "txt"}


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return "1 byte" if size == 1 else f"{size} bytes"


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def file_problem(
    *, name: str, size: int, head: bytes, max_bytes: int, allowed: list[str] | tuple[str, ...]
) -> str | None:
    """Return why a file can't be accepted as evidence, in plain words, or None if it can."""
    ext = extension(name)
    allowed_set = {a.lower().lstrip(".") for a in allowed}
    if size <= 0:
        return f"The file {name!r} is empty."
    if size > max_bytes:
        return (
            f"The file {name!r} is {human_size(size)}; evidence files must be "
            f"{human_size(max_bytes)} or smaller."
        )
    if ext not in allowed_set:
        kinds = ", ".join(sorted(allowed_set))
        shown = f".{ext}" if ext else "no extension"
        return f"The file {name!r} has {shown}; evidence files must be one of: {kinds}."
    signatures = SIGNATURES.get(ext)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        return f"The file {name!r} is not a real .{ext} file."
    if ext in TEXT_TYPES and b"\x00" in head:
        return f"The file {name!r} is not a text file."
    return None
