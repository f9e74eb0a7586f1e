"""Neptune graph database clusters (declared like DocumentDB's, see :mod:`.docdb`)."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.services.docdb import cluster_kind


class AwsNeptuneCluster(AwsResource):
    """The properties of ``aws_docdb_cluster``, on a kind of its own (a Neptune cluster is no
    DocumentDB cluster, so it does not subclass that kind)."""

    kind: ClassVar[str] = "aws_neptune_cluster"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "cluster"}
    cluster_status: str | None = None
    cluster_engine: str | None = None
    cluster_engine_version: str | None = None
    cluster_endpoint: str | None = None
    cluster_reader_endpoint: str | None = None
    cluster_port: int | None = None
    cluster_multi_az: bool | None = None
    cluster_storage_encrypted: bool | None = None
    cluster_kms_key_id: str | None = None
    cluster_member_ids: list[str] | None = None
    cluster_deletion_protection: bool | None = None
    cluster_backup_retention_period: int | None = None


KINDS = [cluster_kind(AwsNeptuneCluster, "neptune", ["neptune"])]
