"""OpenSearch Service domains.

``ListDomainNames`` names the domains, one ``DescribeDomains`` per 5 names (the API's limit) carries
the details, one ``ListTags`` per domain its tags. The IAM prefix of this service is ``es``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "opensearch"
GONE = ("ResourceNotFoundException",)


class AwsOpenSearchDomain(AwsResource):
    kind: ClassVar[str] = "aws_opensearch_domain"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "database"}
    domain_id: str | None = None
    engine_type: str | None = None
    engine_version: str | None = None
    endpoint: str | None = None
    processing: bool | None = None
    deleted: bool | None = None
    instance_type: str | None = None
    instance_count: int | None = None
    dedicated_master_enabled: bool | None = None
    zone_awareness_enabled: bool | None = None
    ebs_enabled: bool | None = None
    volume_type: str | None = None
    volume_size: int | None = None
    vpc_id: str | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None
    encryption_at_rest: bool | None = None
    kms_key_id: str | None = None
    node_to_node_encryption: bool | None = None
    enforce_https: bool | None = None
    advanced_security: bool | None = None
    cognito_user_pool_id: str | None = None
    access_policies: str | None = None


KINDS = [
    Kind(
        cls=AwsOpenSearchDomain,
        service=SERVICE,
        list=Call("ListDomainNames", "DomainNames[]"),
        id="DomainName",
        name="DomainName",
        arn="_d.ARN",
        enrich=(
            Enrich(
                "DescribeDomains",
                {"DomainNames": "DomainName"},
                "DomainStatusList",
                "_d",
                batch=5,
                match="DomainName",
                key="DomainName",
            ),
            Enrich(
                "ListTags",
                {"ARN": "_d.ARN"},
                "TagList",
                "_tags",
                ignore=GONE,
                when=lambda i: bool(i.get("_d")),
            ),
        ),
        tags=TagsAt("_tags"),
        fields={
            "engine_type": "EngineType",
            "domain_id": "_d.DomainId",
            "engine_version": "_d.EngineVersion",
            "endpoint": lambda i: (
                (i.get("_d") or {}).get("Endpoint")
                or next(iter(((i.get("_d") or {}).get("Endpoints") or {}).values()), None)
            ),
            "processing": "_d.Processing",
            "deleted": "_d.Deleted",
            "instance_type": "_d.ClusterConfig.InstanceType",
            "instance_count": "_d.ClusterConfig.InstanceCount",
            "dedicated_master_enabled": "_d.ClusterConfig.DedicatedMasterEnabled",
            "zone_awareness_enabled": "_d.ClusterConfig.ZoneAwarenessEnabled",
            "ebs_enabled": "_d.EBSOptions.EBSEnabled",
            "volume_type": "_d.EBSOptions.VolumeType",
            "volume_size": "_d.EBSOptions.VolumeSize",
            "vpc_id": "_d.VPCOptions.VPCId",
            "subnet_ids": "_d.VPCOptions.SubnetIds",
            "security_group_ids": "_d.VPCOptions.SecurityGroupIds",
            "encryption_at_rest": "_d.EncryptionAtRestOptions.Enabled",
            "kms_key_id": "_d.EncryptionAtRestOptions.KmsKeyId",
            "node_to_node_encryption": "_d.NodeToNodeEncryptionOptions.Enabled",
            "enforce_https": "_d.DomainEndpointOptions.EnforceHTTPS",
            "advanced_security": "_d.AdvancedSecurityOptions.Enabled",
            "cognito_user_pool_id": "_d.CognitoOptions.UserPoolId",
            "access_policies": "_d.AccessPolicies",
        },
        links=(
            Link("aws_vpc", "_d.VPCOptions.VPCId", default="in", delete="in"),
            Link("aws_ec2_subnet", "_d.VPCOptions.SubnetIds", default="in", delete="in"),
            Link("aws_ec2_security_group", "_d.VPCOptions.SecurityGroupIds", default="in", delete="in"),
            Link(
                "aws_kms_key",
                "_d.EncryptionAtRestOptions.KmsKeyId",
                default="out",
                delete="in",
                to_id=arn_name,
            ),
            Link("aws_cognito_user_pool", "_d.CognitoOptions.UserPoolId", default="out"),
            Link("aws_iam_role", "_d.CognitoOptions.RoleArn", default="in", to_id=arn_name, global_=True),
        ),
        get=Call("ListDomainNames", "DomainNames[]"),
        delete=Delete("DeleteDomain", {"DomainName": "id"}, gone=GONE),
        tagging=Tagging("AddTags", "RemoveTags", {"ARN": "arn"}, tags_arg="TagList", gone=GONE),
        # the IAM prefix of OpenSearch is "es"
        iam=("es:ListDomainNames", "es:DescribeDomains", "es:ListTags"),
        cleanup_iam=("es:ListDomainNames", "es:DeleteDomain"),
        tag_iam=("es:AddTags", "es:RemoveTags"),
    ),
]
