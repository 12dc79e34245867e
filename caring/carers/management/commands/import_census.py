from django.core.management.base import BaseCommand

from caring.carers.census_reader import read_census
from caring.carers.services import ImportRefused, census_import
from caring.indicators.management.commands._common import file_bytes, refuse, warn


class Command(BaseCommand):
    help = (
        "Import an ONS census table of unpaid care (CSV, at most 20 MB) for any geography: "
        "local authority, MSOA, ward or LSOA. Wide (a row per area, a column per band, with or "
        "without a total) or long (a row per area and category: area code, area name, "
        "category, value). Census 2021 hours bands, Census 2011 hours bands or 2011 carers by "
        "age; the year is told by the bands. Bands must add up to the total where both are "
        "given. All or nothing; areas already held for the same year are replaced. Census "
        "figures are published ONS statistics, not personal data, so no small numbers are "
        "suppressed. Exit status: 0 imported, 1 refused (problems by row on standard error), "
        "2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file.")
        parser.add_argument(
            "--year",
            type=int,
            choices=[2011, 2021],
            help="The census; refused if the bands belong to the other one.",
        )

    def handle(self, *args, file, year=None, **options):
        data, name = file_bytes(file)
        read = read_census(data, name, year)
        warn(self, read.problems)
        try:
            result = census_import(read=read, filename=name)
        except ImportRefused as refused:
            raise refuse(self, name, refused.problems) from None
        self.stdout.write(result.summary)
