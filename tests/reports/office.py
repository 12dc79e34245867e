"""Open generated files in real clients: LibreOffice converts them to PDF; pypdf reads text.

``make test`` installs Debian's headless LibreOffice (Writer, Calc, Impress). Without it the
tests that need it skip, loudly, except under CI, where a missing LibreOffice is a failure.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def needs_libreoffice():
    """A pytest mark list entry: skip without soffice, except under CI."""
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            raise RuntimeError("CI never skips the LibreOffice tests: install libreoffice")
        return pytest.mark.skip(reason="no soffice (scripts/ensure-system.sh libreoffice)")
    if os.environ.get("CARING_SKIP_LIBREOFFICE") and os.environ.get("CI") != "true":
        return pytest.mark.skip(reason="CARING_SKIP_LIBREOFFICE is set")
    return pytest.mark.slow


def convert(data: bytes, suffix: str, target: str, tmp_path: Path) -> bytes:
    """``data`` (a file ending ``suffix``) opened by LibreOffice and saved as ``target`` (e.g.
    ``pdf`` or ``xlsx:Calc MS Excel 2007 XML``); fails, with LibreOffice's output, on error."""
    source = tmp_path / "in" / f"pack{suffix}"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(data)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    result = out / f"pack.{target.split(':')[0]}"
    assert done.returncode == 0 and result.exists(), done.stdout + done.stderr
    return result.read_bytes()


def to_pdf(data: bytes, suffix: str, tmp_path: Path) -> bytes:
    """``data`` (a .docx, .pptx or .xlsx) converted to PDF by LibreOffice; fails on error."""
    return convert(data, suffix, "pdf", tmp_path)


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined, whitespace runs made single spaces."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())
