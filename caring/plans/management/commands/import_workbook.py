import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from caring.accounts.models import User
from caring.plans.services.imports import KEEP_APP, TAKE_WORKBOOK, workbook_import
from caring.workbooks.headers import FIELDS


class Command(BaseCommand):
    help = (
        "Import a council's delivery-plan workbook (.xlsx or .csv) as a new version of a "
        "strategy's plan (the strategy is created if it does not exist), or take a workbook "
        "exported by Caring Together back onto the same actions, showing every difference. "
        "All or nothing. Exit status: 0 imported, 1 refused, 2 usage error."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version names the plan version, replacing Django's --version (its own version).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The workbook (.xlsx) or CSV file.")
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--version", dest="version_name", help="A name for a new version.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; change nothing."
        )
        parser.add_argument(
            "--new-version",
            action="store_true",
            help="Import a workbook exported by Caring Together as a new version of the plan "
            "instead of taking its changes back onto the same actions.",
        )
        parser.add_argument(
            "--conflicts",
            choices=("ask", KEEP_APP, TAKE_WORKBOOK),
            default="ask",
            help="A field changed both in the app since the export and in the workbook: 'ask' "
            "(the default) lists them and imports nothing; 'app' keeps the app's values; "
            "'workbook' takes the workbook's.",
        )
        parser.add_argument(
            "--user", help="The username of the person importing (named on each update)."
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="Say which column holds a field, by its header or letter, when the header is "
            "not one we know: --column due='When by' --column lead=D; FIELD= (empty) ignores "
            f"that field. Fields: {', '.join(FIELDS)}.",
        )

    def handle(self, *args, file, strategy, version_name=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.", returncode=2)
        by = None
        if options.get("user"):
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"There is no user called {options['user']!r}.", returncode=2)
        mapping = {}
        for given in options.get("column") or []:
            name, equals, column = given.partition("=")
            if not equals or name.strip() not in FIELDS:
                raise CommandError(
                    f"--column {given!r}: write FIELD=COLUMN, with FIELD one of "
                    f"{', '.join(FIELDS)}.",
                    returncode=2,
                )
            mapping[name.strip()] = column.strip()
        data = path.read_bytes()
        arguments = dict(
            data=data,
            filename=path.name,
            strategy_slug=strategy,
            version_name=version_name,
            by=by,
            mode="new" if options.get("new_version") else None,
            mapping=mapping,
        )
        report = workbook_import(**arguments, dry_run=True)
        choice = options.get("conflicts", "ask")
        if not dry_run and not report.refused and choice != "ask":
            resolutions = {f"{c.action_id}:{f.field}": choice for c, f in report.conflicts}
            expected = {c.action_id: c.revision for c in report.changes}
            report = workbook_import(
                **arguments, resolutions=resolutions, expected_revisions=expected
            )
        elif not dry_run and not report.refused:
            report = workbook_import(**arguments)
        self._problems(report)
        if report.mode == "update":
            self._differences(report)
        if report.refused:
            self.stderr.write("Refused: nothing was imported.")
            sys.exit(1)
        suffix = " (dry run: nothing was changed)." if dry_run else "."
        if report.mode == "update":
            self.stdout.write(
                f"{'Would update' if dry_run else 'Updated'} {len(report.changes)} actions and "
                f"{'would add' if dry_run else 'added'} {report.actions} in {report.strategy!r}, "
                f"version {report.version!r}; {report.unchanged} unchanged{suffix}"
            )
        else:
            self.stdout.write(
                f"{'Would import' if dry_run else 'Imported'} {report.actions} actions in "
                f"{report.themes} themes into {report.strategy!r}, version "
                f"{report.version!r}{suffix}"
            )

    def _problems(self, report) -> None:
        for problem in report.problems:
            where = problem.place
            prefix = "ERROR" if problem.severity == "error" else "warning"
            self.stdout.write(f"{prefix}: {where + ': ' if where else ''}{problem.message}")

    def _differences(self, report) -> None:
        for change in report.changes:
            self.stdout.write(f"{change.ref} (sheet {change.sheet!r}, row {change.row}):")
            for item in change.fields:
                mark = "  CONFLICT" if item.conflict else ""
                self.stdout.write(
                    f"  {item.label}: app {item.app or '(blank)'!r} -> workbook "
                    f"{item.workbook or '(blank)'!r}{mark}"
                    + (f" (when exported: {item.exported or '(blank)'!r})" if item.conflict else "")
                )
            if change.progress:
                self.stdout.write(f"  new update: {change.progress!r}")
            for line in change.evidence:
                self.stdout.write(f"  new evidence: {line!r}")
        for row in report.added:
            self.stdout.write(f"{row.ref} (sheet {row.sheet!r}, row {row.row}): a new action")
