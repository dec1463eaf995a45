"""Running the Faust worker: start-up checks, metrics, topics, then the agents until a signal."""

from __future__ import annotations

import asyncio
import logging
import logging.config

import faust

from streams.runtime.app import check_startup, create_app
from streams.runtime.kafka import describe_broker, idempotence_supported
from streams.runtime.logs import logging_config
from streams.runtime.metrics import serve_metrics
from streams.runtime.topics import ensure_topics
from streams.settings import Settings

__all__ = ["run_worker"]

log = logging.getLogger(__name__)


def run_worker(settings: Settings) -> None:
    """Check the set-up, serve metrics, create missing topics and run the agents until a signal.

    What the worker cannot run without (the NER model, the metrics port) is checked before it
    contacts the broker, so a mistake there stops it at once with one line.
    """
    config = logging_config(settings.log_level, settings.log_format)
    logging.config.dictConfig(config)
    log.info("worker starting against %s", describe_broker(settings))
    check_startup(settings)
    serve_metrics(settings.metrics_port)
    idempotence_supported(settings)  # with broker_kind auto, asks the broker now, off the loop
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(ensure_topics(settings))
    news = create_app(settings)
    news.pool.start()  # the core loads in its processes while the worker joins the group
    worker = faust.Worker(
        news.app,
        loop=loop,
        loglevel=settings.log_level,
        logging_config=config,
        quiet=True,
        redirect_stdouts=False,
    )
    worker.execute_from_commandline()
