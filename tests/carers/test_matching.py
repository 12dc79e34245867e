"""Importing carers' records from several sources and counting each carer once: matched on the
NHS number, else on date of birth, postcode and surname initial when that is unambiguous; imports
all or nothing, re-imports replacing, the file not kept, every upload logged."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from caring.carers import pseudonym
from caring.carers.demo import census_demo_load
from caring.carers.models import (
    AccessLog,
    Carer,
    CarerRecord,
    CarerSource,
    PostcodeArea,
    SupportItem,
)
from caring.carers.services import (
    MATCHING_MISSES,
    ImportRefused,
    MatchReport,
    carers_import,
    match_carers,
    pseudonym_key,
    read_lookup,
    source_delete,
)
from caring.plans.models import Strategy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 1)
POSTCODES = {"S60 1CK": "E02001578", "S60 2AB": "E02001579", "S61 3XY": "E02001580",
             "S65 1ZZ": "E02001581"}  # fmt: skip
LOOKUP = ("pcds,msoa21cd\n" + "".join(f"{pc},{a}\n" for pc, a in POSTCODES.items())).encode()
HEADER = ["person_id", "nhs_number", "date_of_birth", "age", "initial", "sex", "ethnicity",
          "postcode", "area_code", "first_known", "pathway", "channel", "young_carer", "support",
          "support_value"]  # fmt: skip


def valid_nhs_numbers(count: int, start: int = 400_000_000) -> list[str]:
    found = []
    n = start
    while len(found) < count:
        for d in range(10):
            if pseudonym.nhs_number(f"{n:09d}{d}"):
                found.append(f"{n:09d}{d}")
        n += 7919
    return found


NHS = valid_nhs_numbers(12)


def extract(*rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, extrasaction="raise")
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return out.getvalue().encode()


def person(pid: str, **cells) -> dict:
    out = {"person_id": pid, "sex": "F", "ethnicity": "White British", "channel": "Digital",
           "pathway": "GP", "young_carer": "No"}  # fmt: skip
    out.update(cells)
    return out


def load(plan, name: str, *rows: dict, **options):
    options.setdefault("today", TODAY)
    options.setdefault("lookup", LOOKUP)
    options.setdefault("filename", f"{name.lower().replace(' ', '-')}.csv")
    return carers_import(strategy=plan, source_name=name, data=extract(*rows), **options)


def held(plan) -> dict:
    """Everything the carers' tables hold, to compare before and after."""
    return {
        "sources": sorted(CarerSource.objects.filter(strategy=plan).values_list(
            "slug", "records", "rows", "supports")),
        "records": sorted(CarerRecord.objects.values_list(
            "id", "source_id", "carer_id", "person_key", "nhs_key", "link_key", "ethnicity")),
        "supports": sorted(SupportItem.objects.values_list("id", "record_id", "kind")),
        "carers": sorted(Carer.objects.values_list(
            "id", "strategy_id", "sources", "matched_on", "ethnicity", "first_known")),
        "log": sorted(AccessLog.objects.values_list("id", "action", "subject")),
        "postcodes": sorted(PostcodeArea.objects.values_list("postcode", "area_code")),
    }  # fmt: skip


def media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.fixture
def census(db):
    census_demo_load()


@pytest.fixture
def plan(census):
    return Strategy.objects.create(title="Caring Together", slug="caring-together")


# Two sources that know some of the same people.
ASC = (
    person("ASC-1", nhs_number="943 476 5919", date_of_birth="1970-05-17", initial="S",
           postcode="S60 1CK", first_known="2023-05-01", pathway="GP", channel="Digital",
           ethnicity="", young_carer="No", support="Tech package", support_value="300"),
    person("ASC-2", date_of_birth="1958-02-03", initial="K", postcode="S60 2AB",
           first_known="2022-01-10", pathway="Crisis", channel="Telephone",
           ethnicity="Pakistani", sex="M"),
    person("ASC-3", nhs_number=NHS[0], date_of_birth="1980-07-07", initial="M",
           postcode="S61 3XY", first_known="2020-01-01"),
    person("ASC-4", age="45", area_code="E02001581"),
)  # fmt: skip
CROSSROADS = (
    person("CR-77", nhs_number="9434765919", date_of_birth="17/05/1970", initial="s",
           postcode="s60 1ck", first_known="2021-09-09", pathway="Coffee shop",
           channel="Face to face", ethnicity="White British", young_carer="Yes",
           support="Break"),
    person("CR-78", date_of_birth="03/02/1958", initial="k", postcode="S602AB",
           first_known="2024-02-02", pathway="Social event", channel="Online",
           ethnicity="Not stated", sex="M"),
    person("CR-79", nhs_number=NHS[1], date_of_birth="1980-07-07", initial="M",
           postcode="S61 3XY", first_known="2019-01-01"),
)  # fmt: skip


def carer_of(plan, source_slug: str, pid: str) -> Carer:
    key = pseudonym.keyed_hash(pseudonym_key(), pseudonym.PERSON, f"{source_slug}|{pid}")
    record = CarerRecord.objects.get(person_key=key, source__strategy=plan)
    return Carer.objects.get(pk=record.carer_id)


# --- matching ---------------------------------------------------------------------------------


def test_two_sources_are_matched_on_nhs_number_and_on_date_of_birth_postcode_and_initial(plan):
    first = load(plan, "Adult Social Care", *ASC)
    assert first.match == MatchReport(4, 4, 0, 0, 0, 1)
    second = load(plan, "Crossroads", *CROSSROADS)
    assert (second.records, second.rows, second.supports, second.replaced) == (3, 3, 1, 0)
    # 7 records: ASC-1 = CR-77 (NHS number), ASC-2 = CR-78 (date of birth, postcode, initial),
    # ASC-3 and CR-79 share those but have different NHS numbers, ASC-4 can't be matched.
    assert second.match == MatchReport(records=7, carers=5, by_nhs=2, by_link=2, ambiguous=0,
                                       unmatchable=1)  # fmt: skip
    assert Carer.objects.filter(strategy=plan).count() == 5
    assert CarerRecord.objects.count() == 7
    one = carer_of(plan, "adult-social-care", "ASC-1")
    assert one == carer_of(plan, "crossroads", "CR-77")
    assert (one.sources, one.matched_on) == (2, "nhs")
    two = carer_of(plan, "adult-social-care", "ASC-2")
    assert two == carer_of(plan, "crossroads", "CR-78")
    assert (two.sources, two.matched_on) == (2, "link")
    three, other = carer_of(plan, "adult-social-care", "ASC-3"), carer_of(plan, "crossroads",
                                                                          "CR-79")  # fmt: skip
    assert three != other
    assert (three.sources, three.matched_on, other.sources, other.matched_on) == (1, "", 1, "")
    assert carer_of(plan, "adult-social-care", "ASC-4").matched_on == ""
    source = CarerSource.objects.get(strategy=plan, slug="crossroads")
    assert source.report["match"] == second.match.as_dict()
    assert "7 records are 5 carers once matched" in second.match.summary


def test_each_carer_is_numbered_by_its_smallest_record_and_every_record_points_to_it(plan):
    load(plan, "Adult Social Care", *ASC)
    load(plan, "Crossroads", *CROSSROADS)
    by_carer = defaultdict(list)
    for record_id, carer_id in CarerRecord.objects.values_list("id", "carer_id"):
        by_carer[carer_id].append(record_id)
    assert set(by_carer) == set(Carer.objects.values_list("id", flat=True))
    assert all(carer_id == min(ids) for carer_id, ids in by_carer.items())
    assert sorted(len(ids) for ids in by_carer.values()) == [1, 1, 1, 2, 2]


def test_merged_attributes(plan):
    load(plan, "Adult Social Care", *ASC)
    load(plan, "Crossroads", *CROSSROADS)
    one = carer_of(plan, "crossroads", "CR-77")
    assert one.first_known == dt.date(2021, 9, 9)  # the earliest
    assert one.pathway == "coffee_shop"  # that of the record first known
    assert one.channel == "both"  # digital in one, face to face in the other
    assert one.ethnicity == "white_british"  # known beats not known, though ASC comes first
    assert one.young_carer is True  # a young carer in any source
    assert (one.age_band, one.area_code, one.sex) == ("50_to_64", "E02001578", "female")
    two = carer_of(plan, "crossroads", "CR-78")
    assert two.first_known == dt.date(2022, 1, 10)
    assert two.pathway == "crisis"
    assert two.channel == "both"  # telephone and online
    assert two.ethnicity == "asian_pakistani"  # "Not stated" does not override
    assert two.young_carer is False


def test_the_same_channel_in_both_sources_stays_that_channel(plan):
    load(plan, "Adult Social Care", person("A", nhs_number=NHS[2], age="30", area_code="E02001578",
                                           channel="Online"))  # fmt: skip
    load(plan, "Crossroads", person("B", nhs_number=NHS[2], age="30", area_code="E02001578",
                                    channel="Digital"))  # fmt: skip
    (carer,) = Carer.objects.filter(strategy=plan)
    assert (carer.channel, carer.matched_on, carer.sources) == ("digital", "nhs", 2)


def test_a_person_given_only_an_age_is_matched_by_nhs_number_alone(plan):
    load(plan, "Adult Social Care", person("A", nhs_number=NHS[3], age="30", area_code="E02001578"))
    report = load(plan, "Crossroads", person("B", nhs_number=NHS[3], date_of_birth="1995-06-01",
                                              initial="Q", postcode="S60 1CK")).match  # fmt: skip
    assert report == MatchReport(2, 1, 2, 0, 0, 0)


def test_different_nhs_numbers_with_the_same_date_of_birth_postcode_and_initial_are_two(plan):
    same = {"date_of_birth": "1990-01-01", "initial": "J", "postcode": "S65 1ZZ"}
    load(plan, "Adult Social Care", person("A", nhs_number=NHS[4], **same))
    report = load(plan, "Crossroads", person("B", nhs_number=NHS[5], **same)).match
    assert (report.records, report.carers, report.by_nhs, report.by_link) == (2, 2, 0, 0)
    assert Carer.objects.filter(strategy=plan).count() == 2


def test_a_record_without_nhs_number_is_not_joined_to_two_people_with_different_ones(plan):
    same = {"date_of_birth": "1990-01-01", "initial": "J", "postcode": "S65 1ZZ"}
    load(plan, "Adult Social Care", person("A", nhs_number=NHS[4], **same))
    load(plan, "Crossroads", person("B", nhs_number=NHS[5], **same))
    report = load(plan, "Barnardos", person("C", **same)).match
    assert (report.records, report.carers, report.by_link, report.ambiguous) == (3, 3, 0, 1)


def test_a_person_joined_on_both_is_matched_on_nhs_and_link(plan):
    born = {"date_of_birth": "1962-11-30", "postcode": "S61 3XY"}
    load(plan, "Adult Social Care", person("A", nhs_number=NHS[6], initial="W", **born))
    load(plan, "Crossroads", person("B", nhs_number=NHS[6], **born))  # no initial: no link
    report = load(plan, "Barnardos", person("C", initial="w", **born)).match  # no NHS number
    assert report == MatchReport(records=3, carers=1, by_nhs=2, by_link=1, ambiguous=0,
                                 unmatchable=0)  # fmt: skip
    (carer,) = Carer.objects.filter(strategy=plan)
    assert (carer.sources, carer.matched_on) == (3, "nhs+link")


def test_twins_known_together_to_one_source_are_not_merged_and_are_ambiguous(plan):
    twin = {"date_of_birth": "2010-03-03", "initial": "T", "postcode": "S65 1ZZ"}
    load(plan, "Barnardos", person("T1", **twin), person("T2", **twin))
    report = load(plan, "School Nurse", person("X9", **twin)).match
    assert (report.records, report.carers, report.by_nhs, report.by_link) == (3, 3, 0, 0)
    assert report.ambiguous == 3  # all three records were left apart
    assert "3 were left apart because more than one person matched" in report.summary
    assert set(Carer.objects.filter(strategy=plan).values_list("matched_on", flat=True)) == {""}
    assert Carer.objects.filter(strategy=plan, young_carer=True).count() == 3  # aged 15


def test_twins_each_known_to_one_source_only_are_joined_as_the_limits_say(plan):
    twin = {"date_of_birth": "2010-03-03", "initial": "T", "postcode": "S65 1ZZ"}
    load(plan, "Barnardos", person("T1", **twin))
    report = load(plan, "School Nurse", person("T2", **twin)).match
    assert (report.carers, report.by_link, report.ambiguous) == (1, 2, 0)
    assert "twins" in MATCHING_MISSES


def test_matching_again_changes_nothing(plan):
    load(plan, "Adult Social Care", *ASC)
    load(plan, "Crossroads", *CROSSROADS)
    before = held(plan)
    report = match_carers(plan)
    assert report == MatchReport(7, 5, 2, 2, 0, 1)
    assert held(plan) == before


def test_strategies_are_matched_apart(plan):
    other = Strategy.objects.create(title="Another plan", slug="another")
    load(plan, "Adult Social Care", *ASC)
    report = load(other, "Crossroads", *CROSSROADS).match
    assert (report.records, report.carers) == (3, 3)
    assert Carer.objects.filter(strategy=plan).count() == 4
    assert Carer.objects.filter(strategy=other).count() == 3


# --- re-imports and deleting a source ---------------------------------------------------------


def test_re_importing_a_source_replaces_its_records(plan):
    load(plan, "Adult Social Care", *ASC)
    load(plan, "Crossroads", *CROSSROADS)
    before = held(plan)
    again = load(plan, "Adult Social Care", *ASC)
    assert again.replaced == 4 and again.records == 4
    assert again.match == MatchReport(7, 5, 2, 2, 0, 1)
    assert CarerRecord.objects.count() == 7
    assert SupportItem.objects.count() == 2
    assert Carer.objects.filter(strategy=plan).count() == 5
    assert CarerSource.objects.filter(strategy=plan).count() == 2
    after = held(plan)
    assert after["sources"] == before["sources"]
    assert sorted(r[3:] for r in after["records"]) == sorted(r[3:] for r in before["records"])
    assert "replacing the 4 held before" in again.summary


def test_re_importing_fewer_people_leaves_only_them(plan):
    load(plan, "Adult Social Care", *ASC)
    load(plan, "Crossroads", *CROSSROADS)
    report = load(plan, "Adult Social Care", ASC[0]).match
    assert report == MatchReport(4, 3, 2, 0, 0, 0)
    assert CarerSource.objects.get(slug="adult-social-care").records == 1


def test_deleting_a_source_removes_its_records_and_matches_again(plan):
    load(plan, "Adult Social Care", *ASC)
    load(plan, "Crossroads", *CROSSROADS)
    assert source_delete(strategy=plan, slug="crossroads") == "Crossroads"
    assert not CarerSource.objects.filter(slug="crossroads").exists()
    assert CarerRecord.objects.count() == 4
    assert SupportItem.objects.count() == 1
    carers = Carer.objects.filter(strategy=plan)
    assert carers.count() == 4
    assert set(carers.values_list("matched_on", flat=True)) == {""}
    one = carer_of(plan, "adult-social-care", "ASC-1")
    assert (one.first_known, one.channel, one.ethnicity, one.young_carer) == (
        dt.date(2023, 5, 1), "digital", "not_known", False)  # fmt: skip
    assert AccessLog.objects.filter(strategy=plan, action="delete", subject="Crossroads").exists()


def test_deleting_a_source_that_is_not_there_is_refused(plan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        source_delete(strategy=plan, slug="nobody")


# --- all or nothing, the file not kept, the access log ----------------------------------------


def test_one_bad_row_among_good_ones_leaves_the_database_as_it_was(plan):
    before = held(plan)
    media = media_files()
    rows = [*ASC[:3], person("BAD", nhs_number="1234567890", date_of_birth="1970-01-01",
                             postcode="S60 1CK"), ASC[3]]  # fmt: skip
    lookup = LOOKUP + b"S66 9QQ,E02001582\n"
    with pytest.raises(ImportRefused) as info:
        load(plan, "Adult Social Care", *rows, lookup=lookup)
    problems = info.value.problems
    assert [(x.row, x.field) for x in problems] == [(5, "nhs_number")]
    assert held(plan) == before
    assert not CarerSource.objects.exists() and not CarerRecord.objects.exists()
    assert not Carer.objects.exists() and not AccessLog.objects.exists()
    assert not PostcodeArea.objects.filter(postcode="S669QQ").exists()
    assert media_files() == media


def test_a_bad_re_import_keeps_what_the_source_gave_before(plan):
    load(plan, "Adult Social Care", *ASC)
    load(plan, "Crossroads", *CROSSROADS)
    before = held(plan)
    with pytest.raises(ImportRefused):
        load(plan, "Crossroads", CROSSROADS[0], person("Z", date_of_birth="2099-01-01",
                                                        postcode="S60 1CK"))  # fmt: skip
    assert held(plan) == before


def test_a_missing_column_refuses_the_whole_file(plan):
    data = b"nhs_number,date_of_birth,postcode\n9434765919,1970-05-17,S60 1CK\n"
    with pytest.raises(ImportRefused) as info:
        carers_import(strategy=plan, source_name="ASC", data=data, filename="asc.csv",
                      today=TODAY, lookup=LOOKUP)  # fmt: skip
    (problem,) = info.value.problems
    assert "asc.csv" in problem.message and "no column for person id" in problem.message
    assert not CarerSource.objects.exists() and not AccessLog.objects.exists()


def test_an_unknown_label_is_refused_unless_agreed(plan):
    rows = (person("A", age="40", area_code="E02001578", ethnicity="Martian"),
            person("B", age="41", area_code="E02001578"))  # fmt: skip
    with pytest.raises(ImportRefused) as info:
        load(plan, "ASC", *rows)
    assert [(x.row, x.field) for x in info.value.problems] == [(2, "ethnicity")]
    assert not CarerRecord.objects.exists()
    result = load(plan, "ASC", *rows, unknown_as_not_known=True)
    assert result.records == 2
    assert len(result.warnings) == 1 and "'Martian'" in result.warnings[0]
    assert "on 1 row" in result.warnings[0]
    assert CarerSource.objects.get(slug="asc").report["warnings"] == list(result.warnings)
    assert sorted(Carer.objects.values_list("ethnicity", flat=True)) == [
        "not_known",
        "white_british",
    ]


def test_names_in_the_file_are_dropped_and_the_report_says_so(plan):
    data = (b"person_id,surname,forename,address,date_of_birth,postcode\n"
            b"N1,Featherstonehaugh,Wilhelmina,12 Acacia Avenue,1970-05-17,S60 1CK\n")  # fmt: skip
    result = carers_import(strategy=plan, source_name="ASC", data=data, filename="asc.csv",
                           today=TODAY, lookup=LOOKUP)  # fmt: skip
    assert any("'surname'" in n and "'address'" in n and "dropped" in n for n in result.notes)
    assert CarerSource.objects.get(slug="asc").report["notes"] == list(result.notes)
    stored = repr(held(plan)) + repr(list(CarerRecord.objects.values_list()))
    assert "Featherstone" not in stored and "Acacia" not in stored and "Wilhelmina" not in stored


def test_a_file_over_the_size_limit_is_refused(plan):
    data = extract(*ASC)
    with (
        override_settings(CARING_CARERS_MAX_BYTES=len(data) - 1),
        pytest.raises(ImportRefused) as info,
    ):
        load(plan, "Adult Social Care", *ASC)
    assert "over the" in info.value.problems[0].message
    assert "limit" in info.value.problems[0].message
    assert not CarerSource.objects.exists() and not AccessLog.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "!!!", "x" * 101])
def test_a_source_needs_a_name(plan, name):
    with pytest.raises(ImportRefused):
        carers_import(strategy=plan, source_name=name, data=extract(*ASC), filename="a.csv",
                      today=TODAY, lookup=LOOKUP)  # fmt: skip
    assert not CarerSource.objects.exists()


def test_a_bad_lookup_refuses_the_import(plan):
    with pytest.raises(ImportRefused) as info:
        load(plan, "ASC", *ASC, lookup=b"pcds,msoa21cd\nnot a postcode,E02001578\n")
    assert "not a postcode and an area code" in info.value.problems[0].message
    assert held(plan)["sources"] == [] and not PostcodeArea.objects.exists()
    with pytest.raises(ImportRefused):
        load(plan, "ASC", *ASC, lookup=b"postcode_only\nS60 1CK\n")


def test_the_lookup_is_kept_for_later_imports(plan):
    load(plan, "Adult Social Care", *ASC)
    assert PostcodeArea.objects.get(postcode="S601CK").area_code == "E02001578"
    result = load(plan, "Crossroads", *CROSSROADS, lookup=None)
    assert result.records == 3


def test_read_lookup():
    assert read_lookup(LOOKUP) == {pc.replace(" ", ""): area for pc, area in POSTCODES.items()}
    assert read_lookup(b"PCD,MSOA11CD\ns60 1ck,E02001578\n") == {"S601CK": "E02001578"}


def test_read_lookup_takes_a_lower_case_area_code():
    assert read_lookup(b"pcds,msoa21cd\ns60 1ck,e02001578\n") == {"S601CK": "E02001578"}


def test_the_uploaded_file_is_not_kept_and_the_upload_is_logged(plan):
    user = UserFactory(username="dataofficer")
    media = media_files()
    load(plan, "Adult Social Care", *ASC, user=user, filename="asc-extract.csv")
    assert media_files() == media
    (log,) = AccessLog.objects.filter(strategy=plan)
    assert (log.action, log.subject, log.user, log.via) == (
        "upload", "Adult Social Care", user, "command")  # fmt: skip
    assert "asc-extract.csv" in log.detail and "4 records" in log.detail
    source = CarerSource.objects.get(strategy=plan)
    assert (source.filename, source.imported_by, source.rows, source.records) == (
        "asc-extract.csv", user, 4, 4)  # fmt: skip
    assert source.extract_date == TODAY
    load(plan, "Crossroads", *CROSSROADS, via="web")
    assert AccessLog.objects.filter(strategy=plan, action="upload").count() == 2
    assert AccessLog.objects.filter(via="web", user=None).count() == 1


def test_nothing_stored_holds_a_raw_identifier(plan):
    load(plan, "Adult Social Care", *ASC)
    load(plan, "Crossroads", *CROSSROADS)
    stored = (
        repr(list(CarerRecord.objects.values_list()))
        + repr(list(Carer.objects.values_list()))
        + repr(list(CarerSource.objects.values_list()))
    )
    for raw in ["9434765919", "943 476 5919", NHS[0], NHS[1], "ASC-1", "CR-77", "S60 1CK",
                "S601CK", "1970-05-17", "17/05/1970"]:  # fmt: skip
        assert raw not in stored, raw


# --- any population, split across sources -----------------------------------------------------

DATES = [dt.date(1950, 1, 1), dt.date(1950, 1, 2), dt.date(1985, 6, 30)]
INITIALS = ["A", "B"]
SOURCES = ["Adult Social Care", "Crossroads", "Barnardos"]


@st.composite
def populations(draw):
    """People (distinct date of birth/postcode/initial, distinct NHS numbers) and, for each,
    the sources that know them and how: with the NHS number or not, with the initial or not
    (without it there is no link key), always so that the person's records can be joined."""
    triples = draw(st.lists(
        st.tuples(st.sampled_from(DATES), st.sampled_from(sorted(POSTCODES)),
                  st.sampled_from(INITIALS)),
        min_size=1, max_size=6, unique=True))  # fmt: skip
    n_sources = draw(st.integers(2, 3))
    people = []
    for i, (dob, postcode, letter) in enumerate(triples):
        known = draw(st.lists(st.integers(0, n_sources - 1), min_size=1, max_size=n_sources,
                              unique=True))  # fmt: skip
        ways = []
        for _ in known:
            has_nhs, has_link = draw(st.sampled_from([(True, True), (True, False),
                                                      (False, True)]))  # fmt: skip
            if len(known) == 1:
                has_nhs, has_link = draw(st.booleans()), draw(st.booleans())
            ways.append([has_nhs, has_link])
        joined = any(n and k for n, k in ways) or all(n for n, _ in ways) or all(
            k for _, k in ways)  # fmt: skip
        if not joined:
            ways[0] = [True, True]
        supports = draw(st.lists(st.sampled_from(["Break", "Tech package", ""]), min_size=1,
                                 max_size=2))  # fmt: skip
        people.append({"index": i, "dob": dob, "postcode": postcode, "initial": letter,
                       "nhs": NHS[i], "known": dict(zip(known, ways, strict=True)),
                       "supports": supports})  # fmt: skip
    return n_sources, people


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(population=populations(), shuffle=st.randoms(use_true_random=False))
def test_any_population_split_across_sources_is_matched_back_to_its_people(plan, population,
                                                                          shuffle):  # fmt: skip
    n_sources, people = population
    with transaction.atomic():
        truth: dict[str, int] = {}  # person key -> the true person
        expected_records = 0
        report = None
        for s in range(n_sources):
            name = SOURCES[s]
            slug = name.lower().replace(" ", "-")
            rows = []
            for who in people:
                if s not in who["known"]:
                    continue
                has_nhs, has_link = who["known"][s]
                pid = f"{slug[:3].upper()}{who['index']:03d}"
                truth[pseudonym.keyed_hash(pseudonym_key(), pseudonym.PERSON,
                                           f"{slug}|{pid}")] = who["index"]  # fmt: skip
                expected_records += 1
                for kind in who["supports"]:
                    rows.append(person(
                        pid, nhs_number=who["nhs"] if has_nhs else "",
                        date_of_birth=who["dob"].strftime("%d/%m/%Y" if s % 2 else "%Y-%m-%d"),
                        initial=who["initial"] if has_link else "", postcode=who["postcode"],
                        support=kind))  # fmt: skip
            if not rows:
                continue
            shuffle.shuffle(rows)
            report = load(plan, name, *rows).match
        assert report is not None
        assert report.records == expected_records == CarerRecord.objects.count()
        assert report.carers == len(people) == Carer.objects.filter(strategy=plan).count()
        assert report.ambiguous == 0
        people_of_carer = defaultdict(set)
        sources_of_carer = defaultdict(set)
        for key, carer_id, source_id in CarerRecord.objects.values_list(
            "person_key", "carer_id", "source_id"
        ):
            people_of_carer[carer_id].add(truth[key])
            sources_of_carer[carer_id].add(source_id)
        assert all(len(who) == 1 for who in people_of_carer.values()), people_of_carer
        assert sorted(next(iter(w)) for w in people_of_carer.values()) == list(range(len(people)))
        for carer in Carer.objects.filter(strategy=plan):
            (index,) = people_of_carer[carer.id]
            assert carer.sources == len(people[index]["known"]) == len(sources_of_carer[carer.id])
            assert carer.area_code == POSTCODES[people[index]["postcode"]]
        transaction.set_rollback(True)
