import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from caring.carers.services import MATCHING_MISSES, ImportRefused, carers_import
from caring.indicators.management.commands._common import refuse


def strategy_of(slug: str | None):
    """The strategy named by ``--strategy``, or the only one there is."""
    from caring.plans.models import Strategy

    if slug:
        found = Strategy.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"There is no strategy {slug!r}.", returncode=2)
        return found
    held = list(Strategy.objects.order_by("slug")[:2])
    if len(held) == 1:
        return held[0]
    if not held:
        raise CommandError("There is no strategy yet: create one first.", returncode=2)
    slugs = ", ".join(Strategy.objects.order_by("slug").values_list("slug", flat=True))
    raise CommandError(f"Name the strategy with --strategy: one of {slugs}.", returncode=2)


def user_of(username: str | None):
    """The user named by ``--user`` (recorded in the access log), or None."""
    if not username:
        return None
    from caring.accounts.models import User

    found = User.objects.filter(username=username).first()
    if found is None:
        raise CommandError(f"There is no user {username!r}.", returncode=2)
    return found


def megabytes(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n < 10 * 1048576 else f"{n / 1048576:.0f} MB"


def carers_file(file: str, what: str = "carers' extract") -> tuple[bytes, str]:
    """A file's bytes and name, refused (exit 1) over ``CARING_CARERS_MAX_BYTES``."""
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"No file at {file}.", returncode=2)
    limit = settings.CARING_CARERS_MAX_BYTES
    size = path.stat().st_size
    if size > limit:
        raise CommandError(
            f"{path.name} is {megabytes(size)}, over the {megabytes(limit)} limit for a {what} "
            "(CARING_CARERS_MAX_BYTES). Nothing was imported. Split it by date first known, or "
            "ask for the limit to be raised.",
            returncode=1,
        )
    return path.read_bytes(), path.name


def parse_extract_date(said: str | None) -> dt.date | None:
    if not said:
        return None
    try:
        day = dt.date.fromisoformat(said)
    except ValueError:
        raise CommandError(
            f"--extract-date {said!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31.",
            returncode=2,
        ) from None
    if day > timezone.localdate():
        raise CommandError(
            f"--extract-date {said} is in the future: give the day the extract was taken.",
            returncode=2,
        )
    return day


class Command(BaseCommand):
    help = (
        "Import one source's record-level extract of carers (CSV or Excel .xlsx): one row per "
        "item of support given, or one row for a carer given none. Pseudonymised on arrival: "
        "identifiers become keyed hashes, dates of birth age bands, postcodes area codes; "
        "names, addresses and contact details are dropped (the report says which columns) and "
        "the file is not kept. All or nothing: any problem and nothing is imported. Importing "
        "a source again replaces its records; then every source's carers are matched again so "
        "each carer is counted once. Exit status: 0 imported, 1 refused (problems by row and "
        "column on standard error), 2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The extract: CSV or Excel (.xlsx).")
        parser.add_argument(
            "--source",
            required=True,
            help="Who the extract is from, e.g. 'Adult Social Care' or 'Crossroads Care'. "
            "Its records replace those imported before under the same name.",
        )
        parser.add_argument(
            "--strategy", help="The strategy's slug (needed only when there are several)."
        )
        parser.add_argument(
            "--lookup",
            help="A postcode lookup CSV (a postcode column such as pcds and an area column "
            "such as msoa21cd): added to the lookup held, used to turn postcodes into areas.",
        )
        parser.add_argument(
            "--unknown-as-not-known",
            action="store_true",
            help="Keep labels we don't know (an ethnicity written some other way, say) as "
            "'not known', and report how many, instead of refusing the file.",
        )
        parser.add_argument(
            "--synthetic",
            action="store_true",
            help="The records are generated, not real people (the demo's): pages say so.",
        )
        parser.add_argument(
            "--extract-date",
            help="The day the extract was taken, YYYY-MM-DD (default today): ages are worked "
            "out on it, and dates after it are refused.",
        )
        parser.add_argument(
            "--user", help="The data officer importing, by username, for the access log."
        )
        parser.add_argument(
            "--no-match",
            action="store_true",
            help="Don't match carers across sources after importing (when importing several "
            "sources in a row: the last import should match).",
        )

    def handle(self, *args, file, source, strategy=None, lookup=None, unknown_as_not_known=False,
               synthetic=False, extract_date=None, user=None, no_match=False,
               **options):  # fmt: skip
        found = strategy_of(strategy)
        day = parse_extract_date(extract_date)
        person = user_of(user)
        if person is not None and not may_upload(person):
            raise CommandError(
                f"{person.username} is not a data officer: only data officers import carers' "
                "records.",
                returncode=1,
            )
        data, name = carers_file(file)
        lookup_data = carers_file(lookup, "postcode lookup")[0] if lookup else None
        try:
            result = carers_import(
                strategy=found, source_name=source, data=data, filename=name, user=person,
                lookup=lookup_data, unknown_as_not_known=unknown_as_not_known,
                synthetic=synthetic, today=day, match=not no_match, via="command",
            )  # fmt: skip
        except ImportRefused as refused:
            raise refuse(self, name, refused.problems) from None
        self.stdout.write(result.summary)
        for note in result.notes:
            self.stdout.write(note)
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        if result.match is None:
            self.stdout.write(
                "Carers were not matched across sources (--no-match): the figures count them "
                "as before until an import without --no-match matches every source again."
            )
        else:
            self.stdout.write(result.match.summary)
            self.stdout.write(MATCHING_MISSES)


def may_upload(user) -> bool:
    """Whether ``user`` may import carers' records: the ``carers.upload`` rule where it is
    defined, otherwise a data officer."""
    import rules

    from caring import permissions

    if rules.perm_exists("carers.upload"):
        return rules.has_perm("carers.upload", user)
    return bool(permissions.is_data_officer(user))
