"""The `newsstream` commands: parser and main, produce, alerts, demo, bench, schema export."""
