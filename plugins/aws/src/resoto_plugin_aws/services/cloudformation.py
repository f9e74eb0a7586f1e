"""CloudFormation stacks, stack sets and stack set instances.

Stack sets are listed per region (the administrator's region), each enriched with
``DescribeStackSet`` for its tags, ARN and roles; their instances are listed per set and are deleted
before it (``DeleteStackInstances`` starts an operation; the delete waits for it to end).
"""

from __future__ import annotations

import logging
import time
from typing import Any, ClassVar

from resoto_hookspecs import BaseStack

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Json, Kind, Link, TagsAt, arn_name

log = logging.getLogger(__name__)

SERVICE = "cloudformation"
SET_GONE = ("StackSetNotFoundException",)
OPERATION_DONE = ("SUCCEEDED", "FAILED", "STOPPED")
OPERATION_TIMEOUT = 900.0
"""Seconds ``delete_resource`` of a stack instance waits for its deletion operation to end."""


class AwsCloudformationStack(AwsResource, BaseStack):
    kind: ClassVar[str] = "aws_cloudformation_stack"
    taggable: ClassVar[bool] = False  # stack tags change only through an UpdateStack of the whole stack
    stack_id: str | None = None
    description: str | None = None
    role_arn: str | None = None
    termination_protection: bool | None = None
    parent_id: str | None = None


class AwsCloudformationStackSet(AwsResource):
    kind: ClassVar[str] = "aws_cloudformation_stack_set"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "stack"}
    taggable: ClassVar[bool] = False  # like stacks: tags change only through an UpdateStackSet
    stack_set_id: str | None = None
    description: str | None = None
    stack_set_status: str | None = None
    permission_model: str | None = None
    auto_deployment_enabled: bool | None = None
    managed_execution_active: bool | None = None
    administration_role_arn: str | None = None
    execution_role_name: str | None = None
    capabilities: list[str] | None = None
    stack_set_parameters: dict[str, str | None] | None = None
    deployment_regions: list[str] | None = None
    organizational_unit_ids: list[str] | None = None
    drift_status: str | None = None


class AwsCloudFormationStackInstanceSummary(AwsResource):
    """One instance of a stack set: the stack it runs in one account and region."""

    kind: ClassVar[str] = "aws_cloud_formation_stack_instance_summary"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "stack"}
    taggable: ClassVar[bool] = False  # instances carry their set's tags; they have none of their own
    stack_set_name: str | None = None
    stack_set_id: str | None = None
    stack_instance_account: str | None = None
    stack_instance_region: str | None = None
    stack_id: str | None = None
    stack_instance_status: str | None = None
    stack_instance_detailed_status: str | None = None
    stack_instance_status_reason: str | None = None
    organizational_unit_id: str | None = None
    drift_status: str | None = None


def _params(item: Json) -> dict[str, str | None]:
    return {
        str(p["ParameterKey"]): p.get("ParameterValue")
        for p in item.get("Parameters") or []
        if "ParameterKey" in p
    }


def _set_params(item: Json) -> dict[str, str | None]:
    return _params(item.get("_detail") or {})


def _set_name(stack_set_id: str) -> str:
    """A stack set id is ``<name>:<uuid>``."""
    return stack_set_id.rsplit(":", 1)[0]


def _instance_ids(item: Json) -> None:
    name = _set_name(str(item.get("StackSetId") or ""))
    item["_set"] = name
    item["_id"] = f"{name}/{item.get('Account')}/{item.get('Region')}"


def _wait_for_operation(ctx: Api, stack_set: str, operation_id: str) -> None:
    deadline = time.monotonic() + OPERATION_TIMEOUT
    pause = 1.0
    while True:
        op = ctx.call(SERVICE, "DescribeStackSetOperation", StackSetName=stack_set, OperationId=operation_id)
        status = str((op.get("StackSetOperation") or {}).get("Status"))
        if status == "SUCCEEDED":
            return
        if status in OPERATION_DONE:
            reason = (op.get("StackSetOperation") or {}).get("StatusReason") or ""
            raise RuntimeError(
                f"stack set {stack_set}: operation {operation_id} ended {status} {reason}".strip()
            )
        if time.monotonic() >= deadline:
            raise TimeoutError(f"stack set {stack_set}: operation {operation_id} still {status}")
        time.sleep(pause)
        pause = min(pause * 2, 15.0)


def _delete_stack_instance(ctx: Api, resource: AwsResource) -> None:
    """Delete the instance (and its stack) and wait until the operation ended, so its set can go next."""
    assert isinstance(resource, AwsCloudFormationStackInstanceSummary)
    stack_set = resource.stack_set_name or ""
    args: dict[str, Any] = {
        "StackSetName": stack_set,
        "Regions": [resource.stack_instance_region],
        "RetainStacks": False,
    }
    if resource.organizational_unit_id:  # service-managed sets target organizational units
        args["DeploymentTargets"] = {
            "OrganizationalUnitIds": [resource.organizational_unit_id],
            "Accounts": [resource.stack_instance_account],
            "AccountFilterType": "INTERSECTION",
        }
    else:
        args["Accounts"] = [resource.stack_instance_account]
    operation_id = str(ctx.call(SERVICE, "DeleteStackInstances", **args)["OperationId"])
    log.info("deleting stack instance %s (operation %s)", resource.id, operation_id)
    _wait_for_operation(ctx, stack_set, operation_id)


KINDS = [
    Kind(
        cls=AwsCloudformationStack,
        service=SERVICE,
        list=Call("DescribeStacks", "Stacks[]"),
        id="StackName",
        name="StackName",
        arn="StackId",
        tags=TagsAt("Tags"),
        ctime="CreationTime",
        skip=lambda i: i.get("StackStatus") == "DELETE_COMPLETE",
        fields={
            "mtime": "LastUpdatedTime",
            "stack_status": "StackStatus",
            "stack_status_reason": "StackStatusReason",
            "stack_parameters": _params,
            "stack_id": "StackId",
            "description": "Description",
            "role_arn": "RoleARN",
            "termination_protection": "EnableTerminationProtection",
            "parent_id": "ParentId",
        },
        links=(Link("aws_iam_role", "RoleARN", default="in", to_id=arn_name, global_=True),),
        get=Call("DescribeStacks", "Stacks[]", item_args={"StackName": "id"}, gone=("ValidationError",)),
        delete=Delete("DeleteStack", {"StackName": "id"}),
    ),
    Kind(
        cls=AwsCloudformationStackSet,
        service=SERVICE,
        list=Call("ListStackSets", "Summaries[]", args={"Status": "ACTIVE"}, page_size=100),
        id="StackSetName",
        name="StackSetName",
        arn="_detail.StackSetARN",
        skip=lambda i: i.get("Status") == "DELETED",
        enrich=(
            Enrich(
                "DescribeStackSet", {"StackSetName": "StackSetName"}, "StackSet", "_detail", ignore=SET_GONE
            ),
        ),
        tags=TagsAt("_detail.Tags"),
        fields={
            "stack_set_id": "StackSetId",
            "description": "Description",
            "stack_set_status": "Status",
            "permission_model": "PermissionModel",
            "auto_deployment_enabled": "AutoDeployment.Enabled",
            "managed_execution_active": "ManagedExecution.Active",
            "administration_role_arn": "_detail.AdministrationRoleARN",
            "execution_role_name": "_detail.ExecutionRoleName",
            "capabilities": "_detail.Capabilities",
            "stack_set_parameters": _set_params,
            "deployment_regions": "_detail.Regions",
            "organizational_unit_ids": "_detail.OrganizationalUnitIds",
            "drift_status": "_detail.StackSetDriftDetectionDetails.DriftStatus",
        },
        links=(
            Link("aws_iam_role", "_detail.AdministrationRoleARN", default="in", to_id=arn_name, global_=True),
        ),
        get=Call("DescribeStackSet", "StackSet", item_args={"StackSetName": "id"}, gone=SET_GONE),
        delete=Delete("DeleteStackSet", {"StackSetName": "id"}, gone=SET_GONE),
    ),
    Kind(
        cls=AwsCloudFormationStackInstanceSummary,
        service=SERVICE,
        parent="aws_cloudformation_stack_set",
        list=Call(
            "ListStackInstances", "Summaries[]", item_args={"StackSetName": "StackSetName"}, page_size=100
        ),
        prepare=_instance_ids,
        id="_id",
        fields={
            "stack_set_name": "_set",
            "stack_set_id": "StackSetId",
            "stack_instance_account": "Account",
            "stack_instance_region": "Region",
            "stack_id": "StackId",
            "stack_instance_status": "Status",
            "stack_instance_detailed_status": "StackInstanceStatus.DetailedStatus",
            "stack_instance_status_reason": "StatusReason",
            "organizational_unit_id": "OrganizationalUnitId",
            "drift_status": "DriftStatus",
        },
        links=(Link("aws_cloudformation_stack_set", "_set", default=None, delete="in"),),
        get=Call(
            "ListStackInstances",
            "Summaries[]",
            item_args={
                "StackSetName": "stack_set_name",
                "StackInstanceAccount": "stack_instance_account",
                "StackInstanceRegion": "stack_instance_region",
            },
            gone=SET_GONE,
        ),
        delete=Delete(
            "DeleteStackInstances",
            {
                "StackSetName": "stack_set_name",
                "Accounts": "[stack_instance_account]",
                "Regions": "[stack_instance_region]",
            },
            const={"RetainStacks": False},
            gone=(*SET_GONE, "StackInstanceNotFoundException"),
        ),
        delete_fn=_delete_stack_instance,
        cleanup_iam=("cloudformation:DescribeStackSetOperation",),
    ),
]
