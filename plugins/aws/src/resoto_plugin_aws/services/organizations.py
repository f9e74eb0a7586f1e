"""AWS Organizations: the root and the organizational units (global, management account only).

Only the management account (or a delegated administrator) may read the organization: in any
other account ``ListRoots`` is denied, which the error table turns into a quiet skip. The accounts
themselves are the ``aws_account`` nodes of the account discovery, not kinds of this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from botocore.exceptions import ClientError
from resoto_hookspecs import BaseOrganizationalRoot, BaseOrganizationalUnit

from resoto_plugin_aws.errors import error_code
from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt, UnitApi

SERVICE = "organizations"
GONE = ("OrganizationalUnitNotFoundException", "TargetNotFoundException")
PAGE = 20  # the API's maximum


class AwsOrganizationalRoot(BaseOrganizationalRoot, AwsResource):
    kind: ClassVar[str] = "aws_organizational_root"
    deletable: ClassVar[bool] = False
    policy_types: dict[str, str] | None = None


class AwsOrganizationalUnit(BaseOrganizationalUnit, AwsResource):
    kind: ClassVar[str] = "aws_organizational_unit"
    parent_id: str | None = None
    path: str | None = None


ROOTS = Call("ListRoots", "Roots[]", page_size=PAGE)
NO_ORGANIZATION = "AWSOrganizationsNotInUseException"


def _roots(ctx: UnitApi) -> list[Json]:
    """An account outside any organization has no root: that is an empty answer, not a skip."""
    try:
        return ctx.list_items(SERVICE, ROOTS)
    except ClientError as e:
        if error_code(e) == NO_ORGANIZATION:
            return []
        raise


def _units(ctx: UnitApi) -> Iterator[Json]:
    """Walk the tree below every root: one listing per root and per unit."""
    todo = [str(r["Id"]) for r in ctx.items("aws_organizational_root") if r.get("Id")]
    seen: set[str] = set()
    while todo:
        parent = todo.pop(0)
        if parent in seen:
            continue
        seen.add(parent)
        call = Call("ListOrganizationalUnitsForParent", "OrganizationalUnits[]", page_size=PAGE)
        for item in ctx.list_items(SERVICE, call, {"ParentId": parent}):
            item["_parent"] = parent
            todo.append(str(item["Id"]))
            yield item


def _tags() -> Enrich:
    return Enrich("ListTagsForResource", {"ResourceId": "Id"}, "Tags", "_tags", ignore=GONE)


TAGGING = Tagging("TagResource", "UntagResource", {"ResourceId": "id"}, gone=GONE)

KINDS = [
    Kind(
        cls=AwsOrganizationalRoot,
        service=SERVICE,
        global_=True,
        list=None,
        items=_roots,
        id="Id",
        name="Name",
        arn="Arn",
        enrich=(_tags(),),
        tags=TagsAt("_tags"),
        fields={
            "policy_types": lambda i: {
                str(p["Type"]): str(p.get("Status")) for p in i.get("PolicyTypes") or []
            }
        },
        get=ROOTS,
        tagging=TAGGING,
        iam=("organizations:ListRoots",),
    ),
    Kind(
        cls=AwsOrganizationalUnit,
        service=SERVICE,
        global_=True,
        list=None,
        items=_units,
        after=("aws_organizational_root",),
        id="Id",
        name="Name",
        arn="Arn",
        enrich=(_tags(),),
        tags=TagsAt("_tags"),
        fields={"parent_id": "_parent", "path": "Path"},
        links=(
            Link(
                "aws_organizational_root",
                "_parent",
                default="in",
                when=lambda i: str(i["_parent"]).startswith("r-"),
            ),
            # a unit can be deleted only once its child units are gone
            Link(
                "aws_organizational_unit",
                "_parent",
                default="in",
                delete="in",
                when=lambda i: str(i["_parent"]).startswith("ou-"),
            ),
        ),
        get=Call(
            "DescribeOrganizationalUnit",
            "OrganizationalUnit",
            item_args={"OrganizationalUnitId": "id"},
            gone=GONE,
        ),
        delete=Delete("DeleteOrganizationalUnit", {"OrganizationalUnitId": "id"}, gone=GONE),
        tagging=TAGGING,
        iam=("organizations:ListOrganizationalUnitsForParent",),
    ),
]
