"""Memory of a worker over a million articles, with every one in the 48 h dedup window.

    python -m benchmarks.soak_memory                      # 1,000,000 articles, RSS every 50,000
    python -m benchmarks.soak_memory --articles 200000 --every 20000

What grows in a worker is the alert stage's state: the enrichment core keeps nothing between
articles. So this loads the core as a worker does (models, tagger, gazetteer: by enriching the
benchmark articles), then feeds the alert stage, exactly as its agent does (JSON in, records
out, the state's changes taken after each batch of 50), a million enriched articles: the
benchmark articles' real enrichments under new ids and fingerprints, received over 24 hours,
so that none leaves the default 48 h window. It prints the process's resident memory as it
goes and at the end; a flat line under the target is the pass.

Not run in CI: a million articles take about 20 minutes, mostly the near-duplicate search
over an index that reaches a million fingerprints.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from streams.commands.bench import bench_articles
from streams.core.pipeline import MessageContext, enrich
from streams.models import EnrichedArticle
from streams.runtime.alert_stage import AlertStage
from streams.runtime.publish import MemoryPublisher
from streams.runtime.state_log import MemoryStateLog
from streams.settings import Settings, configured_rules

#: Worker RSS must stay under this over the run (MB).
TARGET_MB = 500.0
#: The articles a batch of the alert agent holds; the state's changes are taken per batch.
BATCH = 50
#: The run's articles arrive over this span: well inside the 48 h window.
SPAN = timedelta(hours=24)


def rss_mb() -> float:
    """Resident memory of this process now (Linux VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def enriched_templates(count: int) -> list[dict[str, Any]]:
    """The benchmark articles enriched by the core (which loads it as a worker would)."""
    out = []
    for payload in bench_articles(count):
        result = enrich(payload)
        if isinstance(result, EnrichedArticle):
            out.append(orjson.loads(result.model_dump_json()))
    return out


def soak(articles: int, every: int) -> list[tuple[int, float]]:
    """Feed `articles` through the alert stage; (articles so far, RSS MB) every `every`."""
    settings = Settings(metrics_port=0)  # the default dedup window (48 h) and spike settings
    templates = enriched_templates(200)
    stage = AlertStage(
        settings,
        configured_rules(settings),
        MemoryStateLog(MemoryPublisher(), settings.state_topic),
    )
    stage.current = True
    start = datetime.now(UTC) - SPAN
    step = SPAN / articles
    rng = random.Random(7)  # noqa: S311 - fingerprints of a test load, not secrets
    ctx = MessageContext(topic=settings.stories_topic, partition=0)
    samples = [(0, rss_mb())]
    started = time.perf_counter()
    for n in range(articles):
        value = {
            **templates[n % len(templates)],
            "article_id": f"soak-{n}",
            "fingerprint": f"{rng.getrandbits(64):016x}",
            "received_at": (start + n * step).isoformat(),
        }
        stage.handle(orjson.dumps(value), ctx, n)
        if n % BATCH == BATCH - 1:
            stage.changes()  # what the agent publishes with each batch, then forgets
        if (n + 1) % every == 0:
            samples.append((n + 1, rss_mb()))
            rate = (n + 1) / (time.perf_counter() - started)
            print(f"{n + 1:>9,} articles  RSS {samples[-1][1]:7.1f} MB  {rate:,.0f}/s", flush=True)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--every", type=int, default=50_000, help="articles between samples")
    args = parser.parse_args()
    samples = soak(args.articles, args.every)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first, last = samples[1] if len(samples) > 1 else samples[0], samples[-1]
    growth = (last[1] - first[1]) / max(1, last[0] - first[0]) * 1_000_000
    print(
        f"articles {last[0]:,}  RSS at start {samples[0][1]:.1f} MB, at the end {last[1]:.1f} MB,"
        f" peak {peak:.1f} MB; growth {growth:.0f} MB per million after the first sample;"
        f" target < {TARGET_MB:.0f} MB: {'met' if peak < TARGET_MB else 'NOT met'}"
    )
    return 0 if peak < TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
