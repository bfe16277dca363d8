"""sessiontape: privacy-first session recording for the web.

The SDK reads sessions from a collector::

    from sessiontape import Client
    with Client("http://127.0.0.1:8000", api_key="st_sk_...") as st:
        for summary in st.sessions.list():
            recording = st.sessions.fetch(summary.id)
"""

from sessiontape.api_types import SessionPage, SessionSummary
from sessiontape.client import AsyncClient, Client
from sessiontape.codec import DecodeError
from sessiontape.errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    SessiontapeError,
)
from sessiontape.recording import Click, Page, Recording

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "Click",
    "Client",
    "ConflictError",
    "DecodeError",
    "InternalServerError",
    "NotFoundError",
    "Page",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "Recording",
    "SessionPage",
    "SessionSummary",
    "SessiontapeError",
]
