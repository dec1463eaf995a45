"""Logs are JSON lines off a terminal and carry the message context."""

from __future__ import annotations

import logging

import orjson

from streams.runtime.logs import JsonFormatter, TextFormatter, logging_config


def test_logs_json_lines_carry_topic_partition_offset_and_article_id() -> None:
    record = logging.LogRecord(
        "streams.agents", logging.WARNING, __file__, 1, "dead-lettered %s", ("decode_error",), None
    )
    record.topic, record.partition, record.offset, record.article_id = "news.raw", 3, 77, "a-9"
    entry = orjson.loads(JsonFormatter().format(record))
    assert entry["msg"] == "dead-lettered decode_error"
    assert (entry["topic"], entry["partition"], entry["offset"], entry["article_id"]) == (
        "news.raw",
        3,
        77,
        "a-9",
    )
    assert entry["level"] == "WARNING"


def test_logs_config_chooses_json_or_text() -> None:
    assert logging_config("INFO", "json")["formatters"]["default"] == {"()": JsonFormatter}
    assert logging_config("INFO", "text")["formatters"]["default"] == {"()": TextFormatter}
    assert logging_config("INFO", "json")["loggers"]["aiokafka"]["level"] == "WARNING"


def test_logs_text_line_breaks_in_a_message_cannot_forge_a_line() -> None:
    record = logging.LogRecord(
        "streams.x", logging.WARNING, __file__, 1, "article %s", ("a\r\n2026 ERROR forged",), None
    )
    line = TextFormatter().format(record)
    assert "\n" not in line and "\r" not in line
    assert line.endswith("article a\\r\\n2026 ERROR forged")
