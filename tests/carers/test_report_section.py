"""The report pack's carers sections: reach and equalities, published with the strategy's rule
(never exact), absent without records, and meeting the committee's equalities requirement."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from caring.carers import analyses, vocab
from caring.carers.demo import census_demo_load
from caring.carers.models import CarerSource
from caring.carers.report_section import (
    _section,
    carers_equalities_section,
    carers_reach_section,
)
from caring.carers.services import carers_import
from caring.disclosure import NHS
from caring.plans.models import Strategy
from caring.plans.rag import format_date
from caring.reports import services
from caring.reports.sections import extra_sections
from tests.factories import StrategyFactory
from tests.reports.conftest import make_report

pytestmark = pytest.mark.django_db

HEADER = ("person_id,nhs_number,date_of_birth,initial,sex,ethnicity,area_code,first_known,"
          "pathway,channel,support,support_date,support_value,training_at_handover")  # fmt: skip
THREE_IN_ONE_AREA = (
    "A1,943 476 5919,1970-01-02,S,F,White British,E02001578,2020-05-01,GP,Digital,Tech package,"
    "2021-02-01,300,Yes",
    "A2,,1985-06-30,K,M,Pakistani,E02001578,2021-09-14,Social event,Non-digital,,,,",
    "A3,,1950-11-11,B,Female,Indian,E02001578,2019-01-20,Self-referral,Both,Break,2022-01-01,,",
)
SMALL = {str(n) for n in range(1, 8)}
TODAY = timezone.localdate


def load(strategy, rows=THREE_IN_ONE_AREA, *, source="Test Source", synthetic=False):
    data = ("\n".join((HEADER, *rows)) + "\n").encode()
    return carers_import(strategy=strategy, source_name=source, data=data, filename="t.csv",
                         synthetic=synthetic)  # fmt: skip


@pytest.fixture
def strategy(db):
    census_demo_load()
    return StrategyFactory(slug="small", title="A small strategy")


@pytest.fixture
def loaded(strategy):
    load(strategy)
    return strategy


def sections(strategy, as_of=None):
    as_of = as_of or TODAY()
    return carers_reach_section(strategy=strategy, as_of=as_of), carers_equalities_section(
        strategy=strategy, as_of=as_of
    )


def cells(section) -> list[str]:
    return [cell for table in section.tables for row in table.rows for cell in row]


def by_caption(section, caption):
    return next(t for t in section.tables if t.caption == caption)


def test_no_section_without_carers_records(strategy):
    assert sections(strategy) == (None, None)
    assert extra_sections(strategy=strategy, as_of=TODAY()) == []
    # so the committee's equalities requirement stays unmet
    [requirement] = make_report(
        sections=extra_sections(strategy=strategy, as_of=TODAY())
    ).requirements
    assert not requirement.met


def test_the_reach_section_has_its_tables_and_topics(loaded):
    reach, _ = sections(loaded)
    assert (reach.key, reach.title, reach.topics) == (
        "carers-reach", "Carers known and unknown", ("reach", "carers")
    )  # fmt: skip
    assert [t.caption for t in reach.tables] == [
        "Carers known against 2021 census carers, by area",
        "Carers known against census carers (2011), by age band",
        "How carers became known",
        "Carers supported, by type of support",
    ]
    area = reach.tables[0]
    assert area.columns == ("Area", "Census 2021 carers", "Carers known",
                            "Known per 100 census carers", "Unknown carers (gap)")  # fmt: skip
    assert area.rows[-1][0] == "Total" and area.rows[-1][1] == "26,324"
    assert reach.paragraphs[0] == f"Carers' records as imported on {format_date(TODAY())}."
    assert any(p.startswith("* carers are known to services") for p in reach.paragraphs)
    assert any(NHS.name in p for p in reach.paragraphs)


def test_a_few_carers_in_one_area_show_as_a_star_everywhere(loaded):
    reach, equalities = sections(loaded)
    area = reach.tables[0]
    assert next(r for r in area.rows if r[0] == "Rotherham 001 (E02001578)") == (
        "Rotherham 001 (E02001578)", "1,094", "*", "*", "*"
    )  # fmt: skip
    for section in (reach, equalities):
        assert not SMALL & set(cells(section)), section.title
        text = " ".join(section.paragraphs)
        assert "3 carers" not in text and "2 carers" not in text
    assert any("shown as *" in p for p in reach.paragraphs)


def test_the_pack_never_shows_exact_figures_whatever_the_strategy_says(loaded):
    Strategy.objects.filter(pk=loaded.pk).update(disclosure_rule="none")
    loaded.refresh_from_db()
    reach, equalities = sections(loaded)
    assert not SMALL & set(cells(reach)) and not SMALL & set(cells(equalities))


def test_the_strategys_own_rule_is_used(loaded):
    Strategy.objects.filter(pk=loaded.pk).update(disclosure_rule="ons-10-5")
    loaded.refresh_from_db()
    reach, equalities = sections(loaded)
    assert any("ONS 10-5" in p for p in reach.paragraphs)
    assert any("ONS 10-5" in p for p in equalities.paragraphs)


def test_the_equalities_section_has_every_characteristic_recorded_and_names_the_rest(loaded):
    _, equalities = sections(loaded)
    assert (equalities.key, equalities.title, equalities.topics) == (
        "carers-equalities", "Equalities", ("equalities",)
    )  # fmt: skip
    topic = analyses.equalities(loaded, analyses.rule_of(loaded))
    assert [t.caption for t in equalities.tables] == [t.caption for t in topic.tables]
    assert len(equalities.tables) == len(analyses.EQUALITY_FIELDS)
    text = " ".join(equalities.paragraphs).lower()
    for _, label, column in vocab.PROTECTED:
        if column is None:
            assert label.lower() in text
    ethnicity = by_caption(equalities, "Carers known, by race (ethnic group)")
    assert ethnicity.rows[-2][0] == "Not known"  # "not known" is shown
    assert ethnicity.rows[-1][0] == "Total"


def test_synthetic_records_are_labelled_in_both_sections(strategy):
    load(strategy, synthetic=True)
    for section in sections(strategy):
        assert any("synthetic" in p for p in section.paragraphs), section.title


def test_as_of_a_day_before_any_import_there_is_no_section(loaded):
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    CarerSource.objects.filter(strategy=loaded).update(imported_at=ten_days_ago)
    imported_on = timezone.localtime(ten_days_ago).date()
    assert sections(loaded, imported_on - dt.timedelta(days=1)) == (None, None)
    reach, equalities = sections(loaded, imported_on + dt.timedelta(days=1))
    for section in (reach, equalities):
        assert (
            section.paragraphs[0] == f"Carers' records as imported on {format_date(imported_on)}."
        )
    load(loaded, source="A Second Source")  # imported today: the pack as at 9 days ago says so
    reach, _ = sections(loaded, imported_on + dt.timedelta(days=1))
    assert reach.paragraphs[0].startswith(f"Carers' records as imported on {format_date(TODAY())}")
    assert "earlier imports are not kept" in reach.paragraphs[0]


def test_a_withheld_table_is_replaced_by_a_paragraph():
    shown = analyses.Table("a", "Shown", ("Thing", "Carers"), (("x", "10"),), ("Total", "10"))
    hidden = analyses.Table("b", "Hidden", ("Thing", "Carers"), (("y", "*"),), ("Total", "*"),
                            notes=("1 figure is shown as * because the count is between 1 and 7.",
                                   ), withheld=True)  # fmt: skip
    section = _section("k", "Title", ("t",), ("Intro.",), (shown, hidden), NHS)
    assert [t.caption for t in section.tables] == ["Shown"]
    assert section.tables[0].rows == (("x", "10"), ("Total", "10"))
    assert any(p.startswith("The table 'Hidden' is not shown") for p in section.paragraphs)


def test_the_sections_survive_an_issued_reports_snapshot(loaded):
    for section in sections(loaded):
        assert services.section_from_json(asdict(section)) == section


def test_the_demo_pack_carries_the_sections_and_meets_the_equalities_requirement(db):
    call_command("demo", password="demo-password-1", stdout=io.StringIO())
    demo = Strategy.objects.get(slug="caring-together")
    had_records = CarerSource.objects.filter(strategy=demo).exists()
    if not had_records:
        report = services.report_prepare(strategy=demo).report
        [requirement] = [r for r in report.requirements if r.topic == "equalities"]
        assert not requirement.met
        assert "Carers known and unknown" not in [s.title for s in report.sections]
    load(demo)
    draft = services.report_prepare(strategy=demo)
    report = draft.report
    titles = [s.title for s in report.sections]
    assert "Carers known and unknown" in titles and "Equalities" in titles
    [requirement] = [r for r in report.requirements if r.topic == "equalities"]
    assert requirement.met
    assert requirement.how == "the section 'Equalities' covers it."
    assert not any("equalities" in w.lower() for w in report.warnings)
    html = services.report_file(report, draft.data, "html").decode()
    assert "Carers known against 2021 census carers, by area" in html
    assert "Carers known, by race (ethnic group)" in html
    assert services.report_file(report, draft.data, "docx")[:2] == b"PK"


def test_a_requirement_on_equalities_is_met_by_the_section(loaded):
    [requirement] = make_report(
        sections=extra_sections(strategy=loaded, as_of=TODAY())
    ).requirements
    assert requirement.met and "Equalities" in requirement.how
    assert requirement.topic == "equalities"
