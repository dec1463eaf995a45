"""Faust's aiokafka driver with the worker consumer's fetch wait taken from the settings.

faust-streaming builds the worker's consumer with `fetch_max_wait_ms=1500` and offers no
setting for it. Apache Kafka answers a fetch as soon as a record arrives, so there the wait
costs nothing; a broker that holds every fetch for the whole wait when it has nothing new
(the embedded one does) makes it part of each hop's latency: up to 1.5 s per article per
hop. The app built here hands the configured wait to the consumer before it starts.
"""

from __future__ import annotations

from typing import Any

import faust
from faust.transport.drivers import aiokafka as driver

__all__ = ["NewsFaustApp", "DEFAULT_FETCH_WAIT_MS"]

#: aiokafka's own default, for an app that does not say.
DEFAULT_FETCH_WAIT_MS = 500


class _ConsumerThread(driver.AIOKafkaConsumerThread):
    """The driver's consumer thread; the consumer it creates waits `app.fetch_wait_ms`."""

    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        # aiokafka hands this to its fetcher when the consumer starts (not yet started here)
        consumer._fetch_max_wait_ms = getattr(self.app, "fetch_wait_ms", DEFAULT_FETCH_WAIT_MS)
        return consumer


class _Consumer(driver.Consumer):
    def _new_consumer_thread(self) -> driver.AIOKafkaConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class _Transport(driver.Transport):
    Consumer = _Consumer


class NewsFaustApp(faust.App):
    """A Faust app whose worker consumer waits at most `fetch_wait_ms` for a fetch."""

    #: Milliseconds the broker may hold a fetch that has nothing new (set per app).
    fetch_wait_ms: int = DEFAULT_FETCH_WAIT_MS

    def _new_transport(self) -> Any:
        return _Transport(self.conf.broker_consumer, self)


# Faust's services log under Faust's loggers (quiet by default), not under this module's,
# which mode would give them at class creation.
_ConsumerThread.logger = _Consumer.logger = driver.logger
NewsFaustApp.logger = faust.App.logger
