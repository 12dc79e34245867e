"""Read a record-level extract of carers (CSV or Excel) and pseudonymise it as it is read.

Pure Python (no Django), streaming: a million rows are read in chunks, never all held.

One row per support item given, or one row for a person given none; rows with the same
``person_id`` are one person (their first row gives the person's details; a later row that
contradicts the date of birth or NHS number is an error). What leaves this module names no one:

- the source's id, the NHS number and (date of birth, postcode, surname initial) become keyed
  hashes (:mod:`caring.carers.pseudonym`); the key comes from the caller (settings);
- the date of birth (or age) becomes an age band at the extract's date;
- the postcode becomes its area code (MSOA) through the lookup given, then is forgotten;
- names, addresses, telephone numbers and email addresses are never read beyond a surname's
  initial: their columns are reported as dropped;
- coded fields (sex, ethnicity...) become the codes in :mod:`caring.carers.vocab`; a label the
  vocabulary doesn't know is an error, unless the caller agreed to keep such labels as "not
  known" (``unknown_as_not_known``), when each is counted and reported instead.

Every problem names its row and column. The caller imports nothing if there is any error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from caring.carers import pseudonym as p
from caring.carers import vocab
from caring.workbooks.records import Problem

MAX_PROBLEMS = 200

# canonical column -> header variants (compared squashed)
COLUMNS: dict[str, tuple[str, ...]] = {
    "person_id": ("person id", "id", "client id", "carer id", "person ref", "client ref",
                  "record id", "source id", "person number", "client number", "carer ref",
                  "mosaic id", "liquidlogic id", "case id", "reference"),
    "nhs_number": ("nhs number", "nhs no", "nhs", "nhsnumber", "nhs num"),
    "date_of_birth": ("date of birth", "dob", "birth date", "birthdate", "d o b"),
    "age": ("age", "age in years", "age years"),
    "initial": ("initial", "surname initial", "family name initial", "last name initial"),
    "sex": ("sex", "gender", "sex gender", "legal sex"),
    "ethnicity": ("ethnicity", "ethnic group", "ethnic origin", "ethnic category", "ethnic"),
    "disability": ("disability", "disabled", "has disability", "disability status"),
    "religion": ("religion", "religion or belief", "faith"),
    "sexual_orientation": ("sexual orientation", "orientation"),
    "postcode": ("postcode", "post code", "postal code", "home postcode"),
    "area_code": ("area code", "area", "msoa", "msoa code", "msoa21cd", "msoa11cd", "lsoa",
                  "lsoa code", "lsoa21cd", "ward code", "wd22cd"),
    "first_known": ("first known", "date first known", "date known", "known since",
                    "first contact", "first contact date", "referral date", "registered",
                    "date registered", "start date"),
    "pathway": ("pathway", "how known", "how they became known", "referral source",
                "source of referral", "referral route", "route"),
    "channel": ("channel", "access channel", "access", "contact method"),
    "social_contact": ("social contact", "social isolation", "isolation"),
    "relationship": ("relationship", "relationship to cared for",
                     "relationship to person cared for", "relationship to cared for person"),
    "young_carer": ("young carer", "is young carer", "young carer flag"),
    "support": ("support", "support type", "service", "service type", "support given"),
    "support_date": ("support date", "date of support", "service date", "support start",
                     "date given"),
    "support_value": ("support value", "value", "amount", "cost", "grant value", "support cost",
                      "grant amount"),
    "training_at_handover": ("training at handover", "training", "training given",
                             "handover training"),
}  # fmt: skip
# columns never stored: read for the surname's initial at most, then dropped
NAME_COLUMNS = {
    "surname": ("surname", "last name", "family name", "lastname"),
    "forename": ("forename", "first name", "given name", "firstname", "forenames",
                 "preferred name", "known as", "middle name", "title"),
    "name": ("name", "full name", "carer name", "client name", "person name"),
}  # fmt: skip
PERSONAL_COLUMNS = re.compile(
    r"\b(address|street|road|house|flat|town|city|county|phone|telephone|mobile|tel|email|"
    r"e mail|contact number|gp name|next of kin|cared for name|notes?|comments?)\b"
)
REQUIRED = (("person_id",), ("date_of_birth", "age"), ("postcode", "area_code"))
CODED = ("sex", "ethnicity", "disability", "religion", "sexual_orientation", "pathway",
         "channel", "social_contact", "relationship")  # fmt: skip
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _header_index() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for canonical, said in COLUMNS.items():
        for variant in (canonical, canonical.replace("_", " "), *said):
            table[vocab.squash(variant)] = ("field", canonical)
    for canonical, said in NAME_COLUMNS.items():
        for variant in said:
            table[vocab.squash(variant)] = ("name", canonical)
    return table


HEADERS = _header_index()


@dataclass
class Read:
    """What reading said: problems (errors refuse the import), notes to report, counts."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    relabelled: Counter = field(default_factory=Counter)  # (field, label) -> rows kept unknown
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> header as written
    more_errors: int = 0
    rows: int = 0
    records: int = 0
    supports: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [x for x in self.problems if x.severity == "error"]

    def error(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more_errors += 1
            return
        said = self.headers.get(column, column) if column else None
        self.problems.append(Problem("", row, f"'{said}'" if said else None, column, message,
                                     "error"))  # fmt: skip


class Refused(Exception):
    """The file cannot be read at all (not a table, no header, missing required columns)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _rows_of(data: bytes, filename: str) -> Iterator[list]:
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise Refused("The file could not be opened as an Excel workbook (.xlsx). Save it "
                          "again as an Excel Workbook or as CSV UTF-8.") from None  # fmt: skip
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
        book.close()
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as error:  # a cell longer than the csv module takes, a stray NUL...
        raise Refused(f"The file could not be read as CSV ({error}). Save it again as CSV "
                      "UTF-8 from the source system and upload it again.") from None  # fmt: skip


_DATES: dict[str, dt.date] = {}


def _date(value: object) -> dt.date | None:
    """A date from a cell: a date, "2024-03-01", "01/03/2024" (day first) or "1 March 2024";
    None when blank. ``ValueError`` when it can't be read."""
    if value is None:
        return None
    if type(value) is str:
        found = _DATES.get(value)
        if found is not None:
            return found
        if len(value) == 10 and value[4] == "-":
            found = dt.date.fromisoformat(value)
            if len(_DATES) < 100_000:
                _DATES[value] = found
            return found
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if len(text) >= 10 and text[4] == "-":
        return dt.date.fromisoformat(text[:10])
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _day(day: dt.date) -> str:
    """A date as GOV.UK writes it: "1 May 2020"."""
    return f"{day.day} {day:%B %Y}"


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _text(value: object) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class CarersReader:
    """Read one source's extract. Iterate :meth:`chunks` for (records, supports) lists; then
    look at :attr:`read` for problems and notes.

    A record is ``(number, person_key, nhs_key, link_key, age_band, sex, ethnicity, disability,
    religion, sexual_orientation, area_code, first_known, pathway, channel, social_contact,
    relationship, young_carer)``, numbered from 0 in the order people first appear. A support
    item is ``(record number, kind, date, pence, training)``.
    """

    def __init__(self, data: bytes, filename: str, *, key: bytes, source: str, today: dt.date,
                 lookup: Mapping[str, str], areas: set[str] | frozenset[str],
                 unknown_as_not_known: bool = False) -> None:  # fmt: skip
        self.data, self.filename, self.key, self.source = data, filename, key, source
        self.today, self.lookup, self.areas = today, lookup, areas
        self.agreed = unknown_as_not_known
        self.read = Read()
        self.people: dict[str, tuple[int, dt.date | None, str]] = {}

    # -- the header ----------------------------------------------------------------------
    def _columns(self, header: list) -> tuple[dict[str, int], dict[str, int]]:
        fields: dict[str, int] = {}
        names: dict[str, int] = {}
        for index, cell in enumerate(header):
            said = _text(cell)
            if not said:
                continue
            kind = HEADERS.get(vocab.squash(said))
            if kind is None:
                if PERSONAL_COLUMNS.search(vocab.squash(said)):
                    self.read.dropped_columns.append(said)
                else:
                    self.read.ignored_columns.append(said)
                continue
            target = fields if kind[0] == "field" else names
            if kind[1] in target:
                raise Refused(f"Two columns mean {kind[1].replace('_', ' ')}: "
                              f"'{_text(header[target[kind[1]]])}' and '{said}'. "
                              "Keep one and upload again.")  # fmt: skip
            target[kind[1]] = index
            if kind[0] == "field":
                self.read.headers[kind[1]] = said[:40]
            if kind[0] == "name":
                self.read.dropped_columns.append(said)
        missing = [" or ".join(need) for need in REQUIRED
                   if not any(column in fields for column in need)]  # fmt: skip
        if missing:
            known = ", ".join(COLUMNS)
            raise Refused(
                "The file has no column for " + "; no column for ".join(
                    m.replace("_", " ") for m in missing)
                + f". The first row must name the columns; these are read: {known}."
            )  # fmt: skip
        return fields, names

    # -- the rows ------------------------------------------------------------------------
    def chunks(self, size: int = 20_000) -> Iterator[tuple[list[tuple], list[tuple]]]:
        rows = _rows_of(self.data, self.filename)
        header = next(rows, None)
        if header is None or not any(_text(c) for c in header):
            raise Refused("The file is empty: the first row must name the columns.")
        fields, names = self._columns(header)
        if self.read.dropped_columns:
            self.read.notes.append(
                "These columns hold names or contact details: "
                + ", ".join(f"'{c}'" for c in self.read.dropped_columns)
                + ". They were dropped and nothing in them was stored"
                + (" (a surname's first letter was used for matching only)." if names else ".")
            )
        if self.read.ignored_columns:
            self.read.notes.append("These columns were not read and nothing in them was stored: "
                                   + ", ".join(f"'{c}'" for c in self.read.ignored_columns)
                                   + ".")  # fmt: skip
        records: list[tuple] = []
        supports: list[tuple] = []
        width = len(header)
        column = {name: fields.get(name, width) for name in COLUMNS}  # width: an empty cell
        blank = [""] * (width + 1)
        for number, row in enumerate(rows, start=2):
            cells = [v.strip() if type(v) is str else _text(v) for v in row[:width]]
            if not any(cells):
                continue
            cells += blank[len(cells) :]
            self.read.rows += 1
            self._row(number, cells, column, names, records, supports)
            if len(records) >= size or len(supports) >= size:
                yield records, supports
                records, supports = [], []
        if records or supports:
            yield records, supports
        if self.read.rows == 0:
            self.read.error(None, None, "The file has a header but no rows of carers.")
        for (name, label), count in sorted(self.read.relabelled.items()):
            self.read.problems.append(Problem(
                "", None, None, name,
                f"'{label}' is not one of the {vocab.CODED[name].name} labels we know: kept as "
                f"not known on "
                f"{count} row{'s' if count != 1 else ''}, as agreed.", "warning"))  # fmt: skip

    def _row(self, number, row, column, names, records, supports) -> None:  # noqa: C901
        read = self.read
        bad = False

        def get(name: str) -> str:
            return row[column[name]]

        def fail(name: str, message: str) -> None:
            nonlocal bad
            bad = True
            read.error(number, name, message)

        person = get("person_id")
        if not person:
            fail("person_id", "The person's id is blank: every row needs the source's own id.")
        known = self.people.get(person)
        if known is not None:  # a later row of someone already read: their support only
            if known[1] != get("date_of_birth") or known[2] != get("nhs_number"):
                fail("person_id", f"The same person's id '{person[:40]}' is on an earlier row "
                                  "with another date of birth or NHS number.")  # fmt: skip
            item = self._support(get, fail)
            if not bad and item is not None:
                supports.append((known[0], *item))
                read.supports += 1
            return
        nhs_said = get("nhs_number")
        nhs = p.nhs_number(nhs_said) if nhs_said else None
        if nhs_said and nhs is None:
            fail("nhs_number", "This is not a valid NHS number (10 digits with a correct check "
                               "digit); leave it blank if it is not known.")  # fmt: skip
        birth = None
        unreadable = False
        try:
            birth = _date(get("date_of_birth"))
        except (ValueError, TypeError):
            unreadable = True
            fail("date_of_birth", "The date of birth can't be read: write it as 2024-03-31 or "
                                  "31/03/2024.")  # fmt: skip
        first = None
        try:
            first = _date(get("first_known"))
        except (ValueError, TypeError):
            fail("first_known", "The date first known can't be read: write it as 2024-03-31 "
                                "or 31/03/2024.")  # fmt: skip
        age = None
        if birth is not None:
            age = _age_on(birth, self.today)
            if birth > self.today:
                fail("date_of_birth", f"The date of birth {_day(birth)} is in the future.")
            elif age > 120:
                fail("date_of_birth", f"The date of birth {_day(birth)} would make the "
                                      f"carer {age}: check it.")  # fmt: skip
            elif first is not None and first < birth:
                fail("first_known", "The carer was first known before they were born: check "
                                    "the date of birth and the date first known.")  # fmt: skip
        else:
            said = get("age")
            if said:
                try:
                    age = int(Decimal(said))
                    if not 0 <= age <= 120:
                        raise ValueError
                except (InvalidOperation, ValueError):
                    fail("age", f"'{said}' is not an age: a whole number from 0 to 120.")
                    age = None
            elif not unreadable:
                fail("date_of_birth", "Give the date of birth or the age.")
        if first is not None and first > self.today:
            fail("first_known", f"The date first known, {_day(first)}, is in the future.")
        codes = {}
        for name in CODED:
            said = get(name)
            code = vocab.CODED[name].code(said)
            if code is None:
                if self.agreed:
                    read.relabelled[(name, said[:60])] += 1
                    code = vocab.NOT_KNOWN
                else:
                    fail(name, f"'{said[:60]}' is not one of the {vocab.CODED[name].name} "
                               "labels we know. Use a label from the guidance, or agree to keep "
                               "labels we don't know as not known.")  # fmt: skip
            codes[name] = code
        postcode_said = get("postcode")
        area = get("area_code").upper()
        code = p.postcode(postcode_said) if postcode_said else None
        if postcode_said and code is None:
            fail("postcode", f"'{postcode_said[:20]}' is not a postcode.")
        if area:
            if area not in self.areas:
                fail("area_code", f"'{area[:20]}' is not an area code of the census areas held "
                                  "(import the census for the area first).")  # fmt: skip
        elif code is not None:
            area = self.lookup.get(code, "")
            if not area:
                fail(
                    "postcode",
                    f"The postcode {postcode_said[:20]} is not in the postcode "
                    "lookup: give a lookup file that covers it, or the area code.",
                )
            elif area not in self.areas:
                fail("postcode", f"The postcode's area {area} is not one of the census areas "
                                 "held.")  # fmt: skip
        elif not postcode_said:
            fail("postcode", "Give the postcode or the area code.")
        young_said = get("young_carer").lower()
        if young_said and young_said not in _YES and young_said not in _NO:
            fail("young_carer", f"'{young_said[:20]}' is not Yes or No.")
        letter = None
        if column["initial"] < len(row) - 1:
            letter = p.initial(get("initial"))
        elif "surname" in names:
            letter = p.initial(row[names["surname"]])
        elif "name" in names:
            words = (row[names["name"]]).split()
            letter = p.initial(words[-1]) if words else None
        item = self._support(get, fail)
        if bad:
            return
        number_of = len(self.people)
        self.people[person] = (number_of, get("date_of_birth"), get("nhs_number"))
        key = self.key
        link = ""
        if birth is not None and code is not None and letter is not None:
            link = p.keyed_hash(key, p.LINK, p.link_text(birth, code, letter))
        band = vocab.age_band(age) if age is not None else vocab.NOT_KNOWN
        young = young_said in _YES or (age is not None and age < 18)
        records.append((
            number_of,
            p.keyed_hash(key, p.PERSON, f"{self.source}|{person}"),
            p.keyed_hash(key, p.NHS, nhs) if nhs else "",
            link, band, codes["sex"], codes["ethnicity"], codes["disability"],
            codes["religion"], codes["sexual_orientation"], area, first, codes["pathway"],
            codes["channel"], codes["social_contact"], codes["relationship"], young,
        ))  # fmt: skip
        read.records += 1
        if item is not None:
            supports.append((number_of, *item))
            read.supports += 1

    def _support(self, get, fail) -> tuple | None:
        """A row's support item ``(kind, date, pence, training)``, or None if it has none."""
        kind_said = get("support")
        kind = None
        if kind_said:
            kind = vocab.SUPPORT.code(kind_said)
            if kind is None:
                fail("support", f"'{kind_said[:60]}' is not a type of support we know.")
        given = None
        try:
            given = _date(get("support_date"))
        except (ValueError, TypeError):
            fail("support_date", "The support's date can't be read: write it as 2024-03-31.")
        if given is not None and given > self.today:
            fail("support_date", f"The support's date, {_day(given)}, is in the future.")
        pence = None
        money = get("support_value").replace("£", "").replace(",", "")
        if money:
            try:
                pence = int((Decimal(money) * 100).to_integral_value())
                if pence < 0 or pence >= 10**11:
                    raise InvalidOperation
            except InvalidOperation:
                fail("support_value", f"'{money[:20]}' is not an amount in pounds.")
        training_said = get("training_at_handover").lower()
        training = None
        if training_said:
            if training_said in _YES:
                training = True
            elif training_said in _NO:
                training = False
            elif vocab.squash(training_said) not in ("not known", "unknown", "n a", "na"):
                fail("training_at_handover", f"'{training_said[:20]}' is not Yes or No.")
        if (money or given or training_said) and not kind_said:
            fail("support", "The support's date, value or training is given but not its type.")
        if kind is None:
            return None
        return kind, given, pence, training
