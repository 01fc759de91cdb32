"""Every page against every role: who is let in, who is refused, and what each one sees."""

import pytest
from django.urls import reverse

from planwatch.audit.models import AuditEntry
from planwatch.catalog.models import Department, Indicator

ALL = ["admin", "office", "stats", "health", "education", "yunshan", "leader"]
READ_ALL = ["admin", "office", "stats", "leader"]


def first_indicator_code():
    return Indicator.objects.order_by("code").values_list("code", flat=True).first()


# (url, roles allowed to read it); everyone else with a role gets 403, anonymous a redirect.
PAGES = [
    (lambda: reverse("plan_list"), ALL),
    (lambda: reverse("plan_detail", args=["women"]), ALL),
    (lambda: reverse("plan_detail", args=["children"]), ALL),
    (lambda: reverse("area_detail", args=["women", 1]), ALL),
    (lambda: reverse("area_detail", args=["children", 7]), ALL),
    (lambda: reverse("indicator_detail", args=[first_indicator_code()]), ALL),
    (lambda: reverse("org_unit_list"), ALL),
    (lambda: reverse("org_unit_detail", args=["220112"]), [*READ_ALL, "health", "education"]),
    (lambda: reverse("org_unit_detail", args=["220112001"]), ALL),
    (lambda: reverse("org_unit_detail", args=["220112002"]), [*READ_ALL, "health", "education"]),
    (lambda: reverse("department_list"), READ_ALL),
    (lambda: reverse("department_detail", args=["health"]), [*READ_ALL, "health"]),
    (lambda: reverse("department_detail", args=["education"]), [*READ_ALL, "education"]),
]


@pytest.mark.parametrize("page,allowed", PAGES)
def test_every_role_on_every_page(clients, page, allowed):
    url = page()
    for name, client in clients.items():
        response = client.get(url)
        if name == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login")), url
        elif name in allowed:
            assert response.status_code == 200, (name, url)
        else:
            assert response.status_code == 403, (name, url)


def test_unknown_objects_are_404_not_500(clients):
    client = clients["office"]
    assert client.get(reverse("indicator_detail", args=["NOPE"])).status_code == 404
    assert client.get(reverse("department_detail", args=["nope"])).status_code == 404
    assert client.get(reverse("org_unit_detail", args=["999"])).status_code == 404
    assert client.get(reverse("area_detail", args=["women", 99])).status_code == 404


@pytest.mark.parametrize(
    "name,target",
    [
        ("health", "/departments/health/"),
        ("education", "/departments/education/"),
        ("yunshan", "/org-units/220112001/"),
        ("office", "/overview/"),
        ("leader", "/overview/"),
        ("stats", "/overview/"),
    ],
)
def test_home_lands_each_role_on_its_own_page(clients, name, target):
    response = clients[name].get("/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_township_reporter_sees_only_its_own_units(clients):
    body = clients["yunshan"].get(reverse("org_unit_list")).content.decode()
    assert "云山街道" in body
    assert "平湖街道" not in body
    assert "鹿乡镇" not in body


def test_department_page_lists_only_its_indicators(clients):
    health = Department.objects.get(code="health")
    body = clients["health"].get(reverse("department_detail", args=["health"])).content.decode()
    lead_codes = list(
        Indicator.objects.filter(lead_department=health).values_list("code", flat=True)
    )
    assert lead_codes, "the catalog assigns indicators to the health commission"
    for code in lead_codes:
        assert code in body
    foreign = Indicator.objects.exclude(lead_department=health).exclude(co_departments=health)
    for code in foreign.values_list("code", flat=True):
        assert f">{code}<" not in body


@pytest.mark.parametrize("name", ["stats", "health", "education", "yunshan", "leader"])
def test_only_plan_office_changes_responsibility(clients, name):
    code = first_indicator_code()
    url = reverse("indicator_responsibility", args=[code])
    before = Indicator.objects.get(code=code).department_codes()
    response = clients[name].post(url, {"lead": Department.objects.get(code="court").pk})
    assert response.status_code == 403
    assert Indicator.objects.get(code=code).department_codes() == before
    assert not AuditEntry.objects.filter(action="set_responsibility").exists()


def test_anonymous_cannot_change_responsibility(clients):
    code = first_indicator_code()
    url = reverse("indicator_responsibility", args=[code])
    response = clients["anonymous"].post(url, {"lead": 1})
    assert response.status_code == 302
    assert not AuditEntry.objects.exclude(action="login").exists()  # sign-ins are audited


def test_plan_office_changes_responsibility_and_it_is_audited(clients, users):
    code = first_indicator_code()
    court = Department.objects.get(code="court")
    justice = Department.objects.get(code="justice")
    before = Indicator.objects.get(code=code).department_codes()
    response = clients["office"].post(
        reverse("indicator_responsibility", args=[code]),
        {"lead": court.pk, "co": [justice.pk]},
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(code=code)
    assert indicator.department_codes() == ["court", "justice"]
    entry = AuditEntry.objects.get(action="set_responsibility", object_key=code)
    assert entry.user == users["office"]
    assert entry.old == before
    assert entry.new == ["court", "justice"]
    assert entry.channel == "web"


def test_indicator_page_shows_the_form_only_to_the_plan_office(clients):
    url = reverse("indicator_detail", args=[first_indicator_code()])
    assert "indicator_responsibility" not in clients["leader"].get(url).content.decode()
    office_page = clients["office"].get(url).content.decode()
    assert 'name="lead"' in office_page
    assert 'name="lead"' not in clients["leader"].get(url).content.decode()


def test_one_rule_publishes_a_report(users):
    """印发 has one owner (accounts.access.may_issue_report): the report page's button, the
    publish door and the review chain all follow it, on an approved version only."""
    from planwatch.accounts.access import may_issue_report
    from planwatch.reports.access import may_issue
    from planwatch.reports.models import Report, ReviewState

    approved, draft = Report(review=ReviewState.APPROVED), Report(review=ReviewState.DRAFT)
    issuers = {name for name, user in users.items() if may_issue_report(user)}
    assert issuers == {"admin", "office"}
    for user in users.values():
        assert may_issue(user, approved) is may_issue_report(user)
        assert may_issue(user, draft) is False
