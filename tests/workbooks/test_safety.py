"""Tests for the upload gate in caring.workbooks.safety (pure: no database, no Django)."""

import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caring.workbooks.safety import MB, OLE_MAGIC, Limits, WorkbookRefused, check_workbook


def make_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Delivery plan"
    sheet.append(["Ref", "Action", "Lead", "Due"])
    sheet.append(["1.1", "Carers’ assessments reviewed", "Adult Social Care", "2026-03-31"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = make_xlsx()
XLSX_PARTS = [
    ("[Content_Types].xml", b"<Types/>"),
    ("xl/workbook.xml", b"<workbook/>"),
]


def make_zip(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def refused(data, filename, **limits) -> str:
    with pytest.raises(WorkbookRefused) as caught:
        check_workbook(data, filename=filename, limits=Limits(**limits))
    message = str(caught.value)
    assert "Traceback" not in message
    return message


# --- accepted -------------------------------------------------------------------------------


def test_real_xlsx_is_accepted():
    assert check_workbook(XLSX, filename="plan.xlsx") == "xlsx"


def test_file_object_is_accepted_and_rewound():
    upload = io.BytesIO(b"junk" + XLSX)
    upload.seek(4)
    assert check_workbook(upload, filename="plan.xlsx") == "xlsx"
    assert upload.tell() == 4
    assert openpyxl.load_workbook(upload).active.title == "Delivery plan"


def test_xlsx_content_wins_over_a_wrong_extension():
    assert check_workbook(XLSX, filename="plan") == "xlsx"


CSV_TEXT = "Ref,Action,Lead\n1.1,Carers’ café – drop-in,Adult Social Care £\n"


@pytest.mark.parametrize(
    "data",
    [
        CSV_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"),
        CSV_TEXT.encode("cp1252"),
        b"PK reference,Action\n1,Do it\n",  # starts with "PK" but is no zip
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "starts-with-PK"],
)
def test_csv_is_accepted(data):
    assert check_workbook(data, filename="plan.csv") == "csv"


def test_txt_with_text_is_accepted_as_csv():
    assert check_workbook(CSV_TEXT.encode(), filename="PLAN.TXT") == "csv"


# --- refused --------------------------------------------------------------------------------


def test_empty_file():
    message = refused(b"", "plan.xlsx")
    assert '"plan.xlsx"' in message
    assert "empty" in message


def test_empty_file_object():
    assert "empty" in refused(io.BytesIO(), "plan.csv")


def test_too_large():
    message = refused(b"x" * (MB + MB // 2), "big.csv", max_bytes=MB)
    assert '"big.csv" is 1.5 MB, which is over the 1 MB limit' in message
    assert "smaller" in message


def test_too_large_file_object_is_not_read():
    upload = io.BytesIO(b"x" * (3 * MB))
    message = refused(upload, "big.xlsx", max_bytes=2 * MB)
    assert "3 MB" in message and "2 MB limit" in message
    assert upload.tell() == 0


def test_password_protected_xlsx():
    data = OLE_MAGIC + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100
    message = refused(data, "plan.xlsx")
    assert '"plan.xlsx"' in message
    assert "password" in message
    assert "remove the password (File > Info > Protect Workbook), save, and upload again" in message


def test_encryption_info_alone_also_means_password():
    data = OLE_MAGIC + b"\0" * 64 + "EncryptionInfo".encode("utf-16-le")
    assert "password" in refused(data, "plan.xlsx")


def test_old_xls():
    data = OLE_MAGIC + b"\0" * 500 + "Workbook".encode("utf-16-le")
    message = refused(data, "plan.xls")
    assert '"plan.xls"' in message
    assert "old-style .xls" in message
    assert '"Excel Workbook (.xlsx)"' in message
    assert "password" not in message


def test_ole_named_xlsx_gets_the_content_message():
    assert "old-style .xls" in refused(OLE_MAGIC + b"\0" * 100, "plan.xlsx")


def test_word_document():
    data = make_zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")])
    message = refused(data, "plan.docx")
    assert '"plan.docx" is a Word document' in message
    assert "Excel workbook (.xlsx) or a CSV file" in message


def test_word_document_named_xlsx():
    data = make_zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")])
    assert "Word document" in refused(data, "plan.xlsx")


def test_ods():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    message = refused(buffer.getvalue(), "plan.ods")
    assert '"plan.ods"' in message
    assert "OpenDocument spreadsheet (.ods): save it as .xlsx" in message


def test_other_zip():
    message = refused(make_zip([("notes.txt", b"hello")]), "plan.zip")
    assert "zip file, not an Excel workbook" in message


def test_xlsx_without_workbook_part():
    message = refused(make_zip([("[Content_Types].xml", b"<Types/>")]), "plan.xlsx")
    assert "not an Excel workbook" in message


def test_truncated_xlsx():
    message = refused(XLSX[: len(XLSX) // 2], "plan.xlsx")
    assert '"plan.xlsx"' in message
    assert "the file is damaged or incomplete" in message


def test_zip_bomb_by_ratio():
    data = make_zip([*XLSX_PARTS, ("xl/worksheets/sheet1.xml", b"\0" * (3 * MB))])
    assert len(data) < 50_000
    message = refused(data, "plan.xlsx", max_ratio=10)
    assert "can't be opened safely" in message
    assert "packed far more tightly" in message
    # default limits catch it too: 3 MB of zeros packs at about 1000:1
    assert "packed far more tightly" in refused(data, "plan.xlsx")


def test_small_parts_are_not_checked_for_ratio():
    data = make_zip([*XLSX_PARTS, ("xl/sharedStrings.xml", b"\0" * 500_000)])
    assert check_workbook(data, filename="plan.xlsx", limits=Limits(max_ratio=2)) == "xlsx"


def test_zip_bomb_by_total_size():
    data = make_zip([*XLSX_PARTS, ("xl/media/a.bin", b"a" * (2 * MB))], zipfile.ZIP_STORED)
    message = refused(data, "plan.xlsx", max_unpacked_bytes=MB)
    assert "unpacks to more than 1 MB" in message


def test_too_many_parts():
    data = make_zip([*XLSX_PARTS, *((f"xl/p{i}.xml", b"<p/>") for i in range(10))])
    message = refused(data, "plan.xlsx", max_parts=5)
    assert "more than 5 parts" in message


@pytest.mark.parametrize("member", ["../evil", "xl/../../evil", "/etc/evil", "C:/evil"])
def test_unsafe_member_names(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in XLSX_PARTS:
            archive.writestr(name, data)
        info = zipfile.ZipInfo("placeholder")
        info.filename = member  # ZipInfo() would clean the name; set it raw as an attacker would
        archive.writestr(info, b"boom")
    assert "unsafe names" in refused(buffer.getvalue(), "plan.xlsx")


@pytest.mark.parametrize(
    "data",
    [
        "Ref,Action\n1,Do it\n".encode("utf-16"),  # Excel's "Unicode Text"
        b"Ref,Action\n1,\x81\x8d\x8f\n",  # neither UTF-8 nor cp1252
    ],
    ids=["utf-16", "undecodable"],
)
def test_csv_that_is_not_text(data):
    message = refused(data, "plan.csv")
    assert '"plan.csv" is not a text file' in message
    assert "CSV UTF-8" in message


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"%PDF-1.7\n...", "plan.pdf", "a PDF"),
        (b"%PDF-1.7\n...", "plan.xlsx", "a PDF"),
        (b"%PDF-1.7\n...", "plan.csv", "a PDF"),
        (b"\x89PNG\r\n\x1a\n\0\0", "plan.png", "a picture"),
        (b"<!DOCTYPE html><html><table></table></html>", "plan.xls", "a web page"),
        (b"\x00\x01\x02\xff\xfe random", "plan", "not a spreadsheet"),
        (CSV_TEXT.encode(), "plan.xlsx", "not a spreadsheet"),
    ],
)
def test_not_a_spreadsheet(data, filename, kind):
    message = refused(data, filename)
    assert f'"{filename}"' in message
    assert kind in message
    assert (
        "not a spreadsheet: upload the plan as an Excel workbook (.xlsx) or a CSV file" in message
    )


def test_message_names_only_the_file_not_its_path():
    message = refused(b"", "C:\\Users\\officer\\Desktop\\plan.xlsx")
    assert message.startswith('"plan.xlsx" is empty')


def test_message_without_a_filename():
    assert refused(b"", "").startswith("The file is empty")


# --- never anything but a verdict ----------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(), filename=st.sampled_from(["a.xlsx", "a.csv", "a.xls", "a"]))
def test_any_bytes_get_a_verdict(data, filename):
    try:
        assert check_workbook(data, filename=filename) in {"xlsx", "csv"}
    except WorkbookRefused as exc:
        assert str(exc)


@settings(max_examples=300)
@given(
    cut=st.integers(min_value=0, max_value=len(XLSX)),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(XLSX) - 1), st.integers(0, 255)),
        max_size=8,
    ),
)
def test_damaged_xlsx_gets_a_verdict(cut, flips):
    data = bytearray(XLSX)
    for position, value in flips:
        data[position] = value
    try:
        assert check_workbook(bytes(data[:cut]), filename="plan.xlsx") in {"xlsx", "csv"}
    except WorkbookRefused as exc:
        assert str(exc)
