"""Creating and describing newsstream's topics with the configured partitions and replication."""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from streams.errors import BrokerUnavailableError
from streams.runtime.kafka import client_kwargs, max_record_bytes, start_client
from streams.settings import Settings, configured_rules

__all__ = [
    "TopicSpec",
    "TopicInfo",
    "topic_names",
    "topic_specs",
    "topic_configs",
    "create_topics",
    "ensure_topics",
    "describe_topics",
    "partition_counts",
]

#: Kafka's error code for "topic already exists" in a CreateTopics response.
TOPIC_ALREADY_EXISTS = 36


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    compact: bool = False


@dataclass(frozen=True)
class TopicInfo:
    name: str
    partitions: int
    exists: bool
    created: bool = False


def topic_names(settings: Settings) -> list[str]:
    """The four topics of the data flow, in order."""
    return [
        settings.topic_raw,
        settings.topic_enriched,
        settings.topic_alerts,
        settings.topic_deadletter,
    ]


def topic_specs(settings: Settings) -> list[TopicSpec]:
    """Every topic the worker uses: the four of the data flow, rule topics, the topic of
    undelivered alerts (`newsstream notify`), internal ones.

    The alert stage's story topic and its state changelog have one partition: near-duplicates
    from any partition must meet in one place.
    """
    n = settings.partitions
    specs = [TopicSpec(name, n) for name in topic_names(settings)]
    for rule in configured_rules(settings):
        if rule.topic and rule.topic not in {s.name for s in specs}:
            specs.append(TopicSpec(rule.topic, n))
    if settings.topic_undelivered not in {s.name for s in specs}:
        specs.append(TopicSpec(settings.topic_undelivered, n))
    specs += [
        TopicSpec(settings.stories_topic, 1),
        TopicSpec(settings.state_topic, 1, compact=True),
    ]
    return specs


async def _admin(settings: Settings) -> AIOKafkaAdminClient:
    admin = AIOKafkaAdminClient(**client_kwargs(settings), request_timeout_ms=15000)
    await start_client(admin, settings)
    return admin


async def partition_counts(settings: Settings, names: list[str]) -> dict[str, int]:
    """How many partitions each named topic has, asked of the broker (0: it does not exist).

    A consumer's own metadata only covers the topics it was asked about before, so a reader
    that assigns itself partitions asks here instead.
    """
    admin = await _admin(settings)
    try:
        found = {t["topic"]: t for t in await admin.describe_topics(names)}
    finally:
        await admin.close()
    counts = {}
    for name in names:
        meta = found.get(name)
        ok = meta is not None and meta.get("error_code", 0) == 0 and bool(meta.get("partitions"))
        counts[name] = len(meta["partitions"]) if ok and meta else 0
    return counts


async def describe_topics(settings: Settings) -> list[TopicInfo]:
    """Partition counts of the configured topics (0 and exists=False for a missing one)."""
    counts = await partition_counts(settings, [spec.name for spec in topic_specs(settings)])
    return [TopicInfo(name, count, count > 0) for name, count in counts.items()]


def topic_configs(settings: Settings, spec: TopicSpec) -> dict[str, str]:
    """The configuration a topic is created with: the largest record newsstream writes or
    reads (`max.message.bytes`, see max_record_bytes), and compaction for the state topic."""
    configs = {"max.message.bytes": str(max_record_bytes(settings))}
    if spec.compact:
        configs["cleanup.policy"] = "compact"
    return configs


async def create_topics(settings: Settings, specs: list[TopicSpec]) -> set[str]:
    """Create the topics that are missing; the names of those created now."""
    admin = await _admin(settings)
    try:
        response = await admin.create_topics(
            [
                NewTopic(
                    spec.name,
                    spec.partitions,
                    settings.replication,
                    topic_configs=topic_configs(settings, spec),
                )
                for spec in specs
            ]
        )
    finally:
        await admin.close()
    created = set()
    for name, code, *rest in response.topic_errors:
        if code == 0:
            created.add(name)
        elif code != TOPIC_ALREADY_EXISTS:
            message = rest[0] if rest else ""
            raise BrokerUnavailableError(f"cannot create topic {name}: error {code} {message}")
    return created


async def ensure_topics(settings: Settings) -> list[TopicInfo]:
    """Create the topics that are missing; existing ones are left as they are.

    Creation comes before any metadata request: a broker that auto-creates topics on metadata
    requests (the embedded one does) would otherwise pick its own partition count.
    """
    created = await create_topics(settings, topic_specs(settings))
    return [
        TopicInfo(t.name, t.partitions, t.exists, created=t.name in created)
        for t in await describe_topics(settings)
    ]
