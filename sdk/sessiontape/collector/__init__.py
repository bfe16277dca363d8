"""The collector: receives batches from browsers, stores them, serves the read API."""

from sessiontape.collector.app import create_app
from sessiontape.collector.settings import Settings

__all__ = ["Settings", "create_app"]
