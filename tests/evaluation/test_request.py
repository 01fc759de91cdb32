"""evaluate_request: the JSON contract of `planwatch evaluate_series`."""

import json

import pytest

from planwatch.evaluation import evaluate_request

ISSUE_REQUEST = {
    "target": {"comparator": "<=", "value": 12, "base_year": 2020, "target_year": 2030},
    "series": [[2020, 16.0], [2023, 14.5]],
    "valid_range": [0, None],
}

REQUIRED_KEYS = {
    "status",
    "projected_value",
    "p_ratio",
    "completion_progress",
    "time_progress",
    "warnings",
    "forecast",
    "explanation",
}


def test_issue_request_shape():
    out = evaluate_request(ISSUE_REQUEST)
    assert REQUIRED_KEYS <= set(out)
    assert out["status"] == "on_track"
    assert out["p_ratio"] == pytest.approx(1.119, abs=1e-3)
    assert out["projected_value"] == pytest.approx(11.52, abs=5e-3)
    assert out["forecast"] == []
    assert out["forecast_reason"]
    json.dumps(out, allow_nan=False)  # strict JSON


def test_counts_and_warning_shape():
    out = evaluate_request(
        {
            "target": {"comparator": "<=", "value": 5, "unit": "‰"},
            "series": [[2020, 3.0], [2021, 8.0]],
            "counts": [[2020, 15, 5000], [2021, 40, 5000]],
        }
    )
    shapes = {w["level"]: tuple(sorted(w)) for w in out["warnings"]}
    assert shapes["red"] == ("kind", "level", "reason", "reason_en", "year")
    # a tested change carries its test beside the plain reason
    assert shapes["volatility"] == ("kind", "level", "reason", "reason_en", "statistics", "year")
    assert {w["level"] for w in out["warnings"]} == {"red", "volatility"}


def test_not_applicable_numbers_are_null_not_nan():
    out = evaluate_request({"target": {"comparator": ">=", "value": 90}, "series": []})
    assert out["status"] == "no_data"
    for key in ("projected_value", "p_ratio", "completion_progress", "time_progress"):
        assert out[key] is None
    text = json.dumps(out, allow_nan=False)
    assert "NaN" not in text


def test_huge_projection_is_null_in_json():
    out = evaluate_request(
        {"target": {"comparator": ">=", "value": 1e300}, "series": [[2020, 1e-300], [2021, 1.0]]}
    )
    json.dumps(out, allow_nan=False)


def test_series_with_counts_inline_and_nulls():
    out = evaluate_request(
        {
            "target": {"comparator": "<=", "value": 12},
            "series": [[2022, 14.0, 3, 21000], [2023, 13.0, 3, 23000], [2024, None]],
        }
    )
    assert out["latest_year"] == 2023
    assert [w["kind"] for w in out["warnings"] if w["level"] == "data"] == ["missing_report"]


def test_defaults_and_optional_fields():
    out = evaluate_request(
        {
            "target": {"comparator": "reduce_by_pct", "value": 10},
            "series": [{"year": 2020, "value": 20.0}, {"year": 2023, "value": 17.5}],
            "as_of_year": 2023,
            "forecast": False,
            "indicator": "ignored label",
        }
    )
    assert out["status"] == "attained"
    assert out["threshold"] == pytest.approx(18.0)


BAD_REQUESTS = [
    ([], "JSON object"),
    ({"series": []}, "'target' is required"),
    ({"target": {"comparator": "<=", "value": 1}}, "'series' is required"),
    ({"target": {"comparator": "~", "value": 12}, "series": []}, "comparator"),
    ({"target": {"comparator": "<=", "value": "12"}, "series": []}, "target.value"),
    ({"target": {"comparator": "<=", "value": True}, "series": []}, "target.value"),
    ({"target": {"comparator": "<="}, "series": []}, "target.value is required"),
    ({"target": {"comparator": "<=", "value": 1, "target_year": 2019}, "series": []}, "after"),
    ({"target": {"comparator": "<=", "value": 1, "base_year": "2020"}, "series": []}, "base_year"),
    ({"target": {"comparator": "reduce_by_pct", "value": 150}, "series": []}, "percentage"),
    ({"target": {"comparator": "<=", "value": 1}, "series": {"2020": 1}}, "list"),
    ({"target": {"comparator": "<=", "value": 1}, "series": [[2020, 1], [2020, 2]]}, "duplicate"),
    ({"target": {"comparator": "<=", "value": 1}, "series": [[2020, "x"]]}, "value"),
    ({"target": {"comparator": "<=", "value": 1}, "series": [[2020.5, 1]]}, "integer year"),
    ({"target": {"comparator": "<=", "value": 1}, "series": [[2020]]}, "series\\[0\\]"),
    ({"target": {"comparator": "<=", "value": 1}, "series": [[2020, float("nan")]]}, "finite"),
    (
        {"target": {"comparator": "<=", "value": 1}, "series": [[2020, 1]], "valid_range": [5, 1]},
        "valid_range",
    ),
    (
        {"target": {"comparator": "<=", "value": 1}, "series": [[2020, 1]], "valid_range": [0]},
        "valid_range",
    ),
    (
        {
            "target": {"comparator": "<=", "value": 1},
            "series": [[2020, 1]],
            "counts": [[2021, 1, 9]],
        },
        "no entry for 2021",
    ),
    (
        {
            "target": {"comparator": "<=", "value": 1},
            "series": [[2020, 1]],
            "counts": [[2020, 1, 0]],
        },
        "denominator",
    ),
    (
        {
            "target": {"comparator": "<=", "value": 1},
            "series": [[2020, 1]],
            "counts": [[2020, 1, 9], [2020, 1, 9]],
        },
        "duplicate",
    ),
    (
        {"target": {"comparator": "<=", "value": 1}, "series": [], "count_model": "normal"},
        "count_model",
    ),
    ({"target": {"comparator": "<=", "value": 1}, "series": [], "as_of_year": "x"}, "as_of_year"),
]


@pytest.mark.parametrize(("request_", "message"), BAD_REQUESTS)
def test_malformed_requests_raise_value_error(request_, message):
    with pytest.raises(ValueError, match=message):
        evaluate_request(request_)


@pytest.mark.parametrize(
    ("where", "scale", "latest"),
    [("target", "per_1000_population", "2.46个/千人口"), ("top", "count", "2个/千人口")],
)
def test_scale_gives_the_explanations_decimals(where, scale, latest):
    target = {"comparator": ">=", "value": 4.5, "unit": "个/千人口"}
    request_ = {"target": target, "series": [[2020, 2.0], [2024, 2.456]]}
    if where == "target":
        target["scale"] = scale
    else:
        request_["scale"] = scale
    assert evaluate_request(request_)["explanation"].startswith(f"2024年为{latest}，")


def test_an_unknown_scale_is_refused():
    with pytest.raises(ValueError, match="scale 'per_mille' is unknown"):
        evaluate_request({**ISSUE_REQUEST, "scale": "per_mille"})
