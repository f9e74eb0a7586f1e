"""Route 53 hosted zones, record sets and their records (global).

A record is one value of a record set (an alias counts as one value: its target's DNS name), made
from the record set's listing without a call of its own. Records are changed through their record
set, so they can be neither deleted nor tagged on their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from resoto_hookspecs import BaseDnsRecord, BaseDnsRecordSet, BaseDnsZone

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt, UnitApi

SERVICE = "route53"
GONE = ("NoSuchHostedZone",)


class AwsRoute53Zone(AwsResource, BaseDnsZone):
    kind: ClassVar[str] = "aws_route53_zone"
    private_zone: bool | None = None
    record_set_count: int | None = None
    caller_reference: str | None = None
    comment: str | None = None


class AwsRoute53ResourceRecordSet(AwsResource, BaseDnsRecordSet):
    kind: ClassVar[str] = "aws_route53_resource_record_set"
    taggable: ClassVar[bool] = False
    zone_id: str | None = None
    record_name: str | None = None
    set_identifier: str | None = None
    alias_target: str | None = None
    record_sets: list[dict[str, object]] | None = None


class AwsRoute53ResourceRecord(AwsResource, BaseDnsRecord):
    kind: ClassVar[str] = "aws_route53_resource_record"
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    zone_id: str | None = None
    record_name: str | None = None
    set_identifier: str | None = None


def _records(ctx: UnitApi) -> Iterator[Json]:
    """One item per value of every record set listed before."""
    for rrset in ctx.items("aws_route53_resource_record_set"):
        values = [r.get("Value") for r in rrset.get("ResourceRecords") or []]
        alias = (rrset.get("AliasTarget") or {}).get("DNSName")
        for value in [*values, *([alias] if alias else [])]:
            if value is None:
                continue
            yield {
                "_id": f"{rrset['_id']}/{value}",
                "_parent_id": rrset["_id"],
                "_zone_id": rrset.get("_parent_id"),
                "_value": value,
                "Name": rrset.get("Name"),
                "Type": rrset.get("Type"),
                "TTL": rrset.get("TTL"),
                "Weight": rrset.get("Weight"),
                "SetIdentifier": rrset.get("SetIdentifier"),
            }


def _zone_id(value: str) -> str:
    return value.rsplit("/", 1)[-1]


def _prepare_zone(item: Json) -> None:
    item["_id"] = _zone_id(str(item["Id"]))


def _prepare_record(item: Json) -> None:
    ident = f"{item.get('Name')}/{item.get('Type')}"
    if item.get("SetIdentifier"):
        ident += f"/{item['SetIdentifier']}"
    item["_id"] = ident


def _apex_default(item: Json) -> bool:
    """SOA and NS at the zone apex go with the zone."""
    return item.get("Type") in ("SOA", "NS")


def _record_set(resource: AwsResource) -> Json:
    assert isinstance(resource, AwsRoute53ResourceRecordSet)
    rrset: Json = {"Name": resource.record_name, "Type": resource.record_type}
    for entry in resource.record_sets or []:
        rrset.update(entry)
    return rrset


def _delete_record_set(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsRoute53ResourceRecordSet)
    ctx.call(
        SERVICE,
        "ChangeResourceRecordSets",
        HostedZoneId=resource.zone_id,
        ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": _record_set(resource)}]},
    )


def _empty_zone(ctx: Api, resource: AwsResource) -> None:
    """Delete every record set except the apex SOA and NS, so the zone can be deleted."""
    changes = []
    for page in ctx.pages(SERVICE, "ListResourceRecordSets", {"HostedZoneId": resource.id}):
        for rrset in page.get("ResourceRecordSets", []):
            if rrset.get("Type") in ("SOA", "NS") and rrset.get("Name", "").rstrip(
                "."
            ) == resource.name.rstrip("."):
                continue
            changes.append({"Action": "DELETE", "ResourceRecordSet": rrset})
    for start in range(0, len(changes), 500):
        ctx.call(
            SERVICE,
            "ChangeResourceRecordSets",
            HostedZoneId=resource.id,
            ChangeBatch={"Changes": changes[start : start + 500]},
        )


def _rr_details(item: Json) -> list[Json]:
    keep = ("TTL", "ResourceRecords", "AliasTarget", "SetIdentifier", "Weight", "Region", "Failover")
    return [{k: item[k] for k in keep if k in item}]


KINDS = [
    Kind(
        cls=AwsRoute53Zone,
        service=SERVICE,
        global_=True,
        list=Call("ListHostedZones", "HostedZones[]", page_size=100),
        prepare=_prepare_zone,
        id="_id",
        name="Name",
        arn="arn:{partition}:route53:::hostedzone/{id}",
        enrich=(
            Enrich(
                "ListTagsForResources",
                {"ResourceIds": "_id"},
                "ResourceTagSets",
                "_tagset",
                batch=10,
                match="ResourceId",
                key="_id",
                const={"ResourceType": "hostedzone"},
            ),
        ),
        tags=TagsAt("_tagset.Tags"),
        fields={
            "private_zone": "Config.PrivateZone",
            "record_set_count": "ResourceRecordSetCount",
            "caller_reference": "CallerReference",
            "comment": "Config.Comment",
        },
        get=Call("GetHostedZone", "HostedZone", item_args={"Id": "id"}, gone=GONE),
        pre_cleanup=_empty_zone,
        delete=Delete("DeleteHostedZone", {"Id": "id"}, gone=GONE),
        tagging=Tagging(
            "ChangeTagsForResource",
            "ChangeTagsForResource",
            {"ResourceId": "id"},
            tags_arg="AddTags",
            keys_arg="RemoveTagKeys",
            const={"ResourceType": "hostedzone"},
            gone=GONE,
        ),
        cleanup_iam=("route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets"),
    ),
    Kind(
        cls=AwsRoute53ResourceRecordSet,
        service=SERVICE,
        global_=True,
        parent="aws_route53_zone",
        list=Call(
            "ListResourceRecordSets", "ResourceRecordSets[]", item_args={"HostedZoneId": "Id"}, page_size=300
        ),
        prepare=_prepare_record,
        id="_id",
        name="Name",
        fields={
            "zone_id": "_parent_id",
            "record_name": "Name",
            "record_type": "Type",
            "record_ttl": "TTL",
            "record_values": "ResourceRecords[].Value",
            "set_identifier": "SetIdentifier",
            "alias_target": "AliasTarget.DNSName",
            "record_sets": _rr_details,
        },
        links=(
            Link(
                "aws_route53_zone",
                "_parent_id",
                default=None,
                delete="in",
                when=lambda i: not _apex_default(i),
            ),
        ),
        delete=Delete("ChangeResourceRecordSets", {"HostedZoneId": "zone_id"}),
        delete_fn=_delete_record_set,
    ),
    Kind(
        cls=AwsRoute53ResourceRecord,
        service=SERVICE,
        global_=True,
        parent="aws_route53_resource_record_set",
        list=None,
        items=_records,
        id="_id",
        name="Name",
        fields={
            "zone_id": "_zone_id",
            "record_name": "Name",
            "record_type": "Type",
            "record_ttl": "TTL",
            "record_weight": "Weight",
            "record_value": "_value",
            "record_data": "_value",
            "set_identifier": "SetIdentifier",
        },
        iam=("route53:ListResourceRecordSets",),
    ),
]
