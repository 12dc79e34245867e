from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from caring.reports import services
from caring.reports.management.commands._common import (
    meeting_of,
    refused,
    strategy_of,
    template_of,
    user_of,
)


class Command(BaseCommand):
    help = (
        "Issue the progress report for a meeting: freeze the plan's snapshot, the narrative and "
        "the pack in every format, never to be changed; the next report compares with it. "
        "Exit status: 0 issued, 1 refused, 2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument(
            "--meeting", help="The meeting's date, YYYY-MM-DD (default: the next scheduled)."
        )
        parser.add_argument("--user", required=True, help="The username of the lead issuing it.")
        parser.add_argument("--template", help="The council's own .docx, for Word's styles.")

    def handle(self, *args, strategy, user, meeting=None, template=None, **options):
        found = strategy_of(strategy)
        chosen = meeting_of(found, meeting)
        by = user_of(user)
        if not by.has_perm("reports.manage"):
            raise CommandError(f"{user} is not a lead: only leads issue reports.", returncode=1)
        data = template_of(template)
        if chosen is None:
            from django.utils import timezone

            from caring.reports.selectors import default_meeting

            chosen = default_meeting(strategy=found, today=timezone.localdate())
        try:
            issued = services.report_issue(strategy=found, meeting=chosen, by=by, template=data)
        except ValidationError as error:
            raise refused(error) from None
        for requirement in issued.requirements:
            if not requirement["met"]:
                self.stderr.write(f"Warning: not met: {requirement['text']}")
        self.stdout.write(
            f"Issued report {issued.pk}: {issued.title}, for the meeting of "
            f"{issued.meeting.date:%d/%m/%Y}, {issued.files.count()} files frozen."
        )
