"""Benchmarks: the recorder against rrweb in one Chromium run, the collector and SDK against
their floors. Entry point: ``python -m benchmarks`` (``--quick`` for a smoke run)."""
