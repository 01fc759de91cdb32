"""Purity, determinism, batch entry point and the Chinese explanation."""

import ast
import json
import pathlib
import random
import subprocess
import sys

import pytest

import planwatch.evaluation as ev
from planwatch.evaluation import Series, Target, evaluate, evaluate_many

PACKAGE = pathlib.Path(ev.__file__).parent


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_no_django_imports_in_the_package():
    files = sorted(PACKAGE.glob("*.py"))
    assert len(files) >= 8
    for path in files:
        for module in _imported_modules(path):
            assert not module.startswith("django"), f"{path.name} imports {module}"


def test_importing_the_engine_does_not_load_django():
    code = (
        "import sys, planwatch.evaluation as e; "
        "e.evaluate_request({'target': {'comparator': '<=', 'value': 1}, 'series': [[2020, 2]]}); "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


SERIES = Series.from_pairs(
    [(2020, 16.9), (2021, 16.0), (2022, 15.5), (2023, 15.1), (2024, 14.3)], (0, None)
)
TARGET = Target("<=", 12, unit="/10万")


def test_explanation_from_the_numbers():
    r = evaluate(TARGET, SERIES)
    assert r.explanation.startswith(
        "2024年为14.3/10万，较基期下降2.6个十万分点，按现有速度2030年预计约为11.1/10万，可实现目标"
    )


@pytest.mark.parametrize(
    ("comparator", "value", "pairs", "phrase"),
    [
        ("<=", 10, [(2020, 12.0), (2023, 13.0)], "呈退步趋势"),
        (">=", 90, [(2020, 60.0), (2023, 62.0)], "难以实现目标"),
        ("reduce_by_pct", 10, [(2020, 20.0), (2023, 19.5)], "需加快进度"),
        ("<=", 12, [(2020, 16.0), (2023, 11.0)], "已实现目标"),
    ],
)
def test_explanation_verdicts(comparator, value, pairs, phrase):
    r = evaluate(Target(comparator, value), Series.from_pairs(pairs))
    assert phrase in r.explanation
    assert r.explanation.count("。") == 1 and r.explanation.endswith("。")


def test_deterministic_and_json_ready():
    a = evaluate(TARGET, SERIES).to_dict()
    b = evaluate(TARGET, SERIES).to_dict()
    assert a == b
    assert json.loads(json.dumps(a, allow_nan=False)) == json.loads(json.dumps(b))


def test_evaluate_many_matches_one_by_one():
    items = [
        (TARGET, SERIES),
        (Target(">=", 70), Series.from_pairs([(2020, 50), (2023, 58)])),
        (Target("<=", 1), Series(())),
    ]
    many = evaluate_many(items)
    assert [r.status for r in many] == ["on_track", "on_track", "no_data"]
    assert [r.to_dict() for r in many] == [evaluate(t, s).to_dict() for t, s in items]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"comparator": "==", "value": 1}, "unknown comparator"),
        ({"comparator": "<=", "value": float("inf")}, "finite"),
        ({"comparator": "<=", "value": 1, "base_year": 2030, "target_year": 2030}, "after"),
        ({"comparator": "=", "value": 1, "tolerance": -1}, "tolerance"),
    ],
)
def test_target_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Target(**kwargs)


def test_series_must_be_ordered():
    with pytest.raises(ValueError, match="strictly increasing"):
        Series((ev.Point(2021, 1.0), ev.Point(2020, 2.0)))


def test_random_requests_give_strict_json_and_ordered_intervals():
    rng = random.Random(20240601)
    for _ in range(500):
        comparator = rng.choice(ev.COMPARATORS)
        value = 50 if comparator == "reduce_by_pct" else rng.choice([0, 12, 95, 100, -5])
        if comparator in ev.DIRECTIONAL:
            value = None
        years = sorted(rng.sample(range(2015, 2032), rng.randint(0, 9)))
        series = [
            [y, rng.choice([None, 0.0, round(rng.uniform(-5, 120), 1), 100.0])] for y in years
        ]
        request = {
            "target": {"comparator": comparator, "value": value},
            "series": series,
            "valid_range": rng.choice([None, [0, None], [0, 100]]),
        }
        out = ev.evaluate_request(request)
        assert out["status"] in ev.STATUSES
        json.dumps(out, allow_nan=False)
        p = out["attainment_probability"]
        assert p is None or 0.0 <= p <= 1.0
        for f in out["forecast"]:
            assert f["lo95"] <= f["lo80"] <= f["value"] <= f["hi80"] <= f["hi95"]
