"""`newsstream bench --delivery` runs end to end: notify and the live page on an embedded
broker, every alert received by both; the figures are printed, never asserted on."""

from __future__ import annotations

import orjson
import pytest

from tests.support.kafka_io import run_cli

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_bench_delivery_reports_webhook_and_page_figures_without_loss() -> None:
    proc = run_cli(["bench", "--delivery", "--articles", "400", "--json"], {}, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = orjson.loads(proc.stdout.strip().splitlines()[-1])
    assert (result["lost"], result["webhook_missed"], result["page_missed"]) == (0, 0, 0)
    assert result["paced_alerts"] == 300 and result["burst_alerts"] == 400
    for key in ("webhook_p50_ms", "webhook_p99_ms", "page_p99_ms", "alerts_per_s"):
        assert result[key] > 0, key
    assert result["notify_exit_code"] == 0
    assert isinstance(result["targets_met"], bool) and result["load_average"]
