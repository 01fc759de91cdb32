"""DHIS2 dataValueSets in and out, the export formats, SDMX-CSV of published series."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from planwatch.collection.batches import import_file
from planwatch.collection.models import DataValue, ReportingRound, Submission
from planwatch.exchange.dhis2 import (
    export_data_value_set,
    import_data_value_set,
    load_default_mapping,
)
from planwatch.exchange.models import Dhis2DataElement, PublishedIndicator
from planwatch.exchange.publication import public_values
from planwatch.monitoring.formats import sdmx_csv, values_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(db):
    for year in (2023, 2024):
        ReportingRound.objects.create(
            year=year, opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 3, 1)
        )
    load_default_mapping()


def dv(de, ou, period, value, coc="default", **extra):
    return {
        "dataElement": de,
        "categoryOptionCombo": coc,
        "orgUnit": ou,
        "period": period,
        "value": value,
        **extra,
    }


def test_a_mapped_data_value_set_imports(mapped, users):
    payload = {
        "dataValues": [
            dv("PW_W1-01_NUM", "220112", "2024", "2"),
            dv("PW_W1-01_DEN", "220112", "2024", "15000"),
            dv("PW_C1-02", "220112", "2024", "2.5", comment="卫生信息平台"),
            dv("PW_C1-02", "220112", "2024", "2.1", coc="FEMALE"),
        ]
    }
    outcome = import_data_value_set(payload, user=users["health"])
    assert outcome.summary()["status"] == "SUCCESS", outcome.conflicts
    assert outcome.summary()["importCount"]["imported"] == 3
    mmr = DataValue.objects.get(indicator__code="W1-01")
    assert (mmr.numerator, mmr.denominator, mmr.source) == (2, 15000, "api")
    assert DataValue.objects.get(indicator__code="C1-02", sex="female").value == 2.1
    assert DataValue.objects.get(indicator__code="C1-02", sex="").comment == "卫生信息平台"


def test_unknown_codes_are_refused_with_a_conflict_list_and_nothing_stored(mapped, users):
    payload = {
        "dataValues": [
            dv("PW_C1-02", "220112", "2024", "2.5"),
            dv("NOT_MAPPED", "220112", "2024", "1"),
            dv("PW_C1-03", "XX9", "2024", "3"),
            dv("PW_C1-04", "220112", "2024Q1", "3"),
        ]
    }
    outcome = import_data_value_set(payload, user=users["health"])
    summary = outcome.summary()
    assert summary["status"] == "ERROR"
    objects = [c["object"] for c in summary["conflicts"]]
    assert objects == ["NOT_MAPPED.default", "XX9", "2024Q1"]
    assert [c["index"] for c in summary["conflicts"]] == [1, 2, 3]
    assert DataValue.objects.count() == 0


def test_rule_violations_come_back_as_conflicts(mapped, users):
    payload = {"dataValues": [dv("PW_W1-10", "220112", "2024", "120")]}
    outcome = import_data_value_set(payload, user=users["health"])
    assert outcome.summary()["status"] == "ERROR"
    assert "百分比不能超过 100" in outcome.conflicts[0]["value"]
    assert outcome.conflicts[0]["index"] == 0


def test_export_then_import_round_trips_every_value(mapped, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(
        "indicator,org_unit,year,sex,value,numerator,denominator,comment\n"
        "W1-01,220112,2023,,,3,15001,\n"
        "C1-02,220112,2023,,3.3,,,说明\n"
        "C1-02,220112,2023,female,3.1,,,\n"
        "W1-10,220112003,2023,,91.25,,,\n"
    )
    assert import_file(path)[0].stored
    Submission.objects.update(status="approved")
    before = sorted(
        DataValue.objects.values_list(
            "indicator__code", "org_unit__code", "year", "sex", "value", "numerator", "comment"
        )
    )
    exported = export_data_value_set(year=2023)
    assert len(exported["dataValues"]) == 5  # counts travel as numerator and denominator
    DataValue.objects.all().delete()
    Submission.objects.all().delete()
    outcome = import_data_value_set(json.loads(json.dumps(exported)), user=None)
    assert outcome.summary()["status"] == "SUCCESS", outcome.conflicts
    after = sorted(
        DataValue.objects.values_list(
            "indicator__code", "org_unit__code", "year", "sex", "value", "numerator", "comment"
        )
    )
    assert after == before


def test_the_api_endpoint_imports_and_exports(mapped, users):
    token = Token.objects.create(user=users["health"])
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    payload = {"dataValues": [dv("PW_C1-02", "220112", "2024", "2.5")]}
    check = client.post(
        "/api/dhis2/dataValueSets/?dryRun=true", payload, content_type="application/json"
    )
    assert check.status_code == 200 and check.json()["dryRun"] is True
    assert DataValue.objects.count() == 0
    bad = {"dataValues": [dv("NOPE", "220112", "2024", "1")]}
    refused = client.post("/api/dhis2/dataValueSets/", bad, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["conflicts"][0]["object"] == "NOPE.default"
    client.post("/api/dhis2/dataValueSets/", payload, content_type="application/json")
    Submission.objects.update(status="approved")
    out = client.get("/api/dhis2/dataValueSets/?period=2024").json()
    assert out["dataValues"] == [dv("PW_C1-02", "220112", "2024", "2.5")]
    education = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['education'])}")
    assert education.get("/api/dhis2/dataValueSets/").json() == {"dataValues": []}


def test_the_default_mapping_covers_every_series_part(mapped):
    assert Dhis2DataElement.objects.filter(
        indicator__code="W1-01", part="numerator", residence="rural"
    ).exists()
    count = Dhis2DataElement.objects.count()
    load_default_mapping()
    assert Dhis2DataElement.objects.count() == count


def test_values_export_formats_agree(mapped, tmp_path, users):
    path = tmp_path / "v.csv"
    path.write_text("indicator,org_unit,year,value\nC1-02,220112,2024,2.5\nC1-03,220112,2024,4\n")
    import_file(path)
    qs = DataValue.objects.order_by("indicator__code")
    rows = list(csv.DictReader(io.StringIO(values_export(qs, "csv").decode())))
    assert [(r["indicator"], r["value"]) for r in rows] == [("C1-02", "2.5"), ("C1-03", "4")]
    as_json = json.loads(values_export(qs, "json"))
    assert [(r["indicator"], r["value"]) for r in as_json] == [("C1-02", 2.5), ("C1-03", 4.0)]
    sheet = openpyxl.load_workbook(io.BytesIO(values_export(qs, "xlsx"))).active
    assert [c.value for c in sheet[2]][:7] == ["C1-02", "220112", 2024, None, None, None, 2.5]
    client = Client()
    client.force_login(users["education"], backend="django.contrib.auth.backends.ModelBackend")
    scoped = client.get("/api/values/export/?format=json").json()
    assert scoped == []  # health's values are not education's to read


def test_sdmx_csv_carries_only_published_series(mapped, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text(
        "indicator,org_unit,year,sex,value\n"
        "C1-02,220112,2023,,3.0\nC1-02,220112,2023,female,2.8\nC1-02,220112,2024,,2.6\n"
        "C1-03,220112,2023,,4.2\n"
    )
    import_file(path)
    Submission.objects.update(status="approved")
    from planwatch.catalog.models import Indicator

    PublishedIndicator.objects.create(
        indicator=Indicator.objects.get(code="C1-02"), from_year=2020, to_year=2023
    )
    rows = list(csv.DictReader(io.StringIO(sdmx_csv(public_values()).decode())))
    assert [(r["INDICATOR"], r["SEX"], r["TIME_PERIOD"], r["OBS_VALUE"]) for r in rows] == [
        ("C1-02", "_T", "2023", "3"),
        ("C1-02", "F", "2023", "2.8"),
    ]
    assert rows[0]["DATAFLOW"] == "PLANWATCH:WCDP(1.0)"
    assert rows[0]["UNIT_MEASURE"] == "‰"
