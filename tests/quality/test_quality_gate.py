"""Quality gate: the labelled-set scores do not drop below the checked-in baseline."""

from __future__ import annotations

import json

import pytest

from benchmarks import eval_gate

BASELINE = json.loads(eval_gate.BASELINE.read_text())


def test_quality_gate_meantime_dev_set_holds_its_baseline() -> None:
    directory = eval_gate.eval_dir()
    if directory is None:
        pytest.skip("../shared/eval is absent (a user's clone has none): dev-set gate not run")
    scores = eval_gate.score_meantime(directory)
    assert not eval_gate.regressions({"meantime_dev": scores}, BASELINE), scores


def test_quality_gate_escalation_set_holds_its_baseline() -> None:
    assert eval_gate.ESCALATION_SET.is_file(), f"{eval_gate.ESCALATION_SET} is missing"
    scores = eval_gate.score_escalation()
    assert scores["cases"] >= 80
    assert not eval_gate.regressions({"escalation_cases": scores}, BASELINE), scores


def test_quality_gate_detects_a_drop() -> None:
    baseline = {"escalation_cases": {"flag_f1": 0.9, "cases": 100}}
    assert eval_gate.regressions({"escalation_cases": {"flag_f1": 0.89, "cases": 100}}, baseline)
    assert not eval_gate.regressions({"escalation_cases": {"flag_f1": 0.897, "cases": 1}}, baseline)
