"""The hook implementations of the AWS plugin. Thin: the work happens in the other modules."""

from __future__ import annotations

from collections.abc import Sequence

from resoto_hookspecs import BaseResource, CloudInfo, hookimpl

from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import all_kinds
from resoto_plugin_aws.resources import AwsAccount, AwsRegion

CLOUD = "aws"


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name=CLOUD, config=AwsConfig, description="Amazon Web Services")


@hookimpl
def resource_kinds() -> Sequence[type[BaseResource]]:
    return [AwsAccount, AwsRegion, *(k.cls for k in all_kinds().values())]
