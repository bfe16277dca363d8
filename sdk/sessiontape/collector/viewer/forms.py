"""Small url-encoded form bodies (sign-in), read within a size limit."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request

from sessiontape.collector.request_body import body_chunks

MAX_FORM_BYTES = 4096


async def read_form(request: Request) -> dict[str, str]:
    """The form's fields (first value of each); 413 past ``MAX_FORM_BYTES``. An empty body is
    an empty form."""
    if request.headers.get("content-length") == "0":
        return {}
    chunks = [c async for c in body_chunks(request, MAX_FORM_BYTES, "a url-encoded form")]
    fields = parse_qs(b"".join(chunks).decode("utf-8", "replace"), max_num_fields=20)
    return {name: values[0] for name, values in fields.items()}


def local_path(target: str | None, default: str = "/sessions") -> str:
    """``target`` when it is a path on this host, else ``default``: a sign-in link can never send
    someone to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(ch) < 0x21 for ch in target):
        return default
    return target
