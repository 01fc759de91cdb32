"""The API: the same scoping and rules as the pages, for tokens and sessions alike."""

import datetime

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from planwatch.collection.batches import import_file
from planwatch.collection.models import DataValue, ReportingRound, Submission
from planwatch.monitoring.compute import recompute

pytestmark = pytest.mark.django_db

ROW = {"indicator": "C1-02", "org_unit": "220112", "year": 2024, "value": 2.5}


@pytest.fixture
def rounds(db):
    for year in (2023, 2024):
        ReportingRound.objects.create(
            year=year, opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 3, 1)
        )


def token_client(user) -> Client:
    token = Token.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def data(rounds, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(
        "indicator,org_unit,year,value\n"
        "C1-02,220112,2023,3.0\nC1-02,220112,2024,2.6\n"
        "W2-02,220112,2023,97.0\nW2-02,220112,2024,98.0\n"
        "W1-10,220112002,2024,88\n"
    )
    assert import_file(path)[0].stored
    Submission.objects.filter(round__year=2023).update(status="approved")
    recompute(2024)
    return {
        "health_value": DataValue.objects.get(indicator__code="C1-02", year=2024).pk,
        "education_value": DataValue.objects.get(indicator__code="W2-02", year=2024).pk,
        "pinghu_value": DataValue.objects.get(indicator__code="W1-10").pk,
        "health_submission": Submission.objects.get(department__code="health", round__year=2024).pk,
        "education_submission": Submission.objects.get(
            department__code="education", round__year=2024
        ).pk,
    }


LIST_ENDPOINTS = [
    "/api/plans/",
    "/api/objectives/",
    "/api/measures/",
    "/api/indicators/",
    "/api/targets/",
    "/api/org-units/",
    "/api/departments/",
    "/api/values/",
    "/api/submissions/",
    "/api/results/",
]


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_signed_out_clients_are_refused_everywhere(url, data):
    assert Client().get(url).status_code in (401, 403)
    bad_token = Client(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad_token.get(url).status_code == 401


def test_signed_out_clients_cannot_see_any_object(data):
    anonymous = Client()
    for url in [
        f"/api/values/{data['health_value']}/",
        f"/api/submissions/{data['health_submission']}/",
        "/api/indicators/W1-01/",
    ]:
        assert anonymous.get(url).status_code in (401, 403)
    response = anonymous.post("/api/values/", {"rows": [ROW]}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert DataValue.objects.filter(year=2024, indicator__code="C1-02").get().value == 2.6


def test_a_wrong_department_sees_none_of_another_departments_objects(data, users):
    education = token_client(users["education"])
    for url in [
        f"/api/values/{data['health_value']}/",
        f"/api/values/{data['pinghu_value']}/",
        f"/api/submissions/{data['health_submission']}/",
        "/api/departments/health/",
    ]:
        assert education.get(url).status_code == 404, url
    values = education.get("/api/values/").json()["results"]
    assert {v["indicator"] for v in values} == {"W2-02"}
    results = education.get("/api/results/").json()["results"]
    assert results and all(r["indicator"].startswith("W2") or r["indicator"].startswith("C3")
                           for r in results)  # fmt: skip
    submissions = education.get("/api/submissions/").json()["results"]
    assert {s["department"] for s in submissions} == {"education"}
    step = f"/api/submissions/{data['health_submission']}/submit/"
    assert education.post(step).status_code == 404


def test_a_township_reporter_sees_its_own_unit_and_the_district_only(data, users):
    yunshan = token_client(users["yunshan"])
    assert yunshan.get(f"/api/values/{data['pinghu_value']}/").status_code == 404
    units = {v["org_unit"] for v in yunshan.get("/api/values/").json()["results"]}
    assert units <= {"220112", "220112001"}
    assert {u["code"] for u in yunshan.get("/api/org-units/").json()["results"]} == {"220112001"}


def test_write_with_dry_run_then_for_real(rounds, users):
    health = token_client(users["health"])
    payload = {"rows": [ROW], "dry_run": True}
    check = health.post("/api/values/", payload, content_type="application/json")
    assert check.status_code == 200
    assert check.json()["n_new"] == 1 and check.json()["stored"] is False
    assert not DataValue.objects.exists()
    stored = health.post("/api/values/", {"rows": [ROW]}, content_type="application/json")
    assert stored.json()["stored"] is True
    value = DataValue.objects.get()
    assert (value.value, value.source) == (2.5, "api")


def test_conflicts_are_reported_per_row_and_nothing_is_stored(rounds, users):
    health = token_client(users["health"])
    rows = [ROW, {**ROW, "indicator": "NOPE"}, {**ROW, "indicator": "W2-02", "value": 99}]
    response = health.post("/api/values/", {"rows": rows}, content_type="application/json")
    assert response.status_code == 400
    conflicts = response.json()["conflicts"]
    assert [(c["row"], c["column"]) for c in conflicts] == [(3, "indicator"), (4, "indicator")]
    assert "未知的指标代码" in conflicts[0]["message"]
    assert "无权填报该指标" in conflicts[1]["message"]
    assert not DataValue.objects.exists()


def test_workflow_through_the_api_uses_the_same_rules(data, users):
    health = token_client(users["health"])
    stats = token_client(users["stats"])
    sid = data["health_submission"]
    assert health.post(f"/api/submissions/{sid}/approve/").status_code == 403
    assert health.post(f"/api/submissions/{sid}/submit/").json()["status"] == "submitted"
    assert stats.post(f"/api/submissions/{sid}/return/", {"text": ""}).status_code == 409
    returned = stats.post(
        f"/api/submissions/{sid}/return/", {"text": "口径不一致"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "口径不一致"


def test_leaders_read_but_do_not_write(data, users):
    leader = token_client(users["leader"])
    assert leader.get("/api/values/").json()["count"] == DataValue.objects.count()
    response = leader.post("/api/values/", {"rows": [ROW]}, content_type="application/json")
    assert response.status_code == 403


def test_tokens_are_rate_limited(data, users, monkeypatch):
    from django.core.cache import cache

    from planwatch.api.permissions import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    cache.clear()
    client = token_client(users["leader"])
    codes = [client.get("/api/plans/").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert 429 in codes[3:]
    session = Client()
    session.force_login(users["leader"], backend="django.contrib.auth.backends.ModelBackend")
    assert all(session.get("/api/plans/").status_code == 200 for _ in range(5))
    cache.clear()


def test_health_endpoint_needs_no_sign_in_and_says_little():
    response = Client().get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_schema_and_docs_are_served_offline(users):
    assert Client().get("/api/schema/").status_code == 200
    client = Client()
    client.force_login(users["leader"], backend="django.contrib.auth.backends.ModelBackend")
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()


def test_malformed_requests_get_the_same_conflict_shape(rounds, users):
    health = token_client(users["health"])
    broken = health.post("/api/values/", "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["stored"] is False and broken.json()["conflicts"]
    empty = health.post("/api/values/", {"rows": []}, content_type="application/json")
    assert empty.status_code == 400
    assert empty.json()["conflicts"][0]["column"] == "rows"


def test_a_directional_target_has_no_value_but_its_direction_and_words(users):
    response = token_client(users["leader"]).get("/api/targets/W3-M5-1/")
    assert response.status_code == 200
    body = response.json()
    assert body["comparator"] == "increase"
    assert body["value"] is None
    assert body["wording"] == "提高"
    assert body["quote"] == "提高城镇单位就业人员中的女性比例"
