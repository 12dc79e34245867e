from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from caring.plans.export import plan_export
from caring.plans.models import PlanVersion, Strategy
from caring.workbooks.writer import write_plan_workbook


class Command(BaseCommand):
    help = "Write a strategy's current plan as an Excel workbook (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")

    def handle(self, *args, strategy, output, **options):
        try:
            found = Strategy.objects.get(slug=strategy)
            data = plan_export(strategy=found)
        except Strategy.DoesNotExist:
            raise CommandError(f"No strategy with slug {strategy!r}.") from None
        except PlanVersion.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        with open(output, "wb") as handle:
            write_plan_workbook(data, handle, exported_at=timezone.localtime())
        self.stderr.write(f"Wrote {len(data['actions'])} actions to {output}")
