"""Worst-case time per bad or hostile message through the core, over fuzzed payloads.

    python -m benchmarks.fuzz_worst_case [--examples N] [--large-bytes B] [--patterns-only]

Prints, per strategy of tests/support/hostile.py, how many payloads ran, how each ended, and
the slowest one's time and size: the figure that says whether a crafted message can stall a
worker (the size limit caps it; the fuzz tests check the outcomes, not the time). Then each
hostile pattern once at the default size limit (1 MB), where super-linear work would show:
repeated tokens as plain text and inside an HTML page, markup built to make the HTML parser
or the extractor slow (many elements, deep nesting, tags with 80,000+ attributes) and an
oversized title. Each pattern runs in a forked process, so its peak memory (resident set)
is its own; the time is measured inside that process.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import time
from collections import Counter
from collections.abc import Callable
from functools import partial

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


#: Repeated tokens that cost the steps most per character, besides HOSTILE_UNITS.
COSTLY_UNITS = ["Aa, ", "Monday ", "12:30 ", "Nuclear war declared ", "Aa\n", "A. B. ",
                "Gunmen killed 12 people and wounded 30 others. "]  # fmt: skip
#: Of all units, those also sent inside an HTML page (one paragraph holding the run).
HTML_UNITS = ["Aa, ", "Monday ", "12:30 ", "Nuclear war declared ", "troops ", "Aa "]
#: Markup repeated to the size limit: many elements of the kinds the extractor reads.
MARKUP_UNITS = ["Aa<br>", "<div><span>Aa</span></div>", "<p>Troops were deployed.</p>",
                "<li>Troops were deployed</li>", "<div>", "<b></b>",
                "<p>Aa, Aa, Aa, Aa, Aa, Aa, Aa, Aa, Aa, Aa</p>", "<p>Aa</p>"]  # fmt: skip
#: Lines with a counter ({}), as text and as paragraphs of a page: distinct lines survive the
#: cleaner's removal of repeated lines, so they cost every step.
NUMBERED_LINES = ["Aa {}\n", "Troops were deployed {}.\n", "Aa, Aa, Aa, Aa, Aa, Aa {}\n"]
LEAD = "Troops were deployed. "


def _repeat(unit: str, size: int, prefix: str = LEAD) -> str:
    """prefix, then unit repeated until the text is `size` bytes of UTF-8 (or just under)."""
    room = size - len(prefix.encode("utf-8"))
    return prefix + unit * max(1, room // len(unit.encode("utf-8")))


def _page(body: str) -> str:
    return f"<html><body><article><p>{body}</p></article></body></html>"


def _numbered(line: str, size: int, page: bool) -> bytes:
    """Lines `line` with a counter in each (identical lines would be dropped as copies)."""
    lines = "".join(line.format(k) for k in range(size // 4))
    text = _page(lines[: size - 64]) if page else LEAD + lines
    return text.encode("utf-8")[:size]


def _attributes_tag(count: int) -> bytes:
    names = " ".join(f"a{k:x}=1" for k in range(count))
    return f"<html><body><p {names}>{LEAD}</p></body></html>".encode()


def _title_payload(size: int) -> bytes:
    return orjson.dumps({"title": _repeat("troops ", size - 100, ""), "body": LEAD})


def _text_run(unit: str, size: int) -> bytes:
    return _repeat(unit, size).encode("utf-8")


def _page_run(unit: str, size: int, prefix: str) -> bytes:
    wrap = len(_page("").encode("utf-8"))
    return _page(_repeat(unit, size - wrap, prefix)).encode("utf-8")


def large_patterns(size: int) -> list[tuple[str, Callable[[], bytes]]]:
    """(label, payload builder) for every pattern of the big pass, each about `size` bytes."""
    cases: list[tuple[str, Callable[[], bytes]]] = []
    for unit in [*HOSTILE_UNITS, *COSTLY_UNITS]:
        cases.append((f"text {unit!r}", partial(_text_run, unit, size)))
    for unit in HTML_UNITS:
        cases.append((f"html {unit!r}", partial(_page_run, unit, size, LEAD)))
    for unit in MARKUP_UNITS:
        cases.append((f"html {unit!r}", partial(_page_run, unit, size, "")))
    for line in NUMBERED_LINES:
        paragraph = f"<p>{line.strip()}</p>"
        cases.append((f"text {line!r}", partial(_numbered, line, size, page=False)))
        cases.append((f"html {paragraph!r}", partial(_numbered, paragraph, size, page=True)))
    most = (size - 100) // 9  # distinct attributes of 8-9 bytes each ("a1b2c=1 ")
    cases.append(("html tag, 80,000 attributes", partial(_attributes_tag, 80_000)))
    cases.append((f"html tag, {most:,} attributes", partial(_attributes_tag, most)))
    cases.append(("title 'troops '", partial(_title_payload, size)))
    return cases


def _resident_mb() -> float:
    """The resident set now, in MB (Linux; the peak so far elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _run_forked(
    payload: Callable[[], bytes], options: CoreOptions
) -> tuple[float, str, float, float]:
    """Enrich one payload in a child process: seconds, outcome, peak resident MB and growth.

    The growth is the peak less the resident set just before enrich() (the payload built,
    the parent's pages shared): what the message itself cost in memory.
    """
    gc.freeze()  # else the child's collections copy the parent's pages and inflate its time
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: build, run, report, exit without cleanup
        os.close(read_end)
        data = payload()
        resident = _resident_mb()
        started = time.perf_counter()
        result = enrich(data, options=options)
        elapsed = time.perf_counter() - started
        outcome = str(result.error.type) if isinstance(result, DeadLetter) else "enriched"
        os.write(write_end, f"{elapsed} {resident} {outcome}".encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        report = reader.read().decode()
    _, _, usage = os.wait4(pid, 0)
    seconds, before, outcome = report.split(" ", 2) if report else ("nan", "nan", "crashed")
    peak = usage.ru_maxrss / 1024
    return float(seconds), outcome, peak, peak - float(before)


def large_pass(size: int) -> None:
    """Each pattern once at `size` bytes: time, outcome and peak memory, then the slowest."""
    options = CoreOptions(max_message_bytes=size + 1024)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nhostile patterns at {size} bytes (resident before the run: {baseline:.0f} MB):")
    print(f"  {'pattern':<48} {'seconds':>7}  {'peak MB':>7}  {'+MB':>5}  outcome")
    slowest = (0.0, "")
    heaviest = (0.0, "")
    for label, payload in large_patterns(size):
        elapsed, outcome, peak, growth = _run_forked(payload, options)
        print(f"  {label:<48} {elapsed:>7.2f}  {peak:>7.0f}  {growth:>5.0f}  {outcome}", flush=True)
        slowest = max(slowest, (elapsed, label))
        heaviest = max(heaviest, (growth, label))
    print(f"  slowest: {slowest[1]} {slowest[0]:.2f} s")
    print(f"  most memory: {heaviest[1]} +{heaviest[0]:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="payloads per strategy")
    parser.add_argument("--large-bytes", type=int, default=1_000_000, help="size of the big pass")
    parser.add_argument("--patterns-only", action="store_true", help="only the big pass")
    args = parser.parse_args()
    enrich(b"Warm-up: troops were deployed to the border on Monday.")
    enrich(b"<html><body><p>Warm-up: troops were deployed on Monday.</p></body></html>")
    if not args.patterns_only:
        fuzz_pass(args.examples)
    large_pass(args.large_bytes)


def fuzz_pass(examples: int) -> None:
    """Every strategy of tests/support/hostile.py: outcomes and the slowest payload."""
    cases = [*((s, t) for s, t in BAD_PAYLOADS), (hostile_text(), "hostile text")]
    total = 0
    overall = 0.0
    print(f"{'strategy':<16} {'payloads':>8}  {'worst ms':>9}  {'bytes':>6}  outcomes")
    for strategy, label in cases:
        outcomes, worst, size = measure(strategy, examples)
        total += sum(outcomes.values())
        overall = max(overall, worst)
        shown = ", ".join(f"{k} {v}" for k, v in outcomes.most_common())
        print(f"{label:<16} {sum(outcomes.values()):>8}  {worst * 1000:>9.1f}  {size:>6}  {shown}")
    print(f"{'all':<16} {total:>8}  {overall * 1000:>9.1f}  (limit {FUZZ_MAX_BYTES} bytes)")


if __name__ == "__main__":
    main()
