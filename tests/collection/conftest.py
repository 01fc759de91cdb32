import pytest


@pytest.fixture
def others_approved(rounds):
    """Every reporting department but health, and every reporting township, has its 2024
    submission approved, so that the year can be locked once health's is."""
    from planwatch.collection.board import reporting_departments, reporting_townships
    from planwatch.collection.models import Submission

    for department in reporting_departments().exclude(code="health"):
        Submission.objects.create(round=rounds[2024], department=department, status="approved")
    for town in reporting_townships():
        Submission.objects.create(round=rounds[2024], township=town, status="approved")
