"""Benchmarks and quality gates of newsstream (not part of the installed package)."""
