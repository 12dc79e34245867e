"""``caring report`` and ``caring issue-report`` on the demo, and the pack in real clients:
LibreOffice opens every office format, and the PDF holds the figures the plan gives."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from docx import Document

from caring.accounts.models import User
from caring.plans.models import Action
from caring.plans.services.actions import action_update_post
from caring.reports.models import IssuedReport
from tests.reports.office import needs_libreoffice, pdf_text, to_pdf

pytestmark = pytest.mark.django_db

SLUG = "caring-together"


@pytest.fixture
def demo(db):
    call_command("demo", password="demo-password-1", stdout=io.StringIO())
    lead = User.objects.get(username="lead")
    for ref in ("YC7", "UC2"):
        action = Action.objects.get(version__is_current=True, version__strategy__slug=SLUG,
                                    ref=ref)  # fmt: skip
        action_update_post(action=action, by=lead, narrative="Stalled.", status="in_progress",
                           rag="red", rag_rationale="The partner withdrew.")  # fmt: skip


def report(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refused(command: str, *args, code: int, **options) -> str:
    with pytest.raises(CommandError) as info:
        call_command(command, *args, stdout=io.StringIO(), stderr=io.StringIO(), **options)
    assert info.value.returncode == code
    return str(info.value)


def test_each_format_is_written_for_the_next_meeting_with_the_requirement_met(demo, tmp_path):
    for fmt, start in (("docx", b"PK"), ("pptx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF"),
                       ("html", b"<!DOCTYPE html")):  # fmt: skip
        path = tmp_path / f"pack.{fmt}"
        out, err = report("--strategy", SLUG, "--format", fmt, "--output", str(path))
        assert path.read_bytes().startswith(start), fmt
        assert "for the meeting of the Health Select Commission on" in out
        assert "Warning: Resolution" not in err  # the carers' Equalities section meets it


def test_without_carers_records_the_equalities_requirement_is_warned(demo, tmp_path):
    from caring.carers.models import Carer, CarerSource

    Carer.objects.filter(strategy__slug="caring-together").delete()
    CarerSource.objects.filter(strategy__slug="caring-together").delete()
    path = tmp_path / "pack.html"
    _, err = report("--strategy", SLUG, "--format", "html", "--output", str(path))
    assert "Warning: Resolution HSC 2021-07-08/2 asked" in err


def test_the_word_file_reads_back_with_its_headings(demo, tmp_path):
    path = tmp_path / "pack.docx"
    report("--strategy", SLUG, "--format", "docx", "--output", str(path))
    headings = [p.text for p in Document(str(path)).paragraphs
                if p.style.name.startswith("Heading")]  # fmt: skip
    for words in ("Recommendations", "Summary", "Exceptions", "Scrutiny recommendations",
                  "Appendix: the full action list"):  # fmt: skip
        assert any(words in h for h in headings), (words, headings)


def test_a_report_for_a_past_meeting_and_the_plan_as_it_stands(demo, tmp_path):
    path = tmp_path / "pack.html"
    out, _ = report("--strategy", SLUG, "--meeting", "2021-07-08", "--format", "html",
                    "--output", str(path))  # fmt: skip
    assert "8 July 2021" in out
    assert "8 July 2021" in path.read_text(encoding="utf-8")


def test_bad_input_is_refused_with_a_clear_message(demo, tmp_path):
    out = str(tmp_path / "x.docx")
    assert "no strategy 'nope'" in refused(
        "report", "--strategy", "nope", "--format", "docx", "--output", out, code=2
    )
    message = refused("report", "--strategy", SLUG, "--meeting", "2018-03-02", "--format",
                      "docx", "--output", out, code=1)  # fmt: skip
    assert "no meeting about Caring Together on 2 March 2018" in message
    assert "1 March 2018" in message  # the meetings it does have
    assert "not a date" in refused("report", "--strategy", SLUG, "--meeting", "31/02/2018",
                                   "--format", "docx", "--output", out, code=2)  # fmt: skip
    assert "in the future" in refused("report", "--strategy", SLUG, "--as-of", "2999-01-01",
                                      "--format", "docx", "--output", out, code=1)  # fmt: skip
    assert "did not exist" in refused("report", "--strategy", SLUG, "--as-of", "2001-01-01",
                                      "--format", "pdf", "--output", out, code=1)  # fmt: skip
    bad = tmp_path / "template.docx"
    bad.write_bytes(b"this is not a Word file")
    assert "Word" in refused("report", "--strategy", SLUG, "--format", "docx", "--output", out,
                             "--template", str(bad), code=1)  # fmt: skip
    assert not (tmp_path / "x.docx").exists()


def test_issue_report_freezes_it_and_only_a_lead_may(demo):
    message = refused("issue_report", "--strategy", SLUG, "--user", "viewer", code=1)
    assert "only leads issue reports" in message
    assert IssuedReport.objects.count() == 0
    out = io.StringIO()
    call_command("issue_report", "--strategy", SLUG, "--user", "lead", stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    issued = IssuedReport.objects.get()
    assert f"Issued report {issued.pk}" in out.getvalue() and "5 files frozen" in out.getvalue()
    assert issued.meeting.date > timezone.localdate()


@needs_libreoffice()
@pytest.mark.parametrize("fmt", ["docx", "pptx", "xlsx"])
def test_libreoffice_opens_every_office_format_and_the_pdf_holds_the_figures(demo, tmp_path, fmt):
    path = tmp_path / f"pack.{fmt}"
    report("--strategy", SLUG, "--format", fmt, "--output", str(path))
    text = pdf_text(to_pdf(path.read_bytes(), f".{fmt}", tmp_path))
    assert "YC7" in text and "UC2" in text
    if fmt != "xlsx":  # the workbook is the plan itself; the pack's documents give the counts
        assert rag_sentence(tmp_path) in text


def rag_sentence(tmp_path) -> str:
    """'Of the plan's 21 actions, 2 red, ...' worked out from the plan's JSON export."""
    import json

    data = tmp_path / "plan.json"
    call_command("export_json", "--strategy", SLUG, "--output", str(data), stdout=io.StringIO())
    actions = json.loads(data.read_text())["actions"]
    counts = [sum(1 for a in actions if a["rag"] == rag)
              for rag in ("red", "amber", "green", "blue", None)]  # fmt: skip
    words = ", ".join(f"{n} {label}" for n, label in zip(
        counts, ("red", "amber", "green", "blue", "not rated"), strict=True))  # fmt: skip
    return f"Of the plan's {len(actions)} actions, {words}."


def test_the_pdf_holds_the_counts_by_rag_and_the_red_refs(demo, tmp_path):
    path = tmp_path / "pack.pdf"
    report("--strategy", SLUG, "--format", "pdf", "--output", str(path))
    text = pdf_text(path.read_bytes())
    sentence = rag_sentence(tmp_path)
    assert sentence.startswith("Of the plan's 21 actions, 2 red,")
    assert sentence in text
    assert "YC7" in text and "UC2" in text
