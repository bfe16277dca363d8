"""The narrow storage interface the routes see; backends live beside it."""

from sessiontape.collector.storage.base import BatchKey, NewSite, SessionQuery, Site, Storage
from sessiontape.collector.storage.sqlite import SQLiteStorage

__all__ = ["BatchKey", "NewSite", "SQLiteStorage", "SessionQuery", "Site", "Storage"]
