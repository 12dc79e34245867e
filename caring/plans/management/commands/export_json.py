import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from caring.plans.export import plan_export
from caring.plans.models import PlanVersion, Strategy


class Command(BaseCommand):
    help = "Write a strategy's current plan as JSON (the open-data form in docs/export-json.md)."

    def add_arguments(self, parser):
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="Judge flags and suggested RAG as of this day, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, strategy, output=None, as_of=None, **options):
        try:
            found = Strategy.objects.get(slug=strategy)
        except Strategy.DoesNotExist:
            known = ", ".join(Strategy.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No strategy with slug {strategy!r}. Known: {known}.") from None
        try:
            data = plan_export(strategy=found, today=as_of)
        except PlanVersion.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {len(data['actions'])} actions to {output}")
        else:
            self.stdout.write(text, ending="")
