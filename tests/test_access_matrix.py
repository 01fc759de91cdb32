"""The access matrix: every URL pattern of the resolver and every operation of the served API
schema, requested as every role and signed out, with ids of another department's and another
township's objects, against ONE table written from the README's roles table.

A URL pattern (or API operation) without an entry in EXPECTED fails the test: a new page is
covered because it exists, not because someone remembered it. Django's admin site, whose
URLs each registered model brings, is held to its one rule (administrators only) pattern by
pattern and model by model in the last tests; the router's `.json` twins answer as their route.
"""

import datetime
import hashlib
import re

import pytest
import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from planwatch.catalog.models import Indicator, Measure, Plan
from planwatch.collection.batches import import_file
from planwatch.collection.models import (
    DataQuery,
    DataValue,
    ImportBatch,
    ImportStatus,
    ReportingRound,
    Submission,
    UnlockRequest,
)
from planwatch.exchange.models import PublishedIndicator
from planwatch.monitoring.compute import recompute
from planwatch.monitoring.models import SeriesResult
from planwatch.org.models import OrgUnit
from planwatch.rectification.models import Bulletin, RectificationItem
from planwatch.reports.models import Evidence, Report, SelfAssessment

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "norole",
    "admin",
    "office",
    "stats",
    "health",
    "education",
    "yunshan",
    "leader",
]
SIGNED_IN = ROLES[2:]
READ_ALL = ["admin", "office", "stats", "leader"]
OFFICE = ["admin", "office"]
DEPARTMENTS = ["health", "education"]
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page


def rule(allowed, ok=200, denied=403, anonymous=LOGIN, **special):
    """One row of the table: `ok` for the allowed roles, `denied` for every other role (an
    account without a role included), `anonymous` signed out; `special` names exceptions."""
    codes = {role: (ok if role in allowed else denied) for role in SIGNED_IN}
    codes["norole"] = denied
    codes["anonymous"] = anonymous
    codes.update(special)
    return codes


def everyone(code=200):
    return {role: code for role in ROLES}


def api(allowed, ok=200, denied=404, **special):
    """An API answer: signed out 401 (token authentication asks for credentials), an account
    without a role 403; out of scope 404 (a scoped queryset does not hold the object)."""
    return rule(allowed, ok, denied, anonymous=401, **{"norole": 403, **special})


class Probe:
    def __init__(self, method, url, expected, data=None, **extra):
        self.method, self.url, self.expected, self.data, self.extra = (
            method,
            url,
            expected,
            data or {},
            extra,
        )


def get(url, expected, **kw):
    return Probe("get", url, expected, **kw)


def post(url, expected, data=None, **kw):
    return Probe("post", url, expected, data, **kw)


# Readers of a district value of an indicator health leads (and education neither leads
# nor co-leads): everyone reading everything, the lead, the township (district totals).
HEALTH_DISTRICT = [*READ_ALL, "health", "yunshan"]
# Readers of a value of another township (220112002) under an indicator health leads.
HEALTH_PINGHU = [*READ_ALL, "health"]
# Readers of health's submission: readers of everything and health itself.
HEALTH_OWN = [*READ_ALL, "health"]
# Readers of yunshan's own submission: readers of everything and the township itself.
TOWN_OWN = [*READ_ALL, "yunshan"]
# Who writes values: the reporters, and the office for whom it names (never the bureau).
WRITERS = ["admin", "office", "health", "education", "yunshan"]
REPORT_READERS = [*READ_ALL, *DEPARTMENTS]

# route (as the resolver spells it) -> probes. `{x}` is filled from the objects fixture.
EXPECTED = {
    "": [get("/", rule(SIGNED_IN, ok=302))],
    "accounts/login/": [get("/accounts/login/", everyone(200))],
    "accounts/logout/": [
        get("/accounts/logout/", everyone(405)),
        post("/accounts/logout/", everyone(LOGIN)),
    ],
    # Its own password: every signed-in account, a role or not.
    "accounts/password/": [get("/accounts/password/", rule(SIGNED_IN, norole=200))],
    "accounts/password/done/": [get("/accounts/password/done/", rule(SIGNED_IN, norole=200))],
    "accounts/users/": [get("/accounts/users/", rule(OFFICE))],
    "accounts/users/<int:pk>/password/": [
        get("/accounts/users/{health_user}/password/", rule(OFFICE))
    ],
    "accounts/users/<int:pk>/active/": [
        post("/accounts/users/{health_user}/active/", rule(OFFICE, ok=302), {"active": "1"})
    ],
    "i18n/setlang/": [post("/i18n/setlang/", everyone(302), {"language": "zh-hans"})],
    "overview/": [get("/overview/", rule(SIGNED_IN))],
    "overview/<slug:plan>/": [get("/overview/children/", rule(SIGNED_IN))],
    "warnings/": [get("/warnings/", rule(SIGNED_IN))],
    "methods/": [get("/methods/", rule(SIGNED_IN))],
    "warnings.xlsx": [get("/warnings.xlsx", rule(SIGNED_IN))],
    "catalog/": [get("/catalog/", rule(SIGNED_IN))],
    "catalog/<slug:plan>/": [get("/catalog/women/", rule(SIGNED_IN))],
    "catalog/<slug:plan>/<int:area>/": [get("/catalog/children/1/", rule(SIGNED_IN))],
    "indicators/<str:code>/": [get("/indicators/C1-02/", rule(SIGNED_IN))],
    "indicators/<str:code>/responsibility/": [
        post("/indicators/C1-02/responsibility/", rule(OFFICE, ok=302), {"lead": "{health}"})
    ],
    # 扩充调整指标: the office's page; a plan or 纲要 indicator is not the office's (404).
    "office-indicators/": [
        get("/office-indicators/", rule(OFFICE)),
        post("/office-indicators/", rule(OFFICE, ok=400), {"name": ""}),
    ],
    "office-indicators/<str:code>/": [get("/office-indicators/C2-01/", rule(OFFICE, ok=404))],
    "office-indicators/<str:code>/retire/": [
        post("/office-indicators/C2-01/retire/", rule(OFFICE, ok=404), {"reason": "x"})
    ],
    "notices/": [get("/notices/", rule(SIGNED_IN))],
    "org-units/": [get("/org-units/", rule(SIGNED_IN))],
    "org-units/<str:code>/": [
        get("/org-units/220112/", rule([*READ_ALL, *DEPARTMENTS])),
        get("/org-units/220112002/", rule([*READ_ALL, *DEPARTMENTS])),
        get("/org-units/220112001/", rule(SIGNED_IN)),
    ],
    "departments/": [get("/departments/", rule(READ_ALL))],
    "departments/<slug:code>/": [get("/departments/health/", rule(HEALTH_OWN))],
    "collection/rounds/": [
        get("/collection/rounds/", rule(SIGNED_IN)),
        post("/collection/rounds/", rule(["admin", "office", "stats"]), {"year": ""}),
    ],
    "collection/rounds/<int:year>/": [get("/collection/rounds/2024/", rule(READ_ALL))],
    "collection/rounds/<int:year>/remind/": [
        post("/collection/rounds/2024/remind/", rule(["admin", "office", "stats"], ok=302))
    ],
    "collection/rounds/<int:year>/lock/": [
        # Allowed, and refused by the workflow (not every submission is approved): a message.
        post("/collection/rounds/2024/lock/", rule(OFFICE, ok=302))
    ],
    # A reporter always fills its own scope, whatever it names; the office the one it names.
    "collection/rounds/<int:year>/entry/": [
        get("/collection/rounds/2024/entry/?department=health", rule(WRITERS))
    ],
    "collection/rounds/<int:year>/template.xlsx": [
        get("/collection/rounds/2024/template.xlsx?department=health", rule(WRITERS))
    ],
    "collection/rounds/<int:year>/upload/": [
        post("/collection/rounds/2024/upload/?department=health", rule(WRITERS, ok=302))
    ],
    "collection/imports/<int:pk>/": [
        get("/collection/imports/{batch}/", rule(["admin", "health"]))
    ],
    "collection/imports/<int:pk>/progress/": [
        get("/collection/imports/{batch}/progress/", rule(["admin", "health"]))
    ],
    "collection/submissions/": [get("/collection/submissions/", rule(SIGNED_IN))],
    "collection/submissions/<int:pk>/": [
        get("/collection/submissions/{health_submission}/", rule(HEALTH_OWN)),
        get("/collection/submissions/{town_submission}/", rule(TOWN_OWN)),
    ],
    "collection/submissions/<int:pk>/export.xlsx": [
        get("/collection/submissions/{health_submission}/export.xlsx", rule(HEALTH_OWN)),
        get("/collection/submissions/{town_submission}/export.xlsx", rule(TOWN_OWN)),
    ],
    # The reviewers (the bureau; the office for the bureau's own) and the office mark notes.
    "collection/submissions/<int:pk>/note/": [
        post(
            "/collection/submissions/{health_submission}/note/?in=1",
            rule(["admin", "office", "stats"], ok=302),
            {"value": "{health_value}"},
        )
    ],
    # Queries are the reviewer's: the bureau (nobody reviews their own department's).
    "collection/submissions/<int:pk>/query/": [
        post(
            "/collection/submissions/{health_submission}/query/",
            rule(["admin", "stats"], ok=302),
            {"q-{health_value}": "口径？"},
        )
    ],
    "collection/submissions/<int:pk>/return-queried/": [
        post(
            "/collection/submissions/{health_submission}/return-queried/",
            rule(["admin", "stats"], ok=302),
            {"text": "请更正"},
        )
    ],
    "collection/submissions/<int:pk>/unlock-request/": [
        post(
            "/collection/submissions/{health_approved}/unlock-request/",
            rule(["admin", "health"], ok=302),
            {"text": "漏报"},
        ),
        post(
            "/collection/submissions/{town_approved}/unlock-request/",
            rule(["admin", "yunshan"], ok=302),
            {"text": "漏报"},
        ),
    ],
    "collection/submissions/<int:pk>/<slug:action>/": [
        post(
            "/collection/submissions/{health_submission}/approve/",
            rule(["admin", "stats"], ok=302),
        ),
        post(
            "/collection/submissions/{health_submission}/submit/",
            rule(["admin", "office", "health"], ok=302),
        ),
        post(
            "/collection/submissions/{health_approved}/unlock/",
            rule(["admin", "office", "stats"], ok=302),
            {"text": "更正"},
        ),
        # A township's submission: reviewed like a department's, submitted by its township.
        post(
            "/collection/submissions/{town_submission}/approve/",
            rule(["admin", "stats"], ok=302),
        ),
        post(
            "/collection/submissions/{town_submission}/return/",
            rule(["admin", "stats"], ok=302),
            {"text": "请核实"},
        ),
        post(
            "/collection/submissions/{town_submission}/submit/",
            rule(["admin", "office", "yunshan"], ok=302),
        ),
    ],
    "collection/queries/<int:pk>/answer/": [
        post(
            "/collection/queries/{query}/answer/",
            rule(["admin", "office", "health"], ok=302),
            {"text": "已核实"},
        )
    ],
    "collection/unlock-requests/<int:pk>/<slug:decision>/": [
        post(
            "/collection/unlock-requests/{unlock}/refuse/",
            rule(["admin", "office", "stats"], ok=302),
            {"text": "下一年度更正"},
        )
    ],
    "collection/review/": [get("/collection/review/", rule(READ_ALL))],
    "collection/values/<int:pk>/history/": [
        get("/collection/values/{health_value}/history/", rule(HEALTH_DISTRICT)),
        get("/collection/values/{pinghu_value}/history/", rule(HEALTH_PINGHU)),
    ],
    "reports/": [get("/reports/", rule(REPORT_READERS))],
    "reports/build/": [get("/reports/build/", rule(["admin", "office", "stats"]))],
    "reports/<int:pk>/": [get("/reports/{feedback}/", rule(HEALTH_OWN))],
    "reports/<int:pk>/progress/": [get("/reports/{feedback}/progress/", rule(HEALTH_OWN))],
    "reports/<int:pk>/download/": [get("/reports/{feedback}/download/", rule(HEALTH_OWN))],
    "reports/<int:pk>/publish/": [post("/reports/{feedback}/publish/", rule(OFFICE, ok=302))],
    # The two review groups only (监测组 = the bureau, 评估组 = the office); the administrator
    # judges no report. A department reads its feedback report but cannot review it.
    "reports/<int:pk>/review/": [
        post("/reports/{feedback}/review/", rule(["office", "stats"], ok=302), {"action": "submit"})
    ],
    # 预警通报 and 整改: readers of everything and the departments addressed; a department sees
    # the bulletins addressed to it and its own items, answers its own; the office decides.
    "rectification/": [get("/rectification/", rule(REPORT_READERS))],
    "rectification/new/": [get("/rectification/new/", rule(OFFICE))],
    "rectification/bulletins/<int:pk>/": [
        get("/rectification/bulletins/{bulletin}/", rule(HEALTH_OWN))
    ],
    "rectification/bulletins/<int:pk>/document.docx": [
        get("/rectification/bulletins/{bulletin}/document.docx", rule(HEALTH_OWN))
    ],
    "rectification/items/": [get("/rectification/items/", rule(REPORT_READERS))],
    "rectification/items/<int:pk>/answer/": [
        post(
            "/rectification/items/{rectification_item}/answer/",
            rule(["admin", "health"], ok=302),
            {
                "i{rectification_item}-measures": "加强随访",
                "i{rectification_item}-complete_by": "2025-06-30",
            },
        )
    ],
    "rectification/items/<int:pk>/<slug:decision>/": [
        post("/rectification/items/{rectification_item}/close/", rule(OFFICE, ok=302))
    ],
    "rectification/remind/": [post("/rectification/remind/", rule(OFFICE, ok=302))],
    "reports/sections/<slug:plan>/<slug:kind>/<int:year>/": [
        get("/reports/sections/children/annual/2024/", rule(READ_ALL))
    ],
    "reports/self-assessment/": [
        get("/reports/self-assessment/", rule(READ_ALL, health=302, education=302))
    ],
    "reports/self-assessment/<slug:code>/<int:year>/": [
        get("/reports/self-assessment/health/2024/", rule(HEALTH_OWN)),
        # Only the department itself writes its self-assessment.
        post("/reports/self-assessment/health/2024/", rule(["health"])),
    ],
    "reports/evidence/<int:pk>/": [get("/reports/evidence/{evidence}/", rule(HEALTH_OWN))],
    "reports/evidence/<int:pk>/delete/": [
        post("/reports/evidence/{evidence}/delete/", rule(["health"], ok=302))
    ],
    "public/": [get("/public/", everyone(200))],
    "public/indicators/<str:code>/": [
        get("/public/indicators/C1-02/", everyone(200)),
        get("/public/indicators/W2-02/", everyone(404)),  # not published
    ],
    "public/sdmx.csv": [get("/public/sdmx.csv", everyone(200))],
    "public/reports/<int:pk>/": [
        get("/public/reports/{published_report}/", everyone(200)),
        get("/public/reports/{feedback}/", everyone(404)),  # not published
    ],
    "publication/": [get("/publication/", rule(OFFICE))],
    # The API.
    "api/health/": [get("/api/health/", everyone(200))],
    "api/dhis2/dataValueSets/": [
        get("/api/dhis2/dataValueSets/?period=2024", api(SIGNED_IN, denied=403)),
        post(
            "/api/dhis2/dataValueSets/?dryRun=true",
            api(WRITERS, ok=409, denied=403),  # an empty set is refused, after the door
            {"dataValues": []},
            json=True,
        ),
    ],
    "api/schema/": [get("/api/schema/", everyone(200))],
    "api/docs/": [get("/api/docs/", everyone(200))],
    "api/redoc/": [get("/api/redoc/", everyone(200))],
    "api/": [get("/api/", api(SIGNED_IN, denied=403))],
    "api/<drf_format_suffix:format>": [get("/api/.json", api(SIGNED_IN, denied=403))],
    r"api/^[\s\S]*$": [get("/api/nothing-here/", everyone(404))],
    r"api/^plans/$": [get("/api/plans/", api(SIGNED_IN, denied=403))],
    r"api/^plans/(?P<code>[^/.]+)/$": [get("/api/plans/women/", api(SIGNED_IN, denied=403))],
    r"api/^objectives/$": [get("/api/objectives/", api(SIGNED_IN, denied=403))],
    r"api/^objectives/(?P<pk>[0-9]+)/$": [
        get("/api/objectives/{objective}/", api(SIGNED_IN, denied=403))
    ],
    r"api/^measures/$": [get("/api/measures/", api(SIGNED_IN, denied=403))],
    r"api/^measures/(?P<pk>[0-9]+)/$": [
        get("/api/measures/{measure}/", api(SIGNED_IN, denied=403))
    ],
    r"api/^indicators/$": [get("/api/indicators/", api(SIGNED_IN, denied=403))],
    r"api/^indicators/(?P<code>[^/]+)/$": [
        get("/api/indicators/C1-02/", api(SIGNED_IN, denied=403))
    ],
    r"api/^targets/$": [get("/api/targets/", api(SIGNED_IN, denied=403))],
    r"api/^targets/(?P<code>[^/]+)/$": [get("/api/targets/C1-O3-1/", api(SIGNED_IN, denied=403))],
    r"api/^org-units/$": [get("/api/org-units/", api(SIGNED_IN, denied=403))],
    r"api/^org-units/(?P<code>[^/.]+)/$": [
        get("/api/org-units/220112002/", api([*READ_ALL, *DEPARTMENTS], yunshan=404)),
        get("/api/org-units/220112001/", api(SIGNED_IN)),
    ],
    r"api/^departments/$": [get("/api/departments/", api(SIGNED_IN, denied=403))],
    r"api/^departments/(?P<code>[^/.]+)/$": [get("/api/departments/health/", api(HEALTH_OWN))],
    r"api/^values/$": [
        get("/api/values/", api(SIGNED_IN, denied=403)),
        post(
            "/api/values/",
            api(WRITERS, denied=403),
            {"rows": [], "dry_run": True},
            json=True,
            ok_codes={200, 400},
        ),
    ],
    r"api/^values/export/$": [get("/api/values/export/", api(SIGNED_IN, denied=403))],
    r"api/^values/(?P<pk>[0-9]+)/$": [
        get("/api/values/{health_value}/", api(HEALTH_DISTRICT)),
        get("/api/values/{pinghu_value}/", api(HEALTH_PINGHU)),
    ],
    r"api/^submissions/$": [get("/api/submissions/", api(SIGNED_IN, denied=403))],
    r"api/^submissions/(?P<pk>[0-9]+)/$": [
        get("/api/submissions/{health_submission}/", api(HEALTH_OWN)),
        get("/api/submissions/{town_submission}/", api(TOWN_OWN)),
    ],
    r"api/^submissions/(?P<pk>[0-9]+)/(?P<step>submit|approve|return|unlock)/$": [
        post(
            "/api/submissions/{health_submission}/approve/",
            api(["admin", "stats"], office=403, health=403, leader=403),
            {},
            json=True,
        )
    ],
    r"api/^results/$": [get("/api/results/", api(SIGNED_IN, denied=403))],
    r"api/^results/export/$": [get("/api/results/export/", api(SIGNED_IN, denied=403))],
    r"api/^results/(?P<pk>[0-9]+)/$": [get("/api/results/{health_result}/", api(HEALTH_DISTRICT))],
}

# The router's `.json` twins answer as their route does.
FORMAT_SUFFIX = re.compile(r"\\\.\(\?P<format>\[a-z0-9\]\+\)/\?\$$")
# Django's admin site: staff only, by Django's own rule (administrators are the staff).
ADMIN_PREFIX = "admin/"


def routes(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        else:
            assert isinstance(p, URLPattern)
            yield prefix + str(p.pattern), p


def base_route(route: str) -> str:
    return FORMAT_SUFFIX.sub("/$", route)


@pytest.fixture
def objects(users, tmp_path):
    """Objects of the health commission (department A) and of 平湖街道 220112002 (another
    township than yunshan's 220112001), and the facts about them the table relies on."""
    for year in (2023, 2024):
        ReportingRound.objects.create(
            year=year, opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 3, 1)
        )
    path = tmp_path / "v.csv"
    path.write_text(
        "indicator,org_unit,year,value,comment\n"
        "C1-02,220112,2023,3.0,\nC1-02,220112,2024,2.6,含流动人口\n"
        "W2-02,220112,2023,97.0,\nW2-02,220112,2024,98.0,\n"
        "W1-10,220112002,2024,88,\n"
    )
    assert import_file(path)[0].stored
    # yunshan's own entries: the township's own submissions, one per year.
    town_path = tmp_path / "t.csv"
    town_path.write_text(
        "indicator,org_unit,year,value,comment\n"
        "W1-10,220112001,2023,80,\nW1-10,220112001,2024,85,\n"
    )
    assert import_file(town_path, user=users["yunshan"])[0].stored
    Submission.objects.filter(round__year=2023).update(status="approved")
    health = users["health"].profile.department
    # The facts the table is written on.
    for code in ("C1-02", "W1-10"):
        indicator = Indicator.objects.get(code=code)
        assert indicator.lead_department == health
        assert not indicator.co_departments.filter(code="education").exists()
    recompute(2024)
    health_submission = Submission.objects.get(department=health, round__year=2024)
    health_submission.status = "submitted"
    health_submission.save(update_fields=["status"])
    health_approved = Submission.objects.get(department=health, round__year=2023)
    health_value = DataValue.objects.get(indicator__code="C1-02", year=2024)
    town_submission = Submission.objects.get(township__code="220112001", round__year=2024)
    town_submission.status = "submitted"
    town_submission.save(update_fields=["status"])
    town_approved = Submission.objects.get(township__code="220112001", round__year=2023)
    assert town_submission.values.get().org_unit.code == "220112001"
    plan = Plan.objects.get(code="children")
    measure = Measure.objects.filter(lead_department=health).first()
    assessment = SelfAssessment.objects.create(
        department=health, year=2024, measure=measure, rating="done", updated_by=users["health"]
    )
    content = b"evidence"
    evidence = Evidence.objects.create(
        assessment=assessment,
        file=ContentFile(content, name="e.txt"),
        name="e.txt",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=users["health"],
    )

    def report(**kw):
        return Report.objects.create(
            plan=plan, year=2024, version=1, status="done", file=ContentFile(b"x", "r.docx"), **kw
        )

    PublishedIndicator.objects.create(indicator=Indicator.objects.get(code="C1-02"), to_year=2024)
    bulletin = Bulletin.objects.create(
        year=2025,
        number=1,
        monitoring_year=2024,
        title="预警通报",
        issued_on=datetime.date(2025, 4, 1),
        due_on=datetime.date(2025, 5, 1),
    )
    item = RectificationItem.objects.create(
        bulletin=bulletin,
        department=health,
        indicator=Indicator.objects.get(code="C1-02"),
        org_unit=OrgUnit.objects.get(code="220112"),
        target_code="C1-02",
        target_text="≤5‰",
        level="red",
        level_label="红色预警",
        latest_text="2.6‰",
        reason="预计难以达标",
    )
    return {
        "bulletin": bulletin.pk,
        "rectification_item": item.pk,
        "health": health.pk,
        "health_user": users["health"].pk,
        "health_value": health_value.pk,
        "pinghu_value": DataValue.objects.get(
            indicator__code="W1-10", org_unit__code="220112002"
        ).pk,
        "health_submission": health_submission.pk,
        "health_approved": health_approved.pk,
        "town_submission": town_submission.pk,
        "town_approved": town_approved.pk,
        "health_result": SeriesResult.objects.filter(
            target__indicator__code="C1-02", org_unit__code="220112", preview=False
        )
        .first()
        .pk,
        "batch": ImportBatch.objects.create(
            user=users["health"], channel="csv", file_name="x.csv", status=ImportStatus.CHECKED
        ).pk,
        "query": DataQuery.objects.create(
            submission=health_submission,
            value=health_value,
            question="口径？",
            asked_by=users["stats"],
        ).pk,
        "unlock": UnlockRequest.objects.create(
            submission=health_approved, reason="漏报", requested_by=users["health"]
        ).pk,
        "feedback": report(kind="feedback", department=health).pk,
        "published_report": report(kind="annual", published=True).pk,
        "evidence": evidence.pk,
        "objective": measure.area.objectives.first().pk,
        "measure": measure.pk,
    }


def fill(text: str, ids: dict) -> str:
    return text.format(**ids) if "{" in text else text


def answer(users, role: str, probe: Probe, ids: dict, url=None):
    """One request, rolled back after, so that no probe changes what the next one sees."""
    client = Client()
    if role != "anonymous":
        client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
    data = {fill(k, ids): fill(v, ids) if isinstance(v, str) else v for k, v in probe.data.items()}
    kwargs = {"content_type": "application/json"} if probe.extra.get("json") else {}
    with transaction.atomic():
        response = getattr(client, probe.method)(url or fill(probe.url, ids), data, **kwargs)
        transaction.set_rollback(True)
    return response


def verdict(response, expected, ok_codes=None):
    code = response.status_code
    if expected in (LOGIN, ADMIN_LOGIN):
        login = "/accounts/login/" if expected == LOGIN else "/admin/login/"
        return code == 302 and response["Location"].startswith(login)
    if ok_codes and expected in ok_codes:
        return code in ok_codes
    if code == 302 and expected == 302:
        return not response["Location"].startswith(("/accounts/login/", "/admin/login/"))
    return code == expected


def test_the_table_covers_every_url_pattern():
    missing = [
        route
        for route, _p in routes()
        if not route.startswith(ADMIN_PREFIX) and base_route(route) not in EXPECTED
    ]
    assert missing == [], f"URL patterns with no row in EXPECTED: {missing}"
    stale = set(EXPECTED) - {base_route(r) for r, _p in routes()}
    assert stale == set(), f"rows for URL patterns that no longer exist: {stale}"


def test_the_table_covers_every_operation_of_the_served_schema(clients):
    schema = yaml.safe_load(clients["office"].get("/api/schema/").content)
    probed = {
        (probe.method, resolve(probe.url.split("?")[0].format_map(_AnyId())).route)
        for route, probes in EXPECTED.items()
        if route.startswith("api/")
        for probe in probes
    }
    missing = []
    for path, operations in schema["paths"].items():
        example = re.sub(r"\{[^}]+\}", "1", path)
        if "{step}" in path:
            example = path.replace("{step}", "approve")
            example = re.sub(r"\{[^}]+\}", "1", example)
        route = resolve(example).route
        for method in operations:
            if (
                method in {"get", "post", "put", "patch", "delete"}
                and (method, route) not in probed
            ):
                missing.append((method, path))
    assert missing == [], f"API operations with no probe in EXPECTED: {missing}"


class _AnyId(dict):
    def __missing__(self, key):
        return "1"


def test_every_role_at_every_door(users, objects):
    wrong, n = [], 0
    for route, probes in EXPECTED.items():
        for probe in probes:
            for role in ROLES:
                response = answer(users, role, probe, objects)
                n += 1
                if not verdict(response, probe.expected[role], probe.extra.get("ok_codes")):
                    url = fill(probe.url, objects)
                    got, want = response.status_code, probe.expected[role]
                    wrong.append((route, probe.method, url, role, got, want))
    assert wrong == [], "\n".join(map(str, wrong))
    assert n == sum(len(p) for p in EXPECTED.values()) * len(ROLES)


def test_format_suffix_twins_answer_as_their_route(users, objects):
    """/api/plans.json and the like: the same answer as /api/plans/, for every role."""
    wrong = []
    for route, _p in routes():
        if route.startswith("api/") and base_route(route) != route:
            for probe in EXPECTED[base_route(route)]:
                if probe.method != "get":
                    continue
                url = fill(probe.url, objects).split("?")[0].rstrip("/") + ".json"
                for role in ROLES:
                    response = answer(users, role, probe, objects, url=url)
                    if not verdict(response, probe.expected[role]):
                        wrong.append((url, role, response.status_code, probe.expected[role]))
    assert wrong == [], "\n".join(map(str, wrong))


WRITTEN_BY_THE_PLATFORM = {
    "audit_auditentry_add",
    "audit_auditentry_delete",  # append-only
    "axes_accessattempt_add",
    "axes_accesslog_add",
    "axes_accessfailurelog_add",
    "django_tasks_database_dbtaskresult_add",
}


def test_the_admin_site_is_for_administrators_only(users, objects):
    """Every admin pattern that names no object, and one change page per model: staff
    (the administrators) in, everyone else sent to the admin's sign-in."""
    wrong = []
    for route, pattern in routes():
        if not route.startswith(ADMIN_PREFIX) or pattern.name is None or "<" in route:
            continue
        if "(?P" in route or pattern.name in {"login", "logout", "autocomplete"}:
            continue
        url = "/" + route
        for role in ROLES:
            response = answer(users, role, get(url, {}), objects)
            expected = ADMIN_LOGIN
            if role == "admin":
                # The audit trail (append-only), sign-in attempts and task results are
                # written by the platform only: nobody adds one by hand.
                expected = 403 if pattern.name in WRITTEN_BY_THE_PLATFORM else 200
            if not verdict(response, expected):
                wrong.append((url, role, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


def test_every_admin_object_page_is_for_administrators_only(users, objects):
    """The admin's object pages (change, history, delete confirmation), with a real id of
    each registered model: administrators in, everyone else sent to the admin's sign-in."""
    from django.contrib import admin
    from django.urls import reverse

    wrong, n = [], 0
    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").first()
        if first is None:
            continue
        for view in ("change", "history", "delete"):
            name = f"{model._meta.app_label}_{model._meta.model_name}_{view}"
            url = reverse(f"admin:{name}", args=[first.pk])
            for role in ROLES:
                n += 1
                response = answer(users, role, get(url, {}), objects)
                expected = ADMIN_LOGIN
                if role == "admin":
                    expected = 403 if name in WRITTEN_BY_THE_PLATFORM else 200
                if not verdict(response, expected):
                    wrong.append((url, role, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))
    assert n >= 3 * len(ROLES) * 8  # the platform's own models at least


# Who may write one value (indicator × org unit), by the README's table: the office any, the
# lead department its indicators anywhere, a township its own unit (any indicator), nobody
# else (the bureau and leaders write nothing).
WRITE_ROWS = [
    (("C1-02", "220112"), ["admin", "office", "health"]),
    (("W1-10", "220112002"), ["admin", "office", "health"]),
    (("W1-10", "220112001"), ["admin", "office", "health", "yunshan"]),
]


@pytest.mark.parametrize("row,writers", WRITE_ROWS)
def test_the_file_door_and_the_api_answer_alike(users, objects, tmp_path, row, writers):
    ReportingRound.objects.create(
        year=2022, opens_on=datetime.date(2023, 1, 1), due_on=datetime.date(2023, 3, 1)
    )
    indicator, unit = row
    path = tmp_path / "one.csv"
    path.write_text(f"indicator,org_unit,year,value\n{indicator},{unit},2022,90\n")
    for role in SIGNED_IN:
        by_file = import_file(path, user=users[role], dry_run=True)[0].ok
        client = Client()
        client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
        body = {"rows": [{"indicator": indicator, "org_unit": unit, "year": 2022, "value": 90}]}
        response = client.post(
            "/api/values/", {**body, "dry_run": True}, content_type="application/json"
        )
        assert response.status_code in (200, 400, 403), (role, response.status_code)
        by_api = response.status_code == 200
        assert (by_file, by_api) == (role in writers,) * 2, (role, row, response.content)
