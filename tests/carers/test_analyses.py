"""``caring.carers.analyses``: every count a non-data-officer sees passes through the disclosure
rule (1 to 7 hidden, others rounded to 5; figures derived from a hidden count hidden too;
percentages and rates from the rounded figures), and the exact figures are right."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter

import pytest

from caring import disclosure
from caring.carers import analyses, vocab
from caring.carers.demo import census_demo_load
from caring.carers.models import Carer, CarerRecord, CensusArea
from caring.carers.services import carers_import
from caring.plans.models import Strategy
from tests.carers.test_matching import LOOKUP, NHS, valid_nhs_numbers

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 1)
HEADER = ["person_id", "nhs_number", "date_of_birth", "sex", "ethnicity", "postcode",
          "first_known", "pathway", "channel", "social_contact", "support", "support_value",
          "training_at_handover", "disability"]  # fmt: skip
PEOPLE = 22
NUMBERS = (NHS + valid_nhs_numbers(PEOPLE, start=500_000_000))[:PEOPLE]
CROSS_TABLES = {"pathways-year", "channels-sex", "social-contact-channel"}
ALWAYS_COUNTS = {"Carers", "Carers known", "Times given"}


def person(i: int) -> dict:
    """Carer ``i`` of 22: 13 women and 9 men; ethnicity 10 White British, 6 Pakistani, 4 African,
    2 not known; 12, 6 and 4 in three areas; 3 young carers; some support."""
    support, value, training = "", "", ""
    if i < 5:
        support, training = "Tech package", "Yes" if i < 2 else "No"
    elif i < 8:
        support, value = "AT grant", "500"
    elif i < 18:
        support = "Carer's assessment"
    return {
        "person_id": f"P{i:03d}",
        "nhs_number": NUMBERS[i],
        "date_of_birth": f"{2012 if i < 3 else 1950 + i}-0{i % 9 + 1}-15",
        "sex": "F" if i < 13 else "M",
        "ethnicity": (
            "White British" if i < 10 else "Pakistani" if i < 16 else "African" if i < 20 else ""
        ),  # fmt: skip
        "postcode": "S60 1CK" if i < 12 else "S60 2AB" if i < 18 else "S61 3XY",
        "first_known": f"{2022 + i % 3}-0{i % 9 + 1}-01",
        "pathway": ["GP", "Coffee shop", "Crisis", "Vaccination", "School"][i % 5],
        "channel": ["Digital", "Face to face", "Online"][i % 3],
        "social_contact": ["1", "2", "3", ""][i % 4],
        "support": support,
        "support_value": value,
        "training_at_handover": training,
        "disability": ["Yes", "No", ""][i % 3],
    }


def extract(people) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER)
    writer.writeheader()
    writer.writerows(people)
    return out.getvalue().encode()


@pytest.fixture
def plan(db):
    census_demo_load()
    strategy = Strategy.objects.create(title="Caring Together", slug="caring-together")
    for name, who in (("Adult Social Care", range(0, 20)), ("Crossroads", range(17, PEOPLE))):
        carers_import(strategy=strategy, source_name=name,
                      data=extract(person(i) for i in who), filename=f"{name}.csv",
                      today=TODAY, lookup=LOOKUP)  # fmt: skip
    assert Carer.objects.filter(strategy=strategy).count() == PEOPLE
    assert CarerRecord.objects.count() == 25  # 3 people are known to both sources
    return strategy


def number(text: str) -> int:
    return int(text.replace(",", ""))


def count_columns(table: analyses.Table) -> list[int]:
    """Which columns of ``table`` hold counts of carers (or of support given)."""
    if table.key in CROSS_TABLES:
        return list(range(1, len(table.columns)))
    return [i for i, heading in enumerate(table.columns) if heading in ALWAYS_COUNTS]


def lines(table: analyses.Table) -> list[tuple[str, ...]]:
    return [*table.rows, *([table.total] if table.total else [])]


def topics(strategy, rule) -> dict[str, analyses.Topic]:
    return {key: make(strategy, rule) for key, make in analyses.TOPICS.items()}


def rounded(n: int) -> int:
    return (2 * n + 5) // 10 * 5


# --- under the NHS rule -----------------------------------------------------------------------


def test_every_count_from_1_to_7_is_hidden_and_the_rest_rounded_to_5(plan):
    exact, shown = topics(plan, disclosure.NONE), topics(plan, disclosure.NHS)
    assert list(exact) == list(shown) == list(analyses.TOPICS)
    checked = small = 0
    for key in analyses.TOPICS:
        for mine, theirs in zip(exact[key].tables, shown[key].tables, strict=True):
            assert (mine.key, mine.columns) == (theirs.key, theirs.columns)
            if theirs.withheld:
                continue
            assert len(lines(mine)) == len(lines(theirs)), mine.key
            for true_line, shown_line in zip(lines(mine), lines(theirs), strict=True):
                assert true_line[0] == shown_line[0]
                for col in count_columns(mine):
                    n, said = number(true_line[col]), shown_line[col]
                    checked += 1
                    if 1 <= n <= 7:
                        small += 1
                        assert said == "*", (mine.key, true_line, shown_line)
                    elif n == 0:
                        assert said == "0", (mine.key, true_line, shown_line)
                    elif said != "*":  # else hidden so that a small one can't be worked out
                        assert number(said) == rounded(n), (mine.key, true_line, shown_line)
    assert checked > 100 and small > 20


def test_no_shown_count_in_a_table_is_between_1_and_7(plan):
    for topic in topics(plan, disclosure.NHS).values():
        for table in topic.tables:
            for line in lines(table):
                for col in count_columns(table):
                    said = line[col]
                    assert said == "*" or number(said) == 0 or number(said) % 5 == 0, line


def test_percentages_come_from_the_rounded_figures(plan):
    equalities = analyses.equalities(plan, disclosure.NHS)
    sex = next(t for t in equalities.tables if t.key == "equalities-sex")
    # 13 women and 9 men of 22: published 15 and 10 of 20, so 75% and 50% (not 59% and 41%)
    assert sex.rows[0] == ("Female", "15", "75%")
    assert sex.rows[1] == ("Male", "10", "50%")
    assert sex.rows[2] == ("Not known", "0", "0%")
    assert sex.total == ("Total", "20", "100%")
    exact = next(t for t in analyses.equalities(plan, disclosure.NONE).tables
                 if t.key == "equalities-sex")  # fmt: skip
    assert exact.rows[:2] == (("Female", "13", "59%"), ("Male", "9", "41%"))
    assert exact.total == ("Total", "22", "100%")


def test_every_percentage_is_worked_out_from_the_shown_count_and_total(plan):
    checked = 0
    for topic in topics(plan, disclosure.NHS).values():
        for table in topic.tables:
            if "Percentage" not in table.columns or table.withheld:
                continue
            total = table.total[1]
            for line in table.rows:
                count, share = line[1], line[2]
                if count == "*" or total == "*":
                    assert share == "*", (table.key, line)
                elif number(total) == 0:
                    assert share == "–"
                else:
                    c, t = number(count), number(total)
                    assert share == f"{(200 * c + t) // (2 * t)}%", (table.key, line)
                checked += 1
    assert checked > 30


def test_rates_and_gaps_from_a_hidden_count_are_hidden(plan):
    reach = analyses.reach(plan, disclosure.NHS)
    area = next(t for t in reach.tables if t.key == "reach-area")
    rows = {line[0]: line for line in area.rows}
    census = {a.code: a.carers for a in CensusArea.objects.filter(year=2021)}
    small = next(line for name, line in rows.items() if "(E02001580)" in name)  # 4 carers
    assert small[2:] == ("*", "*", "*")
    big = next(line for name, line in rows.items() if "(E02001578)" in name)  # 12 carers
    base = census["E02001578"]
    assert big[1] == f"{base:,}" and big[2] == "10"
    assert big[3] == f"{(20000 + base) // (2 * base) // 10}.{(20000 + base) // (2 * base) % 10}"
    assert big[4] == f"{base - 10:,}"
    none = next(line for name, line in rows.items() if "(E02001590)" in name)
    assert none[2:4] == ("0", "0.0") and none[4] == f"{census['E02001590']:,}"
    for line in lines(area):
        if line[2] == "*":
            assert line[3] == line[4] == "*", line
        else:
            assert line[3] == "*" or re.fullmatch(r"[0-9]+\.[0-9]|–", line[3]), line
    by_age = next(t for t in reach.tables if t.key == "reach-age")
    for line in lines(by_age):
        if line[2] == "*":
            assert line[3] == line[4] == "*", line


def test_money_from_a_hidden_number_of_carers_is_hidden(plan):
    support = analyses.support(plan, disclosure.NHS)
    money = next(t for t in support.tables if t.key == "support-money")
    (grant,) = [line for line in money.rows if line[0] == "Assistive technology grant"]
    assert grant == ("Assistive technology grant", "*", "*", "*", "*")  # 3 carers, £1,500
    exact = next(t for t in analyses.support(plan, disclosure.NONE).tables
                 if t.key == "support-money")  # fmt: skip
    (grant,) = [line for line in exact.rows if line[0] == "Assistive technology grant"]
    assert grant == ("Assistive technology grant", "3", "3", "£1,500", "£500")


def test_the_cost_per_carer_is_worked_out_from_the_published_figures(db):
    census_demo_load()
    strategy = Strategy.objects.create(title="Grants", slug="grants")
    people = [dict(person(i), support="AT grant", support_value="500", training_at_handover="")
              for i in range(9)]  # fmt: skip
    carers_import(strategy=strategy, source_name="ASC", data=extract(people), filename="a.csv",
                  today=TODAY, lookup=LOOKUP)  # fmt: skip
    support = analyses.support(strategy, disclosure.NHS)
    money = next(t for t in support.tables if t.key == "support-money")
    (grant,) = money.rows
    assert grant[:4] == ("Assistive technology grant", "10", "10", "£4,500")
    assert grant[4] == "£450"
    assert not any("£500 per carer" in p for p in support.paragraphs)


def test_the_headline_paragraph_shows_the_rounded_count(plan):
    reach = analyses.reach(plan, disclosure.NHS)
    assert any(p.startswith("20 carers are known to services") for p in reach.paragraphs)
    assert not any("22" in p for p in reach.paragraphs)
    young = analyses.young_carers(plan, disclosure.NHS)
    assert any(p.startswith("* young carers") for p in young.paragraphs)


# --- exact figures, for data officers ---------------------------------------------------------


def test_under_no_rule_the_counts_are_exact(plan):
    reach = analyses.reach(plan, disclosure.NONE)
    area = next(t for t in reach.tables if t.key == "reach-area")
    assert area.total[2] == str(Carer.objects.filter(strategy=plan).count()) == "22"
    rows = {line[0]: line for line in area.rows}
    got = {code: next(line[2] for name, line in rows.items() if f"({code})" in name)
           for code in ("E02001578", "E02001579", "E02001580")}  # fmt: skip
    assert got == {"E02001578": "12", "E02001579": "6", "E02001580": "4"}
    assert any(p.startswith("22 carers are known to services") for p in reach.paragraphs)
    by_age = next(t for t in reach.tables if t.key == "reach-age")
    assert by_age.total[2] == "22"
    assert analyses.summary(plan, disclosure.NONE).known.value == 22
    assert analyses.summary(plan, disclosure.NHS).known.value == 20
    young = analyses.young_carers(plan, disclosure.NONE)
    assert any(p.startswith("3 young carers") for p in young.paragraphs)


def test_the_reach_total_is_the_number_of_carers_not_of_records(plan):
    known = Carer.objects.filter(strategy=plan).count()
    assert CarerRecord.objects.count() > known
    summary = analyses.summary(plan, disclosure.NONE)
    assert summary.known.shown == str(known)
    census = sum(CensusArea.objects.filter(year=2021).values_list("carers", flat=True))
    assert summary.census_carers == census
    assert summary.gap == f"{census - known:,}"
    assert [(name, cell.shown) for name, cell, _ in summary.sources] == [
        ("Adult Social Care", "20"),
        ("Crossroads", "5"),
    ]


def test_every_equalities_table_adds_up_to_the_carers_known(plan):
    equalities = analyses.equalities(plan, disclosure.NONE)
    assert len(equalities.tables) == len(analyses.EQUALITY_FIELDS) == 6
    for table in equalities.tables:
        assert sum(number(line[1]) for line in table.rows) == 22, table.key
        assert table.total[1] == "22"
        assert table.rows[-1][0] == "Not known"


def test_carers_by_ethnicity_match_an_independent_count(plan):
    mine = Counter(code for (code,) in Carer.objects.filter(strategy=plan).values_list(
        "ethnicity"))  # fmt: skip
    assert mine == {"white_british": 10, "asian_pakistani": 6, "black_african": 4,
                    "not_known": 2}  # fmt: skip
    table = next(t for t in analyses.equalities(plan, disclosure.NONE).tables
                 if t.key == "equalities-race")  # fmt: skip
    theirs = {vocab.ETHNICITY.code(line[0]): number(line[1]) for line in table.rows}
    assert set(theirs) == set(vocab.ETHNICITY.codes)
    assert theirs == {code: mine.get(code, 0) for code in vocab.ETHNICITY.codes}
    for line in table.rows:
        count = number(line[1])
        assert line[2] == f"{(200 * count + 22) // 44}%"


def test_support_counts_each_carer_once_per_type(plan):
    support = analyses.support(plan, disclosure.NONE)
    types = {line[0]: line[1] for line in support.tables[0].rows}
    assert types["Tech package"] == "5"
    assert types["Assistive technology grant"] == "3"
    assert types["Carer's assessment"] == "10"
    assert support.tables[0].total == ("Carers supported (each counted once)", "18")
    training = {line[0]: line[1] for line in support.tables[1].rows}
    assert training == {"With training": "2", "Without training": "3", "Not recorded": "0"}


# --- everything, as JSON ----------------------------------------------------------------------


@pytest.mark.parametrize("rule", [disclosure.NHS, disclosure.NONE, disclosure.ONS_10_5])
def test_everything_is_json_and_lists_every_topic(plan, rule):
    out = analyses.everything(plan, rule)
    again = json.loads(json.dumps(out))
    assert again == out
    assert out["strategy"] == "caring-together" and out["rule"] == rule.key
    assert [t["key"] for t in out["topics"]] == list(analyses.TOPICS)
    for topic in out["topics"]:
        assert topic["title"] and topic["tables"]
        for table in topic["tables"]:
            assert set(table) == {"key", "caption", "columns", "rows", "total", "withheld",
                                  "notes"}  # fmt: skip
            assert all(len(r) == len(table["columns"]) for r in table["rows"])


def test_everything_under_the_nhs_rule_shows_no_small_count(plan):
    out = analyses.everything(plan, disclosure.NHS)
    exact = analyses.everything(plan, disclosure.NONE)
    for topic, exact_topic in zip(out["topics"], exact["topics"], strict=True):
        for table, exact_table in zip(topic["tables"], exact_topic["tables"], strict=True):
            if table["withheld"]:
                assert table["rows"] == [] and table["total"] is None
                continue
            columns = table["columns"]
            wanted = (range(1, len(columns)) if table["key"] in CROSS_TABLES
                      else [i for i, c in enumerate(columns) if c in ALWAYS_COUNTS])  # fmt: skip
            body = [*table["rows"], *([table["total"]] if table["total"] else [])]
            exact_body = [
                *exact_table["rows"],
                *([exact_table["total"]] if exact_table["total"] else []),
            ]
            for line, exact_line in zip(body, exact_body, strict=True):
                for col in wanted:
                    if 1 <= number(exact_line[col]) <= 7:
                        assert line[col] == "*", (table["key"], line, exact_line)


def test_no_carers_yet(db):
    census_demo_load()
    empty = Strategy.objects.create(title="Empty", slug="empty")
    out = analyses.everything(empty, disclosure.NHS)
    assert [t["key"] for t in out["topics"]] == list(analyses.TOPICS)
    reach = analyses.reach(empty, disclosure.NHS)
    assert reach.tables[0].total[2] == "0"


def test_a_strategy_can_never_publish_exact_figures_to_everyone():
    from types import SimpleNamespace

    assert analyses.rule_of(SimpleNamespace(disclosure_rule="none")) is disclosure.NHS
    assert analyses.rule_of(SimpleNamespace(disclosure_rule="ons-10-5")) is disclosure.ONS_10_5
    assert analyses.rule_of(SimpleNamespace(disclosure_rule="")) is disclosure.NHS
