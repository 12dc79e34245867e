"""Bad files through the whole importer and the command: a clear reason, exit 1, nothing changed.

The safety module's own tests (test_safety.py) cover each check in detail; these take the same
kinds of file end to end, through ``workbook_import`` and ``caring import-workbook``.
"""

import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from caring.plans.services.imports import workbook_import
from caring.workbooks.safety import MB, OLE_MAGIC
from tests.workbooks.builders import new_sheet, save, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["Ref", "Action", "Lead Officer", "Timescale", "RAG"]


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def many_rows(count: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Plan")
    sheet.append(HEADER)
    for n in range(count):
        sheet.append([f"A{n}", f"Action {n}", "Lead officer", "Dec 2018", "Green"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def formula_error() -> bytes:
    sheet = new_sheet([HEADER, ["CS1", "Offer assessments", "Change Leader", "Dec 2018", "Red"]])
    sheet["D2"] = "#REF!"
    sheet["D2"].data_type = "e"
    return save(sheet)


def empty_workbook() -> bytes:
    return save(Workbook())


BAD = {
    "not a spreadsheet": (b"%PDF-1.4 minutes of the meeting", "plan.xlsx", "not a spreadsheet"),
    "corrupt": (xlsx([HEADER])[:400], "plan.xlsx", "damaged or incomplete"),
    "password": (OLE_MAGIC + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le"),
                 "plan.xlsx", "password"),
    "old xls": (OLE_MAGIC + b"\0" * 500 + "Workbook".encode("utf-16-le"), "plan.xls",
                "Excel Workbook (.xlsx)"),
    "empty file": (b"", "plan.xlsx", "is empty"),
    "empty workbook": (empty_workbook(), "plan.xlsx", "No table of actions was found"),
    "no header": (xlsx([["Minutes"], ["Item 1", "Carers"]]), "plan.xlsx",
                  "Ref, Action, Lead, Timescale, RAG and Progress"),
    "too large": (b"Ref,Action\n" + b"x" * (21 * MB), "plan.csv", "20 MB"),
    "zip bomb": (zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                         "xl/worksheets/sheet1.xml": b"\0" * (3 * MB)}), "plan.xlsx",
                 "can't be opened safely"),
    "formula error": (formula_error(), "plan.xlsx", "Cell D2 shows the formula error #REF!"),
    "duplicate ref": (xlsx([HEADER, ["CS1", "One", "Lead", "Dec 2018", "Red"],
                            ["CS1", "Two", "Lead", "Dec 2018", "Red"]]), "plan.xlsx",
                      "used on more than one row"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_bad_file_is_refused_with_its_reason_and_nothing_changes(case, row_counts):
    data, name, reason = BAD[case]
    before = row_counts()
    report = workbook_import(data=data, filename=name, strategy_slug="ct")
    assert report.refused and not report.imported
    errors = [p.message for p in report.problems if p.severity == "error"]
    assert any(reason in message for message in errors), errors
    assert all("Traceback" not in message for message in errors)
    assert row_counts() == before


@pytest.mark.parametrize("case", ["password", "formula error", "no header"])
def test_the_command_says_why_and_exits_1(case, tmp_path, capsys, row_counts):
    data, name, reason = BAD[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = row_counts()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_workbook", str(path), "--strategy", "ct")
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert reason in captured.out and "nothing was imported" in captured.err
    assert row_counts() == before


def test_a_hundred_thousand_rows_are_refused_saying_the_limit(row_counts):
    data = many_rows(100_000)
    before = row_counts()
    report = workbook_import(data=data, filename="plan.xlsx", strategy_slug="ct")
    assert report.refused
    [error] = [p.message for p in report.problems if p.severity == "error"]
    assert error == (
        "The sheet 'Plan' has 100,000 rows; the most we read is 20,000. Split the plan into "
        "smaller files."
    )
    assert row_counts() == before
