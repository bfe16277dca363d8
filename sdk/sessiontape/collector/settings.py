"""Collector settings, from arguments or ``SESSIONTAPE_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SESSIONTAPE_")

    data_dir: Path = Path(".sessiontape")
    max_body_bytes: int = 2 << 20
    max_decompressed_bytes: int = 32 << 20
    max_events_per_batch: int = 5_000
    max_upload_bytes: int = 32 << 20
    max_upload_decompressed_bytes: int = 256 << 20
    max_event_bytes: int = 4 << 20
    ingest_rate_per_site: float = 500.0
    """Batches per second one write key may send, sustained (all its visitors together)."""
    ingest_burst_per_site: int = 2_000
    demo_site: bool = True
    benchmark_endpoints: bool = False
    """Adds ``POST /v1/ingest-noop``: the same request path as ingest, minus the work."""

    @property
    def database_path(self) -> Path:
        return self.data_dir / "sessiontape.sqlite3"

    @property
    def demo_keys_path(self) -> Path:
        return self.data_dir / "demo-site.json"
