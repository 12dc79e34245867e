"""Rules for evidence files (pure Python): size, allowed types, and content matching the type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caring.plans.evidence_rules import SIGNATURES, TEXT_TYPES, extension, file_problem, human_size

ALLOWED = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt", "png", "jpg", "jpeg"]
LIMIT = 10 * 1024 * 1024
PDF = b"%PDF-1.7\n"
GOOD_HEADS = {
    "pdf": PDF,
    "png": b"\x89PNG\r\n\x1a\n\x00\x00",
    "jpg": b"\xff\xd8\xff\xe0",
    "jpeg": b"\xff\xd8\xff\xe1",
    "docx": b"PK\x03\x04\x14\x00",
    "xlsx": b"PK\x03\x04\x14\x00",
    "pptx": b"PK\x03\x04\x14\x00",
    "odt": b"PK\x03\x04\x14\x00",
    "ods": b"PK\x03\x04\x14\x00",
    "odp": b"PK\x03\x04\x14\x00",
    "csv": b"ref,title\nYC7,",
    "txt": b"Minutes of the ",
}


def problem(name="minutes.pdf", size=100, head=PDF, max_bytes=LIMIT, allowed=ALLOWED):
    return file_problem(name=name, size=size, head=head, max_bytes=max_bytes, allowed=allowed)


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1535, "1 KB"),
        (1024 * 1024 - 1, "1023 KB"),
        (1024 * 1024, "1 MB"),
        (int(1.5 * 1024 * 1024), "1.5 MB"),
        (10 * 1024 * 1024, "10 MB"),
    ],
)
def test_human_size(size, text):
    assert human_size(size) == text


@pytest.mark.parametrize(
    ("name", "ext"),
    [
        ("Minutes.PDF", "pdf"),
        ("report.final.docx", "docx"),
        ("archive.tar.gz", "gz"),
        ("README", ""),
        ("", ""),
        (None, ""),
        ("folder/sub/notes.txt", "txt"),
    ],
)
def test_extension(name, ext):
    assert extension(name) == ext


@pytest.mark.parametrize("ext", sorted(GOOD_HEADS))
def test_every_allowed_type_with_matching_content_is_accepted(ext):
    assert problem(name=f"evidence.{ext}", head=GOOD_HEADS[ext]) is None


def test_every_default_type_is_covered_here():
    assert set(GOOD_HEADS) == set(ALLOWED)
    assert set(SIGNATURES) | TEXT_TYPES == set(ALLOWED)


def test_an_empty_file_is_refused():
    assert "is empty" in problem(size=0, head=b"")


def test_a_file_over_the_limit_is_refused_with_both_sizes():
    message = problem(size=LIMIT + 1)
    assert "10 MB or smaller" in message
    assert "'minutes.pdf'" in message


def test_a_file_exactly_at_the_limit_is_accepted():
    assert problem(size=LIMIT) is None


def test_size_is_checked_before_type():
    assert "smaller" in problem(name="virus.exe", size=LIMIT + 1, head=b"MZ")


@pytest.mark.parametrize("name", ["setup.exe", "macro.docm", "page.html", "report.pdf.exe"])
def test_a_type_not_allowed_is_refused_with_the_allowed_list(name):
    message = problem(name=name, head=b"MZ\x90\x00")
    assert f".{extension(name)}" in message
    assert "pdf, png, pptx, txt, xlsx" in message


def test_a_file_without_extension_is_refused():
    assert "no extension" in problem(name="minutes", head=PDF)


def test_extension_case_is_ignored():
    assert problem(name="MINUTES.PDF") is None


def test_allowed_list_may_be_written_with_dots_and_capitals():
    assert problem(name="chart.png", head=GOOD_HEADS["png"], allowed=[".PNG"]) is None
    assert problem(name="minutes.pdf", allowed=[".PNG"]) is not None


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("report.pdf", b"<html><body>"),
        ("report.pdf", b"PK\x03\x04"),
        ("chart.png", b"\xff\xd8\xff\xe0"),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n"),
        ("plan.docx", b"%PDF-1.4"),
        ("data.xlsx", b"ID;P\r\n"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, head):
    assert f"not a real .{extension(name)} file" in problem(name=name, head=head)


@pytest.mark.parametrize("name", ["notes.txt", "figures.csv"])
def test_a_binary_file_calling_itself_text_is_refused(name):
    assert "not a text file" in problem(name=name, head=b"MZ\x00\x00binary")


@given(head=st.binary(min_size=0, max_size=16).filter(lambda b: not b.startswith(b"%PDF-")))
def test_no_pdf_is_accepted_without_the_pdf_signature(head):
    assert problem(name="any.pdf", head=head) is not None


@given(
    ext=st.sampled_from(sorted(SIGNATURES)),
    tail=st.binary(max_size=8),
    size=st.integers(min_value=1, max_value=LIMIT),
)
def test_any_signed_type_with_its_signature_and_a_size_in_range_is_accepted(ext, tail, size):
    head = SIGNATURES[ext][0] + tail
    assert problem(name=f"file.{ext}", head=head, size=size) is None


@given(size=st.integers(min_value=LIMIT + 1, max_value=LIMIT * 100))
def test_anything_over_the_limit_is_refused(size):
    assert problem(size=size) is not None
