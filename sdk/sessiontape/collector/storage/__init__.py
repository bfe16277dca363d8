"""The narrow storage interface the routes see; backends live beside it."""

from sessiontape.collector.storage.base import (
    ANY_ORIGIN,
    SELF_ORIGIN,
    BatchKey,
    NewSite,
    Quota,
    QuotaExceededError,
    SessionQuery,
    Site,
    SiteChanges,
    Storage,
    StorageFullError,
)
from sessiontape.collector.storage.sqlite import SQLiteStorage

__all__ = [
    "ANY_ORIGIN",
    "SELF_ORIGIN",
    "BatchKey",
    "NewSite",
    "Quota",
    "QuotaExceededError",
    "SQLiteStorage",
    "SessionQuery",
    "Site",
    "SiteChanges",
    "Storage",
    "StorageFullError",
]
