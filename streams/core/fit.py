"""Fitting outputs into one Kafka message: an article is cut down, a dead letter keeps an excerpt.

A broker refuses a record over its topic's `max.message.bytes`, and a refused output cannot be
skipped without losing the input behind it. The enrichment of a small input can still be
large (100 KB of "deploy troops " gives 1 MB of escalation matches), so every output is fitted
here, in the core, where the `enrich` command, the agents and the tests share it. Articles and
letters that fit are returned unchanged: the common case costs one serialisation.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from pydantic import BaseModel

from streams.models import LEVELS, DeadLetter, EnrichedArticle, TruncatedField

__all__ = [
    "to_json",
    "fit_article",
    "fit_dead_letter",
    "ARTICLE_RESERVE_BYTES",
    "PAYLOAD_EXCERPT_BYTES",
    "MAX_HEADER_CHARS",
]

#: Bytes an article leaves free under the limit: the alert stage sets `duplicate_of` (an id
#: of up to 512 characters, JSON-escaped) after the article was fitted, and the `truncated`
#: marker itself takes under 200 bytes.
ARTICLE_RESERVE_BYTES = 4096
#: Bytes the `truncated` marker may take (eight fields with their counts take under 200).
MARKER_BYTES = 256
#: Longest excerpt of a payload that does not fit whole in its dead letter: enough to see
#: what the message was; `payload_sha256` identifies the whole of it.
PAYLOAD_EXCERPT_BYTES = 64 * 1024
#: A title, url or source longer than this is cut when the article does not fit otherwise.
MAX_HEADER_CHARS = 4096
#: A cut text ends at the last space or line break within this many characters of the cut.
WORD_BOUNDARY_CHARS = 200

_HEADERS: tuple[TruncatedField, ...] = ("title", "url", "source")
_LISTS: tuple[TruncatedField, ...] = (
    "entities",
    "timexes",
    "quotes",
    "escalation.matches",
    "escalation.events",
)


def to_json(model: BaseModel) -> bytes:
    """Serialise a message model as UTF-8 JSON, with its `schema` field (the wire format)."""
    return orjson.dumps(model.model_dump(mode="json", by_alias=True))


def fit_dead_letter(letter: DeadLetter, payload: bytes, max_bytes: int) -> DeadLetter:
    """`letter` with the whole payload when that fits in `max_bytes`, else with an excerpt.

    The excerpt is the payload's first bytes: at most PAYLOAD_EXCERPT_BYTES and what the room
    left by the other fields allows (base64 takes 4 bytes for 3).
    """
    base = len(to_json(letter.model_copy(update={"payload_b64": "", "payload_excerpt": True})))
    room = max_bytes - base
    if _b64_len(len(payload)) <= room:
        return letter.model_copy(update={"payload_b64": _b64(payload), "payload_excerpt": False})
    keep = max(0, min(PAYLOAD_EXCERPT_BYTES, room // 4 * 3))
    return letter.model_copy(update={"payload_b64": _b64(payload[:keep]), "payload_excerpt": True})


def fit_article(article: EnrichedArticle, max_bytes: int) -> EnrichedArticle:
    """`article` unchanged when it fits in `max_bytes` (less ARTICLE_RESERVE_BYTES), else cut.

    Lists lose items first, sharing the room fairly (a short list keeps all its items, the
    rest share what it leaves). Only when the article does not fit even without them are
    long headers and then the text cut; the lists then get at most half of what is left, and
    keep only items inside the cut text. `truncated` says what went.
    """
    target = max_bytes - ARTICLE_RESERVE_BYTES
    data = article.model_dump(mode="json", by_alias=True)
    if len(orjson.dumps(data)) <= target:
        return article
    return _Cutter(article, data).cut(target)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64_len(size: int) -> int:
    return (size + 2) // 3 * 4


def _json_len(value: Any) -> int:
    return len(orjson.dumps(value))


class _Cutter:
    """The article as JSON-ready data, and the sizes that decide what to keep of it."""

    def __init__(self, article: EnrichedArticle, data: dict[str, Any]) -> None:
        self.article = article
        self.data = data
        self.items: dict[TruncatedField, Sequence[Any]] = {
            "entities": article.entities,
            "timexes": article.timexes,
            "quotes": article.quotes,
            "escalation.matches": article.escalation.matches,
            "escalation.events": article.escalation.events,
        }
        dumped = {
            "entities": data["entities"],
            "timexes": data["timexes"],
            "quotes": data["quotes"],
            "escalation.matches": data["escalation"]["matches"],
            "escalation.events": data["escalation"]["events"],
        }
        #: Bytes each item adds to its list: its JSON and a comma.
        self.sizes = {name: [_json_len(x) + 1 for x in dumped[name]] for name in _LISTS}
        self.dropped: dict[TruncatedField, int] = {}

    def cut(self, target: int) -> EnrichedArticle:
        """The article fitted into `target` bytes, with its `truncated` marker."""
        target -= MARKER_BYTES
        bare = self._bare(self.data["text"])
        text_end = len(self.data["text"])
        if bare > target:
            self._cut_headers()
            text_end = self._cut_text(target)
            bare = self._bare(self.data["text"][:text_end])
        kept = self._keep(target - bare, text_end)
        escalation = self.article.escalation.model_copy(
            update={"matches": kept["escalation.matches"], "events": kept["escalation.events"]}
        )
        update: dict[str, Any] = {name: self.data[name] for name in _HEADERS}
        update |= {
            "text": self.data["text"][:text_end],
            "entities": kept["entities"],
            "timexes": kept["timexes"],
            "quotes": kept["quotes"],
            "escalation": escalation,
            "truncated": _merged(self.article.truncated, self.dropped),
        }
        return self.article.model_copy(update=update)

    def _bare(self, text: str) -> int:
        """Size of the article with this text and every list empty."""
        escalation = {**self.data["escalation"], "matches": [], "events": []}
        empty = {"entities": [], "timexes": [], "quotes": [], "escalation": escalation}
        return _json_len({**self.data, **empty, "text": text})

    def _cut_headers(self) -> None:
        for name in _HEADERS:
            value = self.data[name]
            if isinstance(value, str) and len(value) > MAX_HEADER_CHARS:
                self.data = {**self.data, name: value[:MAX_HEADER_CHARS]}
                self.dropped[name] = len(value) - MAX_HEADER_CHARS

    def _cut_text(self, target: int) -> int:
        """Where the text ends so that it takes what the lists leave (they get at most half)."""
        text: str = self.data["text"]
        room = target - self._bare("")
        lists = sum(sum(sizes) for sizes in self.sizes.values())
        budget = max(0, room - min(lists, room // 2))
        end = _longest_prefix(text, budget)
        space = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end))
        if end < len(text) and space > max(0, end - WORD_BOUNDARY_CHARS):
            end = space
        self.dropped["text"] = len(text) - end
        return end

    def _keep(self, room: int, text_end: int) -> dict[TruncatedField, list[Any]]:
        """Per list, the items kept: the most important first, until its share is used."""
        chosen: dict[TruncatedField, list[int]] = {}
        for name in _LISTS:
            inside = [i for i, x in enumerate(self.items[name]) if x.end <= text_end]
            chosen[name] = sorted(inside, key=_PRIORITY[name](self.items[name]))
        needs = {name: sum(self.sizes[name][i] for i in chosen[name]) for name in _LISTS}
        shares = _fair_shares(needs, room)
        kept: dict[TruncatedField, list[Any]] = {}
        for name in _LISTS:
            indices = _prefix_within(chosen[name], self.sizes[name], shares[name])
            kept[name] = [self.items[name][i] for i in sorted(indices)]
            self.dropped[name] = len(self.items[name]) - len(kept[name])
        return kept


def _merged(
    before: dict[TruncatedField, int] | None, dropped: dict[TruncatedField, int]
) -> dict[TruncatedField, int] | None:
    """The marker: what reading left out (`before`) plus what fitting dropped."""
    merged = dict(before or {})
    for name, count in dropped.items():
        if count:
            merged[name] = merged.get(name, 0) + count
    return merged or None


def _by_position(items: Sequence[Any]) -> Callable[[int], Any]:
    return lambda i: i


def _by_count(items: Sequence[Any]) -> Callable[[int], Any]:
    return lambda i: (-items[i].count, i)


def _by_level(items: Sequence[Any]) -> Callable[[int], Any]:
    return lambda i: (-LEVELS.index(items[i].level), i)


def _by_weight(items: Sequence[Any]) -> Callable[[int], Any]:
    return lambda i: (-items[i].weight, i)


#: Which items a cut list keeps first: the most mentioned entities (spikes and alerts name
#: them) and the strongest escalation matches (the alert summary quotes them); otherwise the
#: first in text order.
_PRIORITY: dict[TruncatedField, Callable[[Sequence[Any]], Callable[[int], Any]]] = {
    "entities": _by_count,
    "timexes": _by_position,
    "quotes": _by_position,
    "escalation.matches": _by_weight,
    "escalation.events": _by_level,
}


def _fair_shares(needs: dict[TruncatedField, int], room: int) -> dict[TruncatedField, int]:
    """Split `room` bytes so each list gets an equal share, or all it needs when that is less."""
    shares: dict[TruncatedField, int] = {}
    left = dict(needs)
    budget = max(0, room)
    while left:
        each = budget // len(left)
        small = {name: need for name, need in left.items() if need <= each}
        if not small:
            shares |= dict.fromkeys(left, each)
            break
        for name, need in small.items():
            shares[name] = need
            budget -= need
            del left[name]
    return shares


def _prefix_within(order: list[int], sizes: list[int], share: int) -> list[int]:
    """The first indices of `order` whose sizes add up to at most `share`."""
    used = 0
    for n, i in enumerate(order):
        used += sizes[i]
        if used > share:
            return order[:n]
    return order


def _longest_prefix(text: str, budget: int) -> int:
    """The longest prefix of `text` whose JSON string takes at most `budget` bytes."""
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if _json_len(text[:mid]) <= budget:
            low = mid
        else:
            high = mid - 1
    return low
