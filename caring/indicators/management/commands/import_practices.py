from django.core.management.base import BaseCommand

from caring.indicators.management.commands._common import file_bytes, refuse, warn
from caring.indicators.practices_reader import read_practices
from caring.indicators.services import ImportRefused, practices_import


class Command(BaseCommand):
    help = (
        "Import GP practices from the NHS ODS practice file (epraccur layout, no header row; "
        "active GP practices have status A and prescribing setting 4). All or nothing; "
        "practices already held are updated. Exit status: 0 imported, 1 refused, 2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        data, name = file_bytes(file)
        read = read_practices(data, name)
        warn(self, read.problems)
        try:
            result = practices_import(read=read)
        except ImportRefused as refused:
            raise refuse(self, name, refused.problems) from None
        self.stdout.write(result.summary)
