import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from caring.reports import services
from caring.reports.management.commands._common import (
    day_of,
    meeting_of,
    refused,
    strategy_of,
    template_of,
)
from caring.reports.models import FORMATS


class Command(BaseCommand):
    help = (
        "Write the progress report pack for a committee meeting in one format. By default the "
        "plan as it stands now, for the next scheduled meeting of the scrutiny committee. "
        "Warns (on standard error) where the committee's requirements for the report are not "
        "met. Exit status: 0 written, 1 refused, 2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--meeting", help="The meeting's date, YYYY-MM-DD.")
        parser.add_argument("--as-of", dest="as_of", help="The plan as it was on YYYY-MM-DD.")
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--output", required=True, help="The file to write ('-': stdout).")
        parser.add_argument(
            "--template",
            help="The council's own .docx for Word's styles (default: the one saved on the "
            "Reports page, if any).",
        )

    def handle(self, *args, strategy, format, output, meeting=None, as_of=None, template=None,
               **options):  # fmt: skip
        found = strategy_of(strategy)
        chosen = meeting_of(found, meeting)
        day = day_of(as_of, "--as-of")
        data = template_of(template)
        if data is not None and format != "docx":
            raise CommandError("--template is for the Word format only.", returncode=2)
        if data is None and format == "docx":
            data = services.template_for(found)  # the council's saved template, if any
        try:
            services.check_template(data)
            draft = services.report_prepare(strategy=found, meeting=chosen, as_of=day)
            content = services.report_file(draft.report, draft.data, format, template=data)
        except ValidationError as error:
            raise refused(error) from None
        for warning in draft.report.warnings:
            self.stderr.write(f"Warning: {warning}")
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        Path(output).write_bytes(content)
        report = draft.report
        self.stdout.write(
            f"Wrote {output}: {report.title}, for {report.meeting_label}, the plan as at "
            f"{report.as_of:%d/%m/%Y} ({report.total} actions)."
        )
