"""Helpers shared by the tests: article builders, broker launchers, Kafka I/O, fault runs."""
