"""Posting an update through the page: it saves, or it refuses clearly and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from caring.plans.models import Action, DueDateChange, Evidence, Update

pytestmark = pytest.mark.django_db
SLUG = "caring-together"


def url(ref="YC7"):
    return reverse("web:post-update", args=[SLUG, ref])


def form(action, **changes):
    data = {
        "status": "in_progress",
        "rag": "amber",
        "rag_rationale": "Data sharing still to be signed.",
        "narrative": "Sampling began with twelve known young carers.",
        "evidence_kind": "",
        "revision": action.revision,
    }
    data.update(changes)
    return data


def counts():
    return (Update.objects.count(), Evidence.objects.count(), DueDateChange.objects.count())


@pytest.fixture
def owner(demo, browser_client):
    return browser_client.sign_in("owner")


def yc7():
    return Action.objects.get(ref="YC7", version__strategy__slug=SLUG)


def test_an_owner_posts_an_update_with_evidence_and_a_new_date(owner):
    action = yc7()
    pdf = SimpleUploadedFile("sampling.pdf", b"%PDF-1.4 sampling plan", "application/pdf")
    response = owner.post(
        url(),
        form(
            action,
            evidence_kind="file",
            evidence_title="Sampling plan",
            evidence_file=pdf,
            new_due="Q4 2018/19",
            due_reason="Data sharing agreement signed late.",
        ),
    )
    assert response.status_code == 302
    page = owner.get(response["Location"])
    text = page.soup.get_text(" ")
    assert "Your update on YC7 has been saved." in text
    assert "Sampling began with twelve known young carers." in text
    assert "Data sharing agreement signed late." in text  # the due-date history
    assert "Sampling plan" in text and "Download sampling" in text
    saved = yc7()
    assert (saved.status, saved.rag, saved.due_text) == ("in_progress", "amber", "Q4 2018/19")


def test_a_stale_form_is_refused_and_nothing_is_overwritten(owner):
    action = yc7()
    stale = form(action, narrative="My version of events.")
    # Someone else saves first.
    first = owner.post(url(), form(action, narrative="The lead's news."))
    assert first.status_code == 302
    before = counts()
    second = owner.post(url(), stale)
    assert second.status_code == 400
    assert "changed by someone else" in second.soup.get_text(" ")
    assert counts() == before
    assert yc7().updates.latest("id").narrative == "The lead's news."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"narrative": ""}, "Write what has happened"),
        ({"new_due": "31/02/2019", "due_reason": "Moved."}, "could not be read"),
        ({"new_due": "March 2019", "due_reason": ""}, "Give the reason"),
        ({"status": "complete", "rag": "blue"}, "evidence"),
        ({"evidence_kind": "link", "evidence_title": "Minutes", "evidence_url": "not a link"},
         "full web address"),
        ({"evidence_kind": "file", "evidence_title": "Tool",
          "evidence_file": SimpleUploadedFile("tool.exe", b"MZ...", "application/octet-stream")},
         "must be one of"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(owner, changes, message):
    before, action = counts(), yc7()
    response = owner.post(url(), form(action, **changes))
    assert response.status_code == 400
    summary = response.soup.select_one(".govuk-error-summary")
    assert summary is not None and message in summary.get_text(" ")
    assert counts() == before
    assert yc7().revision == action.revision


@override_settings(CARING_EVIDENCE_MAX_BYTES=100)
def test_a_file_too_large_is_refused(owner):
    before = counts()
    big = SimpleUploadedFile("minutes.pdf", b"%PDF-" + b"x" * 200, "application/pdf")
    data = form(yc7(), evidence_kind="file", evidence_title="Minutes", evidence_file=big)
    response = owner.post(url(), data)
    assert response.status_code == 400
    assert "100 bytes or smaller" in response.soup.get_text(" ")
    assert counts() == before


def test_html_in_a_narrative_is_shown_as_text_never_run(owner):
    script = "<script>alert('x')</script><b>bold</b>"
    assert owner.post(url(), form(yc7(), narrative=script)).status_code == 302
    page = owner.get(reverse("web:action", args=[SLUG, "YC7"]))
    html = page.content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(" in html


def test_an_owner_cannot_post_to_another_organisations_action(owner):
    before = counts()
    response = owner.client.post(url("CS1"), form(Action.objects.get(ref="CS1")))
    assert response.status_code == 403
    assert counts() == before


def test_a_forged_form_without_the_csrf_token_is_refused(demo):
    client = Client(enforce_csrf_checks=True)
    client.login(username="owner", password="a-long-demo-password")
    before = counts()
    response = client.post(url(), form(yc7()))
    assert response.status_code == 403
    assert counts() == before


def test_evidence_files_download_as_attachments_for_members_only(owner, demo):
    pdf = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")
    data = form(yc7(), evidence_kind="file", evidence_title="Minutes", evidence_file=pdf)
    assert owner.post(url(), data).status_code == 302
    evidence = Evidence.objects.get(title="Minutes")
    link = reverse("web:evidence-file", args=[SLUG, "YC7", evidence.pk])
    response = owner.client.get(link)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4 minutes")
    # The same file is not reachable through another action's address.
    wrong = reverse("web:evidence-file", args=[SLUG, "CS1", evidence.pk])
    assert owner.client.get(wrong).status_code == 404
    owner.client.logout()
    assert owner.client.get(link).status_code == 302  # anonymous: sign in first
