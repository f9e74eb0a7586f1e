"""Resource models: the base kinds every plugin builds on.

Every resource a plugin collects is a pydantic model that subclasses one of the classes here.
The class-level ``kind`` names the kind in the core's model (``aws_ec2_instance``); the instance
fields are what the core stores under ``reported``. The base kinds below carry the names, bases and
property types that a resotocore already holding Resoto's model expects, so a core accepts our model
next to the one it has (see ``kinds.py`` for the export rule).

A plugin's own kind::

    class ExampleInstance(BaseInstance):
        kind: ClassVar[str] = "example_instance"
        kind_metadata: ClassVar[dict[str, Any]] = {"icon": "instance", "group": "compute"}
        successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["example_volume"]}
        owner: str | None = None

Node metadata the core keeps (``protected``, ``cleaned``, ``desired.clean``) is not part of the model:
see :class:`NodeMetadata` and :class:`Desired`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _normalize_datetime(value: datetime) -> datetime:
    """Datetimes on the wire are UTC with second precision (``2023-01-02T03:04:05Z``)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.utcoffset() != UTC.utcoffset(None):
        value = value.astimezone(UTC)
    return value.replace(microsecond=0) if value.microsecond else value


NODE_ID_SLOT = "__resoto_node_id__"
"""Where the graph builder notes a resource's node id (outside the model's fields: never serialised)."""

UtcDatetime = Annotated[datetime, AfterValidator(_normalize_datetime)]
"""A datetime that is stored as UTC without sub-second precision, as the core expects."""


class KindModel(BaseModel):
    """A model that is exported as a kind of the core's model.

    Subclass it directly for nested, non-resource structures (exported as complex kinds with
    ``aggregate_root: false``); resources subclass :class:`BaseResource` instead.
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True, use_enum_values=True)

    kind: ClassVar[str] = ""
    """The kind's name in the core's model (``fqn``). Every concrete class sets its own."""
    kind_metadata: ClassVar[dict[str, Any]] = {}
    """Free-form kind metadata for the core and UI: ``icon``, ``group``, ``name``."""


class InstanceStatus(StrEnum):
    """The normalised state of an instance (core kind ``instance_status``)."""

    running = "running"
    stopped = "stopped"
    terminated = "terminated"
    busy = "busy"
    unknown = "unknown"


class VolumeStatus(StrEnum):
    """The normalised state of a volume (core kind ``volume_status``)."""

    in_use = "in-use"
    available = "available"
    busy = "busy"
    error = "error"
    deleted = "deleted"
    unknown = "unknown"


ENUM_KINDS: dict[type[Enum], str] = {InstanceStatus: "instance_status", VolumeStatus: "volume_status"}
"""Enum classes and the kind names they are exported as."""


class BaseResource(KindModel):
    """The root of every resource kind (core kind ``resource``).

    ``id`` is the cloud's own identifier, unique within its account and region. ``name`` defaults
    to ``id``. ``tags`` maps key to value; a key-only tag has the value ``None``. ``ctime``,
    ``mtime`` and ``atime`` are creation, modification and last-access times (UTC).
    """

    kind: ClassVar[str] = "resource"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "misc", "icon": "resource", "name": "Resource"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {}
    """Kinds that may follow this one, per edge type: ``{"default": [...], "delete": [...]}``."""
    taggable: ClassVar[bool] = True
    """False for kinds whose cloud API has no tags or labels: tag tasks on them get a clear error."""
    deletable: ClassVar[bool] = True
    """False for kinds that cannot be deleted: cleanup reports them instead of trying."""

    id: str
    tags: dict[str, str | None] = Field(default_factory=dict)
    name: str = Field(default_factory=lambda data: str(data["id"]))
    ctime: UtcDatetime | None = None
    mtime: UtcDatetime | None = None
    atime: UtcDatetime | None = None

    @property
    def node_id(self) -> str | None:
        """The graph node id given to this resource when it was added to a graph builder."""
        return self.__dict__.get(NODE_ID_SLOT)


class NodeMetadata(BaseModel):
    """What the core keeps about a node besides its reported properties (``metadata`` section)."""

    model_config = ConfigDict(extra="allow")

    python_type: str | None = None
    protected: bool = False
    cleaned: bool = False
    phantom: bool = False
    replace: bool = False


class Desired(BaseModel):
    """The desired state of a node (``desired`` section): ``clean`` flags it for cleanup."""

    model_config = ConfigDict(extra="allow")

    clean: bool = False


class BaseAccessKey(BaseResource):
    kind: ClassVar[str] = "access_key"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "key", "name": "Access Key"}
    access_key_status: str | None = None


class BaseAccount(BaseResource):
    kind: ClassVar[str] = "account"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "account", "name": "Account"}


class BaseAutoscalingGroup(BaseResource):
    kind: ClassVar[str] = "autoscaling_group"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "autoscaling_group",
        "name": "Auto Scaling Group",
    }
    min_size: int | None = None
    max_size: int | None = None


class BaseCloud(BaseResource):
    kind: ClassVar[str] = "base_cloud"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "cloud", "name": "Cloud"}


class BaseBucket(BaseResource):
    kind: ClassVar[str] = "bucket"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "bucket", "name": "Storage Bucket"}


class PhantomResource(BaseResource):
    kind: ClassVar[str] = "phantom_resource"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "misc",
        "icon": "resource",
        "name": "Phantom Resource",
    }


class BaseQuota(PhantomResource):
    kind: ClassVar[str] = "quota"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "quota", "name": "Quota"}
    quota: float | None = None
    usage: float | None = None
    quota_type: str | None = None


class BaseBucketQuota(BaseQuota):
    kind: ClassVar[str] = "bucket_quota"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "quota", "name": "Bucket Quota"}


class BaseCertificate(BaseResource):
    kind: ClassVar[str] = "certificate"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "certificate",
        "name": "Certificate",
    }
    expires: UtcDatetime | None = None
    dns_names: list[str] | None = None
    sha1_fingerprint: str | None = None


class BaseCertificateQuota(BaseQuota):
    kind: ClassVar[str] = "certificate_quota"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "quota",
        "name": "Certificate Quota",
    }


class Cloud(BaseCloud):
    kind: ClassVar[str] = "cloud"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "cloud", "name": "Cloud"}


class BaseDatabase(BaseResource):
    kind: ClassVar[str] = "database"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "database", "name": "Database"}
    db_type: str | None = None
    db_status: str | None = None
    db_endpoint: str | None = None
    db_version: str | None = None
    db_publicly_accessible: bool | None = None
    instance_type: str | None = None
    volume_size: int | None = None
    volume_iops: int | None = None
    volume_encrypted: bool | None = None


class BaseDnsRecord(BaseResource):
    kind: ClassVar[str] = "dns_record"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "dns_record",
        "name": "DNS Record",
    }
    record_ttl: int | None = None
    record_type: str | None = None
    record_data: str | None = None
    record_value: str | None = None
    record_priority: int | None = None
    record_port: int | None = None
    record_weight: int | None = None
    record_flags: int | None = None
    record_tag: str | None = None
    record_mname: str | None = None
    record_rname: str | None = None
    record_serial: int | None = None
    record_refresh: int | None = None
    record_retry: int | None = None
    record_expire: int | None = None
    record_minimum: int | None = None


class BaseDnsRecordSet(BaseResource):
    kind: ClassVar[str] = "dns_record_set"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "dns", "name": "DNS Record Set"}
    record_ttl: int | None = None
    record_type: str | None = None
    record_values: list[str] | None = None


class BaseDnsZone(BaseResource):
    kind: ClassVar[str] = "dns_zone"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "dns", "name": "DNS Zone"}


class BaseEndpoint(BaseResource):
    kind: ClassVar[str] = "endpoint"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "endpoint", "name": "Endpoint"}


class BaseFirewall(BaseResource):
    kind: ClassVar[str] = "firewall"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "firewall", "name": "Firewall"}


class BaseGateway(BaseResource):
    kind: ClassVar[str] = "gateway"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "gateway", "name": "Gateway"}


class BaseGatewayQuota(BaseQuota):
    kind: ClassVar[str] = "gateway_quota"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "quota",
        "name": "Gateway Quota",
    }


class GraphRoot(PhantomResource):
    kind: ClassVar[str] = "graph_root"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "graph_root", "name": "Graph Root"}


class BaseGroup(BaseResource):
    kind: ClassVar[str] = "group"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "group", "name": "Group"}


class BaseHealthCheck(BaseResource):
    kind: ClassVar[str] = "health_check"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "health_check",
        "name": "Health Check",
    }
    check_interval: int | None = None
    healthy_threshold: int | None = None
    unhealthy_threshold: int | None = None
    timeout: int | None = None
    health_check_type: str | None = None


class BaseInstance(BaseResource):
    kind: ClassVar[str] = "instance"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "instance", "name": "Instance"}
    instance_cores: float | None = None
    instance_memory: float | None = None
    instance_type: str | None = None
    instance_status: InstanceStatus | None = None


class BaseInstanceProfile(BaseResource):
    kind: ClassVar[str] = "instance_profile"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "instance_profile",
        "name": "Instance Profile",
    }


class BaseInstanceQuota(BaseQuota):
    kind: ClassVar[str] = "instance_quota"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "instance",
        "name": "Instance Quota",
    }
    instance_type: str | None = None


class BaseType(BaseQuota):
    kind: ClassVar[str] = "type"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "type", "name": "Type"}


class BaseInstanceType(BaseType):
    kind: ClassVar[str] = "instance_type"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "instance_type",
        "name": "Instance Type",
    }
    instance_type: str | None = None
    instance_cores: float | None = None
    instance_memory: float | None = None
    ondemand_cost: float | None = None
    reservations: int | None = None


class BaseIpAddress(BaseResource):
    kind: ClassVar[str] = "ip_address"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "network_address",
        "name": "IP Address",
    }
    ip_address: str | None = None
    ip_address_family: str | None = None


class BaseKeypair(BaseResource):
    kind: ClassVar[str] = "keypair"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "keypair",
        "name": "Key Pair",
    }
    fingerprint: str | None = None


class BaseLoadBalancer(BaseResource):
    kind: ClassVar[str] = "load_balancer"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "load_balancer",
        "name": "Load Balancer",
    }
    lb_type: str | None = None
    public_ip_address: str | None = None
    backends: list[str] | None = None


class BaseLoadBalancerQuota(BaseQuota):
    kind: ClassVar[str] = "load_balancer_quota"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "quota",
        "name": "Load Balancer Quota",
    }


class BaseNetwork(BaseResource):
    kind: ClassVar[str] = "network"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "network", "name": "Network"}


class BaseNetworkAcl(BaseResource):
    kind: ClassVar[str] = "network_acl"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "acl", "name": "Network ACL"}


class BaseNetworkInterface(BaseResource):
    kind: ClassVar[str] = "network_interface"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "network_interface",
        "name": "Network Interface",
    }
    network_interface_status: str | None = None
    network_interface_type: str | None = None
    mac: str | None = None
    private_ips: list[str] | None = None
    public_ips: list[str] | None = None
    v6_ips: list[str] | None = None
    description: str | None = None


class BaseNetworkQuota(BaseQuota):
    kind: ClassVar[str] = "network_quota"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "quota",
        "name": "Network Quota",
    }


class BaseNetworkShare(BaseResource):
    kind: ClassVar[str] = "network_share"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "storage",
        "icon": "network_share",
        "name": "Network Share",
    }
    share_size: int | None = None
    share_type: str | None = None
    share_status: str | None = None
    share_iops: int | None = None
    share_throughput: float | None = None
    share_encrypted: bool | None = None


class BaseOrganizationalRoot(BaseResource):
    kind: ClassVar[str] = "organizational_root"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "misc",
        "icon": "resource",
        "name": "Organizational Root",
    }


class BaseOrganizationalUnit(BaseResource):
    kind: ClassVar[str] = "organizational_unit"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "misc",
        "icon": "resource",
        "name": "Organizational Unit",
    }


class BasePeeringConnection(BaseResource):
    kind: ClassVar[str] = "peering_connection"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "connection",
        "name": "Peering Connection",
    }


class BasePolicy(BaseResource):
    kind: ClassVar[str] = "policy"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "policy", "name": "Policy"}


class BaseRegion(BaseResource):
    kind: ClassVar[str] = "region"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "region", "name": "Region"}


class BaseRole(BaseResource):
    kind: ClassVar[str] = "role"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "role", "name": "Role"}


class BaseRoutingTable(BaseResource):
    kind: ClassVar[str] = "routing_table"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "routing_table",
        "name": "Routing Table",
    }


class BaseSecurityGroup(BaseResource):
    kind: ClassVar[str] = "security_group"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "security_group",
        "name": "Security Group",
    }


class BaseServerlessFunction(BaseResource):
    kind: ClassVar[str] = "serverless_function"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "function",
        "name": "Serverless Function",
    }


class BaseSnapshot(BaseResource):
    kind: ClassVar[str] = "snapshot"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "snapshot", "name": "Snapshot"}
    snapshot_status: str | None = None
    description: str | None = None
    volume_id: str | None = None
    volume_size: int | None = None
    encrypted: bool | None = None
    owner_id: str | None = None
    owner_alias: str | None = None


class BaseStack(BaseResource):
    kind: ClassVar[str] = "stack"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "stack", "name": "Stack"}
    stack_status: str | None = None
    stack_status_reason: str | None = None
    stack_parameters: dict[str, str | None] | None = None


class BaseSubnet(BaseResource):
    kind: ClassVar[str] = "subnet"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "subnet", "name": "Subnet"}


class BaseTunnel(BaseResource):
    kind: ClassVar[str] = "tunnel"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "tunnel",
        "name": "Networking Tunnel",
    }


class UnknownAccount(BaseAccount):
    kind: ClassVar[str] = "unknown_account"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "control",
        "icon": "account",
        "name": "Unknown Account",
    }


class UnknownCloud(BaseCloud):
    kind: ClassVar[str] = "unknown_cloud"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "cloud", "name": "Unknown Cloud"}


class UnknownDnsZone(BaseDnsZone):
    kind: ClassVar[str] = "unknown_dns_zone"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "dns",
        "name": "Unknown DNS Zone",
    }


class UnknownLocation(BaseResource):
    kind: ClassVar[str] = "unknown_location"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "misc",
        "icon": "resource",
        "name": "Unknown Location",
    }


class UnknownRegion(BaseRegion):
    kind: ClassVar[str] = "unknown_region"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "region", "name": "Unknown Region"}


class BaseZone(BaseResource):
    kind: ClassVar[str] = "zone"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "zone", "name": "Zone"}


class UnknownZone(BaseZone):
    kind: ClassVar[str] = "unknown_zone"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "zone", "name": "Unknown Zone"}


class BaseUser(BaseResource):
    kind: ClassVar[str] = "user"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "user", "name": "User"}


class BaseVolume(BaseResource):
    kind: ClassVar[str] = "volume"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "volume", "name": "Volume"}
    volume_size: int | None = None
    volume_type: str | None = None
    volume_status: VolumeStatus | None = None
    volume_iops: int | None = None
    volume_throughput: int | None = None
    volume_encrypted: bool | None = None
    snapshot_before_delete: bool | None = None


class BaseVolumeType(BaseType):
    kind: ClassVar[str] = "volume_type"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "storage",
        "icon": "volume_type",
        "name": "Volume Type",
    }
    volume_type: str | None = None
    ondemand_cost: float | None = None
