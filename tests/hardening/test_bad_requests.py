"""Requests that used to end in a server error: each is answered 400 or 404, with a
message, in the shape of the door it came through."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from planwatch.collection.models import DataValue

pytestmark = pytest.mark.django_db
ROW = {"indicator": "W1-10", "org_unit": "220112001", "year": 2024, "value": 90}


def token_client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")


def test_an_unknown_plan_overview_is_not_found(clients):
    assert clients["office"].get("/overview/nosuchplan/").status_code == 404


@pytest.mark.parametrize("url", ["/warnings/?area=abc", "/warnings.xlsx?area=abc"])
def test_a_malformed_area_is_a_bad_request_with_a_message(clients, url):
    response = clients["office"].get(url)
    assert response.status_code == 400
    assert "area" in response.content.decode()


def test_deeply_nested_json_is_refused_in_the_api_shape(clients, users):
    body = "[" * 100_000 + "]" * 100_000
    response = token_client(users["yunshan"]).post(
        "/api/values/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["stored"] is False and response.json()["conflicts"]


def test_the_documented_50000_rows_fit_in_the_body_limit(rounds, users):
    rows = [{**ROW, "comment": "说明" * 20}] * 50_000  # duplicates: refused, but read
    body = json.dumps({"rows": rows, "dry_run": True})
    assert len(body) > 2_621_440  # over Django's default 2.5 MB
    response = token_client(users["yunshan"]).post(
        "/api/values/", body, content_type="application/json"
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["stored"] is False
    assert "重复" in answer["conflicts"][0]["message"]  # read and checked, not cut off


def test_a_body_over_the_limit_is_refused_in_the_json_shape(rounds, users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"rows": [{**ROW, "comment": "x" * 20_000}]})
    response = token_client(users["yunshan"]).post(
        "/api/values/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["stored"] is False
    assert "10000" in response.json()["conflicts"][0]["message"]


@pytest.mark.parametrize("value", ["9_7", "٩٧", "0x10"])
def test_api_numbers_are_as_strict_as_files(rounds, users, value):
    response = token_client(users["yunshan"]).post(
        "/api/values/", {"rows": [{**ROW, "value": value}]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not DataValue.objects.exists()


@pytest.mark.parametrize("year", ["2_024", 2205, 0, 99999999999999999999])
def test_api_years_are_as_strict_as_files(rounds, users, year):
    response = token_client(users["yunshan"]).post(
        "/api/values/", {"rows": [{**ROW, "year": year}]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not DataValue.objects.exists()


def test_a_nul_in_a_values_form_is_refused_in_the_values_shape(users):
    response = token_client(users["yunshan"]).post("/api/values/", {"ro\x00ws": "[]"})
    assert response.status_code == 400
    assert response.json()["stored"] is False and response.json()["conflicts"]
