"""The forms of the report pack's pages: choosing a report, the lead's narrative, issuing,
the council's Word template.

Dates are typed as day/month/year (31/3/2026); links built by the app carry them as
YYYY-MM-DD. :func:`parse_day` reads both.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from caring.plans.rag import format_date

NEXT = "next"  # the meeting choice for the next meeting, not yet scheduled
DAY_HINT = "For example 31/3/2026."
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


class DayError(ValueError):
    """A date that could not be read, with the words to say so."""


def parse_day(text: str | None, what: str = "The date") -> dt.date | None:
    """``text`` as a date (31/3/2026 or 2026-03-31), None when blank; DayError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        if _ISO.fullmatch(text):
            return dt.date.fromisoformat(text)
        found = _DMY.fullmatch(text)
        if found:
            day, month, year = (int(part) for part in found.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise DayError(f"{what} must be a real date, for example 31/3/2026.") from None
    raise DayError(f"{what} must be written as day/month/year, for example 31/3/2026.")


def meeting_label(meeting) -> str:
    return (
        f"{meeting.body.name}, {format_date(meeting.date)} ({meeting.get_status_display().lower()})"
    )


def _text(label: str, *, required: bool = False, max_length: int = 20000, rows: int | None = 5,
          help_text: str = "") -> forms.CharField:  # fmt: skip
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        strip=False,  # the service strips; the lead's line breaks are kept
        widget=forms.Textarea(attrs={"rows": rows}) if rows else None,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "max_length": f"{label} must be {max_length:,} characters or fewer.",
        },
    )


PARAGRAPHS = "Leave a blank line between paragraphs."


class NarrativeForm(forms.Form):
    """What the lead writes for the report; one 'how it is met' box per committee requirement."""

    author_role = _text(
        "Report of", max_length=200, rows=None,
        help_text="The author, as a role, for example Strategic Commissioning Manager.",
    )  # fmt: skip
    summary = _text("Executive summary", help_text=PARAGRAPHS)
    recommendations = _text(
        "Recommendations to the committee", rows=4,
        help_text="One per line, for example: That the Commission notes the report.",
    )  # fmt: skip
    background = _text("Background", help_text=PARAGRAPHS)
    key_issues = _text("Key issues", help_text=PARAGRAPHS)
    next_steps = _text("Next steps", help_text=PARAGRAPHS)
    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": "This form is out of date. Reload the page and try again."},
    )

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        for requirement in self.requirements:
            self.fields[self.addressed_name(requirement)] = _text(
                "How this report meets it",
                max_length=5000,
                rows=3,
                help_text="Leave blank if the report does not meet it yet.",
            )

    @staticmethod
    def addressed_name(requirement) -> str:
        return f"addressed_{requirement.pk}"

    @property
    def main_fields(self) -> list[str]:
        return [name for name in self.fields if not name.startswith("addressed_")]

    def addressed(self) -> dict[int, str]:
        return {r.pk: self.cleaned_data[self.addressed_name(r)] for r in self.requirements}


class IssueForm(forms.Form):
    meeting = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "A report is issued for a meeting: choose the meeting, then issue it.",
            "invalid": "A report is issued for a meeting: choose the meeting, then issue it.",
        },
    )
    confirm = forms.BooleanField(
        label="I have checked this report: issue it to the committee and freeze it",
        error_messages={"required": "Confirm that you have checked the report before issuing it."},
    )


TEMPLATE_MB = 10
EMPTY_TEMPLATE = (
    "The template is empty (0 bytes): choose the council's Word template (.docx) and upload it "
    "again."
)


class TemplateForm(forms.Form):
    """The council's Word template, read only once its size is known to be within the limit;
    what it holds is checked by ``services.template_save``."""

    template = forms.FileField(
        label="Upload the council's Word template",
        error_messages={
            "required": "Choose the council's Word template (.docx) to upload.",
            "empty": EMPTY_TEMPLATE,
            "invalid": "Choose the council's Word template (.docx) to upload.",
            "missing": "Choose the council's Word template (.docx) to upload.",
        },
    )

    limit_mb = TEMPLATE_MB

    def clean_template(self):
        upload = self.cleaned_data["template"]
        limit = TEMPLATE_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                f"The template is {upload.size / 1024 / 1024:.1f} MB: the largest template "
                f"accepted is {TEMPLATE_MB} MB. Compress its pictures in Word (File, Compress "
                "Pictures) and upload it again."
            )
        self.data_bytes = upload.read()
        return upload
