"""The web entry of the largest department saves and submits: each group posts its own form,
so no request exceeds Django's field limit however many rows the catalog produces."""

from django.conf import settings
from django.urls import reverse

from planwatch.catalog.models import Department, Indicator
from planwatch.collection.models import DataValue, Submission

from .forms_html import entry_forms


def fill(fields: dict) -> dict:
    """Counts that add up: parts of a total get half of it, age groups a quarter."""
    out = dict(fields)
    for name in fields:
        if not name.startswith("v-"):
            continue
        prefix, column = name.rsplit("-", 1)
        _v, _ind, _unit, sex, age, residence = prefix.split("-", 5)
        share = 0.25 if age != "_" else 0.5 if (sex != "_" or residence != "_") else 1.0
        has_counts = f"{prefix}-numerator" in fields
        if column == "numerator":
            out[name] = f"{40 * share:g}"
        elif column == "denominator":
            out[name] = f"{4000 * share:g}"
        elif column == "value" and not has_counts:
            out[name] = f"{40 * share:g}"
    return out


def test_a_600_row_entry_saves_group_by_group_and_submits(clients, rounds):
    health = Department.objects.get(code="health")
    Indicator.objects.update(lead_department=health)  # every indicator: the largest entry
    url = reverse("collection:entry", args=[2024]) + "?department=health"
    page = clients["health"].get(url)
    rows = page.context["rows"]
    assert len(rows) >= 600
    forms = entry_forms(page.content.decode())
    assert len(forms) > 1
    # One form for the whole grid would have posted more fields than Django accepts.
    assert sum(len(f["fields"]) for f in forms) > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    for form in forms:
        data = fill(form["fields"])
        assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        response = clients["health"].post(form["action"] or url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert "group=" + data["group"] in response["Location"]
    assert DataValue.objects.filter(year=2024).count() == len(rows)
    total = DataValue.objects.get(
        indicator__code="W1-01", org_unit__code="220112", sex="", age_group="", residence=""
    )
    assert total.numerator == 40 and total.denominator == 4000
    submission = Submission.objects.get(round__year=2024, department=health)
    response = clients["health"].post(
        reverse("collection:submission_action", args=[submission.pk, "submit"])
    )
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_approved_cells_are_read_only_in_the_form(clients, rounds):
    # The township's entries are its own submission; a township cell its lead department
    # entered belongs to the department's: once that is approved, the township's form no
    # longer offers the cell (rather than refusing it after saving).
    url = reverse("collection:entry", args=[2024]) + "?org_unit=220112001"
    page = clients["yunshan"].get(url)
    first = entry_forms(page.content.decode())[0]
    assert clients["yunshan"].post(url, fill(first["fields"])).status_code == 302
    own = Submission.objects.get(round__year=2024, township__code="220112001")
    assert own.department_id is None
    typed = list(DataValue.objects.filter(year=2024, submission=own).order_by("pk"))
    assert typed
    lead = typed[0].indicator.lead_department
    theirs = Submission.objects.create(round=rounds[2024], department=lead, status="approved")
    saved = typed[: max(1, len(typed) // 2)]
    DataValue.objects.filter(pk__in=[v.pk for v in saved]).update(submission=theirs)
    page = clients["yunshan"].get(url)
    assert page.context["submission"] == own
    assert page.context["editable"] is True
    fields = entry_forms(page.content.decode())[0]["fields"]
    for value in saved:
        prefix = "v-" + "-".join(
            str(k) or "_"
            for k in (
                value.indicator_id,
                value.org_unit_id,
                value.sex,
                value.age_group,
                value.residence,
            )
        )
        assert f"{prefix}-value" not in fields and f"{prefix}-comment" not in fields
    assert "申请解锁" in page.content.decode() or "unlock" in page.content.decode()
