"""The collector's FastAPI application."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from sessiontape.collector.batch_workers import BatchWorkers
from sessiontape.collector.errors import InternalErrors, install_error_handlers
from sessiontape.collector.http_headers import SecurityHeaders
from sessiontape.collector.rate_limit import RateLimiter
from sessiontape.collector.retention import purge_forever
from sessiontape.collector.routes import assets, ingest, insights, sessions
from sessiontape.collector.routes.assets import DEMO_SITE_NAME
from sessiontape.collector.settings import Settings
from sessiontape.collector.storage import (
    ANY_ORIGIN,
    SELF_ORIGIN,
    SiteChanges,
    Storage,
    backends,
)
from sessiontape.collector.viewer import apidocs
from sessiontape.collector.viewer import assets as viewer_assets
from sessiontape.collector.viewer import data as viewer_data
from sessiontape.collector.viewer import heatmaps as viewer_heatmaps
from sessiontape.collector.viewer import pages as viewer_pages


def create_app(settings: Settings | None = None, storage: Storage | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.storage = storage or open_storage(settings)
        shared_limiter = getattr(app.state.storage, "shared_rate_limiter", None)
        if shared_limiter is not None:
            app.state.ingest_limiter = shared_limiter(
                settings.ingest_rate_per_site, settings.ingest_burst_per_site
            )
        if settings.demo_site:
            ensure_demo_site(app.state.storage, settings)
        await app.state.batch_workers.start()
        purge = (
            asyncio.create_task(purge_forever(app.state.storage, settings.purge_interval_s))
            if settings.purge_interval_s > 0
            else None
        )
        try:
            yield
        finally:
            if purge is not None:
                purge.cancel()
            app.state.batch_workers.close()
            app.state.storage.close()

    app = FastAPI(
        title="sessiontape collector",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by viewer.apidocs from local files, not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.batch_workers = BatchWorkers(
        settings.ingest_worker_processes, settings.ingest_worker_min_bytes
    )
    app.state.ingest_limiter = RateLimiter(
        settings.ingest_rate_per_site, settings.ingest_burst_per_site
    )
    app.state.invalid_limiter = RateLimiter(
        settings.invalid_rate_per_client, settings.invalid_burst_per_client
    )
    install_error_handlers(app)
    app.add_middleware(InternalErrors)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so even a 500 carries them
    app.include_router(ingest.router)
    app.include_router(sessions.router)
    app.include_router(insights.router)
    app.include_router(assets.router)
    app.include_router(viewer_data.router)
    app.include_router(viewer_pages.router)
    app.include_router(viewer_heatmaps.router)
    app.include_router(viewer_assets.router)
    app.include_router(apidocs.router)
    if settings.benchmark_endpoints:
        app.include_router(ingest.noop_router)

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, bool]:
        return {"ok": True}

    return app


def open_storage(settings: Settings) -> Storage:
    return backends.open_storage(
        settings.database_url,
        settings.database_path,
        settings.max_database_bytes,
        settings.blob_url,
    )


def ensure_demo_site(storage: Storage, settings: Settings) -> None:
    """Creates the demo site once, keeping its keys in the data directory (mode 0600). The demo
    site accepts batches from the collector's own origin only (a demo site an earlier version
    created open to every origin is narrowed)."""
    existing = storage.site_by_name(DEMO_SITE_NAME)
    if existing is not None:
        if existing.allowed_origins == (ANY_ORIGIN,):
            storage.update_site(DEMO_SITE_NAME, SiteChanges(allowed_origins=(SELF_ORIGIN,)))
        return
    created = storage.create_site(DEMO_SITE_NAME, (SELF_ORIGIN,))
    keys = {
        "site": created.site.id,
        "write_key": created.site.write_key,
        "read_key": created.read_key,
    }
    path = settings.demo_keys_path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(keys, handle, indent=2)
