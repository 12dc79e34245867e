import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from caring.plans.services.imports import workbook_import


class Command(BaseCommand):
    help = (
        "Import a council's delivery-plan workbook (.xlsx or .csv) as a new version of a "
        "strategy's plan (the strategy is created if it does not exist). All or nothing. "
        "Exit status: 0 imported, 1 refused, 2 usage error."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version names the plan version, replacing Django's --version (its own version).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The workbook (.xlsx) or CSV file.")
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--version", dest="version_name", help="A name for this version.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; change nothing."
        )

    def handle(self, *args, file, strategy, version_name=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.", returncode=2)
        report = workbook_import(
            data=path.read_bytes(),
            filename=path.name,
            strategy_slug=strategy,
            version_name=version_name,
            dry_run=dry_run,
        )
        for problem in report.problems:
            where = ", ".join(
                part
                for part in (
                    f"sheet {problem.sheet!r}" if problem.sheet else "",
                    f"row {problem.row}" if problem.row else "",
                    f"column {problem.column}" if problem.column else "",
                )
                if part
            )
            prefix = "ERROR" if problem.severity == "error" else "warning"
            self.stdout.write(f"{prefix}: {where + ': ' if where else ''}{problem.message}")
        if report.refused:
            self.stderr.write("Refused: nothing was imported.")
            sys.exit(1)
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.actions} actions in {report.themes} themes into "
            f"{report.strategy!r}, version {report.version!r}"
            + (" (dry run: nothing was changed)." if dry_run else ".")
        )
