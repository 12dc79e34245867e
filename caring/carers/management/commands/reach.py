import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from caring import disclosure
from caring.carers import analyses
from caring.carers.management.commands.import_carers import strategy_of, user_of
from caring.carers.models import AccessAction
from caring.carers.services import log_access


def may_see_exact(user) -> bool:
    """Whether ``user`` may see figures without suppression: the ``carers.exact`` rule where
    it is defined, otherwise a data officer."""
    import rules

    from caring import permissions

    if user is None:
        return False
    if rules.perm_exists("carers.exact"):
        return rules.has_perm("carers.exact", user)
    return bool(permissions.is_data_officer(user))


def _iso(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def text_table(table: dict) -> list[str]:
    """A table of :func:`analyses.everything` as plain text, columns aligned."""
    lines = [table["caption"]]
    if table["withheld"]:
        lines.append("  Not shown: no suppression could stop a hidden figure being worked out "
                     "from the others.")  # fmt: skip
        return lines
    rows = [list(table["columns"]), *table["rows"]]
    if table["total"]:
        rows.append(list(table["total"]))
    widths = [max(len(str(row[i])) for row in rows if i < len(row))
              for i in range(len(table["columns"]))]  # fmt: skip
    for number, row in enumerate(rows):
        cells = [str(cell).ljust(widths[i]) if i == 0 else str(cell).rjust(widths[i])
                 for i, cell in enumerate(row)]  # fmt: skip
        lines.append("  " + "  ".join(cells).rstrip())
        if number == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    lines += [f"  Note: {note}" for note in table["notes"]]
    return lines


class Command(BaseCommand):
    help = (
        "Print what the carers' records say, topic by topic (reach against the census, "
        "pathways, access channel, support, social contact, young carers, equalities), as "
        "JSON or text. Counts follow the strategy's rule for publishing small numbers; "
        "--exact shows them unsuppressed, only for a data officer named by --user, and is "
        "recorded in the access log. Exit status: 0 printed, 1 refused, 2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--strategy", help="The strategy's slug (needed only when there are several)."
        )
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument(
            "--exact",
            action="store_true",
            help="Exact figures, nothing hidden or rounded: for data officers only (--user), "
            "not for publication; recorded in the access log.",
        )
        parser.add_argument("--user", help="Who is asking, by username (needed for --exact).")

    def handle(self, *args, strategy=None, format, exact=False, user=None, **options):
        found = strategy_of(strategy)
        person = user_of(user)
        rule = published = analyses.rule_of(found)
        if exact:
            if person is None:
                raise CommandError(
                    "--exact shows figures without suppression, for data officers only: name "
                    "yourself with --user USERNAME.",
                    returncode=1,
                )
            if not may_see_exact(person):
                raise CommandError(
                    f"{person.username} is not a data officer: only data officers may see "
                    "figures without suppression. Leave out --exact for the published figures.",
                    returncode=1,
                )
            rule = disclosure.NONE
        elif rule.for_data_officers_only:  # never publish exact figures by the back door
            rule = disclosure.NHS
        data = analyses.everything(found, rule)
        if exact:
            log_access(found, person, AccessAction.EXACT, subject=f"reach ({format})",
                       detail=f"command; published rule {published.key}",
                       via="command")  # fmt: skip
        if format == "json":
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_iso))
            return
        lines = [f"Carers known and unknown: {found.title}"]
        if exact:
            lines.append("EXACT FIGURES, nothing hidden or rounded: for data officers only, "
                         "not for publication.")  # fmt: skip
        else:
            lines.append(f"Small numbers: {rule.name}.")
        for topic in data["topics"]:
            lines += ["", topic["title"], "=" * len(topic["title"])]
            lines += topic["paragraphs"]
            for table in topic["tables"]:
                lines.append("")
                lines += text_table(table)
        self.stdout.write("\n".join(lines))
