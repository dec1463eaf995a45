# One image, one command per role: `worker` (default), `topics --create`, `produce --sample`,
# `alerts`, `notify`, `serve`, `enrich`. Build: docker build -t newsstream:latest .
# Exact versions, so a rebuild gets the same base (bump them deliberately).
FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /src

# Dependencies first, from pyproject.toml alone with an empty package, so that editing the
# source does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir streams && touch streams/__init__.py \
    && pip install . \
    && pip uninstall --yes newsstream \
    && rm -rf streams build *.egg-info

# Then the package itself (dependencies are already in place).
COPY streams ./streams
RUN pip install --no-deps . && cd / && rm -rf /src

RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/newsstream --create-home \
        --shell /usr/sbin/nologin newsstream

USER newsstream
WORKDIR /var/lib/newsstream

# The app reads NEWSSTREAM_* variables; these are the container defaults.
ENV NEWSSTREAM_BROKER=kafka:29092 \
    NEWSSTREAM_BROKER_KIND=kafka \
    NEWSSTREAM_METRICS_PORT=9100 \
    NEWSSTREAM_DATA_DIR=/var/lib/newsstream/data \
    NEWSSTREAM_LOG_FORMAT=json

# Prometheus metrics of the worker (GET /metrics).
EXPOSE 9100

# Healthy when the worker serves /metrics. One-shot roles (topics, produce) serve none: the
# compose file turns the check off for them.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('NEWSSTREAM_METRICS_PORT', '9100') + '/metrics', timeout=4)"]

ENTRYPOINT ["newsstream"]
CMD ["worker"]
