"""Webhook delivery, the pure part: destinations, signatures, payloads, retry timing, rate
limits and offset bookkeeping. No Kafka and no HTTP client here, so each rule of delivery is
tested without either; `streams.runtime.notify` does the I/O."""
