"""CloudFormation stack sets and their instances against moto.

A stack set with two instances (two regions of the account) is collected in its administrator
region with its tags, roles and parameters; the instances hang below it with a delete edge (they go
first). ``delete_resource`` deletes each instance (waiting for the operation) and then the set.
"""

from __future__ import annotations

import json
from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect, delete_order
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
HERE = Location("aws", ACCOUNT, REGION)
CFG = AwsConfig(
    region=[REGION],
    collect=["aws_cloudformation_stack_set", "aws_cloud_formation_stack_instance_summary", "aws_iam_role"],
)
SET = "aws_cloudformation_stack_set"
INSTANCE = "aws_cloud_formation_stack_instance_summary"
ADMIN_ROLE = "AWSCloudFormationStackSetAdministrationRole"
TEMPLATE = json.dumps(
    {
        "Parameters": {"TopicName": {"Type": "String"}},
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "TopicName"}}}
        },
    }
)


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_stack_set_and_instances_collected_and_deleted_in_order(moto: str) -> None:
    iam = client("iam")
    iam.create_role(RoleName=ADMIN_ROLE, AssumeRolePolicyDocument="{}")
    cf = client("cloudformation")
    set_id = cf.create_stack_set(
        StackSetName="baseline",
        Description="org baseline",
        TemplateBody=TEMPLATE,
        Parameters=[{"ParameterKey": "TopicName", "ParameterValue": "baseline-topic"}],
        Tags=[{"Key": "owner", "Value": "platform"}],
        AdministrationRoleARN=f"arn:aws:iam::{ACCOUNT}:role/{ADMIN_ROLE}",
    )["StackSetId"]
    cf.create_stack_instances(StackSetName="baseline", Accounts=[ACCOUNT], Regions=[REGION, "us-west-2"])
    cf.create_stack_set(StackSetName="gone", TemplateBody=TEMPLATE)
    cf.delete_stack_set(StackSetName="gone")

    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    sets = result.by_id(SET)
    assert set(sets) == {"baseline"}  # a deleted set is not reported
    got = sets["baseline"]
    assert got["tags"] == {"owner": "platform"}
    assert (got["stack_set_id"], got["description"], got["stack_set_status"]) == (
        set_id,
        "org baseline",
        "ACTIVE",
    )
    assert got["arn"].startswith(f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stackset/baseline:")
    assert got["administration_role_arn"] == f"arn:aws:iam::{ACCOUNT}:role/{ADMIN_ROLE}"
    assert got["stack_set_parameters"] == {"TopicName": "baseline-topic"}

    instances = result.by_id(INSTANCE)
    east, west = f"baseline/{ACCOUNT}/{REGION}", f"baseline/{ACCOUNT}/us-west-2"
    assert set(instances) == {east, west}
    assert (
        instances[west]["stack_set_name"],
        instances[west]["stack_instance_account"],
        instances[west]["stack_instance_region"],
        instances[west]["stack_instance_status"],
    ) == ("baseline", ACCOUNT, "us-west-2", "CURRENT")
    assert instances[west]["stack_id"].startswith(f"arn:aws:cloudformation:us-west-2:{ACCOUNT}:stack/")

    s = result.nid(SET, "baseline")
    e, w = result.nid(INSTANCE, east), result.nid(INSTANCE, west)
    role = result.nid("aws_iam_role", ADMIN_ROLE)
    assert result.edge(s, e) and result.edge(s, w)  # instances hang below their set
    assert result.edge(s, e, "delete") and result.edge(s, w, "delete")
    assert result.edge(role, s)
    order = delete_order({s, e, w}, result.sink.edges)
    assert order[-1] == s

    for nid in order:
        reported = dict(result.sink.nodes[nid]["reported"])
        kind = reported.pop("kind")
        res = resource(result, kind, reported["id"])
        PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
        assert PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE) is None, reported["id"]
    assert [x for x in cf.list_stack_sets()["Summaries"] if x["Status"] == "ACTIVE"] == []


def test_instance_check_sees_the_current_status(moto: str) -> None:
    cf = client("cloudformation")
    cf.create_stack_set(
        StackSetName="one",
        TemplateBody=TEMPLATE,
        Parameters=[{"ParameterKey": "TopicName", "ParameterValue": "one-topic"}],
    )
    cf.create_stack_instances(StackSetName="one", Accounts=[ACCOUNT], Regions=["eu-west-1"])
    result = collect(CFG)
    rid = f"one/{ACCOUNT}/eu-west-1"
    res = resource(result, INSTANCE, rid)
    current = PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE)
    assert current is not None and current.id == rid
    assert current.stack_instance_region == "eu-west-1"  # type: ignore[attr-defined]
    cf.delete_stack_instances(
        StackSetName="one", Accounts=[ACCOUNT], Regions=["eu-west-1"], RetainStacks=False
    )
    assert PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE) is None
