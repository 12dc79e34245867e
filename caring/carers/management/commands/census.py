import json

from django.core.management.base import BaseCommand

from caring.carers.selectors import census_rows


class Command(BaseCommand):
    help = (
        "Print the census figures of unpaid care held, area by area: code, name, year, "
        "geography, residents (the base population, when the table gives it), carers (people "
        "giving any unpaid care) and the bands. Census figures are published ONS statistics "
        "about areas, not personal data: they are shown as published, with no suppression."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--year", type=int, choices=[2011, 2021])

    def handle(self, *args, format, year=None, **options):
        rows = census_rows(year)
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not rows:
            which = f" for {year}" if year else ""
            self.stdout.write(f"No census figures are held{which}. Import them with "
                              "`caring import-census FILE`.")  # fmt: skip
            return
        for row in rows:
            residents = f"{row['residents']:,}" if row["residents"] is not None else "not given"
            share = f" ({row['carers'] / row['residents']:.1%})" if row["residents"] else ""
            bands = ", ".join(f"{band} {count:,}" for band, count in row["bands"].items())
            self.stdout.write(
                f"{row['year']} {row['code']} {row['name']} ({row['geography']}): "
                f"{row['carers']:,} carers{share}; residents {residents}; {bands}"
            )
