"""Configuration: one frozen pydantic-settings object read from NEWSSTREAM_* variables and .env."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.core.alerts.rules import Rule, default_rules, load_rules
from streams.core.pipeline import CoreOptions
from streams.core.text.fingerprint import DUPLICATE_MAX_DISTANCE
from streams.errors import ConfigError
from streams.models import Level

__all__ = ["Settings", "load_settings", "configured_rules"]


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
        description="Kafka bootstrap servers, comma-separated host:port (kafka:// prefix allowed)",
    )
    broker_kind: Literal["kafka", "embedded"] = Field(
        default="kafka",
        description="'embedded' turns off what the embedded broker lacks (idempotent producer)",
    )
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: str | None = None

    app_id: str = Field(default="newsstream", description="Faust app id = consumer group")
    topic_raw: str = "news.raw"
    topic_enriched: str = "news.enriched"
    topic_alerts: str = "news.alerts"
    topic_deadletter: str = "news.deadletter"
    partitions: int = Field(default=4, ge=1, le=1024)
    replication: int = Field(default=1, ge=1, le=16)

    max_message_bytes: int = Field(
        default=1_000_000, ge=1024, description="raw payloads above this are dead-lettered"
    )
    source_tz: str | None = Field(
        default=None, description="IANA zone for naive times when the message gives none"
    )
    ner_model: str | None = Field(
        default=None,
        description="spaCy model name or path for the optional NER layer (pip extra 'spacy')",
    )
    alert_min_level: Level = Field(
        default="medium", description="lowest level that alerts when no rules file is given"
    )
    rules_file: str | None = Field(default=None, description="YAML file of subscriber rules")
    dedup_window_s: float = Field(default=48 * 3600.0, gt=0, description="near-duplicate window")
    dedup_max_distance: int = Field(
        default=DUPLICATE_MAX_DISTANCE, ge=0, le=32, description="SimHash bits apart"
    )
    spike_window_s: float = Field(default=600.0, gt=0, description="tumbling window length")
    spike_factor: float = Field(default=3.0, gt=1.0, description="spike = factor x baseline")
    spike_min_count: int = Field(default=5, ge=1, description="and at least this many articles")
    spike_alpha: float = Field(default=0.3, gt=0, le=1, description="EWMA weight of a new window")

    session_timeout_s: float = Field(
        default=10.0,
        gt=0,
        description="consumer group session timeout; a dead worker's "
        "partitions move after this long",
    )
    heartbeat_interval_s: float = Field(default=1.0, gt=0)

    metrics_port: int = Field(default=9100, ge=0, le=65535, description="0 turns it off")
    data_dir: str = Field(default=".newsstream-data", description="Faust worker state")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"

    def isolated(self, tag: str) -> Settings:
        """A copy with a consumer group and topic names of its own (benchmarks, tests)."""
        return self.model_copy(
            update={
                "app_id": f"newsstream-{tag}",
                "topic_raw": f"{tag}.raw",
                "topic_enriched": f"{tag}.enriched",
                "topic_alerts": f"{tag}.alerts",
                "topic_deadletter": f"{tag}.deadletter",
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
            source_tz=self.source_tz,
            ner_model=self.ner_model or None,
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
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {exc}") from exc


def configured_rules(settings: Settings) -> tuple[Rule, ...]:
    """The subscriber rules: the rules file when one is set, else the level threshold."""
    if settings.rules_file:
        return load_rules(settings.rules_file)
    return default_rules(settings.alert_min_level)
