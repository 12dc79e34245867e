"""``CarersReader``, pure (no database): every bad input the issue lists is a problem naming its
row and column; names and contact details are dropped and never leave the reader; identifiers
leave only as keyed hashes; Excel reads as CSV does."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from caring.carers import pseudonym as p
from caring.carers import vocab
from caring.carers.records_reader import CarersReader, Refused

TODAY = dt.date(2026, 1, 1)
KEY = b"reader tests' key: 32 bytes long"
SOURCE = "adult-social-care"
LOOKUP = {"S601CK": "E02001578", "S602AB": "E02001579", "S613XY": "E02001580",
          "S651ZZ": "E02001581"}  # fmt: skip
AREAS = frozenset({"E02001578", "E02001579", "E02001580", "E02001581", "E02001582"})
# Where each field is in a record tuple (see CarersReader's docstring).
R = {name: i for i, name in enumerate((
    "number", "person_key", "nhs_key", "link_key", "age_band", "sex", "ethnicity", "disability",
    "religion", "sexual_orientation", "area_code", "first_known", "pathway", "channel",
    "social_contact", "relationship", "young_carer"))}  # fmt: skip

HEADER = ["Person ID", "NHS Number", "Date of Birth", "Initial", "Sex", "Ethnicity", "Postcode",
          "Date first known", "Pathway", "Channel", "Support", "Support date", "Support value",
          "Training at handover", "Young carer"]  # fmt: skip
GOOD = {
    "Person ID": "ASC001", "NHS Number": "943 476 5919", "Date of Birth": "1970-05-17",
    "Initial": "S", "Sex": "F", "Ethnicity": "White British", "Postcode": "S60 1CK",
    "Date first known": "2024-03-01", "Pathway": "Coffee shop", "Channel": "Digital",
    "Support": "Tech package", "Support date": "2024-04-02", "Support value": "£250.50",
    "Training at handover": "Yes", "Young carer": "No",
}  # fmt: skip


def row(**changes) -> dict:
    """A good row with some cells changed (keys with spaces as underscores)."""
    out = dict(GOOD)
    for name, value in changes.items():
        out[name.replace("_", " ")] = value
    return out


def csv_bytes(rows: list[dict], header: list[str] | None = None) -> bytes:
    header = header or (list(rows[0]) if rows else HEADER)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    return out.getvalue().encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reader(data: bytes, filename: str = "carers.csv", **options) -> CarersReader:
    options.setdefault("key", KEY)
    options.setdefault("source", SOURCE)
    options.setdefault("today", TODAY)
    options.setdefault("lookup", LOOKUP)
    options.setdefault("areas", AREAS)
    return CarersReader(data, filename, **options)


def read_all(data: bytes, filename: str = "carers.csv", **options):
    """(records, supports, read) of the whole file."""
    r = reader(data, filename, **options)
    records, supports = [], []
    for chunk_records, chunk_supports in r.chunks():
        records.extend(chunk_records)
        supports.extend(chunk_supports)
    return records, supports, r.read


def the_error(read, row: int, field: str, header: str | None = None):
    """The one error on ``row`` about ``field``, which names the column as written."""
    found = [x for x in read.errors if x.row == row and x.field == field]
    assert len(found) == 1, read.problems
    problem = found[0]
    assert problem.severity == "error"
    assert f"row {row}" in problem.place
    if header:
        assert problem.column == f"'{header}'"
        assert header in problem.place
    return problem


def strings_in(*tuples_lists) -> list[str]:
    return [v for items in tuples_lists for t in items for v in t if isinstance(v, str)]


# --- a good file ------------------------------------------------------------------------------


def test_a_good_row_is_pseudonymised():
    records, supports, read = read_all(csv_bytes([row()]))
    assert read.errors == [] and read.rows == 1 and read.records == 1 and read.supports == 1
    (record,) = records
    assert record[R["number"]] == 0
    assert record[R["person_key"]] == p.keyed_hash(KEY, p.PERSON, f"{SOURCE}|ASC001")
    assert record[R["nhs_key"]] == p.keyed_hash(KEY, p.NHS, "9434765919")
    link = p.link_text(dt.date(1970, 5, 17), "S601CK", "S")
    assert record[R["link_key"]] == p.keyed_hash(KEY, p.LINK, link)
    assert record[R["age_band"]] == "50_to_64"
    assert record[R["sex"]] == "female"
    assert record[R["ethnicity"]] == "white_british"
    assert record[R["area_code"]] == "E02001578"
    assert record[R["first_known"]] == dt.date(2024, 3, 1)
    assert record[R["pathway"]] == "coffee_shop"
    assert record[R["channel"]] == "digital"
    assert record[R["young_carer"]] is False
    assert supports == [(0, "tech_package", dt.date(2024, 4, 2), 25050, True)]
    assert read.notes == []


# --- the file as a whole ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("drop", "words"),
    [
        (["Person ID"], "no column for person id"),
        (["Date of Birth"], "no column for date of birth or age"),
        (["Postcode"], "no column for postcode or area code"),
        (["Person ID", "Postcode"], "no column for person id; no column for postcode or area"),
    ],
)
def test_a_missing_required_column_refuses_the_file(drop, words):
    header = [h for h in HEADER if h not in drop]
    with pytest.raises(Refused) as info:
        read_all(csv_bytes([row()], header))
    assert words in info.value.message
    assert "The first row must name the columns" in info.value.message


def test_age_or_area_code_stand_in_for_date_of_birth_or_postcode():
    header = ["Person ID", "Age", "Area code"]
    records, _, read = read_all(csv_bytes([{"Person ID": "X1", "Age": "40",
                                            "Area code": "E02001582"}], header))  # fmt: skip
    assert read.errors == []
    assert records[0][R["age_band"]] == "25_to_49"
    assert records[0][R["area_code"]] == "E02001582"
    assert records[0][R["link_key"]] == records[0][R["nhs_key"]] == ""


@pytest.mark.parametrize("data", [b"", b"\n\n", b",,,\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(Refused, match="empty"):
        read_all(data)


def test_two_columns_meaning_the_same_refuse_the_file():
    header = [*HEADER, "DOB"]
    with pytest.raises(Refused, match="Two columns mean date of birth: 'Date of Birth' and 'DOB'"):
        read_all(csv_bytes([row()], header))


def test_a_header_without_rows_is_an_error():
    _, _, read = read_all(csv_bytes([], HEADER))
    assert [x.message for x in read.errors] == ["The file has a header but no rows of carers."]


def test_an_unreadable_workbook_is_refused():
    with pytest.raises(Refused, match="Excel"):
        read_all(b"PK\x03\x04 not really a workbook", "carers.xlsx")


# --- impossible and unreadable dates ----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "header", "words"),
    [
        ({"Date_of_Birth": "2030-05-01"}, "date_of_birth", "Date of Birth", "is in the future"),
        ({"Date_of_Birth": "2026-01-02"}, "date_of_birth", "Date of Birth", "is in the future"),
        ({"Date_of_Birth": "1890-01-01"}, "date_of_birth", "Date of Birth",
         "would make the carer 136"),
        ({"Date_of_Birth": "2000-01-01", "Date_first_known": "1999-12-31"}, "first_known",
         "Date first known", "first known before they were born"),
        ({"Date_first_known": "2026-06-01"}, "first_known", "Date first known",
         "is in the future"),
        ({"Support_date": "2027-01-01"}, "support_date", "Support date", "is in the future"),
    ],
)  # fmt: skip
def test_impossible_dates_name_the_row_and_column(changes, field, header, words):
    rows = [row(Person_ID="A1"), row(Person_ID="A2", **changes)]
    records, _, read = read_all(csv_bytes(rows))
    problem = the_error(read, 3, field, header)
    assert words in problem.message
    assert len(read.errors) == 1


def test_a_carer_of_exactly_120_is_possible_and_121_is_not():
    rows = [row(Person_ID="A1", Date_of_Birth="1906-01-01"),
            row(Person_ID="A2", Date_of_Birth="1905-01-01")]  # fmt: skip
    _, _, read = read_all(csv_bytes(rows))
    assert [(x.row, x.field) for x in read.errors] == [(3, "date_of_birth")]
    assert "would make the carer 121" in read.errors[0].message


@pytest.mark.parametrize(
    ("column", "said"),
    [
        ("Date of Birth", "31/02/1980"),
        ("Date of Birth", "1980-13-01"),
        ("Date of Birth", "yesterday"),
        ("Date of Birth", "29/02/2023"),
        ("Date first known", "soon"),
        ("Date first known", "2024-02-30"),
        ("Support date", "n/a"),
    ],
)
def test_unreadable_dates_name_the_row_and_column(column, said):
    field = {"Date of Birth": "date_of_birth", "Date first known": "first_known",
             "Support date": "support_date"}[column]  # fmt: skip
    rows = [row(Person_ID="A1"), row(Person_ID="A2"), row(Person_ID="A3")]
    rows[2][column] = said
    _, _, read = read_all(csv_bytes(rows))
    problem = the_error(read, 4, field, column)
    assert "can't be read" in problem.message
    assert len(read.errors) == 1


@pytest.mark.parametrize("said", ["31/02/1980", "yesterday"])
def test_an_unreadable_date_of_birth_is_reported_on_its_row_and_column(said):
    _, _, read = read_all(csv_bytes([row(Date_of_Birth=said)]))
    found = [x for x in read.errors if x.row == 2 and x.field == "date_of_birth"]
    assert found and "can't be read" in found[0].message
    assert found[0].column == "'Date of Birth'"


@pytest.mark.parametrize(
    "said", ["17/05/1970", "17-05-1970", "17.05.1970", "17 May 1970", "17 may 1970", "1970/05/17",
             "1970-05-17T00:00:00"],
)  # fmt: skip
def test_dates_written_in_the_usual_ways_are_read(said):
    records, _, read = read_all(csv_bytes([row(Date_of_Birth=said)]))
    assert read.errors == []
    expected = p.keyed_hash(KEY, p.LINK, p.link_text(dt.date(1970, 5, 17), "S601CK", "S"))
    assert records[0][R["link_key"]] == expected


# --- identifiers, labels and areas ------------------------------------------------------------


@pytest.mark.parametrize("said", ["9434765918", "12345", "943476591X", "94347659190"])
def test_an_invalid_nhs_number_names_the_row_and_column(said):
    rows = [row(Person_ID="A1"), row(Person_ID="A2", NHS_Number=said)]
    _, _, read = read_all(csv_bytes(rows))
    problem = the_error(read, 3, "nhs_number", "NHS Number")
    assert "not a valid NHS number" in problem.message
    assert said not in problem.message  # the message doesn't repeat the identifier


def test_a_blank_nhs_number_is_fine():
    records, _, read = read_all(csv_bytes([row(NHS_Number="")]))
    assert read.errors == [] and records[0][R["nhs_key"]] == ""


def test_a_blank_person_id_is_an_error():
    _, _, read = read_all(csv_bytes([row(Person_ID="")]))
    the_error(read, 2, "person_id", "Person ID")


def test_an_unknown_ethnicity_label_is_refused_by_row_and_column():
    rows = [row(Person_ID="A1"), row(Person_ID="A2", Ethnicity="Martian")]
    records, _, read = read_all(csv_bytes(rows))
    problem = the_error(read, 3, "ethnicity", "Ethnicity")
    assert "'Martian' is not one of the ethnicity labels we know" in problem.message
    assert "agree" in problem.message


def test_unknown_labels_kept_as_not_known_when_agreed_are_counted_as_warnings():
    rows = [row(Person_ID="A1"), row(Person_ID="A2", Ethnicity="Martian"),
            row(Person_ID="A3", Ethnicity="Martian"), row(Person_ID="A4", Ethnicity="Klingon"),
            row(Person_ID="A5", Sex="Robot")]  # fmt: skip
    records, _, read = read_all(csv_bytes(rows), unknown_as_not_known=True)
    assert read.errors == []
    assert [r[R["ethnicity"]] for r in records] == [
        "white_british",
        vocab.NOT_KNOWN,
        vocab.NOT_KNOWN,
        vocab.NOT_KNOWN,
        "white_british",
    ]
    assert records[4][R["sex"]] == vocab.NOT_KNOWN
    warnings = [x for x in read.problems if x.severity == "warning"]
    said = sorted((x.field, x.message) for x in warnings)
    assert len(said) == 3
    assert said[0][0] == "ethnicity" and "'Klingon'" in said[0][1] and "on 1 row," in said[0][1]
    assert said[1][0] == "ethnicity" and "'Martian'" in said[1][1] and "on 2 rows" in said[1][1]
    assert said[2][0] == "sex" and "'Robot'" in said[2][1] and "on 1 row," in said[2][1]
    assert all("kept as not known" in m and "as agreed" in m for _, m in said)
    assert read.relabelled == {("ethnicity", "Martian"): 2, ("ethnicity", "Klingon"): 1,
                               ("sex", "Robot"): 1}  # fmt: skip


@pytest.mark.parametrize(
    ("column", "said", "field", "words"),
    [
        ("Pathway", "Carrier pigeon", "pathway", "pathway labels"),
        ("Channel", "Telepathy", "channel", "access channel labels"),
        ("Sex", "Q", "sex", "sex labels"),
        ("Support", "Spa day", "support", "not a type of support we know"),
        ("Support value", "lots", "support_value", "not an amount in pounds"),
        ("Support value", "-5", "support_value", "not an amount in pounds"),
        ("Training at handover", "maybe", "training_at_handover", "not Yes or No"),
        ("Young carer", "sometimes", "young_carer", "not Yes or No"),
    ],
)
def test_other_bad_cells_name_the_row_and_column(column, said, field, words):
    rows = [row(Person_ID="A1"), row(Person_ID="A2")]
    rows[1][column] = said
    _, _, read = read_all(csv_bytes(rows))
    assert words in the_error(read, 3, field, column).message


def test_support_details_without_the_type_are_an_error():
    _, _, read = read_all(csv_bytes([row(Support="")]))
    assert "not its type" in the_error(read, 2, "support", "Support").message


@pytest.mark.parametrize("said", ["S99 9ZZ", "s61 3xz"])
def test_a_postcode_not_in_the_lookup_names_the_row_and_column(said):
    rows = [row(Person_ID="A1"), row(Person_ID="A2", Postcode=said)]
    _, _, read = read_all(csv_bytes(rows))
    problem = the_error(read, 3, "postcode", "Postcode")
    assert "is not in the postcode lookup" in problem.message


def test_a_postcode_in_the_lookup_but_outside_the_census_areas_is_an_error():
    lookup = {**LOOKUP, "S601CK": "E02009999"}
    _, _, read = read_all(csv_bytes([row()]), lookup=lookup)
    assert "not one of the census areas" in the_error(read, 2, "postcode", "Postcode").message


@pytest.mark.parametrize("said", ["Rotherham", "S60", "12345"])
def test_something_that_is_not_a_postcode_is_an_error(said):
    _, _, read = read_all(csv_bytes([row(Postcode=said)]))
    assert "is not a postcode" in the_error(read, 2, "postcode", "Postcode").message


def test_an_unknown_area_code_names_the_row_and_column():
    header = ["Person ID", "Date of Birth", "Area code"]
    rows = [
        {"Person ID": "A1", "Date of Birth": "1970-01-01", "Area code": "E02001578"},
        {"Person ID": "A2", "Date of Birth": "1970-01-01", "Area code": "E02999999"},
    ]
    _, _, read = read_all(csv_bytes(rows, header))
    problem = the_error(read, 3, "area_code", "Area code")
    assert "'E02999999' is not an area code of the census areas held" in problem.message


def test_an_area_code_is_upper_cased():
    header = ["Person ID", "Date of Birth", "MSOA"]
    rows = [{"Person ID": "A1", "Date of Birth": "1970-01-01", "MSOA": " e02001579 "}]
    records, _, read = read_all(csv_bytes(rows, header))
    assert read.errors == [] and records[0][R["area_code"]] == "E02001579"


def test_neither_postcode_nor_area_is_an_error():
    _, _, read = read_all(csv_bytes([row(Postcode="")]))
    assert "Give the postcode or the area code" in the_error(read, 2, "postcode").message


def test_every_problem_is_reported_not_just_the_first():
    rows = [row(Person_ID="A1", Date_of_Birth="2030-01-01"),
            row(Person_ID="A2", NHS_Number="123"), row(Person_ID="A3"),
            row(Person_ID="A4", Ethnicity="Martian", Postcode="S99 9ZZ")]  # fmt: skip
    _, _, read = read_all(csv_bytes(rows))
    assert sorted((x.row, x.field) for x in read.errors) == [
        (2, "date_of_birth"),
        (3, "nhs_number"),
        (5, "ethnicity"),
        (5, "postcode"),
    ]


# --- names and contact details are dropped ----------------------------------------------------

SECRETS = {
    "Surname": "Featherstonehaugh",
    "Forename": "Wilhelmina",
    "Address": "12 Acacia Avenue, Rawmarsh",
    "Telephone": "07700 900123",
    "Email": "wilhelmina@example.org",
    "Notes": "Lives with her brother Quentin",
}


def test_names_and_contact_details_are_dropped_and_never_leave_the_reader():
    header = ["Person ID", "Surname", "Forename", "Address", "Telephone", "Email", "Notes",
              "NHS Number", "Date of Birth", "Postcode", "Ethnicity", "Support"]  # fmt: skip
    rows = [{**row(Person_ID=f"Z{n}"), **SECRETS} for n in range(3)]
    rows[1]["Support"] = "Break"
    records, supports, read = read_all(csv_bytes(rows, header))
    assert read.errors == []
    assert read.dropped_columns == ["Surname", "Forename", "Address", "Telephone", "Email",
                                    "Notes"]  # fmt: skip
    (note,) = [n for n in read.notes if "names or contact details" in n]
    for column in SECRETS:
        assert f"'{column}'" in note
    assert "dropped and nothing in them was stored" in note
    assert "surname's first letter was used for matching only" in note
    said = strings_in(records, supports)
    assert said
    for value in SECRETS.values():
        for part in [value, *re.findall(r"[A-Za-z0-9@.]{5,}", value)]:
            for text in said:
                assert part.lower() not in text.lower(), (part, text)
    # the surname gave its initial, for matching only
    link = p.link_text(dt.date(1970, 5, 17), "S601CK", "F")
    assert records[0][R["link_key"]] == p.keyed_hash(KEY, p.LINK, link)


def test_a_full_name_gives_the_last_words_initial():
    header = ["Person ID", "Full name", "Date of Birth", "Postcode"]
    rows = [{"Person ID": "N1", "Full name": "Mary Ann O'Hara", "Date of Birth": "1970-05-17",
             "Postcode": "S60 1CK"}]  # fmt: skip
    records, _, read = read_all(csv_bytes(rows, header))
    assert read.dropped_columns == ["Full name"]
    link = p.link_text(dt.date(1970, 5, 17), "S601CK", "O")
    assert records[0][R["link_key"]] == p.keyed_hash(KEY, p.LINK, link)
    assert not any("Hara" in s or "Mary" in s for s in strings_in(records))


def test_columns_not_read_are_reported():
    header = [*HEADER, "Favourite colour"]
    rows = [{**row(), "Favourite colour": "Mauve"}]
    records, supports, read = read_all(csv_bytes(rows, header))
    assert read.ignored_columns == ["Favourite colour"]
    assert any("'Favourite colour'" in n and "not read" in n for n in read.notes)
    assert not any("Mauve" in s for s in strings_in(records, supports))


# --- people over several rows -----------------------------------------------------------------


def test_repeated_rows_of_one_person_add_support_to_one_record():
    rows = [row(Person_ID="P1", Support="Tech package", Support_value="100"),
            row(Person_ID="P2", Support="Break", Support_value=""),
            row(Person_ID="P1", Support="AT grant", Support_value="1,250",
                Training_at_handover=""),
            row(Person_ID="P1", Support="Carer's assessment", Support_value="",
                Training_at_handover="")]  # fmt: skip
    records, supports, read = read_all(csv_bytes(rows))
    assert read.errors == [] and read.rows == 4 and read.records == 2 and read.supports == 4
    assert [r[R["number"]] for r in records] == [0, 1]
    assert [(s[0], s[1], s[3]) for s in supports] == [
        (0, "tech_package", 10000), (1, "break", None), (0, "at_grant", 125000),
        (0, "assessment", None)]  # fmt: skip


def test_a_person_repeated_with_another_date_of_birth_is_an_error():
    rows = [
        row(Person_ID="P1"),
        row(Person_ID="P2"),
        row(Person_ID="P1", Date_of_Birth="1971-05-17"),
    ]
    records, _, read = read_all(csv_bytes(rows))
    problem = the_error(read, 4, "person_id", "Person ID")
    assert "earlier row with another date of birth or NHS number" in problem.message


def test_a_person_repeated_with_another_nhs_number_is_an_error():
    rows = [row(Person_ID="P1"), row(Person_ID="P1", NHS_Number="4010232137")]
    _, _, read = read_all(csv_bytes(rows))
    the_error(read, 3, "person_id", "Person ID")


def test_a_person_without_support_is_a_record_without_support_items():
    rows = [row(Person_ID="P1", Support="", Support_date="", Support_value="",
                Training_at_handover="")]  # fmt: skip
    records, supports, read = read_all(csv_bytes(rows))
    assert read.errors == [] and len(records) == 1 and supports == []


def test_blank_rows_are_skipped():
    data = (",".join(HEADER) + "\n" + ",".join(GOOD[h] for h in HEADER) + "\n,,,,\n\n"
            + ",".join(row(Person_ID="P2")[h] for h in HEADER) + "\n").encode()  # fmt: skip
    records, _, read = read_all(data)
    assert read.errors == [] and read.rows == 2 and len(records) == 2


# --- ages and young carers --------------------------------------------------------------------

AGE_HEADER = ["Person ID", "Age", "Postcode", "Young carer"]


@pytest.mark.parametrize(
    ("age", "band", "young"),
    [("0", "0_to_17", True), ("17", "0_to_17", True), ("18", "18_to_24", False),
     ("24", "18_to_24", False), ("25", "25_to_49", False), ("64", "50_to_64", False),
     ("65", "65_to_74", False), ("74", "65_to_74", False), ("75", "75_and_over", False),
     ("17.0", "0_to_17", True), ("120", "75_and_over", False)],
)  # fmt: skip
def test_an_age_given_instead_of_a_date_of_birth_gives_the_band(age, band, young):
    rows = [{"Person ID": "Y1", "Age": age, "Postcode": "S60 2AB"}]
    records, _, read = read_all(csv_bytes(rows, AGE_HEADER))
    assert read.errors == []
    assert records[0][R["age_band"]] == band
    assert records[0][R["young_carer"]] is young
    assert records[0][R["link_key"]] == ""  # no date of birth: matched by NHS number only


@pytest.mark.parametrize("age", ["-1", "121", "forty", "12x"])
def test_an_age_that_is_not_an_age_is_an_error(age):
    rows = [{"Person ID": "Y1", "Age": age, "Postcode": "S60 2AB"}]
    _, _, read = read_all(csv_bytes(rows, AGE_HEADER))
    assert "is not an age" in the_error(read, 2, "age", "Age").message


def test_a_date_of_birth_gives_the_age_at_the_extracts_date():
    rows = [
        row(Person_ID="B1", Date_of_Birth="2008-01-01"),  # 18 today
        row(Person_ID="B2", Date_of_Birth="2008-01-02"),  # 17 until tomorrow
        row(Person_ID="B3", Date_of_Birth="1951-01-02"),
    ]  # 74 until tomorrow
    records, _, read = read_all(csv_bytes(rows))
    assert read.errors == []
    assert [(r[R["age_band"]], r[R["young_carer"]]) for r in records] == [
        ("18_to_24", False),
        ("0_to_17", True),
        ("65_to_74", False),
    ]


def test_young_carer_from_the_column_at_any_age():
    rows = [
        {"Person ID": "Y1", "Age": "19", "Postcode": "S60 2AB", "Young carer": "Yes"},
        {"Person ID": "Y2", "Age": "30", "Postcode": "S60 2AB", "Young carer": "y"},
        {"Person ID": "Y3", "Age": "16", "Postcode": "S60 2AB", "Young carer": "No"},
    ]
    records, _, read = read_all(csv_bytes(rows, AGE_HEADER))
    assert read.errors == []
    assert [r[R["young_carer"]] for r in records] == [True, True, True]


def test_no_date_of_birth_nor_age_is_an_error():
    rows = [{"Person ID": "Y1", "Age": "", "Postcode": "S60 2AB"}]
    _, _, read = read_all(csv_bytes(rows, AGE_HEADER))
    assert "Give the date of birth or the age" in the_error(read, 2, "date_of_birth").message


# --- Excel ------------------------------------------------------------------------------------


def test_an_excel_workbook_reads_the_same_as_the_csv():
    rows = [row(Person_ID="E1"), row(Person_ID="E2", NHS_Number="", Ethnicity="Pakistani",
                                     Support="Break", Support_value="", Training_at_handover=""),
            row(Person_ID="E1", Support="AT grant", Support_value="99.99",
                Training_at_handover="")]  # fmt: skip
    from_csv = read_all(csv_bytes(rows))

    def typed(name: str, value: str):
        """As a person would type it into Excel: dates as dates, numbers as numbers."""
        if not value:
            return None
        if name in ("Date of Birth", "Date first known", "Support date"):
            return dt.datetime.fromisoformat(value)
        if name == "NHS Number":
            return int(value.replace(" ", ""))
        if name == "Support value":
            return float(value.replace("£", "").replace(",", ""))
        return value

    grid = [HEADER, *([typed(h, r[h]) for h in HEADER] for r in rows)]
    from_excel = read_all(xlsx_bytes(grid), "carers.xlsx")
    assert from_csv[2].errors == [] and from_excel[2].errors == []
    assert from_excel[0] == from_csv[0]
    assert from_excel[1] == from_csv[1]
    assert (from_excel[2].rows, from_excel[2].records, from_excel[2].supports) == (3, 2, 3)


def test_an_excel_workbook_is_recognised_by_its_contents_whatever_its_name():
    grid = [HEADER, [GOOD[h] for h in HEADER]]
    records, _, read = read_all(xlsx_bytes(grid), "upload")
    assert read.errors == [] and len(records) == 1


def test_an_excel_workbook_with_names_drops_them():
    header = ["Person ID", "Surname", "Date of Birth", "Postcode"]
    grid = [header, ["X1", "Featherstonehaugh", dt.datetime(1970, 5, 17), "S60 1CK"]]
    records, _, read = read_all(xlsx_bytes(grid), "carers.xlsx")
    assert read.dropped_columns == ["Surname"]
    assert not any("eatherston" in s.lower() for s in strings_in(records))


# --- any valid rows ---------------------------------------------------------------------------

PERSON_IDS = st.from_regex(r"[A-Z]{2}[0-9]{4,7}", fullmatch=True)
NHS_NUMBERS = (
    st.text(alphabet="0123456789", min_size=9, max_size=9)
    .map(lambda nine: next((f"{nine}{d}" for d in range(10) if p.nhs_number(f"{nine}{d}")), None))
    .filter(bool)
)
PEOPLE = st.fixed_dictionaries({
    "nhs": st.one_of(st.just(""), NHS_NUMBERS),
    "dob": st.dates(min_value=dt.date(1910, 1, 1), max_value=dt.date(2025, 12, 31)),
    "postcode": st.sampled_from(sorted(LOOKUP)).map(lambda pc: f"{pc[:-3]} {pc[-3:]}"),
    "initial": st.sampled_from(["A", "b", "Z", ""]),
    "ethnicity": st.sampled_from(["White British", "Pakistani", "A", "J", "", "Not stated"]),
    "sex": st.sampled_from(["F", "M", "Female", ""]),
    "supports": st.lists(st.sampled_from(["Break", "Tech package", "AT grant"]), max_size=3),
})  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(people=st.dictionaries(PERSON_IDS, PEOPLE, min_size=1, max_size=8), shuffle=st.randoms())
def test_any_valid_rows_give_one_record_per_person_and_no_raw_identifier(people, shuffle):
    header = ["Person ID", "NHS Number", "Date of Birth", "Initial", "Postcode", "Ethnicity",
              "Sex", "Support"]  # fmt: skip
    rows = []
    for pid, person in people.items():
        for kind in person["supports"] or [""]:
            rows.append({"Person ID": pid, "NHS Number": person["nhs"],
                         "Date of Birth": person["dob"].strftime("%d/%m/%Y"),
                         "Initial": person["initial"], "Postcode": person["postcode"],
                         "Ethnicity": person["ethnicity"], "Sex": person["sex"],
                         "Support": kind})  # fmt: skip
    shuffle.shuffle(rows)
    records, supports, read = read_all(csv_bytes(rows, header))
    assert read.errors == [], read.errors
    assert len(records) == read.records == len(people)
    assert len(supports) == sum(len(person["supports"]) for person in people.values())
    assert sorted(r[R["number"]] for r in records) == list(range(len(people)))
    assert {r[R["person_key"]] for r in records} == {
        p.keyed_hash(KEY, p.PERSON, f"{SOURCE}|{pid}") for pid in people
    }
    said = strings_in(records, supports)
    for pid, person in people.items():
        raw = [pid, person["postcode"], person["postcode"].replace(" ", "")]
        if person["nhs"]:
            raw += [person["nhs"], f"{person['nhs'][:3]} {person['nhs'][3:6]}"]
        for text in said:  # hashes are lower-case hex; ids and postcodes are upper case
            for identifier in raw:
                assert identifier not in text, (identifier, text)
    for record in records:  # no date at all: the date of birth became a band
        assert not any(isinstance(value, dt.date) for value in record)


def test_reading_in_small_chunks_gives_the_same_records_and_support():
    rows = [row(Person_ID=f"C{n % 5}", Support=["Break", "Tech package"][n % 2]) for n in range(12)]
    data = csv_bytes(rows)
    whole = read_all(data)
    r = reader(data)
    records, supports = [], []
    for chunk_records, chunk_supports in r.chunks(size=2):
        assert len(chunk_records) <= 2 and len(chunk_supports) <= 2
        records.extend(chunk_records)
        supports.extend(chunk_supports)
    assert (records, supports) == (whole[0], whole[1])
    assert len(records) == 5 and len(supports) == 12
