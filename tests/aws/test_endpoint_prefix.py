"""An endpoint override on an IP address gets no host label: S3 Control's ``{AccountId}.``."""

from __future__ import annotations

from botocore.awsrequest import AWSRequest
from resoto_plugin_aws.sessions import _drop_host_prefix


def _sent_to(url: str) -> str:
    request = AWSRequest(method="GET", url=url)
    _drop_host_prefix(request)
    return str(request.url)


def test_the_account_label_before_an_ip_address_is_dropped() -> None:
    assert (
        _sent_to("http://123456789012.127.0.0.1:5000/v20180820/configuration/publicAccessBlock")
        == "http://127.0.0.1:5000/v20180820/configuration/publicAccessBlock"
    )


def test_names_and_plain_addresses_are_left_alone() -> None:
    real = "https://123456789012.s3-control.us-east-1.amazonaws.com/v20180820/configuration/publicAccessBlock"
    assert _sent_to(real) == real
    assert _sent_to("http://127.0.0.1:5000/v20180820/x") == "http://127.0.0.1:5000/v20180820/x"
