"""ACM certificates (requested and imported), with every key type (``ListCertificates`` alone
lists only RSA 2048 keys)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Tagging, TagsAt, arn_name

SERVICE = "acm"
GONE = ("ResourceNotFoundException",)
KEY_TYPES = [
    "RSA_1024",
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "EC_prime256v1",
    "EC_secp384r1",
    "EC_secp521r1",
]


class AwsAcmCertificate(AwsResource):
    kind: ClassVar[str] = "aws_acm_certificate"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "security", "icon": "certificate"}
    domain_name: str | None = None
    subject_alternative_names: list[str] | None = None
    certificate_status: str | None = None
    certificate_type: str | None = None
    key_algorithm: str | None = None
    in_use: bool | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None
    renewal_eligibility: str | None = None
    managed_by: str | None = None


def _prepare(item: Json) -> None:
    item["_id"] = arn_name(str(item.get("CertificateArn") or ""))


KINDS = [
    Kind(
        cls=AwsAcmCertificate,
        service=SERVICE,
        list=Call(
            "ListCertificates",
            "CertificateSummaryList[]",
            args={"Includes": {"keyTypes": KEY_TYPES}},
            page_size=500,
        ),
        prepare=_prepare,
        id="_id",
        name="DomainName",
        arn="CertificateArn",
        ctime="CreatedAt",
        enrich=(
            Enrich(
                "ListTagsForCertificate",
                {"CertificateArn": "CertificateArn"},
                "Tags",
                "_tags",
                ignore=GONE,
                tagging_api="acm",
            ),
        ),
        tags=TagsAt("_tags"),
        fields={
            "domain_name": "DomainName",
            "subject_alternative_names": "SubjectAlternativeNameSummaries",
            "certificate_status": "Status",
            "certificate_type": "Type",
            "key_algorithm": "KeyAlgorithm",
            "in_use": "InUse",
            "not_before": "NotBefore",
            "not_after": "NotAfter",
            "renewal_eligibility": "RenewalEligibility",
            "managed_by": "ManagedBy",
        },
        get=Call("DescribeCertificate", "Certificate", item_args={"CertificateArn": "arn"}, gone=GONE),
        delete=Delete("DeleteCertificate", {"CertificateArn": "arn"}, gone=GONE),
        tagging=Tagging(
            "AddTagsToCertificate",
            "RemoveTagsFromCertificate",
            {"CertificateArn": "arn"},
            keys_arg="Tags",
            keys_fmt="list",
            gone=GONE,
        ),
    ),
]
