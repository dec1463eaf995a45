"""Near-duplicate stories: which earlier article an article repeats, and whether it may alert.

The state is a mapping ``article_id -> Seen`` (kept by the alert agent in a Faust table backed
by a changelog topic). Every article belongs to a story, named by the id of its first article
(the root); a duplicate's ``duplicate_of`` is that root. A story alerts once per level: a
duplicate alerts again only when it reaches a higher level than the story has alerted at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Seen", "StoryDecision", "DedupParams", "decide", "expired"]


@dataclass(frozen=True)
class DedupParams:
    """Window and distance of the near-duplicate rule."""

    window_s: float = 48 * 3600.0
    max_distance: int = 12


@dataclass(frozen=True)
class Seen:
    """What the dedup state keeps of one article."""

    fingerprint: int
    seen_at: float  # event time, epoch seconds
    root: str  # article id of the story's first article
    alerted: int = -1  # highest level index the story has alerted at (-1: never)
    triggered: int = -1  # level index this article itself alerted at (-1: it did not)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form, for the table."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Seen:
        """Rebuild from the table's plain form."""
        return cls(
            fingerprint=int(data["fingerprint"]),
            seen_at=float(data["seen_at"]),
            root=str(data["root"]),
            alerted=int(data.get("alerted", -1)),
            triggered=int(data.get("triggered", -1)),
        )


@dataclass(frozen=True)
class StoryDecision:
    """The outcome for one article: its story, and whether its level is news for that story."""

    root: str
    duplicate_of: str | None
    alert: bool


def _nearest(
    fingerprint: int, seen: Iterable[tuple[str, Seen]], params: DedupParams, now: float
) -> tuple[str, Seen] | None:
    best: tuple[int, str, Seen] | None = None
    for article_id, item in seen:
        if now - item.seen_at > params.window_s:
            continue
        distance = (fingerprint ^ item.fingerprint).bit_count()
        if distance <= params.max_distance and (best is None or distance < best[0]):
            best = (distance, article_id, item)
    return (best[1], best[2]) if best else None


def decide(
    article_id: str,
    fingerprint: int,
    level: int,
    alertable: bool,
    state: Mapping[str, Seen],
    params: DedupParams,
    now: float,
) -> StoryDecision:
    """Place an article in a story and say whether it alerts (pure: the caller stores).

    A replayed article (its id already in the state) keeps the story it had the first time,
    and raises again the alert it raised then (same alert id): the state may have been stored
    before a crash that lost the alert, and a duplicate alert is harmless where a lost one
    is not.
    """
    known = state.get(article_id)
    if known is not None:
        return StoryDecision(
            root=known.root,
            duplicate_of=known.root if known.root != article_id else None,
            alert=alertable and known.triggered == level,
        )
    match = _nearest(fingerprint, state.items(), params, now)
    root = match[1].root if match else article_id
    story = state.get(root)
    story_alerted = story.alerted if story is not None else -1
    return StoryDecision(
        root=root,
        duplicate_of=root if root != article_id else None,
        alert=alertable and level > story_alerted,
    )


def expired(state: Mapping[str, Seen], params: DedupParams, now: float) -> list[str]:
    """Ids of the articles that fell out of the window."""
    return [key for key, item in state.items() if now - item.seen_at > params.window_s]
