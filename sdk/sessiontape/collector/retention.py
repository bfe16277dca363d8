"""The collector's background purge: sessions past their site's retention are erased, once at
start-up and then every ``Settings.purge_interval_s``."""

from __future__ import annotations

import asyncio
import logging
import time

from starlette.concurrency import run_in_threadpool

from sessiontape.collector.storage import Storage

log = logging.getLogger("sessiontape.collector")


async def purge_forever(storage: Storage, interval_s: float) -> None:
    while True:
        try:
            purged = await run_in_threadpool(storage.purge_expired, int(time.time() * 1000))
            if purged:
                log.info("retention: erased %d expired sessions", purged)
        except Exception:  # a failed purge is retried next time; the collector keeps serving
            log.exception("retention purge failed")
        await asyncio.sleep(interval_s)
