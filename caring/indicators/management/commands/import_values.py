from django.core.management.base import BaseCommand, CommandError

from caring.accounts.models import User
from caring.indicators.management.commands._common import file_bytes, refuse, warn
from caring.indicators.services import ImportRefused, values_import
from caring.indicators.values_reader import read_values
from caring.plans.models import Strategy


class Command(BaseCommand):
    help = (
        "Import indicator values from a CSV or Excel file (columns: Indicator, Period, Value, "
        "and optionally Numerator, Denominator, Source, Date extracted, Note) as drafts for "
        "each indicator's owner to approve. All or nothing: every problem is listed by row. "
        "Exit status: 0 imported, 1 refused, 2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--user", help="The username of the person importing.")

    def handle(self, *args, file, strategy, user=None, **options):
        data, name = file_bytes(file)
        found = Strategy.objects.filter(slug=strategy).first()
        if found is None:
            raise CommandError(f"There is no strategy {strategy!r}.", returncode=2)
        by = None
        if user and (by := User.objects.filter(username=user).first()) is None:
            raise CommandError(f"There is no user {user!r}.", returncode=2)
        read = read_values(data, name)
        warn(self, read.problems)
        try:
            result = values_import(strategy=found, read=read, by=by)
        except ImportRefused as refused:
            raise refuse(self, name, refused.problems) from None
        self.stdout.write(result.summary)
