import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from caring.governance import selectors
from caring.governance.tracker_export import tracker_rows, write_tracker_workbook
from caring.plans.models import Strategy


class Command(BaseCommand):
    help = (
        "Write a strategy's recommendations tracker as an Excel workbook: the columns councils' "
        "trackers use, then the response, due date, RAG, flags and linked actions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")

    def handle(self, *args, strategy, output, **options):
        found = Strategy.objects.filter(slug=strategy).first()
        if found is None:
            raise CommandError(f"There is no strategy {strategy!r}.", returncode=2)
        today = timezone.localdate()
        items = selectors.tracker(strategy=found, today=today)
        content = write_tracker_workbook(tracker_rows(items, today=today), title=found.title)
        Path(output).write_bytes(content)
        self.stdout.write(f"Wrote {len(items)} items to {output}.")
        sys.stdout.flush()
