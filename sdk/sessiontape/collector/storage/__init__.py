"""The narrow storage interface the routes see; backends live beside it."""

from sessiontape.collector.storage.base import NewSite, Site, Storage
from sessiontape.collector.storage.sqlite import SQLiteStorage

__all__ = ["NewSite", "SQLiteStorage", "Site", "Storage"]
