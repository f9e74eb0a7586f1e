"""The expected-error table: which AWS failures are quiet skips, and of which sort."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    UnknownEndpointError,
)
from resoto_hookspecs.errors import error_line, http_error_line

ACCESS_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthFailure",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "AuthorizationError",
        "Forbidden",
        "UnauthorizedException",
    }
)
"""The credential may not read this: the data is not known to be absent."""

NOT_AVAILABLE_CODES = frozenset(
    {
        "OptInRequired",
        "SubscriptionRequiredException",
        "InvalidAction",
        "UnsupportedOperation",
        "UnknownOperationException",
        "AWSOrganizationsNotInUseException",
        "NotSignedUp",
        "ServiceNotAvailable",
        "RegionDisabledException",
        "UnknownOperation",
        "InvalidAction.NotSupported",
    }
)
"""The service or region is not enabled here: there is nothing to collect."""

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "RequestThrottled",
        "PriorRequestNotComplete",
    }
)

Sort = Literal["access", "not_available", "throttled", "other"]


@dataclass(frozen=True)
class Classified:
    sort: Sort
    code: str


def error_code(exc: BaseException) -> str:
    """The AWS error code of an exception (or the exception's class name)."""
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "ClientError")
    return type(exc).__name__


def classify(exc: BaseException) -> Classified:
    code = error_code(exc)
    if isinstance(exc, UnknownEndpointError):
        # botocore's endpoint data says the service has no endpoint in this region or partition
        return Classified("not_available", code)
    if isinstance(exc, EndpointConnectionError):
        # no answer at all (DNS, network, a firewall): a failure, never "nothing there", or an
        # outage would replace the region's data with nothing
        return Classified("other", code)
    if isinstance(exc, NoCredentialsError):
        return Classified("access", code)
    if code in ACCESS_CODES:
        return Classified("access", code)
    if code in NOT_AVAILABLE_CODES:
        return Classified("not_available", code)
    if code in THROTTLING_CODES:
        return Classified("throttled", code)
    return Classified("other", code)


def http_status(exc: BaseException) -> int:
    """The HTTP status of a failed call (0 when there was no answer)."""
    if isinstance(exc, ClientError):
        return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return 0


def is_broken(exc: BaseException) -> bool:
    """Whether the operation is broken here, not just this call: a 5xx after the retries, or an
    API the endpoint does not serve (404 without a modeled error code). It is not tried again in
    the same unit."""
    if not isinstance(exc, ClientError):
        return isinstance(exc, BotoCoreError) and not isinstance(exc, NoCredentialsError)
    if classify(exc).sort != "other":
        return False
    status = http_status(exc)
    return status >= 500 or (status == 404 and error_code(exc) in ("404", "NotFound", "UnknownOperation"))


def is_code(exc: BaseException, codes: tuple[str, ...] | frozenset[str]) -> bool:
    return isinstance(exc, ClientError) and error_code(exc) in codes


def describe(exc: BaseException) -> str:
    """One bounded line for a report: ``HTTP <status> <code>: <message>`` for an API's error answer
    (an HTML error page, as a proxy or an emulator may send, reduced to its title), else the
    exception's type and message."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return http_error_line(status, str(error.get("Code") or ""), str(error.get("Message") or ""))
    return error_line(f"{type(exc).__name__}: {exc}")
