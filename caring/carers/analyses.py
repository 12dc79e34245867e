"""What the carers' records say, as tables anyone may see: every count through caring.disclosure.

Each topic (:data:`TOPICS`: reach, pathways, channels, support, social contact, young carers,
equalities) is a function ``(strategy, rule) -> Topic``: a few sentences and tables whose cells
are already the text to show. Counts of carers are protected by ``rule`` (the strategy's rule
for everyone; :data:`caring.disclosure.NONE` only for data officers); percentages and rates are
worked out from the published (rounded) counts, never from the true ones; a figure derived from
a hidden count is hidden too. Census figures are published ONS statistics and are shown as they
are. Carers are counted once across sources (``Carer``), never once per record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Sum

from caring import disclosure
from caring.carers import vocab
from caring.carers.models import Carer, CarerRecord, CarerSource, CensusArea, SupportItem

SUPPRESSED = disclosure.SUPPRESSED


@dataclass(frozen=True)
class Table:
    """A table to show: ``columns[0]`` heads the row labels; cells are strings as shown."""

    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None
    chart: tuple[tuple[str, int | None], ...] = ()  # (label, published count) for a bar chart
    chart_label: str = ""
    notes: tuple[str, ...] = ()
    withheld: bool = False  # no suppression could protect it: not to be shown


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    paragraphs: tuple[str, ...]
    tables: tuple[Table, ...]
    rule: disclosure.Rule = field(default=disclosure.NHS)


def rule_of(strategy) -> disclosure.Rule:
    """The strategy's rule for publishing counts to everyone but data officers (never "none",
    which is for data officers only, whatever the strategy holds)."""
    rule = disclosure.rule_for(getattr(strategy, "disclosure_rule", "") or disclosure.NHS.key)
    return disclosure.NHS if rule.for_data_officers_only else rule


def _carers(strategy):
    return Carer.objects.filter(strategy=strategy)


def _counts(strategy, column: str) -> Counter:
    rows = _carers(strategy).values_list(column).annotate(n=Count("id")).order_by()
    return Counter({key: n for key, n in rows})


def _rate(count: disclosure.Cell, base: int | None) -> str:
    """Carers known per 100 census carers, from the published count; hidden with it."""
    if count.suppressed:
        return SUPPRESSED
    if not base or count.value is None:
        return disclosure.NOT_APPLICABLE
    tenths = (2000 * count.value + base) // (2 * base)  # half up, to one decimal place
    return f"{tenths // 10}.{tenths % 10}"


def _gap(count: disclosure.Cell, base: int | None) -> str:
    """Census carers not known to any source, from the published count; hidden with it."""
    if count.suppressed:
        return SUPPRESSED
    if base is None or count.value is None:
        return disclosure.NOT_APPLICABLE
    return f"{max(base - count.value, 0):,}"


def _breakdown(
    key: str,
    caption: str,
    heading: str,
    labelled: Sequence[tuple[str, int]],
    rule: disclosure.Rule,
    *,
    chart_label: str = "",
    notes: Sequence[str] = (),
) -> Table:
    """A one-column breakdown with its percentages and total."""
    names = [label for label, _ in labelled]
    if len(set(names)) != len(names):
        raise ValueError(f"repeated categories in {key}")
    table = disclosure.protect_breakdown(dict(labelled), rule)
    rows = tuple((row.category, row.count.shown, row.percentage.shown) for row in table)
    return Table(
        key=key,
        caption=caption,
        columns=(heading, "Carers", "Percentage"),
        rows=rows,
        total=("Total", table.total.shown, "100%" if table.total.value else "–"),
        chart=tuple((row.category, row.count.value) for row in table),
        chart_label=chart_label or f"Carers by {heading.lower()}",
        notes=(*table.notes, *notes),
        withheld=not table.publishable,
    )


def _cross(
    key: str,
    caption: str,
    corner: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    counts: dict[tuple[str, str], int],
    rule: disclosure.Rule,
    *,
    row_codes: Sequence[str] | None = None,
    column_codes: Sequence[str] | None = None,
) -> Table:
    """A two-way table of carers with row, column and grand totals."""
    row_codes = list(row_codes or row_labels)
    column_codes = list(column_codes or column_labels)
    grid = [[counts.get((r, c), 0) for c in column_codes] for r in row_codes]
    if not grid or not column_codes:
        return Table(key, caption, (corner, "Total"), (), None)
    table = disclosure.protect_table(grid, rule)
    rows = tuple(
        (label, *(cell.shown for cell in cells), table.row_totals[i].shown)
        for i, (label, cells) in enumerate(zip(row_labels, table.cells, strict=True))
    )
    total = ("Total", *(c.shown for c in table.column_totals), table.grand_total.shown)
    return Table(key, caption, (corner, *column_labels, "Total"), rows, total,
                 notes=table.notes)  # fmt: skip


# --- summary and sources ---------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    known: disclosure.Cell  # carers counted once across sources
    census_year: int | None
    census_carers: int | None
    rate: str
    gap: str
    sources: tuple[tuple[str, disclosure.Cell, bool], ...]  # name, people known, synthetic
    synthetic: bool
    latest_import: dt.datetime | None


def summary(strategy, rule: disclosure.Rule) -> Summary:
    known = disclosure.protect_count(_carers(strategy).count(), rule)
    year = _census_year()
    census = CensusArea.objects.filter(year=year).aggregate(n=Sum("carers"))["n"] if year else None
    sources = []
    synthetic = False
    latest = None
    for source in CarerSource.objects.filter(strategy=strategy).order_by("id"):
        sources.append((source.name, disclosure.protect_count(source.records, rule),
                        source.is_synthetic))  # fmt: skip
        synthetic = synthetic or source.is_synthetic
        latest = max(latest, source.imported_at) if latest else source.imported_at
    return Summary(known, year, census, _rate(known, census), _gap(known, census),
                   tuple(sources), synthetic, latest)  # fmt: skip


def _census_year() -> int | None:
    return CensusArea.objects.aggregate(y=Max("year"))["y"]


def _synthetic_note(strategy) -> tuple[str, ...]:
    if CarerSource.objects.filter(strategy=strategy, is_synthetic=True).exists():
        return ("Illustrative: the carers' records are synthetic, generated for the demo; the "
                "census figures are real published statistics.",)  # fmt: skip
    return ()


# --- topics ----------------------------------------------------------------------------------


def reach(strategy, rule: disclosure.Rule) -> Topic:
    """Carers known against census carers, by area and by age band, with the unknown gap."""
    s = summary(strategy, rule)
    year = s.census_year
    paragraphs = list(_synthetic_note(strategy))
    if year is None:
        paragraphs.append("No census figures are held, so reach cannot be measured yet.")
    else:
        paragraphs.append(
            f"{s.known.shown} carers are known to services, counted once across sources, "
            f"against {s.census_carers:,} people who said in the {year} census that they give "
            f"unpaid care: {s.rate} known for every 100, leaving about {s.gap} unknown."
        )
    tables = []
    if year is not None:
        areas = list(CensusArea.objects.filter(year=year).order_by("name", "code"))
        known = _counts(strategy, "area_code")
        codes = {a.code for a in areas}
        elsewhere = sum(n for code, n in known.items() if code not in codes)
        labelled = [(f"{a.name} ({a.code})", known.get(a.code, 0)) for a in areas]
        labelled.append(("Area not known or outside the census areas", elsewhere))
        protected = disclosure.protect_breakdown(dict(labelled), rule)
        rows = []
        for area, row in zip([*areas, None], protected, strict=True):
            base = area.carers if area else None
            shown = f"{base:,}" if base is not None else "–"
            rows.append((row.category, shown, row.count.shown, _rate(row.count, base),
                         _gap(row.count, base)))  # fmt: skip
        total = ("Total", f"{s.census_carers:,}", protected.total.shown,
                 _rate(protected.total, s.census_carers),
                 _gap(protected.total, s.census_carers))  # fmt: skip
        tables.append(Table(
            key="reach-area",
            caption=f"Carers known against {year} census carers, by area",
            columns=("Area", f"Census {year} carers", "Carers known",
                     "Known per 100 census carers", "Unknown carers (gap)"),
            rows=tuple(rows), total=total,
            chart=tuple((row.category, row.count.value) for row in protected),
            chart_label="Carers known per area", notes=protected.notes,
            withheld=not protected.publishable,
        ))  # fmt: skip
    tables.append(_reach_by_age(strategy, rule))
    paragraphs.append(
        "Known carers have no hours of care recorded, so reach by the census's hours bands "
        "cannot be measured (the census's own hours bands are published by area)."
    )
    return Topic("reach", "Carers known and unknown", tuple(paragraphs), tuple(tables), rule)


def _reach_by_age(strategy, rule) -> Table:
    known = _counts(strategy, "age_band")
    census = defaultdict(int)
    held = CensusArea.objects.filter(year=2011).prefetch_related("bands")
    for area in held:
        for band in area.bands.all():
            census[band.band] += band.count
    bands = ("aged_0_to_24", "aged_25_to_49", "aged_50_to_64", "aged_65_and_over")
    names = {"aged_0_to_24": "Under 25", "aged_25_to_49": "25 to 49",
             "aged_50_to_64": "50 to 64", "aged_65_and_over": "65 and over"}  # fmt: skip
    grouped = Counter()
    for code, n in known.items():
        grouped[vocab.CENSUS_2011_AGE.get(code, vocab.NOT_KNOWN)] += n
    labelled = [(names[b], grouped[b]) for b in bands] + [
        ("Age not known", grouped[vocab.NOT_KNOWN])
    ]
    protected = disclosure.protect_breakdown(dict(labelled), rule)
    has_census = any(census[b] for b in bands)
    rows = []
    for band, row in zip([*bands, None], protected, strict=True):
        base = census[band] if band and has_census else None
        rows.append((row.category, f"{base:,}" if base is not None else "–", row.count.shown,
                     _rate(row.count, base), _gap(row.count, base)))  # fmt: skip
    base_total = sum(census[b] for b in bands) if has_census else None
    notes = list(protected.notes)
    notes.append("The census's carers by age are from 2011, the latest age table held; ages "
                 "of known carers are at the date of their source's extract.")  # fmt: skip
    return Table(
        key="reach-age",
        caption="Carers known against census carers (2011), by age band",
        columns=("Age band", "Census 2011 carers", "Carers known", "Known per 100 census carers",
                 "Unknown carers (gap)"),
        rows=tuple(rows),
        total=("Total", f"{base_total:,}" if base_total is not None else "–",
               protected.total.shown, _rate(protected.total, base_total),
               _gap(protected.total, base_total)),
        chart=tuple((row.category, row.count.value) for row in protected),
        chart_label="Carers known by age band", notes=tuple(notes),
        withheld=not protected.publishable,
    )  # fmt: skip


def financial_year(day: dt.date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def pathways(strategy, rule: disclosure.Rule) -> Topic:
    """How carers became known, by the financial year they first became known."""
    rows = (
        _carers(strategy).values_list("first_known", "pathway").annotate(n=Count("id")).order_by()
    )
    counts: Counter = Counter()
    for first, pathway, n in rows:
        year = financial_year(first) if first else "Date not known"
        counts[(year, pathway)] += n
    years = sorted({y for y, _ in counts if y != "Date not known"})
    if any(y == "Date not known" for y, _ in counts):
        years.append("Date not known")
    codes = list(vocab.PATHWAY.codes)
    table = _cross("pathways-year", "How carers became known, by the year first known",
                   "Year first known", years, [vocab.PATHWAY.label(c) for c in codes], counts,
                   rule, column_codes=codes)  # fmt: skip
    by_pathway: Counter = Counter()
    for (_, pathway), n in counts.items():
        by_pathway[pathway] += n
    overall = _breakdown("pathways", "How carers became known", "Pathway",
                         [(vocab.PATHWAY.label(c), by_pathway.get(c, 0)) for c in codes],
                         rule)  # fmt: skip
    paragraphs = (*_synthetic_note(strategy),
                  "A carer known to several sources is counted once, under the pathway by which "
                  "they first became known.")  # fmt: skip
    return Topic("pathways", "How carers become known", paragraphs, (overall, table), rule)


def channels(strategy, rule: disclosure.Rule) -> Topic:
    """Access channel (digital, non-digital, both) by sex."""
    rows = _carers(strategy).values_list("channel", "sex").annotate(n=Count("id")).order_by()
    counts = Counter({(c, s): n for c, s, n in rows})
    channel_codes, sex_codes = list(vocab.CHANNEL.codes), list(vocab.SEX.codes)
    table = _cross("channels-sex", "How carers use support, by sex", "Access channel",
                   [vocab.CHANNEL.label(c) for c in channel_codes],
                   [vocab.SEX.label(s) for s in sex_codes], counts, rule,
                   row_codes=channel_codes, column_codes=sex_codes)  # fmt: skip
    paragraphs = (*_synthetic_note(strategy),
                  "Digital: online or by app; non-digital: in person, by telephone or on paper; "
                  "both: a carer recorded as using each way.")  # fmt: skip
    return Topic("channels", "Digital and non-digital access", paragraphs, (table,), rule)


OVERLAP = (
    "A carer given several types of support is counted under each, so the types add up "
    "to more than the carers supported."
)


def support(strategy, rule: disclosure.Rule) -> Topic:
    """Carers supported by type, tech packages with and without training, grants, cost."""
    items = SupportItem.objects.filter(source__strategy=strategy)
    by_kind = Counter(dict(
        items.values_list("kind").annotate(n=Count("record__carer_id", distinct=True)).order_by()
    ))  # fmt: skip
    kinds = [k for k in vocab.SUPPORT.codes if k != vocab.NOT_KNOWN]
    types = _breakdown("support-type", "Carers supported, by type of support",
                       "Type of support", [(vocab.SUPPORT.label(k), by_kind.get(k, 0))
                                           for k in kinds], rule,
                       notes=(OVERLAP,))  # fmt: skip
    # the types overlap, so the total is not a count of people: show carers supported instead
    supported = items.aggregate(n=Count("record__carer_id", distinct=True))["n"]
    supported_cell = disclosure.protect_count(supported, rule)
    types = Table(types.key, types.caption, types.columns[:2], tuple(r[:2] for r in types.rows),
                  ("Carers supported (each counted once)", supported_cell.shown), types.chart,
                  types.chart_label, types.notes, types.withheld)  # fmt: skip
    tech = items.filter(kind="tech_package").values_list("training").annotate(
        n=Count("record__carer_id", distinct=True)).order_by()  # fmt: skip
    tech_counts = {t: n for t, n in tech}
    training = _breakdown("support-training", "Tech packages: training at handover",
                          "Training at handover",
                          [("With training", tech_counts.get(True, 0)),
                           ("Without training", tech_counts.get(False, 0)),
                           ("Not recorded", tech_counts.get(None, 0))], rule)  # fmt: skip
    money_rows = []
    spent = {row["kind"]: row for row in items.filter(amount_pence__isnull=False)
             .values("kind").order_by()
             .annotate(pence=Sum("amount_pence"), carers=Count("record__carer_id", distinct=True),
                       given=Count("id"))}  # fmt: skip
    for kind in kinds:
        agg = spent.get(kind)
        if agg is None:
            continue
        carers = disclosure.protect_count(agg["carers"], rule)
        given = disclosure.protect_count(agg["given"], rule)
        if carers.suppressed or given.suppressed:
            total, each = SUPPRESSED, SUPPRESSED
        else:
            pounds = _pounds(agg["pence"], 100)
            total = f"£{pounds:,}"
            each = _per(pounds, carers.value)
        money_rows.append((vocab.SUPPORT.label(kind), given.shown, carers.shown, total, each))
    money = Table(
        key="support-money",
        caption="Spending on support: grant totals and cost per carer supported",
        columns=("Type of support", "Times given", "Carers", "Total (£, to the nearest £100)",
                 "Per carer (£)"),
        rows=tuple(money_rows),
        notes=("Totals are hidden where the number of carers is, so no one's grant can be "
               "worked out.",),
    )  # fmt: skip
    agg = items.filter(amount_pence__isnull=False).aggregate(
        pence=Sum("amount_pence"), carers=Count("record__carer_id", distinct=True))  # fmt: skip
    paragraphs = list(_synthetic_note(strategy))
    carers_cell = disclosure.protect_count(agg["carers"] or 0, rule)
    if agg["pence"] and not carers_cell.suppressed:
        pounds = _pounds(agg["pence"], 100)
        paragraphs.append(
            f"Support with a recorded cost came to about £{pounds:,} for {carers_cell.shown} "
            f"carers: about {_per(pounds, carers_cell.value)} per carer supported."
        )
    paragraphs.append(f"{supported_cell.shown} carers received some support.")
    return Topic("support", "Support given", tuple(paragraphs), (types, training, money), rule)


def _per(pounds: int, carers: int | None) -> str:
    """Pounds per carer from the published (rounded) total and count, to the nearest pound:
    from the true figures it could give the true count away."""
    if not carers:
        return disclosure.NOT_APPLICABLE
    return f"£{(2 * pounds + carers) // (2 * carers):,}"


def _pounds(pence: int, nearest: int) -> int:
    """Pence to whole pounds rounded half up to the nearest ``nearest`` pounds."""
    step = 100 * nearest
    return ((pence + step // 2) // step) * nearest


def social_contact(strategy, rule: disclosure.Rule) -> Topic:
    counts = _counts(strategy, "social_contact")
    codes = list(vocab.SOCIAL_CONTACT.codes)
    overall = _breakdown("social-contact", "Carers' social contact (the survey's three answers)",
                         "Social contact", [(vocab.SOCIAL_CONTACT.label(c), counts.get(c, 0))
                                            for c in codes], rule)  # fmt: skip
    rows = _carers(strategy).values_list("social_contact", "channel").annotate(
        n=Count("id")).order_by()  # fmt: skip
    by_channel = _cross("social-contact-channel", "Social contact, by access channel",
                        "Social contact", [vocab.SOCIAL_CONTACT.label(c) for c in codes],
                        [vocab.CHANNEL.label(c) for c in vocab.CHANNEL.codes],
                        Counter({(s, c): n for s, c, n in rows}), rule, row_codes=codes,
                        column_codes=list(vocab.CHANNEL.codes))  # fmt: skip
    paragraphs = (*_synthetic_note(strategy),
                  "Isolation: carers who said they have little social contact and feel socially "
                  "isolated.")  # fmt: skip
    return Topic("social-contact", "Social contact and isolation", paragraphs,
                 (overall, by_channel), rule)  # fmt: skip


def young_carers(strategy, rule: disclosure.Rule) -> Topic:
    young = _carers(strategy).filter(young_carer=True)
    total = disclosure.protect_count(young.count(), rule)
    by_path = Counter(dict(young.values_list("pathway").annotate(n=Count("id")).order_by()))
    pathway_table = _breakdown("young-pathway", "Young carers identified, by how they became known",
                               "Pathway", [(vocab.PATHWAY.label(c), by_path.get(c, 0))
                                           for c in vocab.PATHWAY.codes], rule)  # fmt: skip
    years = Counter()
    for first, n in young.values_list("first_known").annotate(n=Count("id")).order_by():
        years[financial_year(first) if first else "Date not known"] += n
    order = sorted(y for y in years if y != "Date not known")
    if "Date not known" in years:
        order.append("Date not known")
    year_table = _breakdown("young-year", "Young carers identified, by the year first known",
                            "Year first known", [(y, years[y]) for y in order], rule)  # fmt: skip
    paragraphs = (*_synthetic_note(strategy),
                  f"{total.shown} young carers (under 18, or recorded as young carers) are known, "
                  "counted once across sources.")  # fmt: skip
    return Topic("young-carers", "Young carers identified", paragraphs,
                 (pathway_table, year_table), rule)  # fmt: skip


EQUALITY_FIELDS = tuple((key, label, column) for key, label, column in vocab.PROTECTED if column)


def equalities(strategy, rule: disclosure.Rule) -> Topic:
    """Every protected characteristic recorded, with "Not known", against the census where the
    census figures held give it (age)."""
    tables = []
    for key, label, column in EQUALITY_FIELDS:
        counts = _counts(strategy, column)
        words = vocab.AGE if column == "age_band" else vocab.CODED[column]
        labelled = [(words.label(code), counts.get(code, 0)) for code in words.codes]
        tables.append(_breakdown(f"equalities-{key}", f"Carers known, by {label.lower()}",
                                 label, labelled, rule))  # fmt: skip
    missing = [label for _, label, column in vocab.PROTECTED if column is None]
    paragraphs = (
        *_synthetic_note(strategy),
        "Every protected characteristic the sources record is shown, with those not known "
        "shown honestly. Not recorded by any source: " + ", ".join(m.lower() for m in missing)
        + ".",
        "The census figures held give carers by age (2011) but not by ethnic group, sex or "
        "disability, so only age is compared with the census (with carers known and unknown).",
    )  # fmt: skip
    return Topic("equalities", "Equalities", paragraphs, tuple(tables), rule)


TOPICS: dict[str, Callable[..., Topic]] = {
    "reach": reach,
    "pathways": pathways,
    "channels": channels,
    "support": support,
    "social-contact": social_contact,
    "young-carers": young_carers,
    "equalities": equalities,
}


def topic(key: str, strategy, rule: disclosure.Rule) -> Topic:
    return TOPICS[key](strategy, rule)


def everything(strategy, rule: disclosure.Rule) -> dict:
    """Every topic as plain data, for ``caring reach --format json``."""
    out = {"strategy": strategy.slug, "rule": rule.key, "topics": []}
    for key, make in TOPICS.items():
        t = make(strategy, rule)
        out["topics"].append({
            "key": key, "title": t.title, "paragraphs": list(t.paragraphs),
            "tables": [
                {"key": tb.key, "caption": tb.caption, "columns": list(tb.columns),
                 "rows": [list(r) for r in tb.rows] if not tb.withheld else [],
                 "total": list(tb.total) if tb.total and not tb.withheld else None,
                 "withheld": tb.withheld, "notes": list(tb.notes)}
                for tb in t.tables
            ],
        })  # fmt: skip
    return out


def record_counts(strategy) -> dict:
    """For data officers: records and carers held, and the span of first-known dates."""
    agg = _carers(strategy).aggregate(first=Min("first_known"), last=Max("first_known"))
    return {
        "records": CarerRecord.objects.filter(source__strategy=strategy).count(),
        "carers": _carers(strategy).count(),
        "first": agg["first"],
        "last": agg["last"],
    }
