"""Carers known to services, on the web: who may see and do what (members read published figures;
data officers alone upload, delete and see exact figures; data officers and administrators read
the access log), small numbers hidden on pages and in downloads for everyone but a data officer
who asks, every upload, exact view and download logged, uploads that refuse bad input clearly and
keep nothing, the size limit, and no record-level identifier on any page. Every HTML page fetched
is checked (pagecheck)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from caring.accounts.models import User
from caring.carers import analyses
from caring.carers.models import (
    AccessAction,
    AccessLog,
    Carer,
    CarerRecord,
    CarerSource,
    SupportItem,
)
from caring.carers.services import carers_import
from caring.plans.models import Strategy
from caring.web.views.carers import bar_chart
from caring.web.views.carers_forms import size_text
from tests.web.pagecheck import check_page

pytestmark = pytest.mark.django_db
SLUG = "caring-together"
MEMBERS = {"admin", "lead", "owner", "viewer", "data"}
OFFICERS = {"data"}
LOG_READERS = {"admin", "data"}
SMALL_AREA = "E02001578"  # Rotherham 001: 3 carers known
BIG_AREA = "E02001579"  # Rotherham 002: 24 carers known
MIDDLE_AREA = "E02001580"  # Rotherham 003: 12 carers known
HEADER = ("person_id,nhs_number,date_of_birth,initial,sex,ethnicity,area_code,first_known,"
          "pathway,channel,support,support_date,support_value,training_at_handover")  # fmt: skip
NHS_NUMBER = "943 476 5919"
PERSON = "CTZQX0001"


def row(pid, area, *, nhs="", dob="1970-01-02", sex="F", first="2020-05-01"):
    return (f"{pid},{nhs},{dob},S,{sex},White British,{area},{first},GP,Digital,Tech package,"
            "2021-02-01,300,Yes")  # fmt: skip


def extract(extra: tuple[str, ...] = ()) -> bytes:
    rows = [row(PERSON, SMALL_AREA, nhs=NHS_NUMBER), row("CTZQX0002", SMALL_AREA, dob="1955-03-04"),
            row("CTZQX0003", SMALL_AREA, dob="1988-07-08", sex="M")]  # fmt: skip
    rows += [row(f"CTZQY{n:04d}", BIG_AREA, dob=f"19{40 + n}-01-0{1 + n % 9}", sex="MF"[n % 2])
             for n in range(24)]  # fmt: skip
    rows += [
        row(f"CTZQW{n:04d}", MIDDLE_AREA, dob=f"19{50 + n}-02-0{1 + n % 9}") for n in range(12)
    ]
    return ("\n".join((HEADER, *rows, *extra)) + "\n").encode()


def wipe(strategy) -> None:
    """Take away the demo's synthetic carers, so each test knows exactly who is counted."""
    Carer.objects.filter(strategy=strategy).delete()
    SupportItem.objects.filter(source__strategy=strategy).delete()
    CarerRecord.objects.filter(source__strategy=strategy).delete()
    CarerSource.objects.filter(strategy=strategy).delete()
    AccessLog.objects.all().delete()


@pytest.fixture
def strategy(demo):
    """The demo (with the real Rotherham census) and no carers' records."""
    strategy = Strategy.objects.get(slug=SLUG)
    wipe(strategy)
    return strategy


@pytest.fixture
def carers(strategy):
    """The demo (with the real Rotherham census) and one small source of 39 carers."""
    carers_import(strategy=strategy, source_name="Crossroads Care", data=extract(),
                  filename="crossroads.csv", via="command")  # fmt: skip
    AccessLog.objects.all().delete()
    return strategy


def text(response) -> str:
    return " ".join(response.soup.get_text(" ").split())


def cells(response, table_id: str) -> dict[str, list[str]]:
    table = response.soup.select_one(f"#{table_id}")
    assert table is not None, table_id
    out = {}
    for tr in table.select("tbody tr"):
        found = [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        out[found[0]] = found[1:]
    return out


def area_row(table: dict, code: str) -> list[str]:
    return next(v for k, v in table.items() if f"({code})" in k)


def pages():
    s = {"slug": SLUG}
    return [
        ("web:carers", s, "get", MEMBERS),
        *(("web:carers-topic", {**s, "topic": key}, "get", MEMBERS) for key in analyses.TOPICS),
        ("web:carers-download", {**s, "topic": "reach", "fmt": "csv"}, "get", MEMBERS),
        ("web:carers-download", {**s, "topic": "equalities", "fmt": "xlsx"}, "get", MEMBERS),
        ("web:carers-upload", s, "get", OFFICERS),
        ("web:carers-upload", s, "post", OFFICERS),
        ("web:carers-source-delete", {**s, "source": "crossroads-care"}, "get", OFFICERS),
        ("web:carers-access-log", s, "get", LOG_READERS),
    ]


# --- who may see and do what ---------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(MEMBERS) + ["anonymous"])
def test_every_page_for_each_role(carers, browser_client, role):
    if role != "anonymous":
        browser_client.sign_in(role)
    for name, kwargs, method, allowed in pages():
        url = reverse(name, kwargs=kwargs)
        response = getattr(browser_client, method)(url, {} if method == "post" else None)
        where = f"{role} {method} {name} {kwargs}"
        if role == "anonymous":
            assert response.status_code == 302, where
            assert "/sign-in/" in response["Location"], where
        elif role in allowed:
            assert response.status_code == (200 if method == "get" else 400), where
        else:
            assert response.status_code == 403, where
    assert CarerSource.objects.filter(strategy=carers).count() == 1  # a blank upload kept nothing


@pytest.mark.parametrize("role", ["viewer", "lead", "admin", "owner"])
def test_only_data_officers_upload_or_delete_even_by_a_forged_post(carers, client, role):
    client.login(username=role, password="a-long-demo-password")
    upload = SimpleUploadedFile("forged.csv", extract(), content_type="text/csv")
    response = client.post(reverse("web:carers-upload", args=[SLUG]),
                           {"records": upload, "new_source": "Forged"})  # fmt: skip
    assert response.status_code == 403
    response = client.post(reverse("web:carers-source-delete", args=[SLUG, "crossroads-care"]))
    assert response.status_code == 403
    assert list(CarerSource.objects.values_list("name", flat=True)) == ["Crossroads Care"]
    assert not AccessLog.objects.exists()


def test_the_permissions_give_least_access(demo):
    import rules

    for role, upload, exact, log in (("data", True, True, True), ("admin", False, False, True),
                                     ("lead", False, False, False), ("viewer", False, False, False),
                                     ("owner", False, False, False)):  # fmt: skip
        user = User.objects.get(username=role)
        assert rules.has_perm("carers.view", user)
        assert rules.has_perm("carers.upload", user) is upload, role
        assert rules.has_perm("carers.exact", user) is exact, role
        assert rules.has_perm("carers.view_access_log", user) is log, role


# --- published and exact figures -----------------------------------------------------------------


def test_a_small_number_is_hidden_from_a_viewer_on_the_page(carers, browser_client):
    page = browser_client.sign_in("viewer").get(reverse("web:carers", args=[SLUG]))
    assert page.status_code == 200
    by_area = cells(page, "table-reach-area")
    small = area_row(by_area, SMALL_AREA)
    assert small[1] == "*"  # carers known: 3, hidden
    assert small[2] == "*" and small[3] == "*"  # the rate and the gap hidden with it
    assert "Not for publication" not in text(page)
    assert "NHS England: 1 to 7 hidden, rounded to 5" in text(page)
    assert not page.soup.select("#exact-link")  # offered to data officers only
    # the chart: a hidden figure has no bar, and says so in words
    svg = page.soup.select_one("svg#chart-reach-area")
    assert svg["role"] == "img"
    assert "Rotherham 001 (E02001578): hidden (*)" in svg.find("desc").get_text()
    assert not page.soup.find_all(style=True), "the CSP forbids inline styles"
    # the sources, with a protected count and no delete link for a viewer
    sources = cells(page, "sources-table")
    assert sources["Crossroads Care"][0] == "40"  # 39, rounded to 5
    assert not page.soup.select("a[href*='/delete/']")
    assert not AccessLog.objects.exists()


def test_a_viewer_asking_for_exact_figures_gets_the_published_ones_and_no_log(
    carers, browser_client
):
    page = browser_client.sign_in("viewer").get(
        reverse("web:carers", args=[SLUG]), {"figures": "exact"}
    )
    assert area_row(cells(page, "table-reach-area"), SMALL_AREA)[1] == "*"
    assert "Not for publication" not in text(page)
    csv_response = browser_client.get(
        reverse("web:carers-download", args=[SLUG, "reach", "csv"]), {"figures": "exact"}
    )
    assert "exact" not in csv_response["Content-Disposition"]
    assert not AccessLog.objects.filter(action=AccessAction.EXACT).exists()
    assert AccessLog.objects.filter(action=AccessAction.DOWNLOAD).count() == 1


def test_a_data_officer_sees_exact_figures_only_when_asking_and_it_is_logged(
    carers, browser_client
):
    browser_client.sign_in("data")
    url = reverse("web:carers", args=[SLUG])
    published = browser_client.get(url)
    assert area_row(cells(published, "table-reach-area"), SMALL_AREA)[1] == "*"
    assert published.soup.select_one("#exact-link")["href"] == f"{url}?figures=exact"
    assert not AccessLog.objects.exists()

    exact = browser_client.get(url, {"figures": "exact"})
    assert area_row(cells(exact, "table-reach-area"), SMALL_AREA)[1] == "3"
    assert area_row(cells(exact, "table-reach-area"), BIG_AREA)[1] == "24"
    assert "Not for publication: figures are exact" in text(exact)
    assert exact["Cache-Control"] == "private, no-store"
    topic = browser_client.get(reverse("web:carers-topic", args=[SLUG, "equalities"]),
                               {"figures": "exact"})  # fmt: skip
    assert "Not for publication: figures are exact" in text(topic)
    logged = list(
        AccessLog.objects.order_by("id").values_list("action", "subject", "user__username")
    )
    assert logged == [("exact", "overview", "data"), ("exact", "equalities", "data")]


def test_every_topic_page_has_its_tables_rule_and_downloads(carers, browser_client):
    browser_client.sign_in("viewer")
    for key in analyses.TOPICS:
        page = browser_client.get(reverse("web:carers-topic", args=[SLUG, key]))
        topic = analyses.topic(key, carers, analyses.rule_of(carers))
        assert page.soup.h1.get_text(strip=True) == topic.title
        assert "NHS England: 1 to 7 hidden, rounded to 5" in text(page)
        for table in topic.tables:
            if table.withheld:
                assert page.soup.select_one(f"#{table.key}-withheld"), table.key
                assert not page.soup.select_one(f"#table-{table.key}")
            elif table.rows:
                shown = page.soup.select_one(f"#table-{table.key}")
                assert shown.caption.get_text(strip=True).startswith(table.caption)
                numeric = shown.select("td.govuk-table__cell--numeric")
                assert len(numeric) == sum(len(r) - 1 for r in table.rows) + (
                    len(table.total) - 1 if table.total else 0
                )
                if table.total:
                    total = shown.select("tbody tr")[-1]
                    assert all("govuk-!-font-weight-bold" in td["class"] for td in total("td"))
                for note in table.notes:
                    assert note in text(page)
        links = [a["href"] for a in page.soup.select("#downloads a")]
        assert links == [
            reverse("web:carers-download", args=[SLUG, key, f]) for f in ("csv", "xlsx")
        ]
    missing = browser_client.get(reverse("web:carers-topic", args=[SLUG, "nothing"]))
    assert missing.status_code == 404


def test_a_withheld_table_is_replaced_by_a_sentence():
    table = analyses.Table("t", "Carers by sex", ("Sex", "Carers"), (("Female", "*"),),
                           withheld=True)  # fmt: skip
    assert bar_chart(table) is None
    from django.template import engines

    html = (
        engines["jinja2"]
        .from_string(
            '{% from "web/carers/_parts.html" import figures_table %}'
            "{{ figures_table(table, None, 'Withheld: no suppression could protect it.') }}"
        )
        .render({"table": table})
    )
    assert "Withheld: no suppression could protect it." in html
    assert "<table" not in html and "Female" not in html


# --- downloads -----------------------------------------------------------------------------------


def test_downloads_hide_small_numbers_and_are_logged(carers, client):
    client.login(username="viewer", password="a-long-demo-password")
    response = client.get(reverse("web:carers-download", args=[SLUG, "reach", "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert any("NHS England: 1 to 7 hidden, rounded to 5" in r[0] for r in rows if r)
    small = next(r for r in rows if r and f"({SMALL_AREA})" in r[0])
    assert small[2] == "*"
    assert ["Area", "Census 2021 carers", "Carers known", "Known per 100 census carers",
            "Unknown carers (gap)"] in rows  # fmt: skip

    response = client.get(reverse("web:carers-download", args=[SLUG, "reach", "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "About"
    about = " ".join(str(c.value) for c in workbook["About"]["A"] if c.value)
    assert "NHS England: 1 to 7 hidden, rounded to 5" in about
    sheet = workbook["reach-area"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0].startswith("Carers known against 2021 census carers")
    assert values[1][:3] == ["Area", "Census 2021 carers", "Carers known"]
    small = next(r for r in values if r[0] and f"({SMALL_AREA})" in str(r[0]))
    assert small[2] == "*" and isinstance(small[1], int)

    logged = list(AccessLog.objects.order_by("id").values_list("action", "subject", "detail"))
    assert logged == [
        ("download", "reach (csv)", "nhs-1-7"),
        ("download", "reach (xlsx)", "nhs-1-7"),
    ]
    assert (
        client.get(reverse("web:carers-download", args=[SLUG, "reach", "pdf"])).status_code == 404
    )
    assert client.get(reverse("web:carers-download", args=[SLUG, "nope", "csv"])).status_code == 404


def test_a_data_officers_exact_download_says_so_and_is_logged_as_both(carers, client):
    client.login(username="data", password="a-long-demo-password")
    response = client.get(reverse("web:carers-download", args=[SLUG, "reach", "xlsx"]),
                          {"figures": "exact"})  # fmt: skip
    assert "-exact-" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Not for publication: figures are exact" in workbook["About"]["A2"].value
    small = next(r for r in workbook["reach-area"].iter_rows(values_only=True)
                 if r[0] and f"({SMALL_AREA})" in str(r[0]))  # fmt: skip
    assert small[2] == 3
    logged = list(AccessLog.objects.order_by("id").values_list("action", "subject", "detail"))
    assert logged[0] == ("download", "reach (xlsx)", "none")
    assert logged[1][:2] == ("exact", "reach (xlsx)")


def test_a_withheld_table_is_left_out_of_downloads_with_a_note(carers, client, monkeypatch):
    from caring.web.views import carers as views

    real = analyses.topic

    def withholding(key, strategy, rule):
        topic = real(key, strategy, rule)
        first = topic.tables[0]
        hidden = analyses.Table(first.key, first.caption, first.columns, first.rows, first.total,
                                withheld=True)  # fmt: skip
        return analyses.Topic(topic.key, topic.title, topic.paragraphs,
                              (hidden, *topic.tables[1:]), topic.rule)  # fmt: skip

    monkeypatch.setattr(views.analyses, "topic", withholding)
    client.login(username="viewer", password="a-long-demo-password")
    response = client.get(reverse("web:carers-download", args=[SLUG, "reach", "csv"]))
    body = response.content.decode("utf-8-sig")
    assert "withheld: no suppression could protect it" in body
    assert f"({SMALL_AREA})" not in body  # the area table is gone (the age table remains)
    workbook = load_workbook(io.BytesIO(client.get(
        reverse("web:carers-download", args=[SLUG, "reach", "xlsx"])).content))  # fmt: skip
    assert "reach-area" not in workbook.sheetnames and "reach-age" in workbook.sheetnames
    about = " ".join(str(c.value) for c in workbook["About"]["A"] if c.value)
    assert "withheld: no suppression could protect it" in about
    page = check_page(
        client.get(reverse("web:carers-topic", args=[SLUG, "reach"])).content.decode()
    )
    assert page.select_one("#reach-area-withheld")


# --- uploads -------------------------------------------------------------------------------------


def upload(client, data: bytes, name="asc.csv", **fields):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("web:carers-upload", args=[SLUG]), {"records": file, **fields})


def test_a_data_officer_uploads_a_good_file_and_it_is_logged(strategy, browser_client):
    browser_client.sign_in("data")
    form = browser_client.get(reverse("web:carers-upload", args=[SLUG]))
    assert "source" not in [i.get("name") for i in form.soup.select("select")]  # none to replace
    response = browser_client.post(
        reverse("web:carers-upload", args=[SLUG]),
        {"records": SimpleUploadedFile("asc.csv", extract(), content_type="text/csv"),
         "new_source": "Adult Social Care", "extract_date": "31/03/2025"},
    )  # fmt: skip
    assert response.status_code == 200, text(response)
    whole = text(response)
    assert "39 carers' records" in whole and "Adult Social Care" in whole
    assert "Matching misses a carer whose records disagree" in whole
    assert response.soup.select_one("#match-summary")
    source = CarerSource.objects.get(strategy=strategy)
    assert source.name == "Adult Social Care" and str(source.extract_date) == "2025-03-31"
    assert Carer.objects.filter(strategy=strategy).count() == 39
    log = AccessLog.objects.get()
    assert (log.action, log.subject, log.via, log.user.username) == (
        "upload",
        "Adult Social Care",
        "web",
        "data",
    )
    # Uploading again, choosing the source, replaces it.
    again = browser_client.post(
        reverse("web:carers-upload", args=[SLUG]),
        {"records": SimpleUploadedFile("asc.csv", extract(), content_type="text/csv"),
         "source": "adult-social-care"},
    )  # fmt: skip
    assert again.status_code == 200
    assert "replacing the 39 held before" in text(again)
    assert CarerRecord.objects.filter(source__strategy=strategy).count() == 39


def test_a_bad_file_shows_each_problem_by_row_and_keeps_nothing(strategy, browser_client):
    browser_client.sign_in("data")
    bad = extract(extra=(row("CTZQZ0001", BIG_AREA, dob="2090-01-01"),))
    response = browser_client.post(
        reverse("web:carers-upload", args=[SLUG]),
        {"records": SimpleUploadedFile("bad.csv", bad, content_type="text/csv"),
         "new_source": "Adult Social Care"},
    )  # fmt: skip
    assert response.status_code == 400
    summary = response.soup.select_one(".govuk-error-summary").get_text(" ")
    assert "row 41" in summary and "'date_of_birth'" in summary
    assert response.soup.title.get_text().startswith("Error: ")
    assert "Nothing was imported" in text(response)
    assert not CarerSource.objects.exists() and not CarerRecord.objects.exists()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"new_source": "ASC", "extract_date": "31 Febtember"}, "extract_date",
         "is not a day we can read"),
        ({"new_source": "ASC", "extract_date": "01/01/2040"}, "extract_date",
         "must be today or in the past"),
        ({}, "new_source", "Enter the name of the source"),
    ],
)  # fmt: skip
def test_form_errors_name_the_field(strategy, browser_client, fields, field, message):
    browser_client.sign_in("data")
    response = browser_client.post(
        reverse("web:carers-upload", args=[SLUG]),
        {"records": SimpleUploadedFile("asc.csv", extract(), content_type="text/csv"), **fields},
    )
    assert response.status_code == 400
    link = response.soup.select_one(f".govuk-error-summary a[href='#{field}']")
    assert link and message in link.get_text()
    assert message in response.soup.select_one(f"#{field}-error").get_text()
    assert not CarerSource.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(strategy, client):
    client.login(username="data", password="a-long-demo-password")
    data = extract()
    with override_settings(CARING_CARERS_MAX_BYTES=len(data) - 1):
        response = upload(client, data, new_source="ASC")
    assert response.status_code == 400
    page = check_page(response.content.decode())
    error = page.select_one("#records-error").get_text()
    assert "asc.csv is larger than 4 KB, the largest file we take" in error
    assert not CarerSource.objects.exists() and not AccessLog.objects.exists()
    with override_settings(CARING_CARERS_MAX_BYTES=len(data)):
        assert upload(client, data, new_source="ASC").status_code == 200


def test_uploads_are_held_in_memory_never_on_disk(strategy, client, monkeypatch):
    from django.core.files import uploadhandler

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "new_file", refuse)
    client.login(username="data", password="a-long-demo-password")
    with override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=10):  # Django would use a temporary file
        assert upload(client, extract(), new_source="ASC").status_code == 200


def test_an_upload_without_the_csrf_token_is_refused(strategy):
    client = Client(enforce_csrf_checks=True)
    client.login(username="data", password="a-long-demo-password")
    assert upload(client, extract(), new_source="ASC").status_code == 403
    assert not CarerSource.objects.exists() and not AccessLog.objects.exists()
    form = check_page(client.get(reverse("web:carers-upload", args=[SLUG])).content.decode())
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert upload(client, extract(), new_source="ASC", csrfmiddlewaretoken=token).status_code == 200
    assert CarerSource.objects.get().name == "ASC"


def test_sizes_are_written_as_people_read_them():
    assert size_text(250 * 1024 * 1024) == "250 MB"
    assert size_text(1536 * 1024) == "1.5 MB"
    assert size_text(900 * 1024) == "900 KB"
    assert size_text(120) == "120 bytes"


# --- no record-level data, deleting, the access log and the dashboard ----------------------------


def test_no_page_or_download_shows_a_record_level_identifier(carers, browser_client):
    browser_client.sign_in("data")
    identifiers = (PERSON, "CTZQY0001", NHS_NUMBER, NHS_NUMBER.replace(" ", ""), "1970-01-02")
    fetched = []
    for name, kwargs, method, _ in pages():
        if method == "get":
            for query in ("", "?figures=exact"):
                fetched.append(browser_client.get(reverse(name, kwargs=kwargs) + query))
    fetched.append(browser_client.post(
        reverse("web:carers-upload", args=[SLUG]),
        {"records": SimpleUploadedFile("asc.csv", extract(), content_type="text/csv"),
         "new_source": "Adult Social Care"}))  # fmt: skip
    fetched.append(browser_client.post(
        reverse("web:carers-upload", args=[SLUG]),
        {"records": SimpleUploadedFile("bad.csv", extract((row("CTZQZ0009", BIG_AREA,
         nhs="943 476 5919", dob="2090-01-01"),)), content_type="text/csv"),
         "new_source": "Adult Social Care"}))  # fmt: skip
    fetched.append(browser_client.get(reverse("web:dashboard", args=[SLUG])))
    for response in fetched:
        body = response.content
        if response.get("Content-Type", "").startswith("application/vnd"):
            body = b" ".join(
                str(c).encode() for ws in load_workbook(io.BytesIO(body)).worksheets
                for r in ws.iter_rows(values_only=True) for c in r if c is not None
            )  # fmt: skip
        for identifier in identifiers:
            assert identifier.encode() not in body, (identifier, response.request["PATH_INFO"])


def test_a_data_officer_deletes_a_source_after_confirming(carers, browser_client):
    browser_client.sign_in("data")
    url = reverse("web:carers-source-delete", args=[SLUG, "crossroads-care"])
    confirm = browser_client.get(url)
    assert "Delete the records from Crossroads Care" in text(confirm)
    response = browser_client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse(
        "web:carers", args=[SLUG]
    )
    assert not CarerSource.objects.exists() and not Carer.objects.exists()
    assert AccessLog.objects.get().action == "delete"
    assert browser_client.get(url).status_code == 404


def test_the_access_log_lists_who_did_what_a_hundred_a_page(carers, browser_client):
    data = User.objects.get(username="data")
    for n in range(105):
        AccessLog.objects.create(strategy=carers, user=data, action=AccessAction.DOWNLOAD,
                                 subject=f"reach (csv) {n}", detail="nhs-1-7")  # fmt: skip
    page = browser_client.sign_in("admin").get(reverse("web:carers-access-log", args=[SLUG]))
    rows = page.soup.select("#access-log tbody tr")
    assert len(rows) == 100
    first = [c.get_text(strip=True) for c in rows[0].find_all("td")]
    assert first[1] == (data.job_title or "data") and first[2] == "Downloaded figures"
    assert first[3] == "reach (csv) 104" and first[4] == "nhs-1-7"
    second = browser_client.get(reverse("web:carers-access-log", args=[SLUG]), {"page": 2})
    assert len(second.soup.select("#access-log tbody tr")) == 5


def test_the_dashboard_shows_carers_known_against_the_census(carers, browser_client):
    page = browser_client.sign_in("viewer").get(reverse("web:dashboard", args=[SLUG]))
    panel = " ".join(page.soup.select_one("#carers-panel").get_text(" ").split())
    summary = analyses.summary(carers, analyses.rule_of(carers))
    assert f"{summary.known.shown} carers are known to services" in panel
    assert f"{summary.census_carers:,} in the 2021 census" in panel
    assert summary.gap in panel
    assert page.soup.select_one("#carers-panel a")["href"] == reverse("web:carers", args=[SLUG])
