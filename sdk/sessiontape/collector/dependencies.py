"""Request dependencies: settings, storage, and the site a key opens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request

from sessiontape.collector.errors import ApiError
from sessiontape.collector.settings import Settings
from sessiontape.collector.storage import Site, Storage


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


SettingsDep = Annotated[Settings, Depends(get_settings)]
StorageDep = Annotated[Storage, Depends(get_storage)]


def write_site(storage: StorageDep, key: Annotated[str | None, Query()] = None) -> Site:
    if not key:
        raise ApiError(401, "missing_key", "pass the site's write key as ?key=st_pk_...")
    site = storage.site_for_write_key(key)
    if site is None:
        raise ApiError(401, "unknown_key", "this write key belongs to no site")
    return site


def read_site(storage: StorageDep, authorization: Annotated[str | None, Header()] = None) -> Site:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(
            401, "missing_key", "send the site's read key as 'Authorization: Bearer st_sk_...'"
        )
    if token.startswith("st_pk_"):
        raise ApiError(403, "write_key_cannot_read", "a write key only ingests; use a read key")
    site = storage.site_for_read_key(token)
    if site is None:
        raise ApiError(401, "unknown_key", "this read key belongs to no site")
    return site


WriteSite = Annotated[Site, Depends(write_site)]
ReadSite = Annotated[Site, Depends(read_site)]
