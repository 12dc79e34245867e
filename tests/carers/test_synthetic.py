"""``caring.carers.synthetic``: the same bytes for a seed, NHS numbers only from the test range,
every coded value one the vocabularies know, postcodes that cannot be real, census areas only,
and people known to two sources written the same way in both."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict

import pytest

from caring.carers import pseudonym, synthetic, vocab
from caring.carers.records_reader import CarersReader

TODAY = dt.date(2026, 5, 1)
SEED = 2026
PERSON_FIELDS = (
    "nhs_number", "date_of_birth", "age", "initial", "surname", "forename", "sex", "ethnicity",
    "disability", "religion", "sexual_orientation", "postcode", "area_code", "first_known",
    "pathway", "channel", "social_contact", "relationship", "young_carer",
)  # fmt: skip
CENSUS = {code for code, _ in synthetic.census_areas()}


@pytest.fixture(scope="module")
def demo():
    return synthetic.demo_sources(SEED, TODAY)


@pytest.fixture(scope="module")
def lookup() -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(synthetic.postcode_lookup_csv(SEED).decode()))
    return {row["pcds"]: row["msoa21cd"] for row in rows}


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def people_of(data: bytes) -> dict[str, dict[str, str]]:
    """Each person's fields (from their first row), checking every row of a person agrees."""
    people: dict[str, dict[str, str]] = {}
    for row in rows_of(data):
        mine = {k: v for k, v in row.items() if k in PERSON_FIELDS}
        seen = people.setdefault(row["person_id"], mine)
        assert seen == mine, f"{row['person_id']}: rows disagree"
    return people


def norm_postcode(text: str) -> str:
    said = text.replace(" ", "").upper()
    return f"{said[:-3]} {said[-3:]}" if said else ""


def initial_of(person: dict[str, str]) -> str:
    return (person.get("initial") or person.get("surname") or "")[:1].upper()


def check_nhs(number: str) -> bool:
    """The modulus 11 check, written out again independently of the code under test."""
    digits = [int(d) for d in number]
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


# --- the same bytes for a seed -------------------------------------------------------------------
def test_the_demo_is_the_same_for_a_seed_and_differs_for_another(demo):
    again = synthetic.demo_sources(SEED, TODAY)
    assert [(s.name, s.csv, s.people, s.rows) for s in again] == [
        (s.name, s.csv, s.people, s.rows) for s in demo
    ]
    other = synthetic.demo_sources(SEED + 1, TODAY)
    assert [s.csv for s in other] != [s.csv for s in demo]
    assert synthetic.postcode_lookup_csv(SEED) == synthetic.postcode_lookup_csv(SEED)


def test_the_bench_is_the_same_for_a_seed():
    assert synthetic.bench_csv(2_000, 7, TODAY) == synthetic.bench_csv(2_000, 7, TODAY)
    assert synthetic.bench_csv(2_000, 7, TODAY) != synthetic.bench_csv(2_000, 8, TODAY)
    first, second = (
        synthetic.bench_sources(3_000, 7, TODAY),
        synthetic.bench_sources(3_000, 7, TODAY),
    )
    assert [s.csv for s in first] == [s.csv for s in second]


def test_the_note_says_the_people_are_invented():
    assert "invented" in synthetic.SYNTHETIC_NOTE and "not real" in synthetic.SYNTHETIC_NOTE


# --- sizes and shapes ----------------------------------------------------------------------------
def test_three_sources_of_about_the_sizes_asked_for(demo):
    assert [s.name for s in demo] == list(synthetic.SOURCE_NAMES)
    assert [s.people for s in demo] == [2400, 700, 260]
    assert [s.shared for s in demo] == [0, 200, 40]
    for source in demo:
        rows = rows_of(source.csv)
        assert len(rows) == source.rows > source.people
        assert len(people_of(source.csv)) == source.people
        assert source.filename.endswith(".csv") and "'" not in source.filename


def test_each_source_writes_in_its_own_style(demo):
    asc, crossroads, barnardos = (rows_of(s.csv) for s in demo)
    assert {"initial"} <= set(asc[0]) and "surname" not in asc[0]
    assert {"surname", "forename"} <= set(crossroads[0]) and "initial" not in crossroads[0]
    assert {"J", "H", "A"} <= {r["ethnicity"] for r in asc}
    assert {"White British", "Pakistani", "Not stated"} <= {r["ethnicity"] for r in crossroads}
    labels = {vocab.ETHNICITY.label(c) for c in vocab.ETHNICITY.codes}
    assert {r["ethnicity"] for r in barnardos} <= labels | {"Not stated"}
    assert any(r["ethnicity"] == "Not stated" for r in barnardos)
    for rows in (asc, crossroads, barnardos):
        assert any(
            v == ""
            for r in rows
            for k, v in r.items()
            if k in ("religion", "disability", "sexual_orientation")
        )


def test_nhs_numbers_are_held_for_about_the_shares_asked_for(demo):
    shares = []
    for source in demo:
        people = people_of(source.csv).values()
        shares.append(sum(1 for p in people if p["nhs_number"]) / len(people))
    assert 0.8 <= shares[0] <= 0.9
    assert 0.22 <= shares[1] <= 0.38
    assert 0.42 <= shares[2] <= 0.58


def test_sex_is_about_60_percent_female_and_young_carers_are_5_to_17(demo):
    everyone = [p for s in demo for p in people_of(s.csv).values()]
    female = sum(1 for p in everyone if vocab.SEX.code(p["sex"]) == "female") / len(everyone)
    assert 0.55 <= female <= 0.65
    for person in people_of(demo[2].csv).values():
        born = dt.date.fromisoformat(person["date_of_birth"])
        age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
        assert 5 <= age <= 17 and person["young_carer"] == "Yes"


def test_first_known_and_support_dates_are_from_april_2017_to_today(demo):
    for source in demo:
        for row in rows_of(source.csv):
            first = dt.date.fromisoformat(row["first_known"])
            assert synthetic.FIRST_KNOWN_FROM <= first <= TODAY
            if row["date_of_birth"]:
                assert first >= dt.date.fromisoformat(row["date_of_birth"])
            if row["support_date"]:
                assert first <= dt.date.fromisoformat(row["support_date"]) <= TODAY


def test_support_per_source(demo):
    asc, crossroads, barnardos = (rows_of(s.csv) for s in demo)
    kinds = [{vocab.SUPPORT.code(r["support"]) for r in rows if r["support"]}
             for rows in (asc, crossroads, barnardos)]  # fmt: skip
    assert kinds[0] == {"assessment", "direct_payment", "information_advice", "at_grant",
                        "tech_package"}  # fmt: skip
    assert kinds[1] == {"break", "training_course", "information_advice"}
    assert kinds[2] == {"assessment", "break"}
    grants = [
        float(r["support_value"]) for r in asc if r["support"] == "Assistive technology grant"
    ]
    assert grants and all(100 <= g <= 600 for g in grants)
    handover = [r["training_at_handover"] for r in asc if r["support"] == "Tech package"]
    assert set(handover) == {"Yes", "No"}
    assert 0.5 <= handover.count("Yes") / len(handover) <= 0.7
    assert all(not r["training_at_handover"] for r in asc if r["support"] != "Tech package")
    assert all(
        r["support_value"] for r in crossroads if r["support"] in ("Break", "Training course")
    )


# --- NHS numbers ---------------------------------------------------------------------------------
def test_every_nhs_number_is_in_the_test_range_with_a_valid_check_digit(demo):
    numbers = [r["nhs_number"] for s in demo for r in rows_of(s.csv) if r["nhs_number"]]
    numbers += [r["nhs_number"] for r in rows_of(synthetic.bench_csv(5_000, 3, TODAY))
                if r["nhs_number"]]  # fmt: skip
    assert len(numbers) > 3_000
    for said in numbers:
        digits = said.replace(" ", "")
        assert len(digits) == 10 and digits.isdigit() and digits.startswith("999"), said
        assert check_nhs(digits), said
        assert pseudonym.nhs_number(said) == digits
        assert synthetic.nhs_number_valid(said)


def test_the_check_digit_helpers():
    assert synthetic.nhs_check_digit("943476591") == 9  # NHS Digital's worked example
    assert synthetic.nhs_number_valid("943 476 5919")
    assert not synthetic.nhs_number_valid("9434765918")
    assert not synthetic.nhs_number_valid("94347659")


def test_people_have_distinct_nhs_numbers_within_a_source(demo):
    for source in demo:
        held = [p["nhs_number"].replace(" ", "") for p in people_of(source.csv).values()
                if p["nhs_number"]]  # fmt: skip
        assert len(held) == len(set(held))


# --- coded values --------------------------------------------------------------------------------
def coded_values_known(rows: list[dict[str, str]]) -> None:
    for row in rows:
        for name, words in vocab.CODED.items():
            if name in row:
                assert words.code(row[name]) is not None, (name, row[name])
        if row.get("support"):
            assert vocab.SUPPORT.code(row["support"]) is not None, row["support"]
        for name in ("young_carer", "training_at_handover"):
            assert row.get(name, "") in ("", "Yes", "No"), (name, row[name])


def test_every_coded_value_maps_through_the_vocabularies(demo):
    for source in demo:
        coded_values_known(rows_of(source.csv))
    coded_values_known(rows_of(synthetic.bench_csv(5_000, 3, TODAY)))
    for source in synthetic.bench_sources(5_000, 3, TODAY):
        coded_values_known(rows_of(source.csv))


def test_the_demo_uses_most_of_each_vocabulary(demo):
    rows = [r for s in demo for r in rows_of(s.csv)]
    for name in ("ethnicity", "pathway", "channel", "social_contact", "relationship", "religion"):
        used = {vocab.CODED[name].code(r[name]) for r in rows}
        assert len(used) >= min(6, len(vocab.CODED[name].codes) - 1), name
    contact = Counter(vocab.SOCIAL_CONTACT.code(r["social_contact"]) for r in rows)
    assert 0.22 <= contact["isolated"] / sum(contact.values()) <= 0.38


def test_male_carers_are_more_often_digital(demo):
    people = [p for s in demo for p in people_of(s.csv).values()]
    share = {}
    for sex in ("male", "female"):
        mine = [p for p in people if vocab.SEX.code(p["sex"]) == sex]
        share[sex] = sum(1 for p in mine if vocab.CHANNEL.code(p["channel"]) == "digital") / len(
            mine
        )
    assert share["male"] > share["female"] + 0.05


# --- postcodes and areas -------------------------------------------------------------------------
def check_postcode(said: str) -> None:
    code = pseudonym.postcode(said)
    assert code is not None, said
    outward, inward = code[:-3], code[-3:]
    assert outward in synthetic.OUTWARD_CODES, said
    assert inward[0].isdigit() and set(inward[1:]) <= set("CIKMOV"), said


def test_postcodes_cannot_be_real_and_are_all_in_the_lookup(demo, lookup):
    assert lookup and set(lookup.values()) == CENSUS
    for said in lookup:
        check_postcode(said)
    used = set()
    for source in demo:
        for row in rows_of(source.csv):
            if row.get("postcode"):
                check_postcode(row["postcode"])
                used.add(norm_postcode(row["postcode"]))
            if row.get("area_code"):
                assert row["area_code"] in CENSUS
            assert row.get("postcode") or row.get("area_code")
    assert used <= set(lookup)
    per_area = Counter(lookup.values())
    assert set(per_area.values()) == {synthetic.DEMO_PER_AREA}


def test_the_bench_lookup_covers_the_bench_postcodes():
    rows = csv.DictReader(io.StringIO(synthetic.bench_lookup_csv(3).decode()))
    lookup = {row["pcds"]: row["msoa21cd"] for row in rows}
    assert len(lookup) == len(CENSUS) * synthetic.BENCH_PER_AREA
    for row in rows_of(synthetic.bench_csv(5_000, 3, TODAY)):
        check_postcode(row["postcode"])
        assert lookup[row["postcode"]] == row["area_code"] and row["area_code"] in CENSUS


def test_areas_are_weighted_by_census_carers(demo, lookup):
    people = [p for s in demo[:2] for p in people_of(s.csv).values()]
    areas = Counter(lookup[norm_postcode(p["postcode"])] for p in people)
    carers = dict(synthetic.census_areas())
    assert set(areas) == CENSUS
    biggest, smallest = max(carers, key=carers.get), min(carers, key=carers.get)
    assert areas[biggest] > areas[smallest]


def test_barnardos_gives_area_codes_except_for_those_known_to_adult_social_care(demo):
    asc_nhs = {p["nhs_number"] for p in people_of(demo[0].csv).values() if p["nhs_number"]}
    for person in people_of(demo[2].csv).values():
        shared = person["nhs_number"] in asc_nhs
        assert bool(person["postcode"]) == shared and bool(person["area_code"]) != shared


# --- people known to two sources -----------------------------------------------------------------
def link(person: dict[str, str]) -> tuple[str, str, str]:
    return person["date_of_birth"], norm_postcode(person["postcode"]), initial_of(person)


def test_people_known_to_two_sources_are_written_the_same_way(demo):
    asc, crossroads, barnardos = (people_of(s.csv) for s in demo)
    asc_by_link = {link(p): p for p in asc.values()}
    asc_by_nhs = {p["nhs_number"]: p for p in asc.values() if p["nhs_number"]}
    shared = [(asc_by_link[link(p)], p) for p in crossroads.values()
              if p["date_of_birth"] and link(p) in asc_by_link]  # fmt: skip
    assert 195 <= len(shared) <= 205
    both_nhs = 0
    for mine, theirs in shared:
        assert vocab.SEX.code(mine["sex"]) == vocab.SEX.code(theirs["sex"])
        if mine["nhs_number"] and theirs["nhs_number"]:
            assert mine["nhs_number"] == theirs["nhs_number"].replace(" ", "")
            both_nhs += 1
    assert 20 <= both_nhs <= 100
    young = [p for p in barnardos.values() if p["nhs_number"] in asc_by_nhs]
    assert len(young) == 40
    for theirs in young:
        mine = asc_by_nhs[theirs["nhs_number"]]
        assert link(mine) == link(theirs)
        assert vocab.SEX.code(mine["sex"]) == vocab.SEX.code(theirs["sex"])
        assert mine["young_carer"] == "Yes"
    # Nobody else shares an NHS number across sources.
    crossroads_nhs = {p["nhs_number"].replace(" ", "") for p in crossroads.values()} - {""}
    assert crossroads_nhs & set(asc_by_nhs) == {
        m["nhs_number"] for m, t in shared if m["nhs_number"] and t["nhs_number"]
    }


def test_bench_sources_overlap_consistently():
    sources = synthetic.bench_sources(30_000, 5, TODAY)
    assert [s.name for s in sources] == list(synthetic.SOURCE_NAMES)
    assert sum(s.rows for s in sources) == 30_000
    people = [people_of(s.csv) for s in sources]
    for source, mine in zip(sources, people, strict=True):
        assert len(mine) == source.people
        assert len(rows_of(source.csv)) == source.rows
    seen: dict[tuple, list] = defaultdict(list)
    for i, mine in enumerate(people):
        for person in mine.values():
            seen[link(person)].append((i, person))
    shared = [v for v in seen.values() if len({i for i, _ in v}) > 1]
    distinct = len(seen)
    assert sources[0].shared == 0
    # Some people are known to all three; a very few different people share a link by chance.
    assert abs(sum(len(v) - 1 for v in shared) - sum(s.shared for s in sources)) <= 5
    assert abs(distinct - (sum(s.people for s in sources) - sum(s.shared for s in sources))) <= 5
    assert 0.10 <= len(shared) / distinct <= 0.20
    for known in shared:
        assert len({vocab.SEX.code(p["sex"]) for _, p in known}) == 1
        assert len({p["area_code"] for _, p in known}) == 1
        held = {p["nhs_number"] for _, p in known} - {""}
        assert len(held) <= 1


# --- the benchmark extract -----------------------------------------------------------------------
def test_bench_csv_has_the_rows_asked_for():
    data = synthetic.bench_csv(10_000, 1, TODAY)
    rows = rows_of(data)
    assert len(rows) == 10_000
    assert data.count(b"\n") == 10_001
    per_person = Counter(r["person_id"] for r in rows)
    several = sum(1 for n in per_person.values() if n > 1) / len(per_person)
    assert 0.15 <= several <= 0.25 and max(per_person.values()) == 3
    people = people_of(data)
    nhs = sum(1 for p in people.values() if p["nhs_number"]) / len(people)
    assert 0.55 <= nhs <= 0.65
    assert all(p["postcode"] and p["area_code"] for p in people.values())


@pytest.mark.parametrize("n", [1, 2, 3, 17])
def test_bench_csv_gives_exactly_n_rows_even_when_small(n):
    assert len(rows_of(synthetic.bench_csv(n, 1, TODAY))) == n


# --- through the reader --------------------------------------------------------------------------
def read(data: bytes, filename: str, lookup: dict[str, str]):
    reader = CarersReader(
        data, filename, key=b"k" * 32, source="test", today=TODAY,
        lookup={pseudonym.postcode(k): v for k, v in lookup.items()}, areas=frozenset(CENSUS),
    )  # fmt: skip
    records = supports = 0
    for chunk_records, chunk_supports in reader.chunks():
        records += len(chunk_records)
        supports += len(chunk_supports)
    return reader.read, records, supports


def test_the_reader_takes_every_demo_extract_without_a_problem(demo, lookup):
    for source in demo:
        said, records, supports = read(source.csv, source.filename, lookup)
        assert not said.problems, said.problems[:3]
        assert records == source.people and said.rows == source.rows
        assert supports == sum(1 for r in rows_of(source.csv) if r["support"])
    said, _, _ = read(demo[1].csv, demo[1].filename, lookup)
    assert any("dropped" in note for note in said.notes)  # Crossroads's names


def test_the_reader_takes_the_bench_extract_without_a_problem():
    rows = csv.DictReader(io.StringIO(synthetic.bench_lookup_csv(1).decode()))
    lookup = {row["pcds"]: row["msoa21cd"] for row in rows}
    for source in synthetic.bench_sources(6_000, 1, TODAY):
        said, records, _ = read(source.csv, source.filename, lookup)
        assert not said.problems, said.problems[:3]
        assert records == source.people
