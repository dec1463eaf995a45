"""Running the Faust worker: topics first, then metrics, then the agents until a signal."""

from __future__ import annotations

import asyncio
import logging
import logging.config

import faust

from streams.runtime.app import create_app
from streams.runtime.kafka import describe_broker
from streams.runtime.logs import logging_config
from streams.runtime.metrics import serve_metrics
from streams.runtime.topics import ensure_topics
from streams.settings import Settings

__all__ = ["run_worker"]

log = logging.getLogger(__name__)


def run_worker(settings: Settings) -> None:
    """Create missing topics, serve metrics and run the agents until SIGINT/SIGTERM."""
    config = logging_config(settings.log_level, settings.log_format)
    logging.config.dictConfig(config)
    log.info("worker starting against %s", describe_broker(settings))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(ensure_topics(settings))
    serve_metrics(settings.metrics_port)
    news = create_app(settings)
    worker = faust.Worker(
        news.app,
        loop=loop,
        loglevel=settings.log_level,
        logging_config=config,
        quiet=True,
        redirect_stdouts=False,
    )
    worker.execute_from_commandline()
