"""Worst-case time per bad or hostile message through the core, over fuzzed payloads.

    python -m benchmarks.fuzz_worst_case [--examples N] [--large-bytes B]

Prints, per strategy of tests/support/hostile.py, how many payloads ran, how each ended, and
the slowest one's time and size: the figure that says whether a crafted message can stall a
worker (the size limit caps it; the fuzz tests check the outcomes, not the time). Then each
hostile pattern once at the default size limit (1 MB), where super-linear work would show.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.core.pipeline import CoreOptions, enrich
from streams.models import DeadLetter
from tests.support.hostile import BAD_PAYLOADS, FUZZ_MAX_BYTES, HOSTILE_UNITS, hostile_text


def measure(strategy: st.SearchStrategy[bytes], examples: int) -> tuple[Counter[str], float, int]:
    """Run `examples` payloads; outcomes, worst seconds and the worst payload's size."""
    options = CoreOptions(max_message_bytes=FUZZ_MAX_BYTES)
    outcomes: Counter[str] = Counter()
    worst = [0.0, 0]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(payload: bytes) -> None:
        started = time.perf_counter()
        result = enrich(payload, options=options)
        elapsed = time.perf_counter() - started
        outcomes[result.error.type if isinstance(result, DeadLetter) else "enriched"] += 1
        if elapsed > worst[0]:
            worst[:] = [elapsed, len(payload)]

    run()
    return outcomes, worst[0], int(worst[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="payloads per strategy")
    parser.add_argument("--large-bytes", type=int, default=1_000_000, help="size of the big pass")
    args = parser.parse_args()
    enrich(b"Warm-up: troops were deployed to the border on Monday.")
    cases = [*((s, t) for s, t in BAD_PAYLOADS), (hostile_text(), "hostile text")]
    total = 0
    overall = 0.0
    print(f"{'strategy':<16} {'payloads':>8}  {'worst ms':>9}  {'bytes':>6}  outcomes")
    for strategy, label in cases:
        outcomes, worst, size = measure(strategy, args.examples)
        total += sum(outcomes.values())
        overall = max(overall, worst)
        shown = ", ".join(f"{k} {v}" for k, v in outcomes.most_common())
        print(f"{label:<16} {sum(outcomes.values()):>8}  {worst * 1000:>9.1f}  {size:>6}  {shown}")
    print(f"{'all':<16} {total:>8}  {overall * 1000:>9.1f}  (limit {FUZZ_MAX_BYTES} bytes)")
    print(f"\nhostile patterns at {args.large_bytes} bytes:")
    options = CoreOptions(max_message_bytes=args.large_bytes + 1024)
    slowest = (0.0, "")
    for unit in HOSTILE_UNITS:
        text = "Troops were deployed. " + unit * (args.large_bytes // len(unit.encode("utf-8")))
        payload = orjson.dumps(text[: args.large_bytes])
        started = time.perf_counter()
        result = enrich(payload, options=options)
        elapsed = time.perf_counter() - started
        outcome = result.error.type if isinstance(result, DeadLetter) else "enriched"
        print(f"  {unit!r:<16} {elapsed:>7.2f} s  {outcome}")
        slowest = max(slowest, (elapsed, unit))
    print(f"  slowest: {slowest[1]!r} {slowest[0]:.2f} s")


if __name__ == "__main__":
    main()
