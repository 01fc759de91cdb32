"""Strict numbers and years at every door: no underscores, no years outside the plan period
widened by its margin, and no server error for a year too large for the database."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planwatch.collection.models import DataValue, ReportingRound
from planwatch.collection.rules import BadNumber, parse_number
from planwatch.collection.strict import BadYear, parse_year, year_bounds
from planwatch.exchange.models import PublishedIndicator

pytestmark = pytest.mark.django_db


def refused(path) -> str:
    with pytest.raises(CommandError) as info:
        call_command("import_values", str(path), stdout=StringIO())
    assert DataValue.objects.count() == 0
    return str(info.value)


@pytest.mark.parametrize("text", ["9_7", "1_000.5", "٩٧", "９７", "0x10", "1e5_0", " 9 7"])
def test_numbers_with_underscores_or_foreign_digits_are_refused(text):
    with pytest.raises(BadNumber):
        parse_number(text, "value")


@pytest.mark.parametrize("text,number", [("97", 97.0), ("+1.5", 1.5), (".5", 0.5), ("1e3", 1e3)])
def test_plain_numbers_still_read(text, number):
    assert parse_number(text, "value") == number


def test_a_file_with_an_underscored_number_is_refused(rounds, write_csv):
    text = refused(write_csv(["C1-02,220112,2024,,,,9_7,,,"]))
    assert "“9_7”不是数字" in text
    text = refused(write_csv(["W1-01,220112,2024,,,,,2,15_000,"]))
    assert "“15_000”不是数字" in text


def test_a_file_with_an_underscored_year_is_refused(rounds, write_csv):
    text = refused(write_csv(["C1-02,220112,2_024,,,,9,,,"]))
    assert "年份“2_024”不是整数年份" in text


def test_year_bounds_come_from_the_plan_period_and_the_margin(settings):
    settings.PLANWATCH_YEAR_MARGIN = 10
    # The loaded plans run 2021–2030 (catalog YAML).
    assert year_bounds() == (2011, 2040)
    assert parse_year("2040") == 2040
    for text in ["0", "2205", "32767", "2010", "2041", "99999999999999999999", "-5", "2_025"]:
        with pytest.raises(BadYear):
            parse_year(text)


@pytest.mark.parametrize("year", ["0", "2205", "32767", "99999999999999999999", "-5", "2_025"])
def test_rounds_refuse_years_outside_the_plan_period(clients, year):
    response = clients["office"].post(
        "/collection/rounds/", {"year": year, "opens_on": "2025-01-01", "due_on": "2025-03-31"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert not ReportingRound.objects.exists()


def test_rounds_accept_a_year_inside(clients):
    response = clients["office"].post(
        "/collection/rounds/", {"year": "2025", "opens_on": "2026-01-01", "due_on": "2026-03-31"}
    )
    assert response.status_code == 302
    assert ReportingRound.objects.get().year == 2025


@pytest.mark.parametrize(
    "first,last", [("-5", "2024"), ("2020", "1000000"), ("2020", "99999999999999999999")]
)
def test_publication_refuses_years_outside_the_plan_period(clients, first, last):
    response = clients["office"].post(
        "/publication/", {"pub-C1-03": "on", "from-C1-03": first, "to-C1-03": last}
    )
    assert response.status_code == 302
    assert not PublishedIndicator.objects.exists()
