"""`newsstream bench --core`: throughput, per-article latency and peak memory of the core."""

from __future__ import annotations

import resource
import statistics
import time
from typing import Any

import orjson

from streams.client import iter_file_messages, sample_feed_path
from streams.core.pipeline import enrich

__all__ = ["bench_articles", "bench_core", "format_table"]

#: Articles enriched before timing starts, so lazily loaded resources are not counted.
WARMUP_ARTICLES = 20


def _plain_texts() -> list[str]:
    texts = []
    for record in iter_file_messages(sample_feed_path()):
        value = orjson.loads(record.value)
        if isinstance(value, dict) and isinstance(value.get("body"), str):
            texts.append(value["body"])
    return texts


def bench_articles(count: int, size: int = 3000) -> list[bytes]:
    """`count` raw JSON articles of about `size` bytes of English text, from the sample feed."""
    texts = _plain_texts()
    if not texts:
        raise ValueError("the sample feed has no plain-text articles")
    articles = []
    for i in range(count):
        body = texts[i % len(texts)]
        while len(body) < size:
            body += "\n\n" + texts[(i + len(body)) % len(texts)]
        cut = body.rfind(" ", 0, size)
        articles.append(
            orjson.dumps({"id": f"bench-{i}", "source": "bench", "body": body[: max(cut, 1)]})
        )
    return articles


def bench_core(count: int, size: int = 3000) -> dict[str, Any]:
    """Enrich `count` articles through the core on this thread and measure it."""
    articles = bench_articles(count, size)
    for payload in articles[:WARMUP_ARTICLES]:
        enrich(payload)
    timings = []
    started = time.perf_counter()
    for payload in articles:
        t0 = time.perf_counter()
        enrich(payload)
        timings.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    timings.sort()
    return {
        "articles": count,
        "bytes_per_article": round(statistics.mean(len(a) for a in articles)),
        "seconds": round(elapsed, 3),
        "articles_per_s": round(count / elapsed, 1),
        "p50_ms": round(timings[len(timings) // 2] * 1000, 3),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000, 3),
        "max_ms": round(timings[-1] * 1000, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def format_table(result: dict[str, Any]) -> str:
    """The benchmark result as a two-column table."""
    width = max(len(k) for k in result)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in result.items())
