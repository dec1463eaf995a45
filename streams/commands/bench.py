"""`newsstream bench`: throughput, latency and memory of the core (`--core`) or the stream.

The core, the broker clients and the settings are imported where they are used, so that
building the command line (`newsstream --help`) does not load them.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from typing import Any

import orjson

from streams.commands.produce import iter_file_messages, sample_feed_path

__all__ = [
    "bench_articles",
    "bench_core",
    "percentile",
    "versus_spacy",
    "format_table",
    "cmd_bench",
]

#: Articles enriched before timing starts, so lazily loaded resources are not counted.
WARMUP_ARTICLES = 20
#: The spaCy pipeline the core's speed is compared with, when it is installed.
SPACY_MODEL = "en_core_web_sm"


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


def percentile(values: list[float], q: float) -> float:
    """The `q` quantile of `values` (nearest rank); 0.0 for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


def bench_core(count: int, size: int = 3000) -> dict[str, Any]:
    """Enrich `count` articles through the core on this thread and measure it.

    Each article is enriched twice, in turn with and without the trained name tagger, so the
    tagger's share of the time is measured under the same load as the rest. When spaCy and
    its `en_core_web_sm` are installed, spaCy reads each article's text in turn too, and the
    ratio of the speeds is reported (spaCy parses and tags; the core does far more per text).
    """
    from streams.core.entities.tagger import MODEL_PATH, NameTagger
    from streams.core.pipeline import CoreOptions, enrich

    t0 = time.perf_counter()
    NameTagger.load(MODEL_PATH)
    load_s = time.perf_counter() - t0
    articles = bench_articles(count, size)
    rules_only = CoreOptions(ner_tagger=False)
    for payload in articles[:WARMUP_ARTICLES]:
        enrich(payload)
        enrich(payload, options=rules_only)
    nlp = _spacy_model()
    texts = [orjson.loads(a)["body"] for a in articles]
    if nlp is not None:
        for text in texts[:WARMUP_ARTICLES]:
            nlp(text)
    timings: list[float] = []
    without: list[float] = []
    spacy: list[float] = []
    for payload, text in zip(articles, texts, strict=True):
        t0 = time.perf_counter()
        enrich(payload)
        t1 = time.perf_counter()
        enrich(payload, options=rules_only)
        t2 = time.perf_counter()
        if nlp is not None:
            nlp(text)
            spacy.append(time.perf_counter() - t2)
        timings.append(t1 - t0)
        without.append(t2 - t1)
    elapsed = sum(timings)
    return {
        "articles": count,
        "bytes_per_article": round(statistics.mean(len(a) for a in articles)),
        "seconds": round(elapsed, 3),
        "articles_per_s": round(count / elapsed, 1),
        "p50_ms": round(percentile(timings, 0.5) * 1000, 3),
        "p99_ms": round(percentile(timings, 0.99) * 1000, 3),
        "max_ms": round(max(timings) * 1000, 3),
        "without_tagger_articles_per_s": round(count / sum(without), 1),
        "without_tagger_p50_ms": round(percentile(without, 0.5) * 1000, 3),
        "tagger_share_of_time": round(1 - sum(without) / elapsed, 3),
        "tagger_load_ms": round(load_s * 1000, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **versus_spacy(count / elapsed, spacy),
    }


def _spacy_model() -> Any:
    """spaCy's en_core_web_sm when it is installed (the `spacy` extra and the model), else None."""
    try:
        import spacy

        return spacy.load(SPACY_MODEL)
    except (ImportError, OSError):
        return None


def versus_spacy(rate: float, spacy: list[float]) -> dict[str, Any]:
    """spaCy's figures and the core's speed as a multiple of spaCy's, from the same run."""
    if not spacy:
        return {"spacy": f"not measured: install the spacy extra and {SPACY_MODEL}"}
    spacy_rate = len(spacy) / sum(spacy)
    return {
        "spacy_model": SPACY_MODEL,
        "spacy_articles_per_s": round(spacy_rate, 1),
        "spacy_p50_ms": round(percentile(spacy, 0.5) * 1000, 3),
        "speed_ratio_to_spacy": round(rate / spacy_rate, 2),
    }


def format_table(result: dict[str, Any]) -> str:
    """The benchmark result as a two-column table."""
    width = max(len(k) for k in result)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in result.items())


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure throughput, latency and memory of the core or the stream."""
    if args.mode == "stream":
        from streams.commands.bench_stream import bench_stream
        from streams.settings import load_settings, settings_from

        settings_from({"partitions": "--partitions"}, partitions=args.partitions)  # before a start
        broker = load_settings().bootstrap_servers if args.broker else None
        result = bench_stream(args.articles, args.partitions, args.size, broker, args.workers)
    elif args.mode == "delivery":
        from streams.commands.bench_delivery import bench_delivery, page_watcher

        result = bench_delivery(args.articles, watchers={"page": page_watcher})
    else:
        result = bench_core(args.articles, size=args.size)
    print(orjson.dumps(result).decode() if args.json else format_table(result))
    return 1 if result.get("missing") else 0
