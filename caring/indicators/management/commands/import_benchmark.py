from django.core.management.base import BaseCommand

from caring.indicators.benchmark_reader import read_benchmark
from caring.indicators.management.commands._common import file_bytes, refuse, warn
from caring.indicators.services import ImportRefused, benchmark_import


class Command(BaseCommand):
    help = (
        "Import national comparator data for every council (the layout of the Oflog adult "
        "social care file: Financial year, Local authority code and name, Grouping, "
        "Entity_Name, Region, Measure, Value). All or nothing; values already held for the "
        "same measure, year and council are updated. Exit status: 0 imported, 1 refused, 2 "
        "usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        data, name = file_bytes(file)
        read = read_benchmark(data, name)
        warn(self, read.problems)
        try:
            result = benchmark_import(read=read, filename=name)
        except ImportRefused as refused:
            raise refuse(self, name, refused.problems) from None
        self.stdout.write(result.summary)
