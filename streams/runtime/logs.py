"""Logging: JSON lines when not on a terminal, readable text on one; never any secret."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

__all__ = ["JsonFormatter", "TextFormatter", "logging_config", "configure_logging"]

#: LogRecord attributes copied into JSON logs when an agent sets them through `extra`.
CONTEXT_FIELDS = ("topic", "partition", "offset", "article_id", "alert_id")
#: Third-party loggers that are noisy at INFO.
QUIET_LOGGERS = ("aiokafka", "faust", "mode", "kafka")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the message context fields when present."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode("utf-8")


class TextFormatter(logging.Formatter):
    """One line per record for people: a line break inside the message (from a title or
    any other text a producer sent) is written as ``\\n``, so no one can forge a log line.
    A traceback still follows on its own lines."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        line = super().formatMessage(record)
        return line.replace("\r", "\\r").replace("\n", "\\n")


def _use_json(fmt: str) -> bool:
    return fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    """A dictConfig for the worker (Faust applies it) and the other commands."""
    formatter = {"()": JsonFormatter if _use_json(fmt) else TextFormatter}
    quiet_level = level if level in ("WARNING", "ERROR") else "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {name: {"level": quiet_level} for name in QUIET_LOGGERS},
    }


def configure_logging(level: str = "INFO", fmt: str = "auto") -> None:
    """Apply the logging configuration to this process."""
    import logging.config

    logging.config.dictConfig(logging_config(level, fmt))
