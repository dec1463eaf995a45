"""Quality gate: the labelled-set scores do not drop below the checked-in baseline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks import eval_gate

BASELINE = json.loads(eval_gate.BASELINE.read_text())


def test_quality_gate_meantime_dev_set_holds_its_baseline() -> None:
    directory = eval_gate.eval_dir()
    if directory is None:
        pytest.skip("../shared/eval is absent (a user's clone has none): dev-set gate not run")
    scores = eval_gate.score_meantime(directory)
    assert not eval_gate.regressions({"meantime_dev": scores}, BASELINE), scores


@pytest.mark.parametrize(
    ("name", "score"),
    [("conll_prose", eval_gate.score_conll_prose), ("tbaq_timex", eval_gate.score_tbaq)],
)
def test_quality_gate_shared_corpora_hold_their_baseline(
    name: str, score: Callable[[Path], dict[str, float]]
) -> None:
    directory = eval_gate.eval_dir()
    if directory is None:
        pytest.skip(f"../shared/eval is absent (a user's clone has none): {name} gate not run")
    scores = score(directory)
    assert not eval_gate.regressions({name: scores}, BASELINE), scores


@pytest.mark.parametrize(
    ("name", "path"), [("geo_places", eval_gate.GEO_SET), ("geo_heldout", eval_gate.GEO_HELDOUT)]
)
def test_quality_gate_place_sets_hold_their_baseline(name: str, path: Path) -> None:
    assert path.is_file(), f"{path} is missing"
    scores = eval_gate.score_places(path)
    assert scores["cases"] >= 100
    assert not eval_gate.regressions({name: scores}, BASELINE), scores


def test_quality_gate_escalation_set_holds_its_baseline() -> None:
    assert eval_gate.ESCALATION_SET.is_file(), f"{eval_gate.ESCALATION_SET} is missing"
    scores = eval_gate.score_escalation()
    assert scores["cases"] >= 80
    assert not eval_gate.regressions({"escalation_cases": scores}, BASELINE), scores


def test_quality_gate_wcep_flag_holds_its_baseline() -> None:
    directory = eval_gate.eval_dir()
    if directory is None:
        pytest.skip("../shared/eval is absent (a user's clone has none): WCEP gate not run")
    scores = eval_gate.score_wcep(directory)
    assert scores["cases"] >= 200
    assert not eval_gate.regressions({"wcep_flag": scores}, BASELINE), scores


@pytest.mark.parametrize(
    ("name", "path", "least"),
    [
        ("escalation_events", eval_gate.EVENTS_SET, 300),
        ("escalation_heldout", eval_gate.EVENTS_HELDOUT, 80),
    ],
)
def test_quality_gate_event_sets_hold_their_baseline(name: str, path: Path, least: int) -> None:
    assert path.is_file(), f"{path} is missing"
    scores = eval_gate.score_escalation(path)
    assert scores["cases"] >= least
    assert "casualties_exact" in scores
    assert not eval_gate.regressions({name: scores}, BASELINE), scores


def test_quality_gate_prints_every_target() -> None:
    lines = eval_gate.target_lines({"wcep_flag": {"flag_precision": 0.95, "flag_recall": 0.8}})
    assert "target wcep_flag.flag_precision >= 0.90: 0.9500 met" in lines
    assert "target wcep_flag.flag_recall >= 0.90: 0.8000 MISSED" in lines
    assert any(line.endswith("not measured") for line in lines)


def test_quality_gate_casualties_compare_stated_kinds_only() -> None:
    pred = {"casualties": {"killed": {"count": 3}, "injured": None}}
    assert eval_gate.casualties_exact({"killed": 3, "injured": None}, pred) is True
    assert eval_gate.casualties_exact({"killed": 3, "injured": 2}, pred) is False
    assert eval_gate.casualties_exact({"killed": None}, pred) is None


def test_quality_gate_scores_each_event_class() -> None:
    cases = [
        {"gold": {"escalation": {"flag": True, "level": "high"}, "classes": ["ASSAULT"]}},
        {"gold": {"escalation": {"flag": True, "level": "low"}, "classes": ["ASSAULT", "PROTEST"]}},
    ]
    outputs: list[dict[str, Any]] = [
        {"escalation": {"flag": True, "level": "high"}},
        {"escalation": {"flag": False}},
    ]
    lines = eval_gate.per_class(cases, outputs)
    assert lines[0].split() == [
        "ASSAULT",
        "cases",
        "2",
        "flagged",
        "0.50",
        "level",
        "exact",
        "0.50",
    ]
    assert lines[1].split()[0] == "PROTEST" and lines[1].endswith("0.00")


def test_quality_gate_detects_a_drop() -> None:
    baseline = {"escalation_cases": {"flag_f1": 0.9, "cases": 100}}
    assert eval_gate.regressions({"escalation_cases": {"flag_f1": 0.89, "cases": 100}}, baseline)
    assert not eval_gate.regressions({"escalation_cases": {"flag_f1": 0.897, "cases": 1}}, baseline)
