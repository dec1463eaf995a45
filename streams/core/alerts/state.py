"""The alert stage's memory: stories seen (near-duplicates) and spike windows, as one state.

The alert agent keeps this state in memory and stores every change in a compacted changelog
topic, in the same acknowledged batch as the outputs the change produced. A worker that
takes over the stage replays that changelog into a fresh state (`apply`). This module is
pure: it records changes as ``key -> plain dict (or None: deleted)``; the agent sends them.

Keys: ``story/<article_id>`` for a Seen, ``spike/<key>`` for a SpikeState.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from streams.core.alerts.compose import alert_places, spike_alert
from streams.core.alerts.dedup import DedupParams, FingerprintIndex, Seen, decide, expired
from streams.core.alerts.rules import Rule, spike_rules
from streams.core.alerts.spikes import (
    SpikeParams,
    SpikeState,
    observe,
    spike_level,
    spike_subjects,
    stale,
)
from streams.core.alerts.stored import from_plain, to_plain
from streams.core.temporal.published import parse_timestamp
from streams.models import LEVELS, Alert, EnrichedArticle

__all__ = ["AlertState", "Change", "STORY_PREFIX", "SPIKE_PREFIX", "epoch"]

STORY_PREFIX = "story/"
SPIKE_PREFIX = "spike/"

#: One stored change: the state key and its new plain value, None when the key is deleted.
Change = tuple[str, dict[str, Any] | None]


def epoch(stamp: str) -> float:
    """Seconds since the epoch of an ISO 8601 stamp (``Z`` accepted), as utc_iso writes it."""
    return parse_timestamp(stamp).timestamp()


class AlertState:
    """Stories and spike windows, with the changes not yet stored."""

    def __init__(self, dedup: DedupParams, spikes: SpikeParams) -> None:
        self.dedup = dedup
        self.spike_params = spikes
        self.stories: dict[str, Seen] = {}
        self.spikes: dict[str, SpikeState] = {}
        self._index = FingerprintIndex()
        self._changes: dict[str, dict[str, Any] | None] = {}

    # --- restoring from the changelog -------------------------------------------------

    def clear(self) -> None:
        """Forget everything, before a replay of the changelog."""
        self.stories.clear()
        self.spikes.clear()
        self._index = FingerprintIndex()
        self._changes.clear()

    def apply(self, key: str, value: Mapping[str, Any] | None) -> None:
        """Replay one changelog record (later records of a key replace earlier ones).

        Unknown keys are ignored, so a changelog written by a newer version still loads.
        """
        stores: tuple[tuple[str, dict[str, Any], Callable[[Mapping[str, Any]], Any]], ...] = (
            (STORY_PREFIX, self.stories, partial(from_plain, Seen)),
            (SPIKE_PREFIX, self.spikes, partial(from_plain, SpikeState)),
        )
        for prefix, store, load in stores:
            if key.startswith(prefix):
                name = key.removeprefix(prefix)
                if value is None:
                    store.pop(name, None)
                else:
                    store[name] = load(value)
                return

    def restored(self) -> None:
        """Rebuild the fingerprint index once the replay is over."""
        self._index = FingerprintIndex.of(self.stories)

    def take_changes(self) -> list[Change]:
        """The changes since the last call (the last value per key), to be stored."""
        changes, self._changes = list(self._changes.items()), {}
        return changes

    # --- the stage's decisions ---------------------------------------------------------

    def _remember(self, article_id: str, item: Seen) -> None:
        if article_id not in self.stories:
            self._index.add(article_id, item)
        self.stories[article_id] = item
        self._changes[STORY_PREFIX + article_id] = to_plain(item)

    def place(
        self, article: EnrichedArticle, alertable: bool, now: float
    ) -> tuple[EnrichedArticle, bool]:
        """The article placed in its story (`duplicate_of` set), and whether it alerts.

        `alertable`: some rule matched it; `now`: its event time (its clamped `received_at`,
        epoch s; see streams.core.alerts.clock).
        """
        level = LEVELS.index(article.escalation.level)
        article_id = article.article_id
        decision = decide(
            article_id,
            int(article.fingerprint, 16),
            level,
            alertable,
            self.stories,
            self.dedup,
            now,
            self._index,
        )
        previous = self.stories.get(article_id)
        self._remember(
            article_id,
            Seen(
                int(article.fingerprint, 16),
                previous.seen_at if previous else now,
                decision.root,
                previous.alerted if previous else -1,
                level if decision.alert else (previous.triggered if previous else -1),
            ),
        )
        if decision.alert:
            # The story's first article may have left the window while later ones have not:
            # the story goes on under its id, renewed with this article's fingerprint and time.
            root = self.stories.get(decision.root) or Seen(
                int(article.fingerprint, 16), now, decision.root
            )
            self._remember(decision.root, replace(root, alerted=max(root.alerted, level)))
        return article.model_copy(update={"duplicate_of": decision.duplicate_of}), decision.alert

    def spike_alerts(
        self,
        article: EnrichedArticle,
        now: float,
        position: int,
        created_at: datetime,
        rules: Sequence[Rule],
    ) -> list[tuple[Alert, list[Rule]]]:
        """Count a flagged new story towards its entities and countries; the spikes it fires
        that some rule wants, each with the rules it matched (they route it).

        `now`: the article's event time for spikes (its clamped `published_at`, see
        streams.core.alerts.clock); `position`: the input's offset in the alert stage's
        partition (replays are not counted twice, see `observe`). Every spike is counted
        and stored whatever the rules say: the rules choose who hears of it, not whether
        the window spiked.
        """
        if not article.escalation.flag or article.duplicate_of is not None:
            return []
        fired = []
        for subject in spike_subjects(article):
            key = subject.key
            previous = self.spikes.get(key)
            state, fires = observe(previous, now, self.spike_params, article.article_id, position)
            if state != previous:
                self.spikes[key] = state
                self._changes[SPIKE_PREFIX + key] = to_plain(state)
            if not fires:
                continue
            matched = spike_rules(subject, spike_level(state, self.spike_params), article, rules)
            if matched:
                categories = article.escalation.categories
                place = next((p for p in alert_places(article) if p.name == subject.name), None)
                alert = spike_alert(
                    key,
                    subject.name,
                    state,
                    self.spike_params,
                    categories,
                    created_at,
                    matched,
                    place,
                )
                fired.append((alert, matched))
        return fired

    def sweep(self, now: float, horizon: float | None = None) -> int:
        """Delete stories out of the dedup window and spike windows that no longer matter.

        Returns how many keys were deleted. Called every so many articles, with the newest
        event time seen. `horizon`, when given, is the latest event time that can be true
        (the clock plus its tolerance): a record beyond it was stored before event times
        were clamped, and would otherwise hold its key's spike window shut for good.
        """
        ahead = float("inf") if horizon is None else horizon
        gone = expired(self.stories, self.dedup, now, ahead)
        for article_id in gone:
            del self.stories[article_id]
            self._changes[STORY_PREFIX + article_id] = None
        quiet = [
            key
            for key, state in self.spikes.items()
            if state.window_start > ahead or stale(state, now, self.spike_params)
        ]
        for key in quiet:
            del self.spikes[key]
            self._changes[SPIKE_PREFIX + key] = None
        if gone:
            self._index = FingerprintIndex.of(self.stories)
        return len(gone) + len(quiet)
