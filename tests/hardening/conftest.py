import datetime
from pathlib import Path

import pytest

HEADER = "indicator,org_unit,year,sex,age_group,residence,value,numerator,denominator,comment"


@pytest.fixture
def rounds(db):
    from planwatch.collection.models import ReportingRound

    return {
        year: ReportingRound.objects.create(
            year=year,
            opens_on=datetime.date(year + 1, 1, 1),
            due_on=datetime.date(year + 1, 3, 31),
        )
        for year in (2022, 2023, 2024)
    }


@pytest.fixture
def write_csv(tmp_path):
    def write(lines, name="values.csv", encoding="utf-8", header=HEADER) -> Path:
        path = tmp_path / name
        text = "\n".join([header, *lines]) + "\n" if header else "\n".join(lines)
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def loaded(transactional_db):
    """The reference data for a test whose transactions really commit: the test database is
    flushed after each such test (pytest-django runs them after all the others)."""
    from django.core.management import call_command

    call_command("load_org_units", verbosity=0)
    call_command("load_departments", verbosity=0)
    call_command("load_catalog", verbosity=0)
