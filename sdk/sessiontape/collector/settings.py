"""Collector settings, from arguments or ``SESSIONTAPE_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from sessiontape.codec import BatchLimits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SESSIONTAPE_")

    data_dir: Path = Path(".sessiontape")
    public_url: str | None = None
    """The collector's address as browsers see it (``https://collector.example``): the demo
    pages load the recorder from it, and the demo site accepts batches from its origin only.
    Unset, the demo pages use relative addresses and the origin of the request's ``Host``."""
    database_url: str = ""
    """Where sessions are stored: ``sqlite:///path`` or ``postgresql://user@host/db`` (several
    collectors may share one PostgreSQL database); empty: SQLite in ``data_dir``."""
    blob_url: str = ""
    """Where the batches' bytes are kept: ``s3://bucket/prefix`` in an S3-compatible store
    (credentials, region and a non-AWS endpoint from the standard ``AWS_*`` variables), one key
    prefix per session; empty: in the database."""
    max_database_bytes: int = 0
    """Refuse writes (507 ``storage_full``) once the SQLite database reaches this size (with
    PostgreSQL, a full disk gives the same answer); 0: no limit.
    Set it below the disk's free space so erasures and the WAL always have room."""

    # --- one batch (limits checked before it is parsed; see codec.BatchLimits) ---
    max_body_bytes: int = 2 << 20
    max_decompressed_bytes: int = 4 << 20
    max_events_per_batch: int = 5_000
    max_event_bytes: int = 3 << 20
    max_json_depth: int = 512
    max_parse_memory_bytes: int = 48 << 20
    """Refuse a batch whose parsing would take more memory than this (estimated from its bytes
    before parsing: a recorded page costs about 13 times its JSON size)."""
    max_upload_bytes: int = 32 << 20
    ingest_worker_processes: int = 1
    """Processes that parse and encode large batches, so that the event loop never waits for
    the GIL a parse holds (0: every batch is prepared in a thread)."""
    ingest_worker_min_bytes: int = 64 << 10
    """Batches smaller than this, decompressed, are prepared in a thread: sending them to a
    process would cost more than it saves."""
    max_upload_decompressed_bytes: int = 256 << 20

    # --- what one write key (or one client) may send ---
    ingest_rate_per_site: float = 500.0
    """Valid batches per second one write key may send, sustained (all its visitors together)."""
    ingest_burst_per_site: int = 2_000
    invalid_rate_per_client: float = 1.0
    """Refused (invalid or oversized) batches per second one client address may send to one
    site; past it, that client's batches get 429 ``too_many_invalid_batches`` unread."""
    invalid_burst_per_client: int = 30
    max_sessions_per_hour: int = 20_000
    """New sessions per site per clock hour (0: no limit); a site may override it."""
    max_bytes_per_day: int = 5 << 30
    """Stored (compressed) bytes per site over the last 24 hours (0: no limit); a site may
    override it."""

    purge_interval_s: float = 3600.0
    """How often sessions past their site's ``retention_days`` are erased (also once at
    start-up); 0: never in the background (``sessiontape purge`` still does it)."""
    viewer_login_hours: int = 12
    """How long a viewer sign-in lasts before the read key must be given again."""

    demo_site: bool = True
    benchmark_endpoints: bool = False
    """Adds ``POST /v1/ingest-noop``: the same request path as ingest, minus the work."""

    @property
    def database_path(self) -> Path:
        return self.data_dir / "sessiontape.sqlite3"

    @property
    def demo_keys_path(self) -> Path:
        return self.data_dir / "demo-site.json"

    @property
    def batch_limits(self) -> BatchLimits:
        return BatchLimits(
            max_decompressed_bytes=self.max_decompressed_bytes,
            max_events=self.max_events_per_batch,
            max_event_chars=self.max_event_bytes,
            max_depth=self.max_json_depth,
            max_parse_memory=self.max_parse_memory_bytes,
        )
