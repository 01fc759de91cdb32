"""Security headers on a page, an export and the API; no inline script in any template."""

import re
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "planwatch"


def assert_headers(response):
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_headers_on_a_page_an_export_and_the_api(clients, users):
    from django.test import Client

    assert_headers(clients["office"].get("/overview/"))
    export = clients["office"].get("/warnings.xlsx")
    assert export.status_code == 200
    assert_headers(export)
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['office']).key}")
    response = api.get("/api/indicators/")
    assert response.status_code == 200
    assert_headers(response)
    assert_headers(Client().get("/public/sdmx.csv"))


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{path}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: inline event handler")
    assert offenders == []


# check --deploy with the production settings: tests/test_settings.py.
