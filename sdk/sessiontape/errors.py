"""The SDK's typed errors. Each API error carries the server's status, code and message."""

from __future__ import annotations


class SessiontapeError(Exception):
    """Base of every error the SDK raises."""


class APIConnectionError(SessiontapeError):
    """The collector could not be reached, or the connection broke."""


class APIStatusError(SessiontapeError):
    """The collector answered with an error status."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(f"{status_code} {code}: {message}")
        self.status_code = status_code
        self.code = code
        self.message = message


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    """409: e.g. an upload under the id of a stored session that holds other events."""


class PayloadTooLargeError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitError,
}


def error_for_status(status_code: int, code: str, message: str) -> APIStatusError:
    if status_code >= 500:
        return InternalServerError(status_code, code, message)
    return _BY_STATUS.get(status_code, APIStatusError)(status_code, code, message)
