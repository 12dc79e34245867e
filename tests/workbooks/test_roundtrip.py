"""A workbook exported, edited offline and sent back: the same actions change, conflicts wait."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from caring.plans.export import plan_export
from caring.plans.models import Action, DueDateChange, Evidence, PlanVersion, Strategy, Update
from caring.plans.services.actions import action_edit, action_retire, action_update_post
from caring.plans.services.imports import KEEP_APP, TAKE_WORKBOOK, workbook_import
from caring.workbooks.writer import write_plan_workbook
from tests.factories import UserFactory
from tests.workbooks.builders import xlsx

pytestmark = pytest.mark.django_db

PLAN = [
    ["Ref", "Action", "Lead Officer", "Partner", "Date Commenced", "Timescale", "RAG",
     "Evidence", "Progress", "Link to Strategy Outcome"],
    ["Theme 1: Carers Support"],
    ["CS1", "Offer carers' assessments", "Change Leader", "ASC", dt.datetime(2018, 1, 15),
     "Q2 2018/19", "Amber", "", "Backlog being worked through", "2, 3"],
    ["CS2", "Coffee shop pilot", "Commissioning Officer", "Crossroads Care", "March 2018",
     "Sept 2018", "Green", "", "", "1"],
    ["2. Young Carers"],
    ["YC7", "Capture data on young carers", "Service Manager",
     "Children and Young People's Services", "", "Dec 2018", "G", "", "", "4"],
]  # fmt: skip


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", job_title="Carers Strategy Lead")


@pytest.fixture
def plan(db):
    report = workbook_import(data=xlsx(PLAN), filename="plan.xlsx", strategy_slug="ct")
    assert report.imported, report.problems
    return Strategy.objects.get(slug="ct")


def exported(strategy) -> bytes:
    out = io.BytesIO()
    write_plan_workbook(plan_export(strategy=strategy), out, exported_at=dt.datetime(2026, 1, 5))
    return out.getvalue()


def edited(data: bytes, changes: dict[str, dict[str, object]], *, add=None, copy=None) -> bytes:
    """The workbook with cells changed by ref and header; ``add`` appends a row of values by
    header; ``copy`` repeats the row of that ref at the bottom."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["Action Plan"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    rows = {sheet.cell(r, columns["Ref"]).value: r for r in range(2, sheet.max_row + 1)}
    for ref, values in changes.items():
        for header, value in values.items():
            sheet.cell(rows[ref], columns[header]).value = value
    if add:
        last = sheet.max_row + 1
        for header, value in add.items():
            sheet.cell(last, columns[header]).value = value
    if copy:  # (ref, new ref): the row copied with the same hidden ID and a new ref
        last = sheet.max_row + 1
        for column in range(1, sheet.max_column + 1):
            sheet.cell(last, column).value = sheet.cell(rows[copy[0]], column).value
        sheet.cell(last, columns["Ref"]).value = copy[1]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def action(ref: str) -> Action:
    return Action.objects.get(ref=ref, version__is_current=True)


def back(data: bytes, **kwargs):
    kwargs.setdefault("strategy_slug", "ct")
    return workbook_import(data=data, filename="returned.xlsx", **kwargs)


def test_an_untouched_export_comes_back_with_no_differences(plan, lead, row_counts):
    before = row_counts()
    report = back(exported(plan), by=lead)
    assert report.mode == "update" and report.imported, report.problems
    assert (report.changes, report.added, report.unchanged) == ([], [], 3)
    assert not [p for p in report.problems if "not recognised" in p.message]
    assert row_counts() == before  # nothing written: no update, no version


def test_the_difference_is_shown_field_by_field_before_anything_changes(plan, lead, row_counts):
    data = edited(exported(plan), {
        "CS1": {"RAG": "Green", "Timescale": "March 2019", "Latest update": "Met the team."},
        "CS2": {"Action": "Coffee shop pilot in two towns", "Link to Strategy Outcome": "1, 2"},
        "YC7": {"Lead organisation": "Children and Young People's Services\nBarnardo's",
                "Evidence": "Data sharing agreement signed"},
    })  # fmt: skip
    before = row_counts()
    report = back(data, by=lead, dry_run=True)
    assert report.mode == "update" and not report.refused and not report.imported
    assert row_counts() == before
    found = {c.ref: {f.field: (f.app, f.workbook, f.conflict) for f in c.fields}
             for c in report.changes}  # fmt: skip
    assert found == {
        "CS1": {"rag": ("Amber", "Green", False), "due": ("Q2 2018/19", "March 2019", False)},
        "CS2": {"title": ("Coffee shop pilot", "Coffee shop pilot in two towns", False),
                "outcomes": ("1", "1, 2", False)},
        "YC7": {"organisations": ("Children and Young People's Services",
                                  "Barnardo's, Children and Young People's Services", False)},
    }  # fmt: skip
    by_ref = {c.ref: c for c in report.changes}
    assert by_ref["CS1"].progress == "Met the team."
    assert by_ref["YC7"].evidence == ["Data sharing agreement signed"]
    assert report.unchanged == 0


def test_applying_records_each_change_as_an_update_by_the_importing_user(plan, lead):
    cs1_before = action("CS1")
    data = edited(exported(plan), {
        "CS1": {"RAG": "Green", "Timescale": "March 2019", "Latest update": "Met the team."},
        "CS2": {"Action": "Coffee shop pilot in two towns", "Link to Strategy Outcome": "1, 2"},
        "YC7": {"Lead organisation": "Children and Young People's Services\nBarnardo's",
                "Evidence": "Data sharing agreement signed", "Status": "Complete",
                "RAG": "Blue"},
    })  # fmt: skip
    report = back(data, by=lead)
    assert report.imported and report.updated == 3, report.problems
    cs1 = action("CS1")
    assert (cs1.rag, cs1.due, cs1.due_text) == ("green", dt.date(2019, 3, 31), "March 2019")
    assert cs1.original_due == cs1_before.original_due == dt.date(2018, 9, 30)
    assert cs1.revision > cs1_before.revision
    slip = DueDateChange.objects.get(action=cs1)
    assert slip.changed_by == lead and "returned.xlsx" in slip.reason
    update = cs1.updates.order_by("id").last()
    assert update.author == lead
    assert update.narrative.startswith("Met the team.")
    assert "RAG: Amber → Green" in update.narrative
    assert "Timescale: Q2 2018/19 → March 2019" in update.narrative
    cs2 = action("CS2")
    assert cs2.title == "Coffee shop pilot in two towns"
    assert sorted(o.number for o in cs2.outcomes.all()) == [1, 2]
    assert cs2.updates.get().author == lead  # CS2 had no update: this is the one
    yc7 = action("YC7")
    assert sorted(o.name for o in yc7.organisations.all()) == [
        "Barnardo's", "Children and Young People's Services",
    ]  # fmt: skip
    assert (yc7.status, yc7.rag) == ("complete", "blue")
    assert Evidence.objects.get(action=yc7).text == "Data sharing agreement signed"
    again = back(data, by=lead, dry_run=True)  # the same workbook again changes nothing
    assert (again.changes, again.unchanged) == ([], 3)


def test_a_field_changed_in_both_places_is_a_conflict_and_nothing_is_overwritten(
    plan, lead, row_counts
):
    data = edited(exported(plan), {"CS1": {"RAG": "Green", "Action": "Assessments for all"}})
    cs1 = action("CS1")
    action_update_post(action=cs1, by=lead, narrative="Worse", status="in_progress", rag="red")
    preview = back(data, by=lead, dry_run=True)
    assert not preview.refused
    [(change, conflict)] = preview.conflicts
    assert (conflict.field, conflict.exported, conflict.app, conflict.workbook) == (
        "rag", "Amber", "Red", "Green",
    )  # fmt: skip
    before = row_counts()
    refused = back(data, by=lead)
    assert refused.refused and not refused.imported
    assert any("CS1 RAG (app: Red; workbook: Green)" in p.message for p in refused.problems)
    assert row_counts() == before and action("CS1").title == "Offer carers' assessments"

    key = f"{change.action_id}:rag"
    kept = back(data, by=lead, resolutions={key: KEEP_APP})
    assert kept.imported, kept.problems
    cs1 = action("CS1")
    assert (cs1.rag, cs1.title) == ("red", "Assessments for all")  # the rest applied


def test_a_conflict_resolved_to_the_workbook_takes_its_value(plan, lead):
    data = edited(exported(plan), {"CS1": {"RAG": "Green"}})
    action_update_post(action=action("CS1"), by=lead, narrative="Worse", status="in_progress",
                       rag="red")  # fmt: skip
    [(change, _)] = back(data, by=lead, dry_run=True).conflicts
    report = back(data, by=lead, resolutions={f"{change.action_id}:rag": TAKE_WORKBOOK})
    assert report.imported and action("CS1").rag == "green"


def test_changes_in_the_app_alone_stand_and_the_same_change_twice_is_no_conflict(plan, lead):
    data = edited(exported(plan), {"CS2": {"RAG": "Red"}})
    cs1, cs2 = action("CS1"), action("CS2")
    action_update_post(action=cs1, by=lead, narrative="Now red", status="in_progress", rag="red")
    action_update_post(action=cs2, by=lead, narrative="Also red", status="in_progress", rag="red")
    report = back(data, by=lead)
    assert report.imported and report.changes == [] and report.unchanged == 3
    assert action("CS1").rag == "red"  # the workbook still says Amber: the app's value stands


def test_a_change_in_the_app_after_the_preview_refuses_the_import(plan, lead, row_counts):
    data = edited(exported(plan), {"CS2": {"Action": "Coffee shop pilot in two towns"}})
    preview = back(data, by=lead, dry_run=True)
    expected = {c.action_id: c.revision for c in preview.changes}
    cs2 = action("CS2")
    action_edit(
        action=cs2, by=lead, expected_revision=cs2.revision, title="Someone else's",
        description="", theme=cs2.theme, outcomes=cs2.outcomes.all(), lead_role="x",
        organisations=[], commenced=None, ongoing=False, budget=None, spend=None,
    )  # fmt: skip
    before = row_counts()
    report = back(data, by=lead, expected_revisions=expected)
    assert report.refused
    assert any("changed in the app after the workbook was checked" in p.message
               for p in report.problems)  # fmt: skip
    assert row_counts() == before and action("CS2").title == "Someone else's"


def test_rows_without_an_id_are_new_actions_in_the_current_version(plan, lead):
    new_row = {"Ref": "CS9", "Theme": "Carers Support", "Action": "A new action typed in Excel",
               "Lead": "Change Leader", "Timescale": "Dec 2019"}  # fmt: skip
    data = edited(exported(plan), {}, add=new_row)
    report = back(data, by=lead)
    assert report.imported and report.actions == 1, report.problems
    new = action("CS9")
    assert new.theme.name == "Carers Support" and new.due == dt.date(2019, 12, 31)
    assert PlanVersion.objects.filter(strategy=plan).count() == 1


@pytest.mark.parametrize(
    ("change", "copy", "message"),
    [
        ({}, ("CS1", "CS1b"), ") as row 2; each action can appear once"),
        ({"CS1": {"ID": "999999"}}, None, "not an action in the current version"),
        ({"CS1": {"Revision": 99}}, None, "says revision 99"),
        ({"CS1": {"ID": "abc"}}, None, "whole numbers"),
        ({"CS1": {"Timescale": None}}, None, "timescale is blank"),
        ({"CS2": {"Status": "Complete"}}, None, "evidence"),
        ({"CS1": {"Theme": "Transport"}}, None, "no theme 'Transport'"),
        ({"CS1": {"Link to Strategy Outcome": "7"}}, None, "no outcome 7"),
    ],
)
def test_bad_returned_workbooks_are_refused_naming_the_row(
    plan, lead, row_counts, change, copy, message
):
    data = edited(exported(plan), change, copy=copy)
    before = row_counts()
    report = back(data, by=lead)
    assert report.refused and not report.imported
    errors = [p for p in report.problems if p.severity == "error"]
    assert any(message in p.message for p in errors), errors
    assert all(p.sheet == "Action Plan" for p in errors)
    assert row_counts() == before


def test_a_retired_action_changed_in_the_workbook_is_refused(plan, lead):
    data = edited(exported(plan), {"CS2": {"Action": "Renamed"}})
    action_retire(action=action("CS2"), reason="Merged into CS1", by=lead)
    report = back(data, by=lead)
    assert report.refused and any("retired" in p.message for p in report.problems)


def test_an_export_can_still_be_imported_as_a_new_version(plan, lead):
    report = back(exported(plan), by=lead, mode="new", version_name="Refreshed 2019")
    assert report.imported and report.mode == "new" and report.actions == 3, report.problems
    version = PlanVersion.objects.get(strategy=plan, is_current=True)
    assert version.name == "Refreshed 2019"
    yc7 = Action.objects.get(version=version, ref="YC7")
    assert "ID" not in yc7.extra and "Revision" not in yc7.extra
    assert [o.name for o in yc7.organisations.all()] == ["Children and Young People's Services"]


def test_a_council_workbook_cannot_be_taken_as_a_returned_one(plan, lead):
    report = back(xlsx(PLAN), by=lead, mode="update")
    assert report.refused and "hidden ID and Revision columns" in report.problems[-1].message


def test_the_command_shows_the_difference_and_refuses_until_conflicts_are_decided(
    plan, lead, tmp_path, capsys
):
    path = tmp_path / "returned.xlsx"
    path.write_bytes(edited(exported(plan), {"CS1": {"RAG": "Green", "Action": "Renamed"}}))
    action_update_post(action=action("CS1"), by=lead, narrative="Worse", status="in_progress",
                       rag="red")  # fmt: skip
    call_command("import_workbook", str(path), "--strategy", "ct", "--dry-run")
    out = capsys.readouterr().out
    assert "RAG: app 'Red' -> workbook 'Green'  CONFLICT (when exported: 'Amber')" in out
    assert "Action: app \"Offer carers' assessments\" -> workbook 'Renamed'" in out
    with pytest.raises(SystemExit) as exit_:
        call_command("import_workbook", str(path), "--strategy", "ct", "--user", "lead")
    assert exit_.value.code == 1 and action("CS1").title == "Offer carers' assessments"
    call_command("import_workbook", str(path), "--strategy", "ct", "--user", "lead",
                 "--conflicts", "app")  # fmt: skip
    cs1 = action("CS1")
    assert (cs1.title, cs1.rag) == ("Renamed", "red")
    assert cs1.updates.order_by("id").last().author == lead


def test_the_command_refuses_an_unknown_user(plan, tmp_path):
    path = tmp_path / "returned.xlsx"
    path.write_bytes(exported(plan))
    with pytest.raises(Exception, match="no user called 'nobody'"):
        call_command("import_workbook", str(path), "--strategy", "ct", "--user", "nobody")


EDITS = {
    "Action": st.sampled_from(["Offer carers' assessments", "Renamed action", "Another"]),
    "RAG": st.sampled_from(["Red", "Amber", "Green", "Not rated"]),
    "Timescale": st.sampled_from(["Dec 2018", "March 2019", "Q4 2019/20", "Ongoing", "TBC"]),
    "Lead": st.sampled_from(["Change Leader", "Service Manager", ""]),
    "Link to Strategy Outcome": st.sampled_from(["1", "2, 3", "1, 2, 3, 4"]),
    "Latest update": st.sampled_from(["", "Progress made offline.", "Waiting on partners."]),
}


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.dictionaries(
        st.sampled_from(["CS1", "CS2", "YC7"]),
        st.fixed_dictionaries({}, optional=EDITS),
        max_size=3,
    )
)
def test_any_applied_workbook_comes_back_with_no_differences(lead, edits):
    """Whatever is edited, the import is applied (one update per changed action by the
    importing user, and then the same workbook shows no difference) or refused with reasons
    and nothing changed."""
    slug = f"ct-{Strategy.objects.count()}"
    assert workbook_import(data=xlsx(PLAN), filename="plan.xlsx", strategy_slug=slug).imported
    strategy = Strategy.objects.get(slug=slug)
    data = edited(exported(strategy), edits)
    updates = Update.objects.filter(action__version__strategy=strategy)
    before = updates.count()
    report = back(data, by=lead, strategy_slug=slug)
    if report.imported:
        assert updates.filter(author=lead).count() == report.updated == len(report.changes)
        again = back(data, by=lead, strategy_slug=slug, dry_run=True)
        assert again.changes == [] and not again.refused, again.changes
        assert again.unchanged == 3
    else:
        assert report.refused and all(p.message for p in report.problems)
        assert updates.count() == before


def test_the_command_takes_the_users_choice_of_columns(tmp_path, capsys):
    rows = [list(PLAN[0]), *PLAN[1:]]
    rows[0][5] = "When by"  # a header we don't know: the timescale is in column F
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(rows))
    call_command("import_workbook", str(path), "--strategy", "chosen", "--column", "due=When by")
    assert Action.objects.get(ref="CS1", version__strategy__slug="chosen").due_text == "Q2 2018/19"
    with pytest.raises(Exception, match="write FIELD=COLUMN"):
        call_command("import_workbook", str(path), "--strategy", "x", "--column", "when=F")
