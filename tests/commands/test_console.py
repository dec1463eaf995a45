"""Wording of the console lines."""

from __future__ import annotations

import pytest

from streams.commands.console import plural


@pytest.mark.parametrize(
    ("count", "noun", "text"),
    [(1, "partition", "1 partition"), (4, "partition", "4 partitions"), (0, "file", "0 files")],
)
def test_console_counts_agree_with_their_nouns(count: int, noun: str, text: str) -> None:
    assert plural(count, noun) == text
