"""Kinds of Cloud Billing, Cloud SQL children and operations, GKE operations and Storage objects
(the reference model's names and bases)."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_gcp.resources import GcpResource


class GcpBillingAccount(GcpResource):
    kind: ClassVar[str] = "gcp_billing_account"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "management",
        "icon": "account",
        "name": "Billing Account",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_project_billing_info"]}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    display_name: str | None = None
    master_billing_account: str | None = None
    open: bool | None = None
    currency_code: str | None = None


class GcpProjectBillingInfo(GcpResource):
    kind: ClassVar[str] = "gcp_project_billing_info"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "management",
        "icon": "resource",
        "name": "Project Billing Info",
    }
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    billing_account_name: str | None = None
    billing_enabled: bool | None = None


class GcpService(GcpResource):
    kind: ClassVar[str] = "gcp_service"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "management",
        "icon": "service",
        "name": "Billing Service",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_sku"]}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    service_id: str | None = None
    business_entity_name: str | None = None


class GcpSku(GcpResource):
    kind: ClassVar[str] = "gcp_sku"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "management", "icon": "resource", "name": "SKU"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_disk_type", "gcp_machine_type"]}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    sku_id: str | None = None
    resource_family: str | None = None
    resource_group: str | None = None
    usage_type: str | None = None
    service_regions: list[str] | None = None
    usage_unit: str | None = None
    unit_price: float | None = None
    """The first tier's price per ``usage_unit`` in ``currency_code``."""
    currency_code: str | None = None


class GcpSqlDatabase(GcpResource):
    kind: ClassVar[str] = "gcp_sql_database"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "database",
        "name": "Cloud SQL Database",
    }
    taggable: ClassVar[bool] = False
    instance: str | None = None
    charset: str | None = None
    collation: str | None = None


class GcpSqlUser(GcpResource):
    kind: ClassVar[str] = "gcp_sql_user"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "user", "name": "Cloud SQL User"}
    taggable: ClassVar[bool] = False
    instance: str | None = None
    host: str | None = None
    user_type: str | None = None


class GcpSqlBackupRun(GcpResource):
    kind: ClassVar[str] = "gcp_sql_backup_run"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "backup",
        "name": "Cloud SQL Backup Run",
    }
    taggable: ClassVar[bool] = False
    instance: str | None = None
    status: str | None = None
    backup_type: str | None = None
    backup_kind: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class GcpSqlOperation(GcpResource):
    kind: ClassVar[str] = "gcp_sql_operation"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "log",
        "name": "Cloud SQL Operation",
    }
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    instance: str | None = None
    operation_type: str | None = None
    status: str | None = None
    user: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class GcpContainerOperation(GcpResource):
    kind: ClassVar[str] = "gcp_container_operation"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "log", "name": "GKE Operation"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    location: str | None = None
    operation_type: str | None = None
    status: str | None = None
    target_link: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class GcpObject(GcpResource):
    kind: ClassVar[str] = "gcp_object"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "storage",
        "icon": "resource",
        "name": "Storage Object",
    }
    taggable: ClassVar[bool] = False
    bucket: str | None = None
    size: int | None = None
    content_type: str | None = None
    storage_class: str | None = None
    generation: str | None = None


MORE_KINDS: list[type[GcpResource]] = [
    GcpBillingAccount,
    GcpProjectBillingInfo,
    GcpService,
    GcpSku,
    GcpSqlDatabase,
    GcpSqlUser,
    GcpSqlBackupRun,
    GcpSqlOperation,
    GcpContainerOperation,
    GcpObject,
]
