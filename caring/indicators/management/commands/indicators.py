import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from caring.indicators.export import indicators_export
from caring.plans.models import Strategy


class Command(BaseCommand):
    help = (
        "Print a strategy's indicators: code, title, unit, baseline, the latest approved value "
        "and its period, target, RAG and the national benchmark (median, rank, of how many). "
        "Only approved values are shown."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, strategy, format, **options):
        found = Strategy.objects.filter(slug=strategy).first()
        if found is None:
            raise CommandError(f"There is no strategy {strategy!r}.", returncode=2)
        rows = indicators_export(strategy=found, today=timezone.localdate())
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            latest = row["latest"]
            shown = f"{latest['value']} ({latest['period']})" if latest else "no approved value"
            self.stdout.write(f"{row['code']}: {row['title']}: {shown}; RAG {row['rag'] or '-'}")
