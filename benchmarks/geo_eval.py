"""Place resolution: is each labelled place mention put in the right country?

    python -m benchmarks.geo_eval                 # the development set, with its misses
    python -m benchmarks.geo_eval --show 0        # scores only
    python -m benchmarks.geo_eval PATH            # another set of the same shape
    python -m benchmarks.geo_eval --heldout       # the held-out set (the final measure only)

A record is {"id", "text", "places": [{"name", "start", "end", "country"}]}. Each text goes
through the core as `newsstream enrich` runs it (settings from the environment), and a
labelled mention is matched to the LOC entity that has its name among its surfaces (text,
canonical, aliases), else whose first mention covers it; it is right when that entity's
`geo.country` is the gold ISO code. A mention with no entity or no `geo` counts as wrong.
`score_geo(path)` returns the scores for another script (the quality gate).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.core.pipeline import CoreOptions, MessageContext, enrich
from streams.models import DeadLetter, Entity
from streams.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "tests" / "data" / "geo_places.jsonl"
HELDOUT_SET = ROOT / "tests" / "data" / "geo_places_heldout.jsonl"

__all__ = ["DEV_SET", "HELDOUT_SET", "GeoReport", "evaluate", "match_entity", "score_geo"]


@dataclass
class GeoReport:
    """Counts over the labelled mentions, and the misses as (id, name, predicted, gold).

    `predicted` is a country code, or "no entity" / "no geo" when there was none to compare.
    """

    total: int = 0
    correct: int = 0
    no_entity: int = 0
    no_geo: int = 0
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)

    def scores(self) -> dict[str, float]:
        """Accuracy and the counts, as the quality gate records them."""
        return {
            "accuracy": round(self.correct / self.total, 4) if self.total else 0.0,
            "mentions": self.total,
            "correct": self.correct,
            "no_entity": self.no_entity,
            "no_geo": self.no_geo,
        }


def _enrich(record: dict[str, Any], options: CoreOptions) -> tuple[str, list[Entity]]:
    """The cleaned text and entities the core gives the record's text."""
    payload = json.dumps({"id": record["id"], "body": record["text"]}).encode("utf-8")
    result = enrich(payload, MessageContext(), options)
    if isinstance(result, DeadLetter):
        return "", []
    return result.text, result.entities


def match_entity(
    place: dict[str, Any], entities: Sequence[Entity], same_text: bool
) -> Entity | None:
    """The LOC entity a labelled mention is: by name, nearest first; else by its span."""
    name = place["name"].casefold()
    locs = [e for e in entities if e.type == "LOC"]
    named = [e for e in locs if name in {s.casefold() for s in (e.text, e.canonical, *e.aliases)}]
    if named:
        return min(named, key=lambda e: abs(e.start - place["start"]) if same_text else 0)
    if same_text:
        for e in locs:
            if e.start <= place["start"] and place["end"] <= e.end:
                return e
    return None


def evaluate(path: Path) -> GeoReport:
    """Score every labelled place mention of a JSONL set."""
    report = GeoReport()
    options = load_settings().core_options()  # as `newsstream enrich` builds them
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text, entities = _enrich(record, options)
        for place in record["places"]:
            report.total += 1
            entity = match_entity(place, entities, text == record["text"])
            predicted = entity.geo.country if entity is not None and entity.geo else None
            if entity is None:
                report.no_entity += 1
            elif entity.geo is None:
                report.no_geo += 1
            if predicted == place["country"]:
                report.correct += 1
                continue
            said = "no entity" if entity is None else "no geo" if predicted is None else predicted
            report.misses.append((record["id"], place["name"], said, place["country"]))
    return report


def score_geo(path: Path | str = DEV_SET) -> dict[str, float]:
    """Country accuracy of place mentions on a labelled set, and its counts."""
    return evaluate(Path(path)).scores()


def main(argv: list[str] | None = None) -> int:
    """Print the accuracy, the counts and the first misses of one labelled set."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="a labelled JSONL set")
    parser.add_argument("--heldout", action="store_true", help="score the held-out set")
    parser.add_argument("--show", type=int, default=50, help="misses to print (default 50)")
    args = parser.parse_args(argv)
    path = args.path or (HELDOUT_SET if args.heldout else DEV_SET)
    report = evaluate(path)
    s = report.scores()
    print(
        f"{path.name}: accuracy {s['accuracy']:.3f} ({report.correct}/{report.total}); "
        f"no entity {report.no_entity}, no geo {report.no_geo}"
    )
    for rid, name, predicted, gold in report.misses[: args.show]:
        print(f"  {rid}: {name!r} predicted {predicted}, gold {gold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
