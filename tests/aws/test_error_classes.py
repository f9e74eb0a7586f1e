"""How the AWS plugin sorts a failed call: what is withheld (and carried forward) and what is "not there"."""

from __future__ import annotations

from botocore.exceptions import ClientError, EndpointConnectionError, UnknownEndpointError
from resoto_plugin_aws.errors import classify, is_broken


def client_error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "ListThings",
    )


def test_an_unreachable_endpoint_is_a_failure_not_an_empty_kind() -> None:
    """No answer at all (DNS, network) must never read as "nothing there": the core would lose the kind."""
    exc = EndpointConnectionError(endpoint_url="https://sqs.eu-west-1.amazonaws.com/")
    assert classify(exc).sort == "other"
    assert is_broken(exc)  # withheld and not tried again in this unit


def test_a_service_without_an_endpoint_in_the_region_is_not_there() -> None:
    exc = UnknownEndpointError(service_name="bedrock", region_name="af-south-1")
    assert classify(exc).sort == "not_available"


def test_denied_throttled_and_server_errors() -> None:
    assert classify(client_error("AccessDeniedException", 400)).sort == "access"
    assert classify(client_error("ThrottlingException", 400)).sort == "throttled"
    assert classify(client_error("InternalError", 500)).sort == "other"
    assert is_broken(client_error("InternalError", 500))
    assert not is_broken(client_error("ThrottlingException", 400))
