"""Importing a recommendations tracker (caring.governance.importer): all rows or none.

Files are built in memory (openpyxl for .xlsx, the csv module for CSV) and read with
``caring.governance.tracker_reader.read_tracker``, as the upload page and the command do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from caring.governance import services
from caring.governance.importer import TrackerImportError, TrackerImportResult, tracker_import
from caring.governance.models import Body, Meeting, Resolution, ResolutionUpdate
from caring.governance.tracker_reader import TrackerRead, read_tracker
from tests.factories import StrategyFactory
from tests.governance.test_tracker_reader import FULL_HEADER, HEADER  # the usual columns

pytestmark = pytest.mark.django_db

D = dt.date

FIELDS = (
    "reference", "committee", "agreed", "text", "executive_date", "lead", "action_taken",
    "status", "response", "due", "rag",
)  # fmt: skip
CSC = "Children's Services Scrutiny Committee"


def row(ref: str, **changes) -> list:
    """A good row in FULL_HEADER order, with ``changes`` by field name."""
    values = {
        "reference": ref,
        "committee": CSC,
        "agreed": "30/11/2017",
        "text": f"That the council publishes leaflet {ref} for carers.",
        "executive_date": "15/01/2018",
        "lead": "Head of Adult Social Care",
        "action_taken": "Leaflet drafted with the carers' forum.",
        "status": "In progress",
        "response": "Accepted",
        "due": "in 12 months",
        "rag": "Amber",
    }
    values.update(changes)
    return [values[name] for name in FIELDS]


def xlsx(*rows, header=FULL_HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    for values in (header, *rows):
        sheet.append(list(values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(*rows, header=FULL_HEADER) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for values in (header, *rows):
        writer.writerow(["" if v is None else v for v in values])
    return out.getvalue().encode("utf-8")


def read_xlsx(*rows, header=FULL_HEADER) -> TrackerRead:
    return read_tracker(xlsx(*rows, header=header), filename="tracker.xlsx")


def counts() -> tuple[int, int, int, int]:
    return (
        Body.objects.count(),
        Meeting.objects.count(),
        Resolution.objects.count(),
        ResolutionUpdate.objects.count(),
    )


def refused(strategy, read: TrackerRead):
    """Import ``read``, expecting a refusal that saves nothing; return the problems."""
    before = counts()
    with pytest.raises(TrackerImportError) as info:
        tracker_import(strategy=strategy, read=read)
    assert counts() == before
    assert info.value.problems
    return info.value.problems


# --- the happy path -----------------------------------------------------------------------------


def test_a_tracker_creates_bodies_meetings_recommendations_and_updates(strategy, user):
    hsc = services.body_create(name="Health Select Commission", short_name="HSC")
    read = read_xlsx(
        row("CSC/17/01", executive_date=dt.datetime(2018, 1, 15), rag="Amber"),
        row(
            "CSC/17/02",
            status="Complete",
            rag="Blue",
            action_taken="Leaflet published in March.",
            response="Partly accepted",
        ),
        row("HSC/18/01", committee="hsc", agreed="1 March 2018", executive_date=None,
            response=None, action_taken=None, status=None, due=None, rag=None),
        row("CSC/18/01", agreed="1 March 2018", executive_date="10/04/2018", response=None,
            action_taken=None, status="Not started", due="during the 2018/19 municipal year"),
    )  # fmt: skip
    assert read.ok, read.problems

    result = tracker_import(strategy=strategy, read=read, by=user)

    assert result == TrackerImportResult(4, [CSC], 3)
    assert result.summary == (
        f"4 recommendations imported, from 3 new meeting records; new bodies: {CSC}."
    )
    csc = Body.objects.get(name=CSC)
    assert (csc.kind, csc.slug) == ("scrutiny", "childrens-services-scrutiny-committee")
    assert Body.objects.count() == 2  # "hsc" found the existing body by its short name
    meetings = Meeting.objects.filter(strategy=strategy).order_by("date", "body__name")
    assert [(m.body.name, m.date, m.status) for m in meetings] == [
        (CSC, D(2017, 11, 30), "held"),
        (CSC, D(2018, 3, 1), "held"),
        (hsc.name, D(2018, 3, 1), "held"),
    ]

    first = Resolution.objects.get(strategy=strategy, ref="CSC/17/01")
    assert first.kind == "recommendation"
    assert first.meeting == meetings[0] and first.number == 1
    assert first.text == "That the council publishes leaflet CSC/17/01 for carers."
    assert first.lead_role == "Head of Adult Social Care"
    assert (first.response, first.response_date) == ("accepted", D(2018, 1, 15))
    assert (first.due, first.due_text) == (D(2018, 11, 30), "in 12 months")
    assert (first.status, first.rag) == ("in_progress", "amber")
    update = first.updates.get()
    assert update.narrative == "Leaflet drafted with the carers' forum."
    assert (update.status, update.author, update.evidence) == ("in_progress", user, "")
    assert first.history.first().history_user == user

    second = Resolution.objects.get(ref="CSC/17/02")
    assert second.number == 2 and second.meeting == meetings[0]
    assert (second.response, second.status, second.rag) == ("partly_accepted", "complete", "blue")
    assert second.updates.get().evidence == "Leaflet published in March."

    third = Resolution.objects.get(ref="HSC/18/01")
    assert third.meeting == meetings[2]
    assert (third.response, third.status, third.due) == ("", "not_started", None)
    assert not third.updates.exists()  # nothing to say: no update

    fourth = Resolution.objects.get(ref="CSC/18/01")
    assert fourth.due == D(2019, 4, 30)
    assert fourth.response == ""  # an executive date but no response: recorded as awaited
    assert "Considered by the executive on 10/04/2018" in fourth.updates.get().narrative


def test_a_csv_tracker_with_only_the_required_columns_imports(strategy):
    read = read_tracker(
        csv_bytes(
            ["CSC/17/01", CSC, "30/11/2017", "That leaflets be published.", "", "", "", ""],
            ["CSC/17/02", CSC, "30/11/2017", "That carers be consulted.", "", "Lead", "Begun.",
             "In progress"],
            header=HEADER,
        ),
        filename="tracker.csv",
    )  # fmt: skip
    assert read.ok, read.problems
    result = tracker_import(strategy=strategy, read=read)
    assert (result.created, result.meetings_added) == (2, 1)
    assert (
        result.summary
        == f"2 recommendations imported, from 1 new meeting record; new bodies: {CSC}."
    )
    assert Resolution.objects.filter(strategy=strategy).count() == 2
    assert Resolution.objects.get(ref="CSC/17/02").updates.get().narrative == "Begun."


def test_rows_for_a_meeting_already_recorded_join_it(strategy):
    body = services.body_create(name=CSC)
    meeting = services.meeting_create(
        strategy=strategy, body=body, date="30/11/2017", status="held"
    )
    services.resolution_create(meeting=meeting, kind="noted", text="Noted.")
    result = tracker_import(strategy=strategy, read=read_xlsx(row("CSC/17/01")))
    assert result == TrackerImportResult(1, [], 0)
    assert result.summary == "1 recommendation imported."
    imported = Resolution.objects.get(ref="CSC/17/01")
    assert (imported.meeting, imported.number) == (meeting, 2)


def test_the_same_references_may_be_imported_into_another_strategy(strategy):
    tracker_import(strategy=strategy, read=read_xlsx(row("CSC/17/01")))
    other = StrategyFactory()
    tracker_import(strategy=other, read=read_xlsx(row("CSC/17/01")))
    assert Resolution.objects.filter(ref="CSC/17/01").count() == 2
    assert Body.objects.filter(name=CSC).count() == 1


# --- refusals: all or nothing, each problem by row --------------------------------------------


def test_a_reference_repeated_in_the_file_is_refused_naming_the_row(strategy):
    read = read_xlsx(row("CSC/17/01"), row("CSC/17/02"), row("csc/17/01"))
    problems = refused(strategy, read)
    assert [(p.row, p.field, p.severity) for p in problems] == [(4, "reference", "error")]
    assert "already used on row 2" in problems[0].message
    assert "row 4" in problems[0].place


def test_a_reference_already_on_the_tracker_is_refused_naming_the_row(strategy):
    tracker_import(strategy=strategy, read=read_xlsx(row("CSC/17/01")))
    read = read_xlsx(row("CSC/17/05"), row("CSC/17/01", text="A second go."))
    problems = refused(strategy, read)
    assert [(p.row, p.field, p.column) for p in problems] == [(3, "reference", "A")]
    assert "CSC/17/01 is already on the tracker" in problems[0].message
    assert not Resolution.objects.filter(ref="CSC/17/05").exists()


@pytest.mark.parametrize(
    ("field", "column", "value"),
    [("lead", "F", "Head of Service " * 20), ("committee", "B", "Committee " * 25)],
)
def test_a_value_too_long_to_store_refuses_the_file_naming_row_and_column(
    strategy, field, column, value
):
    problems = refused(strategy, read_xlsx(row("CSC/17/01"), row("CSC/17/02", **{field: value})))
    assert [(p.row, p.field, p.column) for p in problems] == [(3, field, column)]
    assert "at most 200 characters" in problems[0].message


def test_a_complete_row_with_no_action_taken_refuses_the_whole_file(strategy):
    read = read_xlsx(
        row("CSC/17/01"),
        row("CSC/17/02", committee="Health Select Commission", agreed="01/03/2018",
            executive_date="01/04/2018"),
        row("CSC/17/03", status="Complete", action_taken=None, rag="Blue"),
        row("CSC/17/04"),
    )  # fmt: skip
    assert read.ok, read.problems  # the reader is content; the import is not
    problems = refused(strategy, read)
    assert [(p.row, p.severity) for p in problems] == [(4, "error")]
    assert "can only be marked complete" in problems[0].message
    assert "row 4" in problems[0].place
    # The rows before it were fine, and would have made bodies and meetings: none is kept.
    assert counts() == (0, 0, 0, 0)


def test_an_executive_date_before_the_date_agreed_is_refused(strategy):
    read = read_xlsx(row("CSC/17/01"), row("CSC/17/02", executive_date="29/11/2017"))
    problems = refused(strategy, read)
    assert [(p.row, p.field) for p in problems] == [(3, "executive_date")]
    assert "before the date agreed" in problems[0].message


def test_every_problem_in_the_file_is_listed(strategy):
    read = read_xlsx(
        row("CSC/17/01", agreed="31/02/2018"),
        row("CSC/17/02", text=None),
        row("CSC/17/03", status="On track"),
    )
    problems = refused(strategy, read)
    assert [(p.row, p.field) for p in problems] == [(2, "agreed"), (3, "text"), (4, "status")]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"due": "when funding allows"}, "due_text", "could not be read"),
        ({"due": "31/10/2017"}, "due_text", "before the meeting"),
        ({"executive_date": None}, "executive_date", "Enter the date of the response"),
        ({"executive_date": "tomorrow"}, "executive_date", "future"),
    ],
)
def test_a_row_the_services_refuse_is_named_with_its_field(strategy, changes, field, words):
    if changes.get("executive_date") == "tomorrow":
        changes = {"executive_date": timezone.localdate() + dt.timedelta(days=1)}
    read = read_xlsx(row("CSC/17/01"), row("CSC/17/02", **changes))
    assert read.ok, read.problems
    problems = refused(strategy, read)
    assert [(p.row, p.field) for p in problems] == [(3, field)]
    assert words in problems[0].message


def test_a_row_with_no_origin_committee_is_refused_naming_the_row(strategy):
    read = read_xlsx(row("CSC/17/02", committee=None))
    assert read.ok  # a warning only, from the reader
    problems = refused(strategy, read)
    assert [(p.row, p.field, p.column) for p in problems] == [(2, "committee", "B")]
    assert "No origin committee" in problems[0].message


def test_a_row_with_no_origin_committee_is_not_put_on_a_body_with_no_short_name(strategy):
    services.body_create(name="Health Select Commission")  # no short name
    read = read_xlsx(row("CSC/17/01"), row("CSC/17/02", committee=None))
    problems = refused(strategy, read)
    assert [(p.row, p.field) for p in problems] == [(3, "committee")]


def test_a_file_with_no_recommendations_is_refused(strategy):
    problems = refused(strategy, read_xlsx())
    assert "no recommendations" in problems[0].message
    empty = TrackerRead(rows=[], problems=[], sheet="Tracker", header_row=1)
    problems = refused(strategy, empty)
    assert problems[0].message == "The file has no recommendations in it."


# --- the command --------------------------------------------------------------------------------


def command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_recommendations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_workbook(strategy, user, tmp_path):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx(row("CSC/17/01"), row("CSC/17/02", rag="Purple")))
    out, err = command(str(path), "--strategy", strategy.slug, "--user", user.username)
    assert f"2 recommendations imported, from 1 new meeting record; new bodies: {CSC}." in out
    assert "Warning:" in err and "row 3" in err and "Purple" in err
    imported = Resolution.objects.get(strategy=strategy, ref="CSC/17/01")
    assert imported.history.first().history_user == user


def test_the_command_imports_a_csv_file(strategy, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes(row("CSC/17/01")))
    out, _ = command(str(path), "--strategy", strategy.slug)
    assert "1 recommendation imported" in out
    assert Resolution.objects.filter(strategy=strategy).count() == 1


def test_the_command_refuses_a_bad_file_listing_problems_and_importing_nothing(strategy, tmp_path):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx(row("CSC/17/01"), row("CSC/17/01")))
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "import_recommendations", str(path), "--strategy", strategy.slug,
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert info.value.returncode == 1
    assert str(info.value) == "1 problem."
    assert "Nothing was imported from tracker.xlsx" in err.getvalue()
    assert "row 3" in err.getvalue()
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.xlsx", "--strategy", "carers"], "No file at"),
        (["tracker.xlsx", "--strategy", "nowhere"], "no strategy 'nowhere'"),
        (["tracker.xlsx", "--strategy", "carers", "--user", "nobody"], "no user 'nobody'"),
    ],
)
def test_the_command_usage_errors_exit_2(strategy, tmp_path, args, words):
    assert strategy.slug == "carers"
    (tmp_path / "tracker.xlsx").write_bytes(xlsx(row("CSC/17/01")))
    args = [str(tmp_path / args[0]), *args[1:]]
    with pytest.raises(CommandError, match=words) as info:
        command(*args)
    assert info.value.returncode == 2
    assert counts() == (0, 0, 0, 0)


def test_a_reference_already_on_the_tracker_in_another_case_is_refused(db):
    from caring.governance import services
    from caring.governance.importer import TrackerImportError, tracker_import
    from caring.governance.tracker_reader import read_tracker
    from tests.factories import StrategyFactory

    strategy = StrategyFactory()
    body = services.body_create(name="Health Select Commission", short_name="HSC")
    meeting = services.meeting_create(
        strategy=strategy, body=body, date="01/03/2018", status="held"
    )
    services.resolution_create(meeting=meeting, ref="HSC/18/1", kind="recommendation", text="A.")
    content = (
        b"Reference,Origin committee,Date agreed,Recommendation,Executive date,Lead officer,"
        b"Action taken,Status\nhsc/18/1,Health Select Commission,01/03/2018,B.,,,,Open\n"
    )
    with pytest.raises(TrackerImportError) as info:
        tracker_import(strategy=strategy, read=read_tracker(content, filename="t.csv"))
    (problem,) = info.value.problems
    assert problem.row == 2 and "already on the tracker" in problem.message
