"""Collection pages through HTTP: entry, Excel upload with preview and confirm, the board,
reminders, review, history — and scoping on every one of them."""

import io

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from planwatch.collection.models import DataValue, ImportBatch, Submission, ValueChange
from planwatch.collection.xlsx_template import FIRST_DATA_ROW, SHEET


def entry_url(year=2024, **query):
    url = reverse("collection:entry", args=[year])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def field(row_key: str, name: str) -> str:
    return f"{row_key}-{name}"


def prefix_for(response, code, unit="220112", sex="", age="", residence=""):
    for row in response.context["rows"]:
        if (
            row.indicator.code == code
            and row.org_unit.code == unit
            and (row.sex, row.age_group, row.residence) == (sex, age, residence)
        ):
            return row.field_prefix
    raise AssertionError(f"no entry row for {code} {unit}")


def test_department_enters_saves_and_sees_its_values(clients, rounds):
    client = clients["health"]
    page = client.get(entry_url())
    assert page.status_code == 200
    codes = {row.indicator.code for row in page.context["rows"]}
    assert "W1-01" in codes and "W2-02" not in codes  # only its own indicators
    mmr = prefix_for(page, "W1-01")
    response = client.post(
        entry_url(),
        {
            field(mmr, "numerator"): "2",
            field(mmr, "denominator"): "15000",
            field(mmr, "comment"): "",
        },
    )
    assert response.status_code == 302
    value = DataValue.objects.get(indicator__code="W1-01", org_unit__code="220112")
    assert value.value == pytest.approx(13.3333, rel=1e-4)
    assert value.source == "web"
    assert ValueChange.objects.get().user.username == "t_health"


def test_entry_shows_errors_inline_and_saves_nothing(clients, rounds):
    client = clients["health"]
    page = client.get(entry_url())
    good, bad = prefix_for(page, "C1-02"), prefix_for(page, "C1-03")
    response = client.post(entry_url(), {field(good, "value"): "2.5", field(bad, "value"): "abc"})
    assert response.status_code == 200
    assert DataValue.objects.count() == 0
    rows = {row.field_prefix: row for row in response.context["rows"]}
    assert [p.message for p in rows[bad].errors] == ["“abc”不是数字"]
    assert rows[good].errors == []
    assert rows[good].typed["value"] == "2.5"  # what was typed is kept for correction
    assert "“abc”不是数字" in response.content.decode()


@pytest.mark.parametrize("name", ["leader", "stats"])
def test_readers_cannot_enter_data(clients, rounds, name):
    assert clients[name].get(entry_url()).status_code == 403


def test_plan_office_enters_for_a_department_it_names(clients, rounds):
    assert clients["office"].get(entry_url()).status_code == 404
    assert clients["office"].get(entry_url(department="health")).status_code == 200


def test_township_reporter_enters_only_its_own_unit(clients, rounds):
    page = clients["yunshan"].get(entry_url(org_unit="220112002"))
    assert {row.org_unit.code for row in page.context["rows"]} == {"220112001"}


def test_excel_download_upload_preview_confirm(clients, rounds):
    client = clients["health"]
    response = client.get(reverse("collection:template", args=[2024]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook[SHEET]
    header = [c.value for c in sheet[FIRST_DATA_ROW - 1]]
    for r in range(FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet.cell(r, 1).value == "C1-02" and sheet.cell(r, 6).value == "合计":
            sheet.cell(r, header.index("数值") + 1, 2.4)
            break
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "health-2024.xlsx"
    upload = client.post(reverse("collection:upload", args=[2024]), {"file": buffer})
    assert upload.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == "checked"
    assert (batch.n_new, batch.n_changed) == (1, 0)
    assert DataValue.objects.count() == 0  # shown, not stored
    preview = client.get(upload["Location"]).content.decode()
    assert "C1-02" in preview and "2.4" in preview
    confirm = client.post(upload["Location"])
    assert confirm.status_code == 302
    assert DataValue.objects.get().value == 2.4
    batch.refresh_from_db()
    assert batch.status == "stored"
    # Another user cannot see or confirm someone else's upload.
    assert clients["education"].get(upload["Location"]).status_code == 403


def test_a_refused_upload_lists_errors_and_cannot_be_confirmed(clients, rounds):
    client = clients["health"]
    bad = io.BytesIO(b"indicator,org_unit,year,value\nC1-02,220112,2024,-3\n")
    bad.name = "bad.csv"
    upload = client.post(reverse("collection:upload", args=[2024]), {"file": bad})
    page = client.get(upload["Location"]).content.decode()
    assert "不能为负数" in page
    confirm = client.post(upload["Location"])
    assert confirm.status_code == 409
    assert "该文件未通过检查，不能入库" in confirm.content.decode()
    assert DataValue.objects.count() == 0


def test_a_confirm_before_the_check_ends_or_twice_is_a_409_that_says_why(clients, rounds):
    client = clients["health"]
    file = io.BytesIO(b"indicator,org_unit,year,value\nC1-02,220112,2024,2.5\n")
    file.name = "values.csv"
    upload = client.post(reverse("collection:upload", args=[2024]), {"file": file})
    batch = ImportBatch.objects.get()
    for status, words in [("pending", "仍在等待检查"), ("running", "正在检查中")]:
        ImportBatch.objects.filter(pk=batch.pk).update(status=status)
        early = client.post(upload["Location"])
        assert early.status_code == 409
        assert words in early.content.decode()
        assert DataValue.objects.count() == 0
    ImportBatch.objects.filter(pk=batch.pk).update(status="checked")
    assert client.post(upload["Location"]).status_code == 302
    assert ValueChange.objects.count() == 1
    again = client.post(upload["Location"])
    assert again.status_code == 409 and "已经入库" in again.content.decode()
    assert ValueChange.objects.count() == 1  # stored once


def test_board_remind_and_review(clients, rounds, users):
    users["health"].email = "health@example.gov.cn"
    users["health"].save()
    page = clients["health"].get(entry_url())
    clients["health"].post(entry_url(), {field(prefix_for(page, "C1-02"), "value"): "2.5"})
    board = clients["stats"].get(reverse("collection:board", args=[2024]))
    assert board.status_code == 200
    lines = {line.department.code: line for line in board.context["lines"]}
    assert lines["health"].filled == 1
    assert lines["health"].expected > 1
    assert clients["health"].get(reverse("collection:board", args=[2024])).status_code == 403

    clients["stats"].post(reverse("collection:remind", args=[2024]))
    assert any("health@example.gov.cn" in m.to for m in mail.outbox)
    assert users["health"].notices.filter(read_at__isnull=True).count() == 1
    assert clients["health"].get("/catalog/").context["unread_notices"] == 1

    submission = Submission.objects.get(department__code="health", round__year=2024)
    submit = reverse("collection:submission_action", args=[submission.pk, "submit"])
    approve = reverse("collection:submission_action", args=[submission.pk, "approve"])
    assert clients["education"].post(submit).status_code == 403
    clients["health"].post(submit)
    assert clients["health"].post(approve).status_code == 403  # not a reviewer
    submission.refresh_from_db()
    assert submission.status == "submitted"
    queue = clients["stats"].get(reverse("collection:review"))
    assert submission in list(queue.context["queue"])
    clients["stats"].post(approve)
    submission.refresh_from_db()
    assert submission.status == "approved"
    # An approved value can no longer be changed from the entry page.
    page = clients["health"].get(entry_url())
    assert page.context["editable"] is False


def test_value_history_is_scoped(clients, rounds):
    page = clients["health"].get(entry_url())
    clients["health"].post(entry_url(), {field(prefix_for(page, "C1-02"), "value"): "2.5"})
    value = DataValue.objects.get()
    url = reverse("collection:value_history", args=[value.pk])
    assert clients["health"].get(url).status_code == 200
    assert clients["stats"].get(url).status_code == 200
    assert clients["education"].get(url).status_code == 403
    # A value's history is read by whoever reads the value: the township reads the district
    # totals (the README's roles table), so their history too.
    assert clients["yunshan"].get(url).status_code == 200
    assert clients["anonymous"].get(url).status_code == 302


def test_submission_pages_are_scoped(clients, rounds):
    page = clients["health"].get(entry_url())
    clients["health"].post(entry_url(), {field(prefix_for(page, "C1-02"), "value"): "2.5"})
    submission = Submission.objects.get()
    url = reverse("collection:submission", args=[submission.pk])
    assert clients["health"].get(url).status_code == 200
    assert clients["leader"].get(url).status_code == 200
    assert clients["education"].get(url).status_code == 403
    assert clients["yunshan"].get(url).status_code == 403


def test_rounds_are_opened_by_managers_only(clients, db):
    data = {"year": 2026, "opens_on": "2027-01-01", "due_on": "2027-03-31"}
    assert clients["health"].post(reverse("collection:rounds"), data).status_code == 403
    assert clients["office"].post(reverse("collection:rounds"), data).status_code == 302
    bad = {"year": 2027, "opens_on": "2028-03-01", "due_on": "2028-01-01"}
    response = clients["stats"].post(reverse("collection:rounds"), bad)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_large_upload_goes_through_the_background_worker(clients, rounds, monkeypatch):
    from types import SimpleNamespace

    from planwatch.collection import batches, tasks, views

    enqueued = []

    def spy(pk):
        enqueued.append(pk)
        return tasks.check_batch.enqueue(pk)

    monkeypatch.setattr(batches, "BACKGROUND_BYTES", 10)
    monkeypatch.setattr(views, "check_batch", SimpleNamespace(enqueue=spy))
    file = io.BytesIO(b"indicator,org_unit,year,value\nC1-02,220112,2024,2.5\n")
    file.name = "big.csv"
    upload = clients["health"].post(reverse("collection:upload", args=[2024]), {"file": file})
    assert len(enqueued) == 1
    batch = ImportBatch.objects.get()
    assert batch.status == "checked"  # the test backend ran the task at once
    progress = clients["health"].get(reverse("collection:import_progress", args=[batch.pk]))
    assert progress.json() == {"status": "checked", "rows": 1, "done": True}
    clients["health"].post(upload["Location"])
    assert DataValue.objects.get().value == 2.5


def test_notices_page_marks_notices_read(clients, users):
    from planwatch.accounts.models import Notice

    Notice.objects.create(user=users["health"], text="请尽快报送")
    page = clients["health"].get(reverse("notices"))
    assert "请尽快报送" in page.content.decode()
    assert not users["health"].notices.filter(read_at__isnull=True).exists()


def test_the_board_shows_townships_with_their_progress(clients, rounds):
    from planwatch.collection.entry import entry_rows
    from planwatch.org.models import OrgUnit

    yunshan = OrgUnit.objects.get(code="220112001")
    url = entry_url(org_unit="220112001")
    page = clients["yunshan"].get(url)
    row = page.context["rows"][0]
    clients["yunshan"].post(url, {f"{row.field_prefix}-value": "50"})
    board = clients["stats"].get(reverse("collection:board", args=[2024]))
    towns = {t.township.code: t for t in board.context["towns"]}
    assert towns["220112001"].submission.township == yunshan
    assert towns["220112001"].filled == 1
    assert towns["220112001"].expected == len(entry_rows(2024, org_unit=yunshan))
    assert towns["220112001"].status_label == "草稿"
    others = [t for code, t in towns.items() if code != "220112001"]
    assert others and all(t.status_label == "未开始" for t in others)
    assert "云山街道" in board.content.decode()
