"""Quality gate: extraction and escalation scores against the checked-in baseline.

    python -m benchmarks.eval_gate            # score, compare with the baseline, exit 1 on a drop
    python -m benchmarks.eval_gate --update   # record the current scores as the new baseline
    python -m benchmarks.eval_gate --per-class  # and the event sets' scores per event class

Labelled sets:
- in ../shared/eval, scored by its own score.py: the MEANTIME dev set (entities, time
  expressions, publication time), the CoNLL-2003 dev documents that are prose (entities), the
  TempEval-3 training corpus (time expressions), and the Wikipedia Current Events items
  (escalation flag); skipped, saying so, where that folder is absent;
- the project's place set in tests/data (geo_places.jsonl and its held-out fifth
  geo_places_heldout.jsonl): the share of place mentions put in the right country;
- the project's escalation sets in tests/data (flag, level, categories, casualty counts):
  escalation_cases.jsonl, escalation_events.jsonl and its held-out fifth
  escalation_events_heldout.jsonl, scored here through the same `newsstream enrich -` command.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from streams.models import LEVELS

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "benchmarks" / "quality_baseline.json"
ESCALATION_SET = ROOT / "tests" / "data" / "escalation_cases.jsonl"
#: The event-model set (short incident reports and full articles, labelled blind from the
#: README's rubric): its development part, and the fifth held out for the final measure.
EVENTS_SET = ROOT / "tests" / "data" / "escalation_events.jsonl"
EVENTS_HELDOUT = ROOT / "tests" / "data" / "escalation_events_heldout.jsonl"
#: Place mentions labelled with their country, and the fifth held out for the final measure.
GEO_SET = ROOT / "tests" / "data" / "geo_places.jsonl"
GEO_HELDOUT = ROOT / "tests" / "data" / "geo_places_heldout.jsonl"
#: A score may fall this much below the baseline before the gate fails (rounding noise only:
#: the pipeline is deterministic, so any real regression moves a score by more).
TOLERANCE = 0.005


def eval_dir() -> Path | None:
    """The shared evaluation folder (NEWSSTREAM_EVAL_DIR, else ../shared/eval), if present."""
    configured = os.environ.get("NEWSSTREAM_EVAL_DIR")
    path = Path(configured) if configured else ROOT.parent / "shared" / "eval"
    return path if (path / "score.py").is_file() else None


def enrich_command() -> list[str]:
    """The command under test: this interpreter running `newsstream enrich -`."""
    return [sys.executable, "-m", "streams", "enrich", "-"]


def score_corpus(directory: Path, name: str) -> dict[str, Any]:
    """score.py's full result (entities, time expressions, publication time) on a corpus
    file of the shared evaluation folder."""
    proc = subprocess.run(  # noqa: S603 - our scorer, our command
        [
            sys.executable,
            str(directory / "score.py"),
            str(directory / name),
            "--cmd",
            " ".join(enrich_command()),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _entity_scores(result: dict[str, Any]) -> dict[str, float]:
    """Entity F1, precision and recall of a score.py result (score.py prints them per type)."""
    entity = result["entity"]
    return {
        "entity_f1": round(entity["f1"], 4),
        "entity_precision": round(entity["precision"], 4),
        "entity_recall": round(entity["recall"], 4),
    }


def score_meantime(directory: Path) -> dict[str, float]:
    """Entity F1, time-expression value F1 and publication-time accuracy on the dev set."""
    result = score_corpus(directory, "meantime_dev.jsonl")
    published = result["published_at"]
    return {
        "entity_f1": round(result["entity"]["f1"], 4),
        "timex_value_f1": round(result["timex"]["value_f1"], 4),
        "published_accuracy": round(published["correct"] / max(published["of"], 1), 4),
    }


def score_conll_prose(directory: Path) -> dict[str, float]:
    """Entity F1, precision and recall on the CoNLL-2003 dev documents that are prose."""
    return _entity_scores(score_corpus(directory, "conll2003/conll03_dev_prose.jsonl"))


def score_tbaq(directory: Path) -> dict[str, float]:
    """Time-expression span and value F1 on the TempEval-3 training corpus (TBAQ)."""
    result = score_corpus(directory, "tempeval3_tbaq/tbaq_timex.jsonl")
    return {
        "timex_span_f1": round(result["timex"]["span_f1"], 4),
        "timex_value_f1": round(result["timex"]["value_f1"], 4),
    }


def score_places(path: Path) -> dict[str, float]:
    """Share of the labelled place mentions put in the right country (`geo.country`)."""
    from benchmarks.geo_eval import score_geo

    scores = score_geo(path)
    return {"accuracy": scores["accuracy"], "cases": scores["mentions"]}


def raw_message(case: dict[str, Any]) -> Any:
    """The message a labelled record stands for, as score.py sends it to `enrich -`."""
    if "input" not in case:
        message = {"id": case["id"], "body": case["text"], "source": case.get("source", "eval")}
        message.update({k: case[k] for k in ("published_at", "url") if case.get(k)})
        return message
    value = case["input"]
    if isinstance(value, dict) and "base64" in value:
        return base64.b64decode(value["base64"]).decode("utf-8", "replace")
    if isinstance(value, str) and case.get("reference_time"):
        field = "html" if value.lstrip()[:1] == "<" else "body"
        return {"id": case["id"], field: value, "received_at": case["reference_time"]}
    return value


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The labelled records of a JSONL file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def enrich_outputs(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One `newsstream enrich -` output per labelled record, in order."""
    stdin = "".join(json.dumps(raw_message(c), ensure_ascii=False) + "\n" for c in cases)
    proc = subprocess.run(  # noqa: S603
        enrich_command(), input=stdin, capture_output=True, text=True, check=True, timeout=1800
    )
    outputs = [json.loads(line) for line in proc.stdout.splitlines()]
    if len(outputs) != len(cases):
        raise RuntimeError(f"{len(outputs)} outputs for {len(cases)} cases")
    return outputs


def casualties_exact(gold: dict[str, Any], pred: dict[str, Any]) -> bool | None:
    """Whether every casualty count the gold states was found exactly; None if it states none."""
    stated = {kind: n for kind, n in gold.items() if n is not None}
    if not stated:
        return None
    found = pred.get("casualties") or {}
    return all((found.get(kind) or {}).get("count") == n for kind, n in stated.items())


def escalation_scores(
    cases: list[dict[str, Any]], outputs: list[dict[str, Any]]
) -> dict[str, float]:
    """Flag P/R/F1, level exact / within one, category Jaccard, casualty counts exact."""
    tp = fp = fn = exact = near = stated = right = levelled = 0
    jaccard = 0.0
    for case, out in zip(cases, outputs, strict=True):
        gold = case["gold"]["escalation"]
        pred = out.get("escalation") or {}
        g_flag, p_flag = bool(gold["flag"]), bool(pred.get("flag"))
        tp += g_flag and p_flag
        fp += p_flag and not g_flag
        fn += g_flag and not p_flag
        if "level" not in gold:  # a coarse flag-only label (WCEP)
            continue
        levelled += 1
        g_level, p_level = LEVELS.index(gold["level"]), LEVELS.index(pred.get("level", "none"))
        exact += g_level == p_level
        near += abs(g_level - p_level) <= 1
        g_cat, p_cat = set(gold.get("categories", [])), set(pred.get("categories", []))
        jaccard += len(g_cat & p_cat) / len(g_cat | p_cat) if g_cat | p_cat else 1.0
        verdict = casualties_exact(case["gold"].get("casualties") or {}, pred)
        if verdict is not None:
            stated += 1
            right += verdict
    n = len(cases)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores: dict[str, float] = {
        "cases": n,
        "flag_precision": round(precision, 4),
        "flag_recall": round(recall, 4),
        "flag_f1": round(f1, 4),
    }
    if levelled:
        scores["level_exact"] = round(exact / levelled, 4)
        scores["level_within_one"] = round(near / levelled, 4)
        scores["category_jaccard"] = round(jaccard / levelled, 4)
    if stated:
        scores["casualties_exact"] = round(right / stated, 4)
    return scores


def per_class(cases: list[dict[str, Any]], outputs: list[dict[str, Any]]) -> list[str]:
    """Per gold event class (`gold.classes`): cases, share flagged, share at the gold level."""
    rows: dict[str, list[int]] = {}
    for case, out in zip(cases, outputs, strict=True):
        pred = out.get("escalation") or {}
        gold = case["gold"]["escalation"]
        for name in case["gold"].get("classes", []):
            row = rows.setdefault(name, [0, 0, 0])
            row[0] += 1
            row[1] += bool(pred.get("flag"))
            row[2] += pred.get("level") == gold.get("level")
    return [
        f"  {name:<14} cases {n:>3}  flagged {flagged / n:.2f}  level exact {exact / n:.2f}"
        for name, (n, flagged, exact) in sorted(rows.items())
    ]


def score_escalation(path: Path = ESCALATION_SET) -> dict[str, float]:
    """The escalation scores of a labelled set, through `newsstream enrich -`."""
    cases = load_cases(path)
    return escalation_scores(cases, enrich_outputs(cases))


def score_wcep(directory: Path) -> dict[str, float]:
    """Flag scores on the Wikipedia Current Events items that carry a flag."""
    cases = [c for c in load_cases(directory / "wcep_2015_09.jsonl") if c["gold"].get("escalation")]
    return escalation_scores(cases, enrich_outputs(cases))


def current_scores() -> dict[str, dict[str, float] | None]:
    """Every score the gate knows; a set that is not available is None."""
    directory = eval_dir()
    return {
        "meantime_dev": score_meantime(directory) if directory else None,
        "conll_prose": score_conll_prose(directory) if directory else None,
        "tbaq_timex": score_tbaq(directory) if directory else None,
        "geo_places": score_places(GEO_SET) if GEO_SET.is_file() else None,
        "geo_heldout": score_places(GEO_HELDOUT) if GEO_HELDOUT.is_file() else None,
        "wcep_flag": score_wcep(directory) if directory else None,
        "escalation_cases": score_escalation() if ESCALATION_SET.is_file() else None,
        "escalation_events": score_escalation(EVENTS_SET) if EVENTS_SET.is_file() else None,
        "escalation_heldout": (
            score_escalation(EVENTS_HELDOUT) if EVENTS_HELDOUT.is_file() else None
        ),
    }


#: The quality targets of the extraction and the event model (the gate prints them; a drop
#: below the baseline, not a missed target, fails it).
TARGETS: dict[str, dict[str, float]] = {
    "meantime_dev": {"entity_f1": 0.86, "timex_value_f1": 0.86},
    "conll_prose": {"entity_f1": 0.88},
    "tbaq_timex": {"timex_value_f1": 0.82},
    "geo_places": {"accuracy": 0.95},
    "geo_heldout": {"accuracy": 0.95},
    "wcep_flag": {"flag_precision": 0.90, "flag_recall": 0.90},
    "escalation_heldout": {
        "flag_f1": 0.95,
        "level_exact": 0.80,
        "level_within_one": 0.95,
        "category_jaccard": 0.85,
        "casualties_exact": 0.90,
    },
}


def target_lines(current: dict[str, Any]) -> list[str]:
    """One line per target: the score, the target, met or missed."""
    lines = []
    for name, targets in TARGETS.items():
        scores = current.get(name)
        for metric, goal in targets.items():
            if scores is None or metric not in scores:
                lines.append(f"target {name}.{metric} >= {goal:.2f}: not measured")
                continue
            verdict = "met" if scores[metric] >= goal else "MISSED"
            lines.append(f"target {name}.{metric} >= {goal:.2f}: {scores[metric]:.4f} {verdict}")
    return lines


def regressions(current: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Every score that fell more than TOLERANCE below its baseline."""
    drops = []
    for name, scores in current.items():
        if scores is None or name not in baseline:
            continue
        for metric, value in scores.items():
            floor = baseline[name].get(metric)
            if metric != "cases" and floor is not None and value < floor - TOLERANCE:
                drops.append(f"{name}.{metric}: {value:.4f} < baseline {floor:.4f}")
    return drops


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write the scores as the baseline")
    parser.add_argument(
        "--per-class", action="store_true", help="also print the event sets' scores per class"
    )
    args = parser.parse_args()
    if args.per_class:
        for path in (ESCALATION_SET, EVENTS_SET, EVENTS_HELDOUT):
            if path.is_file():
                cases = load_cases(path)
                print(path.name)
                print("\n".join(per_class(cases, enrich_outputs(cases))))
    current = current_scores()
    for name, scores in current.items():
        shown = "skipped (data not found)" if scores is None else json.dumps(scores)
        print(f"{name:<18} {shown}")
    for line in target_lines(current):
        print(line)
    baseline = json.loads(BASELINE.read_text()) if BASELINE.is_file() else {}
    if args.update:
        merged = {**baseline, **{k: v for k, v in current.items() if v is not None}}
        BASELINE.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
        print(f"baseline written to {BASELINE.relative_to(ROOT)}")
        return 0
    drops = regressions(current, baseline)
    for line in drops:
        print("REGRESSION " + line)
    return 1 if drops else 0


if __name__ == "__main__":
    sys.exit(main())
