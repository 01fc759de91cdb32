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
def others_approved(rounds):
    """Every reporting department but health has its 2024 submission approved, so that the
    year can be locked once health's is."""
    from planwatch.collection.board import reporting_departments
    from planwatch.collection.models import Submission

    for department in reporting_departments().exclude(code="health"):
        Submission.objects.create(round=rounds[2024], department=department, status="approved")
