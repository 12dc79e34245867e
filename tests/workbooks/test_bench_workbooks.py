"""The workbook benchmark (``bench/workbooks.py``) measures what it says, so it can't rot."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bench import workbooks


def test_the_baseline_writes_the_same_cells_as_the_product():
    data = workbooks.plan_data(30)
    ours = load_workbook(io.BytesIO(workbooks.product_write(data)))
    plain = load_workbook(io.BytesIO(workbooks.plain_write(data)))
    assert ours.sheetnames == plain.sheetnames
    for name in ("Action Plan", "Updates", "Due-date changes"):
        mine = [[c.value for c in row] for row in ours[name].iter_rows()]
        theirs = [[c.value for c in row] for row in plain[name].iter_rows()]
        assert len(mine) == len(theirs) > 30
        assert [v for row in mine for v in row] == [v for row in theirs for v in row]


def test_both_readers_read_the_exported_workbook_and_the_figures_are_rendered():
    files = workbooks.measure_files(30, repeat=1)
    assert files["actions"] == 30 and files["bytes"] > 0
    lines, failed = workbooks.render(files, []), workbooks.failures(files)
    table = "\n".join(lines)
    assert "export: write the workbook" in table and "import: check and read" in table
    assert all("openpyxl" in f for f in failed)  # a miss is named, never hidden


@pytest.mark.django_db
def test_the_database_import_measure_imports_every_action():
    row = workbooks.measure_database(20)
    assert row["import_ms"] > 0 and row["bulk_ms"] > 0 and row["vendor"]
