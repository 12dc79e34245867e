"""The council's own Word template kept for a strategy (caring.reports.services): saved,
replaced and removed; refused with the reason and nothing changed; used for the Word file of
every report issued, unless ``caring issue-report --template`` gives another."""

from __future__ import annotations

import hashlib
import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from openpyxl import Workbook

from caring.accounts.models import User
from caring.plans.models import Strategy
from caring.reports import selectors, services
from caring.reports.models import IssuedReport, ReportTemplate
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db

SLUG = "caring-together"


def word_template(header: str = "Rotherham Council", *, drop: tuple[str, ...] = ()) -> bytes:
    """A Word file with ``header`` in its header: python-docx's default template has every
    style the pack needs (``drop`` removes some)."""
    doc = Document()
    section = doc.sections[0].header
    section.is_linked_to_previous = False
    section.paragraphs[0].text = header
    doc.add_paragraph("Template body text.")
    for name in drop:
        element = doc.styles[name].element
        element.getparent().remove(element)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Not a Word document"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def header_of(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    return " ".join(p.text for p in doc.sections[0].header.paragraphs)


@pytest.fixture
def demo(db):
    call_command("demo", password="demo-password-1", stdout=io.StringIO())
    return Strategy.objects.get(slug=SLUG)


@pytest.fixture
def lead(demo):
    return User.objects.get(username="lead")


@pytest.fixture
def next_meeting(demo):
    return selectors.default_meeting(strategy=demo, today=timezone.localdate())


# --- saving, replacing, removing -----------------------------------------------------------------


def test_a_template_is_saved_then_replaced_then_removed(demo, lead):
    assert services.template_for(demo) is None
    first = word_template()
    saved = services.template_save(strategy=demo, data=first, filename="rotherham.docx", by=lead)
    saved.refresh_from_db()
    assert (saved.filename, saved.size) == ("rotherham.docx", len(first))
    assert saved.sha256 == hashlib.sha256(first).hexdigest()
    assert saved.uploaded_by == lead and saved.uploaded_at is not None
    assert bytes(saved.content) == first
    assert services.template_for(demo) == first
    assert demo.report_template == saved

    second = word_template("Rotherham Metropolitan Borough Council")
    admin = User.objects.get(username="admin")
    services.template_save(strategy=demo, data=second, filename="rmbc 2027.docx", by=admin)
    row = ReportTemplate.objects.get()  # replaced: still one
    assert (row.pk, row.filename, row.uploaded_by) == (saved.pk, "rmbc 2027.docx", admin)
    assert services.template_for(demo) == second

    # Another strategy's template is its own.
    other = StrategyFactory()
    assert services.template_for(other) is None
    services.template_save(strategy=other, data=first, filename="other.docx", by=lead)
    assert services.template_for(demo) == second and ReportTemplate.objects.count() == 2

    assert services.template_remove(strategy=demo, by=lead) is True
    assert services.template_for(demo) is None
    assert services.template_for(other) == first
    assert services.template_remove(strategy=demo, by=lead) is False  # nothing left to remove


def test_the_history_records_who_changed_it_but_not_the_file_itself(demo, lead):
    services.template_save(strategy=demo, data=word_template(), filename="a.docx", by=lead)
    services.template_save(strategy=demo, data=word_template("B"), filename="b.docx", by=lead)
    services.template_remove(strategy=demo, by=lead)
    history = list(ReportTemplate.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert [h.filename for h in history] == ["a.docx", "b.docx", "b.docx"]
    assert all(h.history_user == lead for h in history)
    assert "content" not in {f.name for f in ReportTemplate.history.model._meta.fields}


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("C:\\Users\\jo\\Desktop\\Council template.docx", "Council template.docx"),
        ("../../etc/passwd.docx", "passwd.docx"),
        ('we"ird\r\nname.docx', "we_irdname.docx"),
        ("", "template.docx"),
        ("x" * 300 + ".docx", "x" * 250 + ".docx"),
    ],
)
def test_the_uploaded_name_is_kept_safely(demo, lead, name, kept):
    saved = services.template_save(strategy=demo, data=word_template(), filename=name, by=lead)
    assert saved.filename == kept


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (xlsx(), "The template is an Excel workbook, not a Word document"),
        (random.Random(7).randbytes(4000), "The template is not a Word document (.docx)"),
        (b"", "The template is empty (0 bytes)"),
        (b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024), "the largest template accepted is 10 MB"),
        (word_template(drop=("Caption",)), "The template lacks the style Caption"),
    ],
    ids=["xlsx", "random", "empty", "over-10-mb", "missing-style"],
)
@pytest.mark.parametrize("before", ["none", "one"])
def test_a_bad_template_is_refused_saying_why_and_nothing_changes(demo, lead, data, says, before):
    good = word_template()
    if before == "one":
        services.template_save(strategy=demo, data=good, filename="good.docx", by=lead)
    history = ReportTemplate.history.count()
    with pytest.raises(ValidationError) as info:
        services.template_save(strategy=demo, data=data, filename="bad.docx", by=lead)
    [message] = info.value.message_dict["template"]
    assert says in message
    assert ReportTemplate.history.count() == history
    if before == "one":
        row = ReportTemplate.objects.get()
        assert (row.filename, bytes(row.content)) == ("good.docx", good)
    else:
        assert not ReportTemplate.objects.exists()


# --- used for the Word pack ----------------------------------------------------------------------


def test_issuing_uses_the_strategys_template_for_the_word_file(demo, lead, next_meeting):
    services.template_save(strategy=demo, data=word_template(), filename="t.docx", by=lead)
    issued = services.report_issue(strategy=demo, meeting=next_meeting, by=lead)
    docx = bytes(issued.files.get(format="docx").content)
    assert "Rotherham Council" in header_of(docx)
    body = " ".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "Template body text." not in body and issued.title in body
    # One given for this report overrides the saved one.
    given = word_template("Sheffield City Council")
    again = services.report_issue(strategy=demo, meeting=next_meeting, by=lead, template=given)
    docx = bytes(again.files.get(format="docx").content)
    assert "Sheffield City Council" in header_of(docx) and "Rotherham" not in header_of(docx)


def test_without_a_template_the_word_file_is_in_the_house_style(demo, lead, next_meeting):
    issued = services.report_issue(strategy=demo, meeting=next_meeting, by=lead)
    assert "Rotherham Council" not in header_of(bytes(issued.files.get(format="docx").content))


def issue_report(*args: str) -> IssuedReport:
    call_command("issue_report", "--strategy", SLUG, "--user", "lead", *args,
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    return IssuedReport.objects.order_by("-issued_at", "-id").first()


def test_the_commands_template_overrides_the_saved_one(demo, lead, next_meeting, tmp_path):
    services.template_save(strategy=demo, data=word_template(), filename="t.docx", by=lead)
    saved = issue_report("--meeting", next_meeting.date.isoformat())
    assert "Rotherham Council" in header_of(bytes(saved.files.get(format="docx").content))
    path = tmp_path / "sheffield.docx"
    path.write_bytes(word_template("Sheffield City Council"))
    given = issue_report("--meeting", next_meeting.date.isoformat(), "--template", str(path))
    header = header_of(bytes(given.files.get(format="docx").content))
    assert "Sheffield City Council" in header and "Rotherham" not in header
    assert ReportTemplate.objects.get().filename == "t.docx"  # the saved one is kept


def test_caring_report_uses_the_saved_template_unless_given_another(tmp_path):
    call_command("demo", password="demo-password-1", stdout=io.StringIO())
    strategy = Strategy.objects.get(slug="caring-together")
    template = Document()
    template.sections[0].header.paragraphs[0].text = "Saved Council Header"
    out = io.BytesIO()
    template.save(out)
    services.template_save(strategy=strategy, data=out.getvalue(), filename="council.docx",
                           by=User.objects.get(username="lead"))  # fmt: skip
    path = tmp_path / "pack.docx"
    call_command("report", "--strategy", "caring-together", "--format", "docx", "--output",
                 str(path), stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    header = Document(str(path)).sections[0].header.paragraphs[0].text
    assert header == "Saved Council Header"
