"""`planwatch evaluate_series`: JSON in, JSON out, through the real console command."""

import json
import subprocess
import sys
from pathlib import Path

PLANWATCH = Path(sys.executable).with_name("planwatch")


def run(payload: str):
    return subprocess.run(
        [str(PLANWATCH), "evaluate_series"],
        input=payload,
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )


def test_worked_case_through_the_cli():
    request = {
        "target": {"comparator": "<=", "value": 12, "base_year": 2020, "target_year": 2030},
        "series": [[2020, 16.0], [2023, 14.5]],
        "valid_range": [0, None],
    }
    result = run(json.dumps(request))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["status"] == "on_track"
    assert abs(out["p_ratio"] - 1.119) < 0.001
    assert abs(out["projected_value"] - 11.52) < 0.01
    for key in ("completion_progress", "time_progress", "warnings", "forecast", "explanation"):
        assert key in out
    assert "2030年预计约为11.5" in out["explanation"]


def test_counts_are_accepted_and_nan_never_printed():
    request = {
        "target": {"comparator": "<=", "value": 12, "base_year": 2020, "target_year": 2030},
        "series": [[2020, 16.0], [2021, 0.0], [2022, 20.0], [2023, 14.5]],
        "valid_range": [0, None],
        "counts": [[2020, 1, 6250], [2021, 0, 5000], [2022, 1, 5000], [2023, 1, 6900]],
    }
    result = run(json.dumps(request))
    assert result.returncode == 0, result.stderr
    assert "NaN" not in result.stdout
    out = json.loads(result.stdout)
    assert not [w for w in out["warnings"] if w["kind"] == "volatility"]


def test_malformed_requests_fail_with_a_message():
    bad = run("{not json")
    assert bad.returncode != 0
    assert "JSON" in bad.stderr
    unknown = run(json.dumps({"target": {"comparator": "about", "value": 1}, "series": []}))
    assert unknown.returncode != 0
    assert "comparator" in unknown.stderr


def test_runs_without_any_deployment_settings():
    # A checker or a statistician runs the engine as it is installed: no DEBUG, no SECRET_KEY.
    request = {
        "target": {"comparator": ">=", "value": 95, "base_year": 2020, "target_year": 2030},
        "series": [[2020, 90.0], [2024, 96.0]],
    }
    result = subprocess.run(
        [str(PLANWATCH), "evaluate_series"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "attained"
