"""Every script and style is served by the platform itself: no CDN on an offline intranet."""

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_chart_library_comes_from_the_npm_registry_and_is_served_here():
    assert finders.find("vendor/chart.umd.min.js"), "make setup copies Chart.js from npm"
    assert finders.find("planwatch/charts.js")


def test_pages_load_nothing_from_another_host(clients):
    for url in ["/overview/", "/catalog/women/1/", "/indicators/W1-01/", "/accounts/login/"]:
        body = clients["office"].get(url).content.decode()
        for src in re.findall(r'(?:src|href)="([^"]+)"', body):
            assert not src.startswith(("http://", "https://", "//")), (url, src)


def test_responses_say_how_long_the_server_took(db):
    response = Client().get("/accounts/login/")
    assert re.fullmatch(r"app;dur=\d+\.\d", response["Server-Timing"])


def test_collectstatic_for_production_succeeds(tmp_path, settings):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/chart.umd.min.js" in manifest


def test_nul_characters_are_refused_not_a_server_error(clients):
    assert clients["office"].get("/warnings/?plan=wo%00men").status_code == 400
    response = clients["office"].get("/api/values/?indicator=C1%00")
    assert response.status_code == 400
    assert response.json()["detail"]
