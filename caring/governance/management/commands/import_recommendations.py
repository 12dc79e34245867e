from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from caring.accounts.models import User
from caring.governance.importer import TrackerImportError, tracker_import
from caring.governance.tracker_reader import read_tracker
from caring.plans.models import Strategy

LIMIT = 5 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import a recommendations tracker (.xlsx or .csv with the columns Reference, Origin "
        "committee, Date agreed, Recommendation, Executive date, Lead officer, Action taken, "
        "Status; optionally Response, Due, RAG) onto a strategy's tracker. All or nothing: any "
        "problem is listed by row and nothing is imported. Exit status: 0 imported, 1 refused, "
        "2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The tracker (.xlsx) or CSV file.")
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--user", help="The username of the person importing.")

    def handle(self, *args, file, strategy, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.", returncode=2)
        if path.stat().st_size > LIMIT:
            raise CommandError(f"{path.name} is larger than 5 MB.", returncode=1)
        found = Strategy.objects.filter(slug=strategy).first()
        if found is None:
            raise CommandError(f"There is no strategy {strategy!r}.", returncode=2)
        by = None
        if user:
            by = User.objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"There is no user {user!r}.", returncode=2)
        read = read_tracker(path.read_bytes(), filename=path.name)
        for warning in (p for p in read.problems if p.severity != "error"):
            self.stderr.write(f"Warning: {warning.place}: {warning.message}")
        try:
            result = tracker_import(strategy=found, read=read, by=by)
        except TrackerImportError as exc:
            self.stderr.write(f"Nothing was imported from {path.name}:")
            for problem in exc.problems:
                where = problem.place or "the file"
                self.stderr.write(f"  {where}: {problem.message}")
            raise CommandError(
                f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}.",
                returncode=1,
            ) from None
        self.stdout.write(result.summary)
