"""Compare `newsstream enrich` output between two revisions, byte for byte.

    python -m benchmarks.enrich_diff --base REV          # REV's tree against the working tree
    python -m benchmarks.enrich_diff --base REV --show 5  # and print the first 5 differences

A refactoring must not change what the pipeline says. This runs the same inputs through the
code of `REV` (checked out in a temporary git worktree) and through the working tree, with a
fixed reference time, and lists every record whose output differs. Fields that depend on the
moment of the run (`processed_at`, `pipeline_version`, a dead letter's or an undated message's
`received_at`) are left out of the comparison.

Inputs: the bundled sample feed, the project's escalation set, and, where the shared
evaluation folder is present (NEWSSTREAM_EVAL_DIR, else ../shared/eval), every labelled set
in it. Exit status 1 when any output differs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.eval_gate import ESCALATION_SET, ROOT, eval_dir, raw_message

#: Every run resolves relative times against this instant, so both sides see the same clock.
REFERENCE_TIME = "2026-01-15T12:00:00Z"
#: Output fields that depend on when the run happened, not on the input.
VOLATILE = ("processed_at", "pipeline_version", "received_at")


def input_sets() -> dict[str, list[bytes]]:
    """Named lists of raw messages, one per line as `newsstream enrich -` reads them."""
    sets = {
        "sample_feed": _lines(ROOT / "streams" / "samples" / "feed.jsonl"),
        "escalation_cases": _labelled(ESCALATION_SET),
    }
    directory = eval_dir()
    if directory is not None:
        for path in sorted(directory.rglob("*.jsonl")):
            sets[str(path.relative_to(directory))] = _labelled(path)
        seed = directory.parent / "samples" / "seed_article.txt"
        if seed.is_file():
            body = seed.read_text(encoding="utf-8")
            sets["seed_article"] = [json.dumps({"id": "seed", "body": body}).encode()]
    return sets


def _lines(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().splitlines() if line.strip()]


def _labelled(path: Path) -> list[bytes]:
    messages = []
    for line in _lines(path):
        messages.append(json.dumps(raw_message(json.loads(line)), ensure_ascii=False).encode())
    return messages


def run_tree(tree: Path, messages: list[bytes]) -> list[str]:
    """The stable part of each output line, from the `streams` package found in `tree`."""
    proc = subprocess.run(  # noqa: S603 - this interpreter, this project's own command
        [sys.executable, "-m", "streams", "enrich", "--reference-time", REFERENCE_TIME, "-"],
        input=b"".join(m + b"\n" for m in messages),
        capture_output=True,
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "PYTHONSAFEPATH": ""},
        check=True,
        timeout=3600,
    )
    return [_stable(line) for line in proc.stdout.decode().splitlines()]


def _stable(line: str) -> str:
    record = json.loads(line)
    for key in VOLATILE:
        record.pop(key, None)
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _without(line: str, fields: list[str]) -> str:
    """A stable output line without the given top-level fields."""
    if not fields:
        return line
    record = json.loads(line)
    for key in fields:
        record.pop(key, None)
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def differences(before: str, after: str) -> Iterator[str]:
    """Dotted paths of the fields that differ between two stable outputs."""
    yield from _walk(json.loads(before), json.loads(after), "")


def _walk(a: Any, b: Any, path: str) -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from _walk(a.get(key), b.get(key), f"{path}.{key}" if path else key)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _walk(x, y, f"{path}[{index}]")
    elif a != b:
        old, new = (json.dumps(v, ensure_ascii=False)[:160] for v in (a, b))
        yield f"{path}: {old} -> {new}"


def _git(*args: str) -> None:
    cmd = ["git", *args]  # git from PATH, as a developer runs it
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)  # noqa: S603, S607


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the git revision to compare against")
    parser.add_argument("--show", type=int, default=10, help="differences to print in full")
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="FIELD",
        help="a top-level field left out of the comparison, e.g. one the change adds (repeat)",
    )
    args = parser.parse_args()
    sets = input_sets()
    changed = 0
    shown = 0
    with tempfile.TemporaryDirectory(prefix="newsstream-diff-") as tmp:
        base_tree = Path(tmp) / "base"
        _git("worktree", "add", "--detach", str(base_tree), args.base)
        try:
            for name, messages in sets.items():
                before = [_without(x, args.ignore) for x in run_tree(base_tree, messages)]
                after = [_without(x, args.ignore) for x in run_tree(ROOT, messages)]
                same = sum(x == y for x, y in zip(before, after, strict=True))
                print(f"{name:<40} {len(messages):>5} inputs  {len(messages) - same:>4} differ")
                for index, (x, y) in enumerate(zip(before, after, strict=True)):
                    if x == y:
                        continue
                    changed += 1
                    if shown < args.show:
                        shown += 1
                        print(f"  {name} line {index + 1}:")
                        for diff in differences(x, y):
                            print(f"    {diff}")
        finally:
            _git("worktree", "remove", "--force", str(base_tree))
    print(f"{changed} output(s) differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
