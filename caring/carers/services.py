"""Every write to the census figures: all or nothing, with every problem by row.

Census figures are published ONS statistics about areas (not personal data), so they are kept and
shown as published, with no suppression.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caring.carers.census_reader import YEARS, geography_of
from caring.carers.models import CensusArea, CensusBand, Geography
from caring.indicators.services import ImportRefused
from caring.workbooks.records import Problem

__all__ = [
    "CarersImported",
    "CensusImported",
    "ImportRefused",
    "MatchReport",
    "carers_import",
    "census_import",
    "check_area",
    "log_access",
    "match_carers",
]
LARGEST = 2**31 - 1


@dataclass(frozen=True)
class CensusImported:
    added: int
    replaced: int
    year: int

    @property
    def summary(self) -> str:
        count = self.added + self.replaced
        said = (
            f"{count} census area{'s' if count != 1 else ''} for {self.year} imported "
            f"({self.added} new, {self.replaced} replaced)."
        )
        if self.replaced:
            said += (
                f" The {self.replaced} replaced area{'s' if self.replaced != 1 else ''} had "
                f"figures for {self.year} already: they now have the new file's figures."
            )
        return said


def check_area(*, year: int, code: str, name: str, geography: str, residents, carers,
               bands: dict) -> None:  # fmt: skip
    """Refuse, naming the field, an area's figures the census tables can't hold."""
    errors: dict[str, str] = {}
    if year not in YEARS:
        errors["year"] = f"The census year must be 2011 or 2021, not {year!r}."
    if geography_of(code or "") is None:
        errors["code"] = f"{code!r} is not an ONS area code we know, such as E02001578."
    if not (name or "").strip():
        errors["name"] = f"Enter the name of the area {code}."
    elif len(name) > CensusArea._meta.get_field("name").max_length:
        errors["name"] = "The area's name can be at most 200 characters."
    if geography not in Geography.values:
        errors["geography"] = f"{geography!r} is not a geography: one of {Geography.values}."
    for field, figure in (("residents", residents), ("carers", carers), *bands.items()):
        if figure is None and field == "residents":
            continue
        if isinstance(figure, bool) or not isinstance(figure, int) or not 0 <= figure <= LARGEST:
            errors[field] = f"The {field.replace('_', ' ')} must be a whole number, 0 or more."
    if not errors and residents is not None and carers > residents:
        errors["carers"] = f"There are {carers:,} carers but only {residents:,} residents."
    if not errors and not bands:
        errors["bands"] = "The area has no bands of unpaid care."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def census_import(*, read, filename: str) -> CensusImported:
    """Every area of ``read`` (caring.carers.census_reader), or none.

    Areas already held for the same year and code are replaced: their figures and bands are
    those of the new file. Areas held that the file does not name are kept.
    """
    errors = [p for p in read.problems if p.severity == "error"]
    if errors:
        raise ImportRefused(errors)
    if not read.areas or read.year is None:
        raise ImportRefused(
            [Problem("", None, None, None, "The file has no areas to import.", "error")]
        )
    problems = []
    for area in read.areas:
        try:
            check_area(year=read.year, code=area.code, name=area.name,
                       geography=area.geography, residents=area.residents, carers=area.carers,
                       bands=area.bands)  # fmt: skip
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                problems.append(Problem("", area.row, None, field, messages[0], "error"))
    if problems:
        raise ImportRefused(problems)
    codes = [area.code for area in read.areas]
    held = CensusArea.objects.filter(year=read.year, code__in=codes)
    replaced = held.count()
    held.delete()
    now, source = timezone.now(), (filename or "")[:200]
    made = CensusArea.objects.bulk_create(
        [
            CensusArea(
                year=read.year,
                code=area.code,
                name=area.name,
                geography=area.geography,
                residents=area.residents,
                carers=area.carers,
                source=source,
                imported_at=now,
            )  # fmt: skip
            for area in read.areas
        ],
        batch_size=500,
    )
    if any(area.pk is None for area in made):  # a database that doesn't return new keys
        made = list(CensusArea.objects.filter(year=read.year, code__in=codes))
    by_code = {area.code: area for area in made}
    CensusBand.objects.bulk_create(
        [
            CensusBand(area=by_code[area.code], band=band, count=count)
            for area in read.areas
            for band, count in area.bands.items()
        ],
        batch_size=1000,
    )
    return CensusImported(len(read.areas) - replaced, replaced, read.year)


# --- carers known to services ------------------------------------------------------------------
#
# Imports are all or nothing (one transaction: any error and nothing is kept) and stream: rows
# are read, pseudonymised and written in chunks, so a million-row extract is never all in memory.
# The extract itself is never saved. Then every carer is matched again across sources.


def pseudonym_key() -> bytes:
    """The key identifiers are hashed with: CARING_PSEUDONYM_KEY, or (outside production, where
    it must be set) one derived from SECRET_KEY, so development data still matches itself."""
    import hashlib

    from django.conf import settings

    said = getattr(settings, "CARING_PSEUDONYM_KEY", "") or ""
    if said:
        return said.encode()
    base = (settings.SECRET_KEY or "").encode()
    return hashlib.blake2b(base, person=b"carers-pseudonym", digest_size=32).digest()


@dataclass(frozen=True)
class MatchReport:
    records: int
    carers: int
    by_nhs: int  # records joined to another record on the NHS number
    by_link: int  # records joined on date of birth, postcode and surname initial
    ambiguous: int  # records left apart because their match was not unique
    unmatchable: int  # records with no NHS number and no complete date of birth/postcode/initial

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    @property
    def summary(self) -> str:
        return (
            f"{self.records:,} records are {self.carers:,} carers once matched: "
            f"{self.by_nhs:,} records matched another on the NHS number and {self.by_link:,} on "
            f"date of birth, postcode and surname initial; {self.ambiguous:,} were left apart "
            f"because more than one person matched; {self.unmatchable:,} had neither an NHS "
            "number nor all of date of birth, postcode and initial, so could only be counted as "
            "separate people."
        )


MATCHING_MISSES = (
    "Matching misses a carer whose records disagree: one source holds no NHS number and the "
    "other has a different postcode (they moved), a different surname initial (a new surname, "
    "a typing error) or a mistyped date of birth; a source that gives only an age or an area "
    "code cannot be matched except by NHS number. It can wrongly join two people only when "
    "their NHS numbers are the same, or when neither holds one and they share a date of birth, "
    "postcode and surname initial (twins, say) and each source knows only one of them; where a "
    "source knows both, neither is matched."
)

RECORD_COLUMNS = ("id", "source_id", "carer_id", "person_key", "nhs_key", "link_key", "age_band",
                  "sex", "ethnicity", "disability", "religion", "sexual_orientation", "area_code",
                  "first_known", "pathway", "channel", "social_contact", "relationship",
                  "young_carer")  # fmt: skip
SUPPORT_COLUMNS = ("id", "record_id", "source_id", "kind", "date", "amount_pence", "training")
CARER_ATTRIBUTES = ("age_band", "sex", "ethnicity", "disability", "religion",
                    "sexual_orientation", "area_code", "first_known", "pathway", "channel",
                    "social_contact", "relationship", "young_carer")  # fmt: skip
CARER_COLUMNS = ("id", "strategy_id", "sources", "matched_on", *CARER_ATTRIBUTES)


def _table(model) -> str:
    return model._meta.db_table


def bulk_write(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows fast: COPY on PostgreSQL, executemany elsewhere (inside the caller's
    transaction)."""
    from django.db import connection

    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(_table(model))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _lock(strategy) -> None:
    """One carers' import or match at a time for a strategy (the row lock lasts the
    transaction)."""
    from django.db import connection

    from caring.plans.models import Strategy

    list(Strategy.objects.select_for_update().filter(pk=strategy.pk).values_list("pk"))
    if connection.vendor == "postgresql":  # and one at a time across strategies: new ids are
        with connection.cursor() as cursor:  # taken from the largest held
            cursor.execute("SELECT pg_advisory_xact_lock(8008)")


@dataclass(frozen=True)
class CarersImported:
    source: str
    rows: int
    records: int
    supports: int
    replaced: int
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    match: MatchReport | None

    @property
    def summary(self) -> str:
        said = (
            f"{self.records:,} carers' records ({self.supports:,} items of support, from "
            f"{self.rows:,} rows) imported for {self.source}"
        )
        said += f", replacing the {self.replaced:,} held before." if self.replaced else "."
        return said


def read_lookup(data: bytes, filename: str = "lookup") -> dict[str, str]:
    """A postcode lookup (ONSPD/NSPL style: a postcode column such as pcds/pcd/postcode and an
    area column such as msoa21cd/msoa11cd/msoa/area_code) as {postcode: area}."""
    import csv
    import io

    from caring.carers import pseudonym
    from caring.carers.vocab import squash

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [squash(h) for h in next(rows, [])]
    pick = None
    for names in (("pcds", "pcd", "pcd7", "pcd8", "postcode", "post code"),):
        pick = next((header.index(n) for n in names if n in header), None)
    area = next((header.index(n) for n in ("msoa21cd", "msoa21", "msoa11cd", "msoa11", "msoa",
                                            "msoa code", "area code", "area") if n in header),
                None)  # fmt: skip
    if pick is None or area is None:
        raise ImportRefused([Problem("", 1, None, None, (
            f"{filename}: the postcode lookup needs a postcode column (pcds, pcd or postcode) "
            "and an area column (msoa21cd, msoa11cd or area_code)."), "error")])  # fmt: skip
    lookup: dict[str, str] = {}
    problems = []
    for number, row in enumerate(rows, start=2):
        if len(row) <= max(pick, area) or not row[pick].strip():
            continue
        code = pseudonym.postcode(row[pick])
        said = row[area].strip().upper()
        if code is None or geography_of(said) is None:
            problems.append(Problem("", number, None, None,
                                    f"{filename}: '{row[pick][:12]}' / '{row[area][:12]}' is not "
                                    "a postcode and an area code.", "error"))  # fmt: skip
            if len(problems) >= 50:
                break
            continue
        lookup[code] = said
    if problems:
        raise ImportRefused(problems)
    return lookup


def lookup_save(lookup: dict[str, str], *, source: str, synthetic: bool = False) -> int:
    """Add or replace these postcodes' areas in the stored lookup; how many were written."""
    from caring.carers.models import PostcodeArea

    held = set(PostcodeArea.objects.filter(postcode__in=list(lookup)).values_list(
        "postcode", flat=True))  # fmt: skip
    PostcodeArea.objects.filter(postcode__in=held).delete()
    PostcodeArea.objects.bulk_create(
        [PostcodeArea(postcode=pc, area_code=area, source=source[:200], is_synthetic=synthetic)
         for pc, area in lookup.items()], batch_size=2000)  # fmt: skip
    return len(lookup)


def _stored_lookup() -> dict[str, str]:
    from caring.carers.models import PostcodeArea

    return dict(PostcodeArea.objects.values_list("postcode", "area_code"))


def _source_slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)[:100]


def carers_import(*, strategy, source_name: str, data: bytes, filename: str, user=None,
                  lookup: bytes | None = None, unknown_as_not_known: bool = False,
                  synthetic: bool = False, today=None, match: bool = True,
                  via: str = "command") -> CarersImported:  # fmt: skip
    """Import one source's extract for ``strategy``, all or nothing, replacing what that source
    gave before; then match every carer again (unless ``match`` is False). Raises
    :class:`ImportRefused` with every problem (by row and column) and keeps nothing."""
    from django.conf import settings

    from caring.carers.models import AccessAction, CarerRecord, CarerSource, SupportItem
    from caring.carers.records_reader import CarersReader, Refused

    name = (source_name or "").strip()
    slug = _source_slug(name)

    def refuse(message: str) -> ImportRefused:
        return ImportRefused([Problem("", None, None, None, message, "error")])

    if not name or not slug:
        raise refuse("Name the source of the records, such as 'Adult Social Care'.")
    if len(name) > 100:
        raise refuse("The source's name can be at most 100 characters.")
    limit = settings.CARING_CARERS_MAX_BYTES
    if len(data) > limit:
        raise refuse(f"{filename} is {len(data) / 1048576:.1f} MB, over the "
                     f"{limit / 1048576:.0f} MB limit for a carers' extract. Split it by "
                     "date first known, or ask for the limit to be raised.")  # fmt: skip
    if not data:
        raise refuse(f"{filename} is empty.")
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock(strategy)
        table = _stored_lookup()
        if lookup:
            given = read_lookup(lookup, "the postcode lookup")
            lookup_save(given, source="lookup given with " + (filename or "an import"))
            table.update(given)
        areas = frozenset(CensusArea.objects.values_list("code", flat=True))
        reader = CarersReader(data, filename, key=pseudonym_key(), source=slug, today=today,
                              lookup=table, areas=areas,
                              unknown_as_not_known=unknown_as_not_known)  # fmt: skip
        source, made = CarerSource.objects.get_or_create(
            strategy=strategy, slug=slug,
            defaults={"name": name, "extract_date": today, "is_synthetic": synthetic})  # fmt: skip
        replaced = 0 if made else source.records
        if not made:
            SupportItem.objects.filter(source=source)._raw_delete(SupportItem.objects.db)
            CarerRecord.objects.filter(source=source)._raw_delete(CarerRecord.objects.db)
        first_record, first_support = _next_id(CarerRecord), _next_id(SupportItem)
        records_done = supports_done = 0
        try:
            for records, supports in reader.chunks():
                if reader.read.errors:
                    continue  # keep reading, to report every problem; nothing will be kept
                bulk_write(CarerRecord, RECORD_COLUMNS, [
                    (first_record + r[0], source.pk, first_record + r[0], *r[1:])
                    for r in records])  # fmt: skip
                bulk_write(SupportItem, SUPPORT_COLUMNS, [
                    (first_support + records_done_i, first_record + s[0], source.pk, *s[1:])
                    for records_done_i, s in enumerate(supports, start=supports_done)])  # fmt: skip
                records_done += len(records)
                supports_done += len(supports)
        except Refused as refused:
            raise refuse(f"{filename}: {refused.message}") from None
        read = reader.read
        if read.errors:
            problems = list(read.errors)
            if read.more_errors:
                problems.append(
                    Problem(
                        "", None, None, None, f"… and {read.more_errors:,} more problems.", "error"
                    )
                )
            raise ImportRefused(problems)
        warnings = tuple(f"{x.place or 'the file'}: {x.message}" for x in read.problems
                         if x.severity != "error")  # fmt: skip
        source.name = name
        source.is_synthetic = synthetic
        source.filename = (filename or "")[:200]
        source.extract_date = today
        source.imported_at = timezone.now()
        source.imported_by = user if getattr(user, "pk", None) else None
        source.rows, source.records, source.supports = read.rows, read.records, read.supports
        report = MatchReport(0, 0, 0, 0, 0, 0)
        if match:
            report = match_carers(strategy)
        source.report = {"notes": read.notes, "warnings": list(warnings),
                         "match": report.as_dict() if match else None}  # fmt: skip
        source.save()
        log_access(strategy, user, AccessAction.UPLOAD, subject=name[:200],
                   detail=f"{filename}: {read.records:,} records, {read.rows:,} rows"[:500],
                   via=via)  # fmt: skip
    return CarersImported(name, read.rows, read.records, read.supports, replaced,
                          tuple(read.notes), warnings, report if match else None)  # fmt: skip


def source_delete(*, strategy, slug: str, user=None, via: str = "web") -> str:
    """Delete one source's records (and match the rest again); its name."""
    from caring.carers.models import AccessAction, CarerRecord, CarerSource, SupportItem

    with transaction.atomic():
        _lock(strategy)
        source = CarerSource.objects.filter(strategy=strategy, slug=slug).first()
        if source is None:
            raise ValidationError(f"There is no source '{slug}'.")
        SupportItem.objects.filter(source=source)._raw_delete(SupportItem.objects.db)
        CarerRecord.objects.filter(source=source)._raw_delete(CarerRecord.objects.db)
        name = source.name
        source.delete()
        match_carers(strategy)
        log_access(strategy, user, AccessAction.DELETE, subject=name, via=via)
    return name


def _find(parent: dict, x):
    root = x
    while parent.get(root, root) != root:
        root = parent[root]
    while parent.get(x, x) != root:
        parent[x], x = root, parent[x]
    return root


def match_carers(strategy) -> MatchReport:
    """Count every carer once across the strategy's sources, and write the ``Carer`` rows.

    Records with the same NHS number are one person. Otherwise records with the same date of
    birth, postcode and surname initial are one person when that is unambiguous: at most one
    NHS number among them and, from each source, at most one person. A carer's details are
    taken from their records in source order, the first known value winning ("not known" never
    overrides a known one); first known is the earliest date; the pathway is that of the record
    first known; the channel is "both" when records disagree between digital and non-digital;
    a young carer in any source is a young carer.
    """
    from django.db import connection

    from caring.carers.models import Carer, CarerRecord

    with transaction.atomic():
        _lock(strategy)
        cols = ("id", "source_id", "carer_id", "nhs_key", "link_key", *CARER_ATTRIBUTES)
        records = list(
            CarerRecord.objects.filter(source__strategy=strategy)
            .order_by("source_id", "id").values_list(*cols)
        )  # fmt: skip
        parent: dict[int, int] = {}
        by_nhs: dict[str, int] = {}
        joined_nhs: set[int] = set()
        for r in records:
            if r[3]:
                other = by_nhs.setdefault(r[3], r[0])
                if other != r[0]:
                    a, b = _find(parent, other), _find(parent, r[0])
                    if a != b:
                        parent[max(a, b)] = min(a, b)
                    joined_nhs.update((other, r[0]))
        groups: dict[str, list] = {}
        unmatchable = 0
        for r in records:
            if r[4]:
                groups.setdefault(r[4], []).append(r)
            elif not r[3]:
                unmatchable += 1
        joined_link: set[int] = set()
        ambiguous = 0
        for members in groups.values():
            if len(members) < 2:
                continue
            nhs = {m[3] for m in members if m[3]}
            people_by_source: dict[int, set] = {}
            for m in members:
                people_by_source.setdefault(m[1], set()).add(_find(parent, m[0]))
            if len(nhs) > 1 or any(len(p) > 1 for p in people_by_source.values()):
                ambiguous += sum(1 for m in members if not m[3])
                continue
            roots = {_find(parent, m[0]) for m in members}
            if len(roots) > 1:
                low = min(roots)
                for root in roots:
                    parent[root] = low
                joined_link.update(m[0] for m in members)
        clusters: dict[int, list] = {}
        for r in records:
            clusters.setdefault(_find(parent, r[0]), []).append(r)
        carers = []
        changed = []
        for members in clusters.values():
            cid = min(m[0] for m in members)
            merged = _merge(members)
            how = ""
            if len(members) > 1:
                ids = {m[0] for m in members}
                how = ("nhs+link" if ids & joined_link and ids & joined_nhs
                       else "link" if ids & joined_link else "nhs")  # fmt: skip
            carers.append((cid, strategy.pk, len({m[1] for m in members}), how, *merged))
            changed.extend((cid, m[0]) for m in members if m[2] != cid)
        Carer.objects.filter(strategy=strategy)._raw_delete(Carer.objects.db)
        bulk_write(Carer, CARER_COLUMNS, carers)
        if changed:
            table = connection.ops.quote_name(_table(CarerRecord))
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("CREATE TEMP TABLE carers_relink (id bigint, carer_id bigint) "
                                   "ON COMMIT DROP")  # fmt: skip
                    with cursor.cursor.copy("COPY carers_relink (carer_id, id) FROM STDIN") as cp:
                        for row in changed:
                            cp.write_row(row)
                    cursor.execute(f"UPDATE {table} r SET carer_id = t.carer_id FROM "
                                   "carers_relink t WHERE r.id = t.id")  # fmt: skip
                    cursor.execute("DROP TABLE carers_relink")
                else:
                    cursor.executemany(f"UPDATE {table} SET carer_id = %s WHERE id = %s", changed)
    return MatchReport(len(records), len(clusters), len(joined_nhs), len(joined_link - joined_nhs),
                       ambiguous, unmatchable)  # fmt: skip


_NK = "not_known"


def _merge(members: list) -> tuple:
    """One carer's attributes from their records (see :func:`match_carers`)."""
    if len(members) == 1:
        return members[0][5:]
    out = []
    attrs = list(zip(*(m[5:] for m in members), strict=True))
    for name, values in zip(CARER_ATTRIBUTES, attrs, strict=True):
        if name == "first_known":
            dates = [v for v in values if v is not None]
            out.append(min(dates) if dates else None)
        elif name == "young_carer":
            out.append(any(values))
        elif name == "pathway":
            dated = [(m[5 + CARER_ATTRIBUTES.index("first_known")], i, m)
                     for i, m in enumerate(members)]  # fmt: skip
            known = [d for d in dated if d[0] is not None and d[2][5 + 8] != _NK]
            pick = min(known, key=lambda d: (d[0], d[1]))[2][5 + 8] if known else next(
                (v for v in values if v != _NK), _NK)  # fmt: skip
            out.append(pick)
        elif name == "channel":
            said = {v for v in values if v != _NK}
            out.append("both" if len(said) > 1 else (said.pop() if said else _NK))
        elif name == "area_code":
            out.append(next((v for v in values if v), ""))
        else:
            out.append(next((v for v in values if v != _NK), _NK))
    return tuple(out)


def log_access(strategy, user, action: str, *, subject: str, detail: str = "",
               via: str = "web") -> None:  # fmt: skip
    """Record an upload, a view of figures without suppression, or a download."""
    from caring.carers.models import AccessLog

    AccessLog.objects.create(strategy=strategy, user=user if getattr(user, "pk", None) else None,
                             action=action, subject=subject[:200], detail=detail[:500],
                             via=via[:20])  # fmt: skip
