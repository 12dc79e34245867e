"""The plan as open data: the JSON contract, its order, its flags, and no personal data."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from caring.plans import services
from caring.plans.export import plan_export
from caring.plans.rag import FLAG_NAMES
from tests.factories import (
    OrganisationFactory,
    OutcomeFactory,
    StrategyFactory,
    ThemeFactory,
    UserFactory,
    text_evidence,
)

pytestmark = pytest.mark.django_db

CONTRACT = {
    "ref", "theme", "title", "outcomes", "lead", "organisations", "commenced", "due", "due_text",
    "ongoing", "status", "rag", "suggested_rag", "flags", "evidence", "updates", "due_changes",
}  # fmt: skip
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AS_OF = dt.date(2019, 1, 15)


@pytest.fixture
def person(db):
    return UserFactory(
        username="jbloggs77",
        first_name="Joanna",
        last_name="Bloggsworth",
        email="joanna.bloggsworth@example.org",
        job_title="Young Carers Service Manager",
    )


@pytest.fixture
def plan(strategy, version, theme, make_action, person):
    """Themes CS (1) and YC (2); actions given out of order; YC2 is led by a person."""
    carers = ThemeFactory(version=version, number=1, name="Carers Support", prefix="CS")
    outcomes = {n: OutcomeFactory(strategy=strategy, number=n) for n in (1, 4, 10)}
    barnardos = OrganisationFactory(name="Barnardo's")
    early_help = OrganisationFactory(name="Early Help Service")
    make_action(ref="YC10", due="Q3 2018/19", commenced="Apr 2018")
    yc2 = make_action(
        ref="YC2",
        lead_role="",
        lead_person=person,
        outcomes=[outcomes[10], outcomes[4]],
        organisations=[early_help, barnardos],
        commenced="Apr 2018",
        due="Dec 2018",
        rag="green",
        by=person,
    )
    services.action_due_change(action=yc2, new_due="Mar 2019", reason="Data sharing.", by=person)
    services.action_update_post(
        action=yc2,
        by=person,
        narrative="Sampling agreed.",
        status="in_progress",
        rag="green",
        reported_on=dt.date(2018, 11, 30),
        evidence=[text_evidence()],
    )
    make_action(ref="CS1", theme=carers, due="Ongoing")
    make_action(ref="X1", theme=None, due="after the summer")
    gone = make_action(ref="YC3", due="Sept 2018")
    services.action_retire(action=gone, reason="Merged into YC2.")
    return strategy


def export(strategy, today=AS_OF):
    return plan_export(strategy=strategy, today=today)


def by_ref(data):
    return {a["ref"]: a for a in data["actions"]}


def test_top_level_keys(plan, version):
    data = export(plan)
    assert data["strategy"]["slug"] == "carers"
    assert data["strategy"]["title"] == "Carers Strategy"
    assert data["version"] == {"name": version.name, "created": "2018-01-31"}
    assert data["themes"] == [
        {"number": 1, "name": "Carers Support", "prefix": "CS"},
        {"number": 2, "name": "Young Carers", "prefix": "YC"},
    ]
    assert isinstance(data["actions"], list)
    json.dumps(data)  # plain data


def test_every_action_has_the_contract_keys_with_the_right_types(plan):
    actions = export(plan)["actions"]
    assert actions
    for action in actions:
        assert set(action) >= CONTRACT, CONTRACT - set(action)
        assert isinstance(action["outcomes"], list)
        assert all(isinstance(o, str) for o in action["outcomes"])
        assert isinstance(action["organisations"], list)
        for day in (action["due"], action["commenced"]):
            assert day is None or ISO_DAY.match(day)
        assert action["suggested_rag"] in {"red", "amber", "green", "blue", None}
        assert action["rag"] in {"red", "amber", "green", "blue", None}
        assert set(action["flags"]) <= set(FLAG_NAMES)
        assert isinstance(action["ongoing"], bool)
        for key in ("evidence", "updates", "due_changes"):
            assert isinstance(action[key], list)


def test_an_action_is_exported_with_its_facts(plan):
    yc2 = by_ref(export(plan))["YC2"]
    assert yc2["theme"] == "Young Carers"
    assert yc2["outcomes"] == ["4", "10"]
    assert yc2["organisations"] == ["Barnardo's", "Early Help Service"]
    assert yc2["lead"] == "Young Carers Service Manager"
    assert (yc2["commenced"], yc2["due"], yc2["due_text"]) == (
        "2018-04-01",
        "2019-03-31",
        "Mar 2019",
    )
    assert (yc2["status"], yc2["rag"], yc2["ongoing"]) == ("in_progress", "green", False)
    assert [u["narrative"] for u in yc2["updates"]] == ["Sampling agreed."]
    assert yc2["updates"][0]["date"] == "2018-11-30"
    assert [e["title"] for e in yc2["evidence"]] == ["Minutes of the Delivery Group"]
    change = yc2["due_changes"][0]
    assert (change["old_due"], change["new_due"], change["reason"]) == (
        "2018-12-31",
        "2019-03-31",
        "Data sharing.",
    )
    assert "slipped" in yc2["flags"]


def test_unrated_and_undated_values_are_null(plan):
    actions = by_ref(export(plan))
    assert actions["X1"]["due"] is None and actions["X1"]["due_text"] == "after the summer"
    assert actions["X1"]["theme"] is None
    assert actions["CS1"]["due"] is None and actions["CS1"]["ongoing"] is True
    assert actions["YC10"]["rag"] is None


def test_actions_are_ordered_by_theme_then_natural_ref_and_retired_ones_left_out(plan):
    assert [a["ref"] for a in export(plan)["actions"]] == ["CS1", "YC2", "YC10", "X1"]


def test_flags_are_judged_as_of_the_day_given(plan):
    assert "overdue" in by_ref(export(plan, today=dt.date(2019, 1, 2)))["YC10"]["flags"]
    assert "overdue" not in by_ref(export(plan, today=dt.date(2018, 12, 31)))["YC10"]["flags"]


def test_people_appear_by_job_title_only(plan, person):
    text = json.dumps(export(plan))
    assert "Young Carers Service Manager" in text
    for personal in ("jbloggs77", "Joanna", "Bloggsworth", "joanna.bloggsworth"):
        assert personal not in text, personal
    yc2 = by_ref(json.loads(text))["YC2"]
    assert yc2["updates"][0]["author"] == "Young Carers Service Manager"
    assert yc2["evidence"][0]["added_by"] == "Young Carers Service Manager"
    assert yc2["due_changes"][0]["changed_by"] == "Young Carers Service Manager"


def test_a_strategy_without_a_plan_cannot_be_exported(db):
    with pytest.raises(CommandError, match="no delivery plan"):
        call_command("export_json", strategy=StrategyFactory(slug="empty").slug)


# --- the export_json command --------------------------------------------------------------------


def test_command_writes_the_export_to_standard_output(plan, capsys):
    call_command("export_json", "--as-of", "2019-01-15", strategy="carers")
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads(json.dumps(export(plan)))


def test_command_honours_the_stdout_given_to_call_command(plan):
    out = io.StringIO()
    call_command("export_json", strategy="carers", stdout=out)
    assert json.loads(out.getvalue())["strategy"]["slug"] == "carers"


def test_command_writes_a_file(plan, tmp_path, capsys):
    target = tmp_path / "plan.json"
    err = io.StringIO()
    call_command("export_json", strategy="carers", output=str(target), stderr=err)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [a["ref"] for a in data["actions"]] == ["CS1", "YC2", "YC10", "X1"]
    assert "Wrote 4 actions" in err.getvalue()
    assert capsys.readouterr().out == ""


def test_command_keeps_non_ascii_text_readable(plan, tmp_path):
    strategy = plan
    strategy.title = "Carers’ Strategy – Rotherham"
    strategy.save()
    target = tmp_path / "plan.json"
    call_command("export_json", strategy="carers", output=str(target), stderr=io.StringIO())
    assert "Carers’ Strategy – Rotherham" in target.read_text(encoding="utf-8")


def test_command_refuses_an_unknown_slug_and_names_it(plan):
    with pytest.raises(CommandError) as info:
        call_command("export_json", strategy="no-such-plan")
    assert "no-such-plan" in str(info.value)
    assert "carers" in str(info.value)  # the known slugs are listed


def test_command_as_of_changes_the_flags(plan, tmp_path):
    def flags(day):
        target = tmp_path / f"{day}.json"
        call_command(
            "export_json",
            "--as-of",
            day,
            strategy="carers",
            output=str(target),
            stderr=io.StringIO(),
        )
        data = json.loads(target.read_text(encoding="utf-8"))
        assert data["generated"] == day
        return by_ref(data)["YC10"]["flags"]

    assert "overdue" in flags("2019-01-02")
    assert "overdue" not in flags("2018-12-31")


def test_command_refuses_a_bad_as_of_date(plan):
    with pytest.raises(CommandError):
        call_command("export_json", "--as-of", "31/12/2018", strategy="carers")
