"""Services that create actions and add evidence: what they save, and what they refuse."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from caring.plans import services
from caring.plans.models import Action, Evidence
from caring.plans.services import EvidenceInput
from tests.factories import (
    PDF_BYTES,
    OrganisationFactory,
    OutcomeFactory,
    PlanVersionFactory,
    StrategyFactory,
    ThemeFactory,
    pdf_file,
    text_evidence,
)

pytestmark = pytest.mark.django_db


# --- action_create ------------------------------------------------------------------------------


def test_action_create_saves_everything_given(make_action, strategy, version, theme, user):
    outcomes = [OutcomeFactory(strategy=strategy, number=n) for n in (1, 4)]
    organisations = OrganisationFactory.create_batch(2)
    action = make_action(
        ref="  YC7 ",
        title="  Capture data on young carers  ",
        outcomes=outcomes,
        organisations=organisations,
        lead_role=" Young Carers Service Manager ",
        commenced="Apr 2018",
        due="Q3 2018/19",
        rag="amber",
        extra={"budget code": "X1"},
        by=user,
    )
    action = Action.objects.get(pk=action.pk)
    assert (action.ref, action.title) == ("YC7", "Capture data on young carers")
    assert action.version == version and action.theme == theme
    assert action.lead_role == "Young Carers Service Manager"
    assert set(action.outcomes.all()) == set(outcomes)
    assert set(action.organisations.all()) == set(organisations)
    assert (action.status, action.rag, action.extra) == (
        "in_progress",
        "amber",
        {"budget code": "X1"},
    )
    assert action.commenced == dt.date(2018, 4, 1)
    assert (action.commenced_text, action.commenced_kind) == ("Apr 2018", "month")
    assert action.revision == 1 and not action.is_retired


def test_action_create_reads_a_quarter_and_keeps_the_text(make_action):
    action = make_action(due="Q3 2018/19")
    action.refresh_from_db()
    assert action.due == dt.date(2018, 12, 31)
    assert action.due_text == "Q3 2018/19"
    assert action.due_kind == "quarter"
    assert action.ongoing is False


def test_action_create_sets_original_due_to_the_first_due(make_action):
    action = make_action(due="Dec 2018")
    action.refresh_from_db()
    assert action.original_due == dt.date(2018, 12, 31)
    assert action.original_due_text == "Dec 2018"


def test_action_create_accepts_a_real_date(make_action):
    action = make_action(due=dt.date(2019, 3, 31))
    action.refresh_from_db()
    assert (action.due, action.due_kind, action.due_text) == (
        dt.date(2019, 3, 31),
        "exact",
        "2019-03-31",
    )
    assert action.original_due == dt.date(2019, 3, 31)


def test_action_create_ongoing_text_marks_the_action_ongoing(make_action):
    action = make_action(due="Ongoing")
    action.refresh_from_db()
    assert action.ongoing is True
    assert action.due is None
    assert (action.due_kind, action.due_text) == ("ongoing", "Ongoing")


def test_action_create_keeps_unreadable_timescale_text(make_action):
    action = make_action(due="when the new discharge team starts")
    action.refresh_from_db()
    assert action.due is None and action.original_due is None
    assert action.due_kind == "unparsed"
    assert action.due_text == "when the new discharge team starts"
    assert action.ongoing is False


def test_action_create_without_a_due_date(make_action):
    action = make_action()
    action.refresh_from_db()
    assert (action.due, action.due_text, action.due_kind) == (None, "", "blank")


def test_action_create_refuses_a_ref_already_in_the_version(make_action, refuses):
    make_action(ref="YC7")
    with refuses("ref") as info:
        make_action(ref="YC7", title="Another action")
    assert "YC7" in info.value.message_dict["ref"][0]


def test_action_create_refuses_a_ref_that_differs_only_by_spaces(make_action, refuses):
    make_action(ref="YC7")
    with refuses("ref"):
        make_action(ref=" YC7 ")


def test_action_create_allows_the_same_ref_in_another_version(make_action, strategy):
    make_action(ref="YC7")
    other = PlanVersionFactory(strategy=strategy, name="Older plan", is_current=False)
    copy = make_action(version=other, ref="YC7")
    assert Action.objects.filter(ref="YC7").count() == 2
    assert copy.version == other


@pytest.mark.parametrize("ref", ["", "   ", None])
def test_action_create_refuses_a_blank_ref(make_action, refuses, ref):
    with refuses("ref"):
        make_action(ref=ref)


@pytest.mark.parametrize("title", ["", "   ", None])
def test_action_create_refuses_a_blank_title(make_action, refuses, title):
    with refuses("title"):
        make_action(title=title)


def test_action_create_refuses_due_before_commenced(make_action, refuses):
    with refuses("due"):
        make_action(commenced="01/06/2018", due="31/05/2018")


def test_action_create_accepts_due_on_the_day_commenced(make_action):
    action = make_action(commenced="01/06/2018", due="01/06/2018")
    assert action.due == action.commenced == dt.date(2018, 6, 1)


def test_action_create_refuses_complete_without_evidence(make_action, refuses):
    with refuses("status"):
        make_action(status="complete", rag="blue")


def test_action_create_accepts_complete_with_evidence(make_action, user):
    action = make_action(status="complete", rag="blue", evidence=[text_evidence()], by=user)
    action.refresh_from_db()
    assert action.status == "complete"
    evidence = Evidence.objects.get()
    assert (evidence.action, evidence.added_by, evidence.kind) == (action, user, "text")


def test_action_create_refuses_a_theme_from_another_version(make_action, strategy, refuses):
    other = PlanVersionFactory(strategy=strategy, name="Older plan", is_current=False)
    foreign = ThemeFactory(version=other, prefix="YC")
    with refuses("theme"):
        make_action(theme=foreign)


def test_action_create_refuses_an_outcome_from_another_strategy(make_action, strategy, refuses):
    own = OutcomeFactory(strategy=strategy, number=1)
    foreign = OutcomeFactory(strategy=StrategyFactory(), number=9)
    with refuses("outcomes") as info:
        make_action(outcomes=[own, foreign])
    assert "9" in info.value.message_dict["outcomes"][0]


@pytest.mark.parametrize(("field", "value"), [("status", "finished"), ("rag", "purple")])
def test_action_create_refuses_unknown_status_or_rag(make_action, refuses, field, value):
    with refuses(field):
        make_action(**{field: value})


def test_action_create_names_every_problem_at_once(make_action, refuses):
    make_action(ref="YC1")
    with refuses("ref") as info:
        make_action(ref="YC1", title="", status="complete")
    assert {"ref", "title", "status"} <= set(info.value.message_dict)


def test_action_create_saves_nothing_when_its_evidence_is_refused(make_action, refuses):
    bad = EvidenceInput(kind="link", title="The pack", url="not a web address")
    with refuses("evidence_url"):
        make_action(status="complete", evidence=[text_evidence(), bad])


# --- evidence_add ---------------------------------------------------------------------------


@pytest.fixture
def action(make_action):
    return make_action()


def add_file(action, upload, **kwargs):
    item = EvidenceInput(kind="file", title="Delivery Group minutes", file=upload)
    return services.evidence_add(action=action, item=item, **kwargs)


def test_evidence_add_stores_a_small_pdf_with_its_size(action, user):
    evidence = add_file(action, pdf_file("Minutes May 2018.pdf"), by=user)
    evidence.refresh_from_db()
    assert evidence.kind == "file"
    assert evidence.file_size == len(PDF_BYTES)
    assert evidence.content_type == "application/pdf"
    assert evidence.file.name.endswith(".pdf")
    assert (evidence.action, evidence.added_by) == (action, user)
    with evidence.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES


def test_evidence_add_refuses_a_file_over_the_size_limit(action, refuses):
    with override_settings(CARING_EVIDENCE_MAX_BYTES=len(PDF_BYTES) - 1), refuses("evidence_file"):
        add_file(action, pdf_file())
    assert not Evidence.objects.exists()


def test_evidence_add_accepts_a_file_exactly_at_the_size_limit(action):
    with override_settings(CARING_EVIDENCE_MAX_BYTES=len(PDF_BYTES)):
        add_file(action, pdf_file())
    assert Evidence.objects.count() == 1


def test_evidence_add_refuses_a_disallowed_type(action, refuses):
    program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 60)
    with refuses("evidence_file") as info:
        add_file(action, program)
    assert ".exe" in info.value.message_dict["evidence_file"][0]


def test_evidence_add_refuses_content_that_does_not_match_the_extension(action, refuses):
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    with refuses("evidence_file") as info:
        add_file(action, fake)
    assert "not a real .pdf" in info.value.message_dict["evidence_file"][0]


@pytest.mark.parametrize(
    "upload",
    [None, SimpleUploadedFile("empty.pdf", b"")],
    ids=["no-file", "empty-file"],
)
def test_evidence_add_refuses_a_missing_or_empty_file(action, refuses, upload):
    with refuses("evidence_file"):
        add_file(action, upload)


@pytest.mark.parametrize("text", ["", "   \n "])
def test_evidence_add_refuses_an_empty_note(action, refuses, text):
    with refuses("evidence_text"):
        services.evidence_add(
            action=action, item=EvidenceInput(kind="text", title="Note", text=text)
        )


@pytest.mark.parametrize("url", ["not a web address", "javascript:alert(1)", "www", ""])
def test_evidence_add_refuses_a_bad_or_missing_link(action, refuses, url):
    with refuses("evidence_url"):
        services.evidence_add(action=action, item=EvidenceInput(kind="link", title="Pack", url=url))


def test_evidence_add_stores_a_good_link(action):
    item = EvidenceInput(kind="link", title="Pack", url=" https://www.example.org/pack ")
    evidence = services.evidence_add(action=action, item=item)
    evidence.refresh_from_db()
    assert (evidence.kind, evidence.url) == ("link", "https://www.example.org/pack")


@pytest.mark.parametrize("title", ["", "   "])
def test_evidence_add_refuses_an_empty_title(action, refuses, title):
    with refuses("evidence_title"):
        services.evidence_add(action=action, item=EvidenceInput(kind="text", title=title, text="x"))


def test_evidence_add_refuses_an_unknown_kind(action, refuses):
    with refuses("evidence_kind"):
        services.evidence_add(action=action, item=EvidenceInput(kind="video", title="Film"))
