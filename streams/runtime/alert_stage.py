"""The alert stage without Faust: its state, when that state must be restored, and per event
the records to publish (the enriched article, alerts, or a dead letter).

The state is only current while this worker keeps the stories partition; once it may have
moved, the state is rebuilt from its changelog (streams.runtime.state_log) before the next
event. The state changes an event causes are not published here: the agent's batch takes
them at flush time (`changes`), with the outputs they produced.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime

from faust.types import TP
from pydantic import ValidationError

from streams.core.alerts.clock import event_times
from streams.core.alerts.compose import escalation_alert
from streams.core.alerts.dedup import DedupParams
from streams.core.alerts.rules import Rule, matching_rules
from streams.core.alerts.spikes import SpikeParams
from streams.core.alerts.state import AlertState
from streams.core.pipeline import MessageContext, dead_letter
from streams.errors import BadMessageError, InvalidSchemaError
from streams.models import Alert, DeadLetter, EnrichedArticle
from streams.runtime.publish import Record
from streams.runtime.records import alert_records, article_record, dead_letter_record
from streams.runtime.state_log import StateLog, state_records
from streams.settings import Settings

__all__ = ["AlertStage", "Outcome", "alert_state", "STATE_SWEEP_EVERY"]

#: Expired stories and quiet spike keys are swept from the state every this many events.
STATE_SWEEP_EVERY = 500

#: What one event gave: its records, and the alert it raised or its dead letter (else None).
Outcome = Alert | DeadLetter | None


def alert_state(settings: Settings) -> AlertState:
    """An empty state with the configured dedup and spike parameters."""
    dedup = DedupParams(window_s=settings.dedup_window_s, max_distance=settings.dedup_max_distance)
    spikes = SpikeParams(
        window_s=settings.spike_window_s,
        alpha=settings.spike_alpha,
        factor=settings.spike_factor,
        min_count=settings.spike_min_count,
    )
    return AlertState(dedup, spikes)


class AlertStage:
    """The alert stage's state, its restorer, and what each event publishes."""

    def __init__(self, settings: Settings, rules: tuple[Rule, ...], restorer: StateLog) -> None:
        self.state = alert_state(settings)
        self.rules = rules
        #: The state in memory is current: this worker has kept the stories partition since
        #: the state was last restored. False at first, so the first event restores it.
        self.current = False
        self._settings = settings
        self._restorer = restorer
        self._partition = TP(settings.stories_topic, 0)
        self._handled = 0
        self._latest = 0.0  # the newest event time seen: the dedup and spike windows end there

    def partitions_assigned(self, assigned: Collection[TP]) -> None:
        """After a rebalance: without the stories partition, another worker may change the
        state meanwhile, so it must be restored before this worker uses it again."""
        if self._partition not in assigned:
            self.current = False

    async def make_current(self, flush: Callable[[], Awaitable[None]]) -> None:
        """Restore the state if it is not current, after `flush` (the agent's batch) has
        published the changes still held, so the changelog read back contains them."""
        if self.current:
            return
        await flush()
        await self._restorer.restore(self.state)
        self.sweep()  # drops records a wrong producer clock dated ahead, before they count
        self.current = True

    def changes(self) -> list[Record]:
        """The changelog records of the state changes since the last call (a batch trailer)."""
        return state_records(self._settings.state_topic, self.state.take_changes())

    def handle(
        self, value: bytes, ctx: MessageContext, position: int
    ) -> tuple[list[Record], Outcome]:
        """One event of the stories topic: the records to publish, and its outcome.

        `position`: the event's offset in the stories partition (spikes count it once).
        """
        try:
            article = EnrichedArticle.model_validate_json(value)
        except ValidationError as exc:
            schema = InvalidSchemaError(f"not an EnrichedArticle: {exc.error_count()} errors")
            result = self._rejected(value, ctx, schema)
        else:
            try:
                result = self._place(article, position, ctx.timestamp)
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the stage for good
                # else the agent would crash on this event again at every restart
                error = BadMessageError(f"alert stage: {type(exc).__name__}: {exc}")
                result = self._rejected(value, ctx, error)
        self._handled += 1
        if self._handled % STATE_SWEEP_EVERY == 0:
            self.sweep()
        return result

    def _rejected(
        self, value: bytes, ctx: MessageContext, error: BadMessageError
    ) -> tuple[list[Record], Outcome]:
        """The dead letter of an event the stage cannot place, as its records and outcome."""
        letter = dead_letter(value, ctx, error, self._settings.max_output_bytes)
        return [dead_letter_record(letter, ctx.key, self._settings.topic_deadletter)], letter

    def sweep(self) -> int:
        """Forget what the windows no longer hold, and any record dated beyond the clock."""
        horizon = time.time() + self._settings.clock_tolerance_s
        return self.state.sweep(self._latest, horizon)

    def _place(
        self, article: EnrichedArticle, position: int, stamp: datetime | None
    ) -> tuple[list[Record], Outcome]:
        """The article in its story (`duplicate_of`), its escalation alert and any spikes.

        `stamp`: the record's Kafka timestamp; with the tolerance it bounds the article's
        event times (streams.core.alerts.clock), so a producer's clock cannot move the
        windows. Without one, the worker's clock bounds them.
        """
        settings = self._settings
        broker_time = stamp.timestamp() if stamp is not None else time.time()
        times = event_times(article, broker_time, settings.clock_tolerance_s)
        matched = matching_rules(article, self.rules)
        article, alerts = self.state.place(article, bool(matched), times.received)
        records = [article_record(article, settings.topic_enriched)]
        created = datetime.now(UTC)
        alert = escalation_alert(article, matched, created) if alerts else None
        if alert is not None:
            records += alert_records(alert, matched, article.article_id, settings.topic_alerts)
        spikes = self.state.spike_alerts(article, times.published, position, created, self.rules)
        for spike, routed in spikes:
            records += alert_records(spike, routed, None, settings.topic_alerts)
        self._latest = max(self._latest, times.received, times.published)
        return records, alert
