"""Configuration: one frozen pydantic-settings object read from NEWSSTREAM_* variables and .env.

The README's configuration table (and its dead-letter table, from streams.errors.ERROR_TYPES)
is generated from here: ``python -m streams.settings --readme`` rewrites the blocks between
their marker comments, ``--check`` exits 1 when they are stale, and ``--markdown`` prints the
configuration table.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import Field, SecretBytes, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.core.alerts.rules import Rule, default_rules, load_rules
from streams.core.pipeline import MAX_OUTPUT_BYTES, CoreOptions
from streams.core.temporal.published import zone_of
from streams.core.text.fingerprint import DUPLICATE_MAX_DISTANCE
from streams.errors import ERROR_TYPES, ConfigError
from streams.models import Level

__all__ = [
    "BrokerKind",
    "Settings",
    "load_settings",
    "settings_from",
    "describe_invalid",
    "configured_rules",
    "README_PATH",
    "settings_table",
    "error_types_table",
    "render_readme",
    "update_readme",
]


#: Which broker newsstream talks to: Apache Kafka (or compatible), or the embedded one;
#: `auto` asks the broker (streams.runtime.kafka.idempotence_supported).
BrokerKind = Literal["auto", "kafka", "embedded"]


class Settings(BaseSettings):
    """Every tunable of newsstream; see the README's configuration table."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSSTREAM_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    broker: str = Field(
        default="localhost:9092",
        description="Kafka bootstrap servers, comma-separated `host:port` (a `kafka://` prefix "
        "is allowed)",
    )
    broker_kind: BrokerKind = Field(
        default="auto",
        description="`embedded` turns off what the embedded broker lacks (the idempotent "
        "producer); `kafka` for Apache Kafka and compatible brokers; `auto` asks the broker "
        "whether it grants a producer id (plaintext only, else `kafka`)",
    )
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT",
        description="How clients connect to the broker: TLS or not, SASL authentication or not",
    )
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = Field(
        default=None,
        description="SASL mechanism with a `SASL_*` security protocol (`PLAIN` when unset)",
    )
    sasl_username: str | None = Field(default=None, description="SASL user name")
    sasl_password: SecretStr | None = Field(
        default=None, description="SASL password; held as a secret, never logged or shown"
    )
    ssl_cafile: str | None = Field(
        default=None,
        description="CA bundle (PEM) that vouches for the broker's certificate with `SSL` or "
        "`SASL_SSL` (the system CAs when unset)",
    )

    app_id: str = Field(
        default="newsstream",
        description="Faust app id, which is the consumer group; it also names the internal "
        "topics `<app_id>-stories` and `<app_id>-alert-state`",
    )
    topic_raw: str = Field(default="news.raw", description="Input topic of raw articles")
    topic_enriched: str = Field(
        default="news.enriched", description="Output topic of enriched articles"
    )
    topic_alerts: str = Field(default="news.alerts", description="Output topic of alerts")
    topic_deadletter: str = Field(
        default="news.deadletter", description="Output topic of dead letters"
    )
    partitions: int = Field(
        default=4,
        ge=1,
        le=1024,
        description="Partitions of the topics that `newsstream topics --create` and the worker "
        "create (the two internal topics get one)",
    )
    replication: int = Field(
        default=1, ge=1, le=16, description="Replication factor of every topic they create"
    )

    max_message_bytes: int = Field(
        default=1_000_000,
        ge=1024,
        description="Largest raw payload in bytes; a larger one is dead-lettered as `too_large`",
    )
    max_output_bytes: int = Field(
        default=MAX_OUTPUT_BYTES,
        ge=65_536,
        description="Largest JSON value the worker and `newsstream enrich` write: a bigger "
        "enriched article is cut down (its `truncated` field says what went), a dead letter "
        "keeps only an excerpt of the payload. Topics newsstream creates accept the larger of "
        "this and `NEWSSTREAM_MAX_MESSAGE_BYTES` plus 16 KiB (`max.message.bytes`, at least "
        "Apache Kafka's default 1048588); a topic made otherwise must accept it too",
    )
    source_tz: str | None = Field(
        default=None,
        description="IANA zone for times without offset when the message gives no `tz` (unset: "
        "such times in fields are UTC, and datelines stay local wall-clock time)",
    )
    ner_model: str | None = Field(
        default=None,
        description="spaCy model name or path: turns on the optional statistical NER layer "
        "(pip extra `spacy`)",
    )
    ner_tagger: bool = Field(
        default=True,
        description="Find names with the trained tagger shipped in the package (false: with "
        "the gazetteer and rules alone, faster and less accurate)",
    )
    alert_min_level: Level = Field(
        default="medium",
        description="Lowest escalation level that raises an alert when no rules file is given",
    )
    rules_file: str | None = Field(
        default=None,
        description="YAML file of subscriber rules; when set, it replaces "
        "`NEWSSTREAM_ALERT_MIN_LEVEL`",
    )
    dedup_window_s: float = Field(
        default=48 * 3600.0,
        gt=0,
        description="Near-duplicate window in seconds of event time (`received_at`): an "
        "article repeats a story seen at most this long before",
    )
    clock_tolerance_s: float = Field(
        default=300.0,
        ge=0,
        description="How far in seconds an article's `received_at` or `published_at` may lie "
        "ahead of its Kafka timestamp (else the worker's clock) before the alert stage uses "
        "that timestamp instead: a producer's wrong clock cannot move the dedup and spike "
        "windows",
    )
    dedup_max_distance: int = Field(
        default=DUPLICATE_MAX_DISTANCE,
        ge=0,
        le=32,
        description="Most SimHash bits apart at which two articles are still the same story",
    )
    spike_window_s: float = Field(
        default=600.0,
        gt=0,
        description="Length in seconds of the tumbling window in which flagged stories are "
        "counted per entity and per country",
    )
    spike_factor: float = Field(
        default=3.0,
        gt=1.0,
        description="A window spikes when its count reaches this many times the baseline "
        "(taken as at least 1) and `NEWSSTREAM_SPIKE_MIN_COUNT`",
    )
    spike_min_count: int = Field(
        default=5, ge=1, description="Fewest flagged stories in a window that make a spike"
    )
    spike_alpha: float = Field(
        default=0.3,
        gt=0,
        le=1,
        description="EWMA weight of the newest closed window in the baseline",
    )

    session_timeout_s: float = Field(
        default=10.0,
        gt=0,
        description="Consumer-group session timeout in seconds: a dead worker's partitions "
        "move after this long",
    )
    heartbeat_interval_s: float = Field(
        default=1.0, gt=0, description="Consumer heartbeat interval in seconds"
    )
    core_processes: int = Field(
        default=1,
        ge=0,
        le=64,
        description="Processes per worker that run the enrichment core beside the worker's "
        "event loop, so that fetching, publishing and the alert stage overlap with it. 0 runs "
        "the core in the event loop (for a machine with one core)",
    )
    fetch_wait_ms: int | None = Field(
        default=None,
        ge=1,
        le=30_000,
        description="Longest a worker's fetch may wait at the broker for new records, in ms. "
        "Apache Kafka answers as soon as one arrives; the embedded broker holds the fetch for "
        "the whole wait, which then adds to every article's latency. Unset: 10 on the embedded "
        "broker, 500 on Apache Kafka",
    )

    topic_undelivered: str = Field(
        default="news.alerts.undelivered",
        description="Topic where `newsstream notify` parks an alert a webhook did not take "
        "after every attempt, with the last error",
    )
    notify_group: str = Field(
        default="newsstream-notify",
        description="Consumer group of `newsstream notify` on the alerts topic: more "
        "processes in the group share its partitions",
    )
    notify_max_attempts: int = Field(
        default=6,
        ge=1,
        le=100,
        description="Delivery attempts per alert and webhook (connection errors, timeouts, "
        "429 and 5xx are retried) before the alert is parked on the undelivered topic",
    )
    notify_backoff_s: float = Field(
        default=0.5,
        gt=0,
        description="First retry delay in seconds; doubled at each retry, with full jitter, "
        "up to `NEWSSTREAM_NOTIFY_BACKOFF_MAX_S` (a 429's `Retry-After` is honoured instead)",
    )
    notify_backoff_max_s: float = Field(
        default=30.0, gt=0, description="Longest retry delay in seconds"
    )
    notify_timeout_s: float = Field(
        default=10.0, gt=0, description="Timeout of one webhook POST in seconds"
    )
    notify_rate_count: int = Field(
        default=30,
        ge=1,
        description="Messages a webhook gets per window unless its rule's `rate_limit` says "
        "otherwise; alerts beyond are held and sent as one digest when the window ends",
    )
    notify_rate_window_s: float = Field(
        default=60.0, gt=0, description="Length of that rate-limit window in seconds"
    )
    serve_host: str = Field(
        default="127.0.0.1",
        description="Address `newsstream serve` listens on; any but loopback needs "
        "`NEWSSTREAM_SERVE_TOKEN`",
    )
    serve_port: int = Field(
        default=8080, ge=0, le=65535, description="Port of `newsstream serve` (`0`: a free one)"
    )
    serve_token: SecretStr | None = Field(
        default=None,
        description="Bearer token that `newsstream serve` asks of the page, the stream and the "
        "API (unset: no token, and loopback only); held as a secret, never logged",
    )
    serve_history: int = Field(
        default=1000,
        ge=1,
        le=100_000,
        description="Recent alerts per partition that `newsstream serve` reads back at start "
        "and keeps for the page, the API and resuming streams",
    )

    metrics_port: int = Field(
        default=9100,
        ge=0,
        le=65535,
        description="Port of the worker's Prometheus `/metrics`; `0` turns it off",
    )
    data_dir: str = Field(
        default=".newsstream-data", description="The worker's local state directory (Faust)"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Lowest level of the log records written"
    )
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto",
        description="Log line format; `auto` is JSON when stderr is not a terminal, text on one",
    )

    @field_validator("broker")
    @classmethod
    def _check_broker(cls, value: str) -> str:
        """Every server is `host` or `host:port`: a bad port fails here, not in a client."""
        for server in value.split(","):
            host, colon, port = server.strip().removeprefix("kafka://").rpartition(":")
            if not colon:
                host, port = port, "9092"
            if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
                raise ValueError(f"{server.strip()!r} is not host:port with a port from 1 to 65535")
        return value

    @field_validator("source_tz")
    @classmethod
    def _check_zone(cls, value: str | None) -> str | None:
        """An unknown zone fails at start-up rather than leaving every time unconverted."""
        if value is not None and zone_of(value) is None:
            raise ValueError(f"{value[:64]!r} is not an IANA time zone (e.g. Europe/Paris)")
        return value

    def isolated(self, tag: str) -> Settings:
        """A copy with a consumer group and topic names of its own (benchmarks, tests)."""
        return self.model_copy(
            update={
                "app_id": f"newsstream-{tag}",
                "topic_raw": f"{tag}.raw",
                "topic_enriched": f"{tag}.enriched",
                "topic_alerts": f"{tag}.alerts",
                "topic_deadletter": f"{tag}.deadletter",
                "topic_undelivered": f"{tag}.alerts.undelivered",
                "notify_group": f"newsstream-notify-{tag}",
            }
        )

    def as_env(self) -> dict[str, str]:
        """These settings as NEWSSTREAM_* variables, for a worker process started with them.

        The password goes in too (a child's environment is not a log); unset fields do not.
        """
        env = {}
        for name, value in self.model_dump().items():
            if value is None:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            env[f"NEWSSTREAM_{name.upper()}"] = str(value)
        return env

    def core_options(self) -> CoreOptions:
        """The plain options the enrichment core receives."""
        return CoreOptions(
            max_message_bytes=self.max_message_bytes,
            max_output_bytes=self.max_output_bytes,
            source_tz=self.source_tz,
            ner_model=self.ner_model or None,
            ner_tagger=self.ner_tagger,
        )

    @property
    def stories_topic(self) -> str:
        """Internal single-partition topic the alert stage reads: duplicates need one view."""
        return f"{self.app_id}-stories"

    @property
    def state_topic(self) -> str:
        """Internal compacted topic that holds the alert stage's state (runtime.state_log)."""
        return f"{self.app_id}-alert-state"

    @property
    def bootstrap_servers(self) -> str:
        """Bootstrap servers without a URL scheme, as aiokafka wants them."""
        return ",".join(s.strip().removeprefix("kafka://") for s in self.broker.split(","))

    @property
    def faust_broker(self) -> str:
        """The broker list as a Faust URL."""
        return ";".join(f"kafka://{s}" for s in self.bootstrap_servers.split(","))


@cache
def load_settings() -> Settings:
    """Read the settings once at an entry point; ConfigError with the reason when invalid."""
    return settings_from()


def settings_from(options: Mapping[str, str] | None = None, **values: Any) -> Settings:
    """The environment's settings with `values` set by a command; ConfigError when invalid.

    `options` maps a field to the command-line option that set it, so that the message names
    what the user typed (`--partitions`) rather than a variable they did not set.
    """
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {describe_invalid(exc, options)}") from exc


def describe_invalid(exc: ValidationError, options: Mapping[str, str] | None = None) -> str:
    """A settings validation error on one line: each variable, what is wrong, the value given.

    A secret's value is never repeated.
    """
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        name = (options or {}).get(field) or (f"NEWSSTREAM_{field.upper()}" if field else "")
        message = str(error["msg"]).removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        info = Settings.model_fields.get(field)
        secret = info is not None and SecretStr in (info.annotation, *get_args(info.annotation))
        given = error.get("input")
        if error["type"] != "value_error" and not secret and isinstance(given, str | int | float):
            message += f" (got {given[:80] if isinstance(given, str) else given!r})"
        problems.append(f"{name}: {message}" if name else message)
    return "; ".join(problems)


def configured_rules(settings: Settings) -> tuple[Rule, ...]:
    """The subscriber rules: the rules file when one is set, else the level threshold."""
    if settings.rules_file:
        return load_rules(settings.rules_file)
    return default_rules(settings.alert_min_level)


# --- the README's generated tables ----------------------------------------------------------

#: The README these tables are written into (the repository's, next to the package).
README_PATH = Path(__file__).resolve().parents[1] / "README.md"
#: Shown for a setting without a default.
_UNSET = "–"
_BLOCK = "<!-- begin {name}: generated by `python -m streams.settings --readme`, do not edit -->"
_BLOCK_END = "<!-- end {name} -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _choices(annotation: Any) -> tuple[Any, ...]:
    """The values a Literal (or optional Literal) annotation allows; () for other types."""
    if get_origin(annotation) in (Union, UnionType):
        return tuple(
            v for arg in get_args(annotation) if arg is not NoneType for v in _choices(arg)
        )
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def _number(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _bounds(info: FieldInfo) -> str:
    """The numeric limits of a field in words ("at least 1, at most 1024"); "" when none."""
    low = high = ""
    for item in info.metadata:
        if isinstance(item, Ge):
            low = f"at least {_number(item.ge)}"
        elif isinstance(item, Gt):
            low = f"above {_number(item.gt)}"
        elif isinstance(item, Le):
            high = f"at most {_number(item.le)}"
        elif isinstance(item, Lt):
            high = f"below {_number(item.lt)}"
    return ", ".join(part for part in (low, high) if part)


def _default(info: FieldInfo) -> str:
    """The default as a table cell; a secret's value is never shown, even when it has one."""
    value = info.get_default(call_default_factory=True)
    if value is None:
        return _UNSET
    secret = (SecretStr, SecretBytes)
    if isinstance(value, secret) or any(
        arg in secret for arg in (info.annotation, *get_args(info.annotation))
    ):
        return "(secret)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{_number(value) if isinstance(value, float) else value}`"


def settings_table(model: type[BaseSettings] = Settings) -> str:
    """The configuration table: environment variable, default, meaning and allowed values.

    Built from the fields' declarations only: no environment, .env file or secret is read.
    """
    prefix = model.model_config.get("env_prefix", "")
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, info in model.model_fields.items():
        parts = [(info.description or "").rstrip(".")]
        choices = _choices(info.annotation)
        if choices:
            parts.append("One of " + ", ".join(f"`{c}`" for c in choices))
        bounds = _bounds(info)
        if bounds:
            parts.append(bounds[0].upper() + bounds[1:])
        meaning = ". ".join(part for part in parts if part) + "."
        variable = f"`{prefix}{name.upper()}`"
        rows.append(f"| {variable} | {_cell(_default(info))} | {_cell(meaning)} |")
    return "\n".join(rows)


def error_types_table() -> str:
    """The dead-letter table: every `error.type` and when it is given."""
    rows = ["| `error.type` | meaning |", "|---|---|"]
    rows += [f"| `{kind}` | {_cell(text)} |" for kind, text in ERROR_TYPES.items()]
    return "\n".join(rows)


def _blocks() -> dict[str, str]:
    return {"settings-table": settings_table(), "error-types-table": error_types_table()}


def render_readme(text: str) -> str:
    """The README text with every generated block replaced by its current content.

    ValueError when a block's markers are missing, so a lost marker is not silently skipped.
    """
    for name, table in _blocks().items():
        begin, end = _BLOCK.format(name=name), _BLOCK_END.format(name=name)
        found = re.search(re.escape(begin) + r"\n.*?" + re.escape(end), text, re.DOTALL)
        if found is None:
            raise ValueError(f"the README has no block {begin!r} ... {end!r}")
        text = f"{text[: found.start()]}{begin}\n{table}\n{end}{text[found.end() :]}"
    return text


def update_readme(path: Path = README_PATH) -> bool:
    """Rewrite the README's generated blocks; True when the file changed."""
    old = path.read_text(encoding="utf-8")
    new = render_readme(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m streams.settings`: print or write the README's generated tables."""
    parser = argparse.ArgumentParser(
        prog="python -m streams.settings",
        description="The README's tables generated from the settings and the dead-letter types.",
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--markdown", action="store_true", help="print the configuration table")
    action.add_argument("--readme", action="store_true", help="rewrite the README's tables")
    action.add_argument("--check", action="store_true", help="exit 1 when they are stale")
    parser.add_argument("--path", type=Path, default=README_PATH, help="the README to use")
    args = parser.parse_args(argv)
    if args.markdown:
        print(settings_table())
        return 0
    if args.check:
        current = render_readme(args.path.read_text(encoding="utf-8"))
        if current != args.path.read_text(encoding="utf-8"):
            print(f"{args.path}: stale; run `python -m streams.settings --readme`", file=sys.stderr)
            return 1
        return 0
    print(f"{args.path}: {'updated' if update_readme(args.path) else 'already current'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
