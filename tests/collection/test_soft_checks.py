"""Soft flags need statistical AND practical significance, say why in plain words with the
numbers, are explained once per indicator, and repeated boilerplate is shown to the reviewer."""

import datetime

import pytest
from scipy.stats import fisher_exact

from planwatch.collection import workflow
from planwatch.collection.batches import import_file
from planwatch.collection.models import DataValue, ReportingRound, Submission
from planwatch.collection.soft_checks import boilerplate, warnings_for


@pytest.fixture
def since_2018(rounds):
    for year in range(2018, 2022):
        ReportingRound.objects.create(
            year=year, opens_on=datetime.date(year + 1, 1, 1), due_on=datetime.date(year + 1, 3, 31)
        )


# Six steady years of a share with 100,000 births: yearly moves of at most 10 in 100,000.
STEADY = [(2018, 50190), (2019, 50200), (2020, 50190), (2021, 50195), (2022, 50190), (2023, 50200)]


def steady_history():
    return [counts(y, k, 100000) for y, k in STEADY]


def counts(year, k, n, residence=""):
    return f"W1-10,220112,{year},,,{residence},,{k},{n},"


def test_a_significant_but_small_change_in_a_share_is_not_flagged(since_2018, write_csv):
    assert import_file(write_csv([*steady_history(), counts(2024, 50880, 100000)]))[0].stored
    # With 100,000 births the rise of 0.68 points is statistically significant (checked
    # independently) and far out of the series' character: the engine's test alone flags it …
    assert fisher_exact([[50880, 100000 - 50880], [50200, 100000 - 50200]])[1] < 0.01
    from planwatch.evaluation.warnings import volatility

    years = [y for y, _k in STEADY] + [2024]
    ks = [k for _y, k in STEADY] + [50880]
    found, _notes = volatility(years, [k / 1000 for k in ks], ks, [100000] * 7, None, "%")
    assert [w.year for w in found] == [2024]
    # … but 0.68 percentage points is within the 2-point tolerance of a share.
    assert warnings_for(DataValue.objects.filter(year=2024)) == []


def test_a_large_change_is_flagged_in_plain_words_without_test_statistics(since_2018, write_csv):
    assert import_file(write_csv([*steady_history(), counts(2024, 55200, 100000)]))[0].stored
    (warning,) = warnings_for(DataValue.objects.filter(year=2024))
    assert warning.reason == (
        "2024年为55.2%，上年为50.2%，上升5个百分点，超过该指标一年内的正常变动（2个百分点），"
        "请说明原因"
    )
    for statistic in ("P=", "Z分数", "Fisher", "Poisson", "检验"):
        assert statistic not in warning.reason


def test_one_explanation_covers_the_indicator_and_boilerplate_is_shown(
    since_2018, write_csv, users
):
    rows = []
    for i, y in enumerate((2021, 2022, 2023)):
        rows += [
            counts(y, 50000 + 100 * i, 100000),
            counts(y, 25000 + 50 * i, 50000, "urban"),
            counts(y, 25000 + 50 * i, 50000, "rural"),
        ]
    assert import_file(write_csv(rows))[0].stored
    Submission.objects.update(status="approved")
    jump = [
        counts(2024, 56000, 100000),
        counts(2024, 28000, 50000, "urban"),
        counts(2024, 28000, 50000, "rural"),
    ]
    assert import_file(write_csv(jump))[0].stored
    flagged = warnings_for(DataValue.objects.filter(year=2024))
    assert len(flagged) == 3 and not any(w.has_comment for w in flagged)
    assert {w.group for w in flagged} == {"合计", "城镇", "农村"}
    # The explanation on the total row explains the indicator.
    total = jump[0] + "孕产妇建册口径调整"
    assert import_file(write_csv([total]))[0].stored
    assert all(w.has_comment for w in warnings_for(DataValue.objects.filter(year=2024)))
    submission = Submission.objects.get(round__year=2024, department__code="health")
    workflow.submit(submission, users["health"])

    DataValue.objects.update(comment="经核实，数据无误")
    assert boilerplate(DataValue.objects.all()) == [("经核实，数据无误", DataValue.objects.count())]
    assert boilerplate(DataValue.objects.filter(year=2024)) == []  # 3 rows: below 5


def test_comments_reach_the_compilation_only_when_the_reviewer_marks_them(
    clients, rounds, write_csv
):
    from django.urls import reverse

    from planwatch.org.models import OrgUnit
    from planwatch.reports.snapshot import _values

    assert import_file(write_csv(["C1-02,220112,2024,,,,2.5,,,经核实，数据无误"]))[0].stored
    submission = Submission.objects.get(round__year=2024, department__code="health")
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    value = DataValue.objects.get()
    district = OrgUnit.objects.home_district()

    def printed():
        Submission.objects.filter(pk=submission.pk).update(status="approved")
        out, _demo = _values([value.indicator], 2024, district, [])
        Submission.objects.filter(pk=submission.pk).update(status="submitted")
        return out[value.indicator_id][(district.code, "", "", "")][2024][1]

    assert printed() == ""  # not marked: the 备注 stays empty
    page = clients["stats"].get(reverse("collection:submission", args=[submission.pk]))
    assert 'form="note-form"' in page.content.decode()
    url = reverse("collection:submission_note", args=[submission.pk])
    assert clients["health"].post(url + "?in=1", {"value": value.pk}).status_code == 403
    clients["stats"].post(url + "?in=1", {"value": value.pk})
    assert printed() == "经核实，数据无误"
    clients["stats"].post(url, {"value": value.pk})
    assert printed() == ""
