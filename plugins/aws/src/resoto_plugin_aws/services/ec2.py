"""EC2 and VPC: instances, volumes, snapshots, images, networking."""

from __future__ import annotations

import time
from typing import Any, ClassVar

from botocore.exceptions import ClientError
from resoto_hookspecs import (
    BaseEndpoint,
    BaseGateway,
    BaseInstance,
    BaseInstanceType,
    BaseIpAddress,
    BaseNetwork,
    BaseNetworkInterface,
    BasePeeringConnection,
    BaseRoutingTable,
    BaseSecurityGroup,
    BaseSnapshot,
    BaseSubnet,
    BaseVolume,
    BaseVolumeType,
    InstanceStatus,
    NotSupported,
    VolumeStatus,
)

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Json, Kind, Link, Tagging, TagsAt, UnitApi, arn_name

SERVICE = "ec2"

TAGGING = Tagging("CreateTags", "DeleteTags", {"Resources": "[id]"}, keys_arg="Tags", keys_fmt="list")
TAGS = TagsAt("Tags")


def _arn(resource_type: str) -> str:
    return "arn:{partition}:ec2:{region}:{account}:" + resource_type + "/{id}"


# -- instances --------------------------------------------------------------------------------

_INSTANCE_STATES = {
    "pending": InstanceStatus.busy,
    "running": InstanceStatus.running,
    "shutting-down": InstanceStatus.busy,
    "terminated": InstanceStatus.terminated,
    "stopping": InstanceStatus.busy,
    "stopped": InstanceStatus.stopped,
}


class AwsEc2Instance(AwsResource, BaseInstance):
    kind: ClassVar[str] = "aws_ec2_instance"
    instance_lifecycle: str | None = None
    image_id: str | None = None
    key_name: str | None = None
    private_ip_address: str | None = None
    public_ip_address: str | None = None
    private_dns_name: str | None = None
    public_dns_name: str | None = None
    vpc_id: str | None = None
    subnet_id: str | None = None
    availability_zone: str | None = None
    architecture: str | None = None
    platform_details: str | None = None
    iam_instance_profile: str | None = None
    security_group_ids: list[str] | None = None
    volume_ids: list[str] | None = None
    state_reason: str | None = None


def _instance_status(item: Json) -> InstanceStatus:
    return _INSTANCE_STATES.get(str((item.get("State") or {}).get("Name")), InstanceStatus.unknown)


def _cores(item: Json) -> float | None:
    cpu = item.get("CpuOptions") or {}
    if cpu.get("CoreCount"):
        return float(cpu["CoreCount"]) * float(cpu.get("ThreadsPerCore") or 1)
    return None


# -- volumes ----------------------------------------------------------------------------------

_VOLUME_STATES = {
    "creating": VolumeStatus.busy,
    "available": VolumeStatus.available,
    "in-use": VolumeStatus.in_use,
    "deleting": VolumeStatus.busy,
    "deleted": VolumeStatus.deleted,
    "error": VolumeStatus.error,
}


class AwsEc2Volume(AwsResource, BaseVolume):
    kind: ClassVar[str] = "aws_ec2_volume"
    availability_zone: str | None = None
    snapshot_id: str | None = None
    kms_key_id: str | None = None
    multi_attach_enabled: bool | None = None
    attached_instances: list[str] | None = None


def _detach_volume(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsEc2Volume)
    for instance_id in resource.attached_instances or []:
        try:
            ctx.call(SERVICE, "DetachVolume", VolumeId=resource.id, InstanceId=instance_id)
        except ClientError as e:  # already detached, or the instance is gone: fine
            if "NotFound" not in str(e) and "IncorrectState" not in str(e):
                raise


def _delete_volume(ctx: Api, resource: AwsResource) -> None:
    for attempt in range(30):
        try:
            ctx.call(SERVICE, "DeleteVolume", VolumeId=resource.id)
            return
        except ClientError as e:
            if "VolumeInUse" not in str(e) or attempt == 29:
                raise
            time.sleep(2)  # still detaching


class AwsEc2Snapshot(AwsResource, BaseSnapshot):
    kind: ClassVar[str] = "aws_ec2_snapshot"
    progress: str | None = None
    kms_key_id: str | None = None
    storage_tier: str | None = None


class AwsEc2Image(AwsResource):
    kind: ClassVar[str] = "aws_ec2_image"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "image"}
    image_state: str | None = None
    architecture: str | None = None
    image_type: str | None = None
    public: bool | None = None
    root_device_name: str | None = None
    platform_details: str | None = None
    owner_id: str | None = None
    snapshot_ids: list[str] | None = None


class AwsEc2Keypair(AwsResource):
    kind: ClassVar[str] = "aws_ec2_keypair"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "key"}
    key_pair_id: str | None = None
    fingerprint: str | None = None
    key_type: str | None = None


class AwsEc2ElasticIp(AwsResource, BaseIpAddress):
    kind: ClassVar[str] = "aws_ec2_elastic_ip"
    instance_id: str | None = None
    association_id: str | None = None
    network_interface_id: str | None = None
    private_ip_address: str | None = None
    domain: str | None = None
    public_ipv4_pool: str | None = None


def _disassociate_address(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsEc2ElasticIp)
    if resource.association_id:
        ctx.call(SERVICE, "DisassociateAddress", AssociationId=resource.association_id)


class AwsEc2NetworkInterface(AwsResource, BaseNetworkInterface):
    kind: ClassVar[str] = "aws_ec2_network_interface"
    vpc_id: str | None = None
    subnet_id: str | None = None
    availability_zone: str | None = None
    instance_id: str | None = None
    attachment_id: str | None = None
    device_index: int | None = None
    requester_managed: bool | None = None
    security_group_ids: list[str] | None = None


def _detach_eni(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsEc2NetworkInterface)
    if resource.attachment_id and resource.device_index not in (0, None):
        ctx.call(SERVICE, "DetachNetworkInterface", AttachmentId=resource.attachment_id, Force=True)


class AwsEc2SecurityGroup(AwsResource, BaseSecurityGroup):
    kind: ClassVar[str] = "aws_ec2_security_group"
    description: str | None = None
    vpc_id: str | None = None
    owner_id: str | None = None
    is_default: bool | None = None
    ip_permissions: list[dict[str, Any]] | None = None
    ip_permissions_egress: list[dict[str, Any]] | None = None
    referenced_groups: list[str] | None = None


def _group_refs(item: Json) -> list[str]:
    out: list[str] = []
    for perm in (item.get("IpPermissions") or []) + (item.get("IpPermissionsEgress") or []):
        for pair in perm.get("UserIdGroupPairs") or []:
            gid = pair.get("GroupId")
            if gid and gid != item.get("GroupId") and gid not in out:
                out.append(gid)
    return out


def _only_group_pairs(perms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for perm in perms:
        pairs = [{"GroupId": p["GroupId"]} for p in perm.get("UserIdGroupPairs") or [] if p.get("GroupId")]
        if pairs:
            rule: dict[str, Any] = {k: perm[k] for k in ("IpProtocol", "FromPort", "ToPort") if k in perm}
            rule["UserIdGroupPairs"] = pairs
            out.append(rule)
    return out


def _revoke_group_rules(ctx: Api, resource: AwsResource) -> None:
    """Revoke this group's rules that reference other groups, so those can be deleted first."""
    assert isinstance(resource, AwsEc2SecurityGroup)
    ingress = _only_group_pairs(resource.ip_permissions or [])
    egress = _only_group_pairs(resource.ip_permissions_egress or [])
    if ingress:
        ctx.call(SERVICE, "RevokeSecurityGroupIngress", GroupId=resource.id, IpPermissions=ingress)
    if egress:
        ctx.call(SERVICE, "RevokeSecurityGroupEgress", GroupId=resource.id, IpPermissions=egress)


def _delete_security_group(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsEc2SecurityGroup)
    if resource.is_default or resource.name == "default":
        raise NotSupported("the default security group is deleted with its VPC")
    ctx.call(SERVICE, "DeleteSecurityGroup", GroupId=resource.id)


class AwsEc2RouteTable(AwsResource, BaseRoutingTable):
    kind: ClassVar[str] = "aws_ec2_route_table"
    vpc_id: str | None = None
    main: bool | None = None
    subnet_ids: list[str] | None = None
    association_ids: list[str] | None = None
    routes: list[dict[str, Any]] | None = None


def _is_main(item: Json) -> bool:
    return any(a.get("Main") for a in item.get("Associations") or [])


def _disassociate_route_table(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsEc2RouteTable)
    if resource.main:
        return
    for assoc in resource.association_ids or []:
        ctx.call(SERVICE, "DisassociateRouteTable", AssociationId=assoc)


def _delete_route_table(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsEc2RouteTable)
    if resource.main:
        raise NotSupported("the main route table is deleted with its VPC")
    ctx.call(SERVICE, "DeleteRouteTable", RouteTableId=resource.id)


class AwsEc2InternetGateway(AwsResource, BaseGateway):
    kind: ClassVar[str] = "aws_ec2_internet_gateway"
    vpc_ids: list[str] | None = None
    owner_id: str | None = None


def _detach_igw(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsEc2InternetGateway)
    for vpc in resource.vpc_ids or []:
        ctx.call(SERVICE, "DetachInternetGateway", InternetGatewayId=resource.id, VpcId=vpc)


class AwsEc2NatGateway(AwsResource, BaseGateway):
    kind: ClassVar[str] = "aws_ec2_nat_gateway"
    nat_gateway_status: str | None = None
    vpc_id: str | None = None
    subnet_id: str | None = None
    connectivity_type: str | None = None
    public_ips: list[str] | None = None


class AwsEc2NetworkAcl(AwsResource):
    kind: ClassVar[str] = "aws_ec2_network_acl"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "access_control"}
    vpc_id: str | None = None
    is_default: bool | None = None
    subnet_ids: list[str] | None = None


def _delete_network_acl(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsEc2NetworkAcl)
    if resource.is_default:
        raise NotSupported("the default network ACL is deleted with its VPC")
    ctx.call(SERVICE, "DeleteNetworkAcl", NetworkAclId=resource.id)


class AwsEc2LaunchTemplate(AwsResource):
    kind: ClassVar[str] = "aws_ec2_launch_template"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "template"}
    default_version: int | None = None
    latest_version: int | None = None
    created_by: str | None = None


class AwsVpc(AwsResource, BaseNetwork):
    kind: ClassVar[str] = "aws_vpc"
    cidr_block: str | None = None
    is_default: bool | None = None
    vpc_state: str | None = None
    dhcp_options_id: str | None = None
    instance_tenancy: str | None = None
    owner_id: str | None = None


class AwsEc2Subnet(AwsResource, BaseSubnet):
    kind: ClassVar[str] = "aws_ec2_subnet"
    vpc_id: str | None = None
    cidr_block: str | None = None
    availability_zone: str | None = None
    available_ip_address_count: int | None = None
    default_for_az: bool | None = None
    map_public_ip_on_launch: bool | None = None
    subnet_state: str | None = None


class AwsVpcEndpoint(AwsResource, BaseEndpoint):
    kind: ClassVar[str] = "aws_vpc_endpoint"
    vpc_endpoint_type: str | None = None
    service_name: str | None = None
    vpc_endpoint_state: str | None = None
    vpc_id: str | None = None
    route_table_ids: list[str] | None = None
    subnet_ids: list[str] | None = None
    network_interface_ids: list[str] | None = None
    private_dns_enabled: bool | None = None


class AwsVpcPeeringConnection(AwsResource, BasePeeringConnection):
    kind: ClassVar[str] = "aws_vpc_peering_connection"
    connection_status: str | None = None
    requester_vpc_id: str | None = None
    requester_owner_id: str | None = None
    accepter_vpc_id: str | None = None
    accepter_owner_id: str | None = None


class AwsEc2FlowLog(AwsResource):
    kind: ClassVar[str] = "aws_ec2_flow_log"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "log"}
    resource_id: str | None = None
    traffic_type: str | None = None
    log_destination: str | None = None
    log_destination_type: str | None = None
    log_group_name: str | None = None
    flow_log_status: str | None = None


class AwsEc2Host(AwsResource):
    kind: ClassVar[str] = "aws_ec2_host"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "host"}
    host_state: str | None = None
    availability_zone: str | None = None
    instance_family: str | None = None
    instance_type: str | None = None
    auto_placement: str | None = None
    host_recovery: str | None = None
    host_cores: int | None = None
    host_sockets: int | None = None
    owner_id: str | None = None
    instance_ids: list[str] | None = None


class AwsEc2ReservedInstances(AwsResource):
    kind: ClassVar[str] = "aws_ec2_reserved_instances"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "instance"}
    deletable: ClassVar[bool] = False
    instance_type: str | None = None
    instance_count: int | None = None
    reservation_state: str | None = None
    offering_type: str | None = None
    reservation_start: str | None = None
    reservation_end: str | None = None


class AwsEc2InstanceType(AwsResource, BaseInstanceType):
    kind: ClassVar[str] = "aws_ec2_instance_type"
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    architectures: list[str] | None = None
    current_generation: bool | None = None


class AwsEc2VolumeType(AwsResource, BaseVolumeType):
    """An EBS volume type in use in a region (computed from the volumes listed: no API call)."""

    kind: ClassVar[str] = "aws_ec2_volume_type"
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    volumes_in_use: int | None = None
    volume_size_total: int | None = None


def _volume_types(ctx: UnitApi) -> list[Json]:
    """One item per volume type the region's volumes use, with their count and total size (GiB)."""
    found: dict[str, Json] = {}
    for volume in ctx.items("aws_ec2_volume"):
        vtype = volume.get("VolumeType")
        if not vtype:
            continue
        entry = found.setdefault(str(vtype), {"VolumeType": str(vtype), "Count": 0, "Size": 0})
        entry["Count"] += 1
        entry["Size"] += int(volume.get("Size") or 0)
    return [found[t] for t in sorted(found)]


def _instance_types(ctx: UnitApi) -> list[Json]:
    """The instance types the region's instances use (one DescribeInstanceTypes per 100 types)."""
    used = sorted({str(i["InstanceType"]) for i in ctx.items("aws_ec2_instance") if i.get("InstanceType")})
    out: list[Json] = []
    for start in range(0, len(used), 100):
        for page in ctx.pages(SERVICE, "DescribeInstanceTypes", {"InstanceTypes": used[start : start + 100]}):
            out.extend(page.get("InstanceTypes") or [])
    return out


def _mem_gib(item: Json) -> float | None:
    mib = (item.get("MemoryInfo") or {}).get("SizeInMiB")
    return float(mib) / 1024 if mib else None


def _str(path: str) -> Any:
    return lambda item: str(item.get(path)) if item.get(path) is not None else None


VPC = Link("aws_vpc", "VpcId", default="in", delete="in")
SUBNET = Link("aws_ec2_subnet", "SubnetId", default="in", delete="in")


KINDS = [
    Kind(
        cls=AwsEc2Instance,
        service=SERVICE,
        list=Call("DescribeInstances", "Reservations[].Instances[]", page_size=1000),
        id="InstanceId",
        tags=TAGS,
        ctime="LaunchTime",
        arn=_arn("instance"),
        skip=lambda i: (i.get("State") or {}).get("Name") == "terminated",
        fields={
            "instance_type": "InstanceType",
            "instance_status": _instance_status,
            "instance_cores": _cores,
            "instance_lifecycle": "InstanceLifecycle",
            "image_id": "ImageId",
            "key_name": "KeyName",
            "private_ip_address": "PrivateIpAddress",
            "public_ip_address": "PublicIpAddress",
            "private_dns_name": "PrivateDnsName",
            "public_dns_name": "PublicDnsName",
            "vpc_id": "VpcId",
            "subnet_id": "SubnetId",
            "availability_zone": "Placement.AvailabilityZone",
            "architecture": "Architecture",
            "platform_details": "PlatformDetails",
            "iam_instance_profile": "IamInstanceProfile.Arn",
            "security_group_ids": "SecurityGroups[].GroupId",
            "volume_ids": "BlockDeviceMappings[].Ebs.VolumeId",
            "state_reason": "StateReason.Message",
        },
        links=(
            VPC,
            SUBNET,
            Link("aws_ec2_security_group", "SecurityGroups[].GroupId", default="in", delete="in"),
            Link("aws_ec2_keypair", "KeyName", default="out", delete="in"),
            Link("aws_ec2_volume", "BlockDeviceMappings[].Ebs.VolumeId", default="out", delete="in"),
            Link(
                "aws_ec2_network_interface",
                "NetworkInterfaces[].NetworkInterfaceId",
                default="out",
                delete="in",
            ),
            Link("aws_ec2_image", "ImageId", default="in"),
            Link("aws_ec2_instance_type", "InstanceType", default="in"),
            Link(
                "aws_iam_instance_profile",
                "IamInstanceProfile.Arn",
                default="in",
                to_id=arn_name,
                global_=True,
            ),
        ),
        get=Call(
            "DescribeInstances",
            "Reservations[].Instances[]",
            item_args={"InstanceIds": "[id]"},
            gone=("InvalidInstanceID.NotFound",),
        ),
        delete=Delete("TerminateInstances", {"InstanceIds": "[id]"}, gone=("InvalidInstanceID.NotFound",)),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2Volume,
        service=SERVICE,
        list=Call("DescribeVolumes", "Volumes[]", page_size=500),
        id="VolumeId",
        tags=TAGS,
        ctime="CreateTime",
        arn=_arn("volume"),
        fields={
            "volume_size": "Size",
            "volume_type": "VolumeType",
            "volume_status": lambda i: _VOLUME_STATES.get(str(i.get("State")), VolumeStatus.unknown),
            "volume_iops": "Iops",
            "volume_throughput": "Throughput",
            "volume_encrypted": "Encrypted",
            "availability_zone": "AvailabilityZone",
            "snapshot_id": "SnapshotId",
            "kms_key_id": "KmsKeyId",
            "multi_attach_enabled": "MultiAttachEnabled",
            "attached_instances": "Attachments[].InstanceId",
        },
        links=(
            Link("aws_kms_key", "KmsKeyId", default="out", delete="in", to_id=arn_name),
            Link("aws_ec2_volume_type", "VolumeType", default="in"),
        ),
        get=Call(
            "DescribeVolumes", "Volumes[]", item_args={"VolumeIds": "[id]"}, gone=("InvalidVolume.NotFound",)
        ),
        delete=Delete("DeleteVolume", {"VolumeId": "id"}, gone=("InvalidVolume.NotFound",)),
        pre_cleanup=_detach_volume,
        delete_fn=_delete_volume,
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2Snapshot,
        service=SERVICE,
        list=Call("DescribeSnapshots", "Snapshots[]", args={"OwnerIds": ["self"]}, page_size=1000),
        id="SnapshotId",
        tags=TAGS,
        ctime="StartTime",
        arn="arn:{partition}:ec2:{region}::snapshot/{id}",
        fields={
            "snapshot_status": "State",
            "description": "Description",
            "volume_id": "VolumeId",
            "volume_size": "VolumeSize",
            "encrypted": "Encrypted",
            "owner_id": "OwnerId",
            "owner_alias": "OwnerAlias",
            "progress": "Progress",
            "kms_key_id": "KmsKeyId",
            "storage_tier": "StorageTier",
        },
        links=(
            Link("aws_ec2_volume", "VolumeId", default="in"),
            Link("aws_kms_key", "KmsKeyId", default="out", delete="in", to_id=arn_name),
        ),
        get=Call(
            "DescribeSnapshots",
            "Snapshots[]",
            item_args={"SnapshotIds": "[id]"},
            gone=("InvalidSnapshot.NotFound",),
        ),
        delete=Delete("DeleteSnapshot", {"SnapshotId": "id"}, gone=("InvalidSnapshot.NotFound",)),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2Image,
        service=SERVICE,
        list=Call("DescribeImages", "Images[]", args={"Owners": ["self"]}, page_size=1000),
        id="ImageId",
        name="Name",
        tags=TAGS,
        ctime="CreationDate",
        arn="arn:{partition}:ec2:{region}::image/{id}",
        fields={
            "image_state": "State",
            "architecture": "Architecture",
            "image_type": "ImageType",
            "public": "Public",
            "root_device_name": "RootDeviceName",
            "platform_details": "PlatformDetails",
            "owner_id": "OwnerId",
            "snapshot_ids": "BlockDeviceMappings[].Ebs.SnapshotId",
        },
        links=(Link("aws_ec2_snapshot", "BlockDeviceMappings[].Ebs.SnapshotId", default="out", delete="in"),),
        get=Call(
            "DescribeImages", "Images[]", item_args={"ImageIds": "[id]"}, gone=("InvalidAMIID.NotFound",)
        ),
        delete=Delete("DeregisterImage", {"ImageId": "id"}, gone=("InvalidAMIID.NotFound",)),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2Keypair,
        service=SERVICE,
        list=Call("DescribeKeyPairs", "KeyPairs[]"),
        id="KeyName",
        name="KeyName",
        tags=TAGS,
        ctime="CreateTime",
        arn="arn:{partition}:ec2:{region}:{account}:key-pair/{name}",
        fields={"key_pair_id": "KeyPairId", "fingerprint": "KeyFingerprint", "key_type": "KeyType"},
        get=Call(
            "DescribeKeyPairs",
            "KeyPairs[]",
            item_args={"KeyNames": "[id]"},
            gone=("InvalidKeyPair.NotFound",),
        ),
        delete=Delete("DeleteKeyPair", {"KeyName": "id"}, gone=("InvalidKeyPair.NotFound",)),
        tagging=Tagging(
            "CreateTags", "DeleteTags", {"Resources": "[key_pair_id]"}, keys_arg="Tags", keys_fmt="list"
        ),
    ),
    Kind(
        cls=AwsEc2ElasticIp,
        service=SERVICE,
        list=Call("DescribeAddresses", "Addresses[]"),
        id="AllocationId",
        tags=TAGS,
        arn=_arn("elastic-ip"),
        fields={
            "ip_address": "PublicIp",
            "ip_address_family": lambda i: "ipv4",
            "instance_id": "InstanceId",
            "association_id": "AssociationId",
            "network_interface_id": "NetworkInterfaceId",
            "private_ip_address": "PrivateIpAddress",
            "domain": "Domain",
            "public_ipv4_pool": "PublicIpv4Pool",
        },
        links=(
            Link("aws_ec2_instance", "InstanceId", default="in", delete="out"),
            Link("aws_ec2_network_interface", "NetworkInterfaceId", default="in", delete="out"),
        ),
        get=Call(
            "DescribeAddresses",
            "Addresses[]",
            item_args={"AllocationIds": "[id]"},
            gone=("InvalidAllocationID.NotFound",),
        ),
        pre_cleanup=_disassociate_address,
        delete=Delete("ReleaseAddress", {"AllocationId": "id"}, gone=("InvalidAllocationID.NotFound",)),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2NetworkInterface,
        service=SERVICE,
        list=Call("DescribeNetworkInterfaces", "NetworkInterfaces[]", page_size=1000),
        id="NetworkInterfaceId",
        tags=TagsAt("TagSet"),
        arn=_arn("network-interface"),
        fields={
            "network_interface_status": "Status",
            "network_interface_type": "InterfaceType",
            "mac": "MacAddress",
            "private_ips": "PrivateIpAddresses[].PrivateIpAddress",
            "public_ips": "PrivateIpAddresses[].Association.PublicIp",
            "description": "Description",
            "vpc_id": "VpcId",
            "subnet_id": "SubnetId",
            "availability_zone": "AvailabilityZone",
            "instance_id": "Attachment.InstanceId",
            "attachment_id": "Attachment.AttachmentId",
            "device_index": "Attachment.DeviceIndex",
            "requester_managed": "RequesterManaged",
            "security_group_ids": "Groups[].GroupId",
        },
        links=(
            VPC,
            SUBNET,
            Link("aws_ec2_security_group", "Groups[].GroupId", default="in", delete="in"),
        ),
        get=Call(
            "DescribeNetworkInterfaces",
            "NetworkInterfaces[]",
            item_args={"NetworkInterfaceIds": "[id]"},
            gone=("InvalidNetworkInterfaceID.NotFound",),
        ),
        pre_cleanup=_detach_eni,
        delete=Delete(
            "DeleteNetworkInterface",
            {"NetworkInterfaceId": "id"},
            gone=("InvalidNetworkInterfaceID.NotFound",),
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2SecurityGroup,
        service=SERVICE,
        list=Call("DescribeSecurityGroups", "SecurityGroups[]", page_size=1000),
        id="GroupId",
        name="GroupName",
        tags=TAGS,
        arn=_arn("security-group"),
        fields={
            "description": "Description",
            "vpc_id": "VpcId",
            "owner_id": "OwnerId",
            "is_default": lambda i: i.get("GroupName") == "default",
            "ip_permissions": "IpPermissions",
            "ip_permissions_egress": "IpPermissionsEgress",
            "referenced_groups": _group_refs,
        },
        links=(
            Link("aws_vpc", "VpcId", default="in"),
            Link(
                "aws_vpc", "VpcId", default=None, delete="in", when=lambda i: i.get("GroupName") != "default"
            ),
            # a group referenced by this group's rules is deleted after this group
            Link(
                "aws_ec2_security_group",
                "IpPermissions[].UserIdGroupPairs[].GroupId",
                default=None,
                delete="in",
            ),
            Link(
                "aws_ec2_security_group",
                "IpPermissionsEgress[].UserIdGroupPairs[].GroupId",
                default=None,
                delete="in",
            ),
        ),
        get=Call(
            "DescribeSecurityGroups",
            "SecurityGroups[]",
            item_args={"GroupIds": "[id]"},
            gone=("InvalidGroup.NotFound",),
        ),
        pre_cleanup=_revoke_group_rules,
        delete=Delete("DeleteSecurityGroup", {"GroupId": "id"}, gone=("InvalidGroup.NotFound",)),
        delete_fn=_delete_security_group,
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2RouteTable,
        service=SERVICE,
        list=Call("DescribeRouteTables", "RouteTables[]", page_size=100),
        id="RouteTableId",
        tags=TAGS,
        arn=_arn("route-table"),
        fields={
            "vpc_id": "VpcId",
            "main": _is_main,
            "subnet_ids": "Associations[].SubnetId",
            "association_ids": "Associations[].RouteTableAssociationId",
            "routes": "Routes",
        },
        links=(Link("aws_vpc", "VpcId", default="in", delete="in", when=lambda i: not _is_main(i)),),
        get=Call(
            "DescribeRouteTables",
            "RouteTables[]",
            item_args={"RouteTableIds": "[id]"},
            gone=("InvalidRouteTableID.NotFound",),
        ),
        pre_cleanup=_disassociate_route_table,
        delete=Delete("DeleteRouteTable", {"RouteTableId": "id"}, gone=("InvalidRouteTableID.NotFound",)),
        delete_fn=_delete_route_table,
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2InternetGateway,
        service=SERVICE,
        list=Call("DescribeInternetGateways", "InternetGateways[]", page_size=1000),
        id="InternetGatewayId",
        tags=TAGS,
        arn=_arn("internet-gateway"),
        fields={"vpc_ids": "Attachments[].VpcId", "owner_id": "OwnerId"},
        links=(Link("aws_vpc", "Attachments[].VpcId", default="in", delete="in"),),
        get=Call(
            "DescribeInternetGateways",
            "InternetGateways[]",
            item_args={"InternetGatewayIds": "[id]"},
            gone=("InvalidInternetGatewayID.NotFound",),
        ),
        pre_cleanup=_detach_igw,
        delete=Delete(
            "DeleteInternetGateway", {"InternetGatewayId": "id"}, gone=("InvalidInternetGatewayID.NotFound",)
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2NatGateway,
        service=SERVICE,
        list=Call("DescribeNatGateways", "NatGateways[]", page_size=1000),
        id="NatGatewayId",
        tags=TAGS,
        ctime="CreateTime",
        arn=_arn("natgateway"),
        skip=lambda i: i.get("State") in ("deleted", "deleting"),
        fields={
            "nat_gateway_status": "State",
            "vpc_id": "VpcId",
            "subnet_id": "SubnetId",
            "connectivity_type": "ConnectivityType",
            "public_ips": "NatGatewayAddresses[].PublicIp",
        },
        links=(
            VPC,
            SUBNET,
            Link(
                "aws_ec2_network_interface",
                "NatGatewayAddresses[].NetworkInterfaceId",
                default="out",
                delete="in",
            ),
        ),
        get=Call(
            "DescribeNatGateways",
            "NatGateways[]",
            item_args={"NatGatewayIds": "[id]"},
            gone=("NatGatewayNotFound", "InvalidNatGatewayID.NotFound"),
        ),
        delete=Delete("DeleteNatGateway", {"NatGatewayId": "id"}, gone=("NatGatewayNotFound",)),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2NetworkAcl,
        service=SERVICE,
        list=Call("DescribeNetworkAcls", "NetworkAcls[]", page_size=1000),
        id="NetworkAclId",
        tags=TAGS,
        arn=_arn("network-acl"),
        fields={"vpc_id": "VpcId", "is_default": "IsDefault", "subnet_ids": "Associations[].SubnetId"},
        links=(
            Link("aws_vpc", "VpcId", default="in", delete="in", when=lambda i: not i.get("IsDefault")),
            Link("aws_ec2_subnet", "Associations[].SubnetId", default="out", delete="out"),
        ),
        get=Call(
            "DescribeNetworkAcls",
            "NetworkAcls[]",
            item_args={"NetworkAclIds": "[id]"},
            gone=("InvalidNetworkAclID.NotFound",),
        ),
        delete=Delete("DeleteNetworkAcl", {"NetworkAclId": "id"}, gone=("InvalidNetworkAclID.NotFound",)),
        delete_fn=_delete_network_acl,
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2LaunchTemplate,
        service=SERVICE,
        list=Call("DescribeLaunchTemplates", "LaunchTemplates[]", page_size=200),
        id="LaunchTemplateId",
        name="LaunchTemplateName",
        tags=TAGS,
        ctime="CreateTime",
        arn=_arn("launch-template"),
        fields={
            "default_version": "DefaultVersionNumber",
            "latest_version": "LatestVersionNumber",
            "created_by": "CreatedBy",
        },
        get=Call(
            "DescribeLaunchTemplates",
            "LaunchTemplates[]",
            item_args={"LaunchTemplateIds": "[id]"},
            gone=("InvalidLaunchTemplateId.NotFound", "InvalidLaunchTemplateId.Malformed"),
        ),
        delete=Delete(
            "DeleteLaunchTemplate", {"LaunchTemplateId": "id"}, gone=("InvalidLaunchTemplateId.NotFound",)
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsVpc,
        service=SERVICE,
        list=Call("DescribeVpcs", "Vpcs[]", page_size=1000),
        id="VpcId",
        tags=TAGS,
        arn=_arn("vpc"),
        fields={
            "cidr_block": "CidrBlock",
            "is_default": "IsDefault",
            "vpc_state": "State",
            "dhcp_options_id": "DhcpOptionsId",
            "instance_tenancy": "InstanceTenancy",
            "owner_id": "OwnerId",
        },
        get=Call("DescribeVpcs", "Vpcs[]", item_args={"VpcIds": "[id]"}, gone=("InvalidVpcID.NotFound",)),
        delete=Delete("DeleteVpc", {"VpcId": "id"}, gone=("InvalidVpcID.NotFound",)),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2Subnet,
        service=SERVICE,
        list=Call("DescribeSubnets", "Subnets[]", page_size=1000),
        id="SubnetId",
        tags=TAGS,
        arn="SubnetArn",
        fields={
            "vpc_id": "VpcId",
            "cidr_block": "CidrBlock",
            "availability_zone": "AvailabilityZone",
            "available_ip_address_count": "AvailableIpAddressCount",
            "default_for_az": "DefaultForAz",
            "map_public_ip_on_launch": "MapPublicIpOnLaunch",
            "subnet_state": "State",
        },
        links=(VPC,),
        get=Call(
            "DescribeSubnets",
            "Subnets[]",
            item_args={"SubnetIds": "[id]"},
            gone=("InvalidSubnetID.NotFound",),
        ),
        delete=Delete("DeleteSubnet", {"SubnetId": "id"}, gone=("InvalidSubnetID.NotFound",)),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsVpcEndpoint,
        service=SERVICE,
        list=Call("DescribeVpcEndpoints", "VpcEndpoints[]", page_size=1000),
        id="VpcEndpointId",
        tags=TAGS,
        ctime="CreationTimestamp",
        arn=_arn("vpc-endpoint"),
        skip=lambda i: str(i.get("State", "")).lower() in ("deleted", "deleting"),
        fields={
            "vpc_endpoint_type": "VpcEndpointType",
            "service_name": "ServiceName",
            "vpc_endpoint_state": "State",
            "vpc_id": "VpcId",
            "route_table_ids": "RouteTableIds",
            "subnet_ids": "SubnetIds",
            "network_interface_ids": "NetworkInterfaceIds",
            "private_dns_enabled": "PrivateDnsEnabled",
        },
        links=(
            VPC,
            Link("aws_ec2_route_table", "RouteTableIds", default="in", delete="in"),
            Link("aws_ec2_subnet", "SubnetIds", default="in", delete="in"),
            Link("aws_ec2_security_group", "Groups[].GroupId", default="in", delete="in"),
            Link("aws_ec2_network_interface", "NetworkInterfaceIds", default="out", delete="in"),
        ),
        get=Call(
            "DescribeVpcEndpoints",
            "VpcEndpoints[]",
            item_args={"VpcEndpointIds": "[id]"},
            gone=("InvalidVpcEndpointId.NotFound",),
        ),
        delete=Delete(
            "DeleteVpcEndpoints", {"VpcEndpointIds": "[id]"}, gone=("InvalidVpcEndpointId.NotFound",)
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsVpcPeeringConnection,
        service=SERVICE,
        list=Call("DescribeVpcPeeringConnections", "VpcPeeringConnections[]", page_size=1000),
        id="VpcPeeringConnectionId",
        tags=TAGS,
        arn=_arn("vpc-peering-connection"),
        skip=lambda i: (i.get("Status") or {}).get("Code") in ("deleted", "rejected", "failed", "expired"),
        fields={
            "connection_status": "Status.Code",
            "requester_vpc_id": "RequesterVpcInfo.VpcId",
            "requester_owner_id": "RequesterVpcInfo.OwnerId",
            "accepter_vpc_id": "AccepterVpcInfo.VpcId",
            "accepter_owner_id": "AccepterVpcInfo.OwnerId",
        },
        links=(
            Link(
                "aws_vpc",
                "RequesterVpcInfo.VpcId",
                default="in",
                delete="in",
                region="RequesterVpcInfo.Region",
                account="RequesterVpcInfo.OwnerId",
            ),
            Link(
                "aws_vpc",
                "AccepterVpcInfo.VpcId",
                default="in",
                delete="in",
                region="AccepterVpcInfo.Region",
                account="AccepterVpcInfo.OwnerId",
            ),
        ),
        get=Call(
            "DescribeVpcPeeringConnections",
            "VpcPeeringConnections[]",
            item_args={"VpcPeeringConnectionIds": "[id]"},
            gone=("InvalidVpcPeeringConnectionID.NotFound",),
        ),
        delete=Delete(
            "DeleteVpcPeeringConnection",
            {"VpcPeeringConnectionId": "id"},
            gone=("InvalidVpcPeeringConnectionID.NotFound",),
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2FlowLog,
        service=SERVICE,
        list=Call("DescribeFlowLogs", "FlowLogs[]", page_size=1000),
        id="FlowLogId",
        tags=TAGS,
        ctime="CreationTime",
        arn=_arn("vpc-flow-log"),
        fields={
            "resource_id": "ResourceId",
            "traffic_type": "TrafficType",
            "log_destination": "LogDestination",
            "log_destination_type": "LogDestinationType",
            "log_group_name": "LogGroupName",
            "flow_log_status": "FlowLogStatus",
        },
        links=(
            Link("aws_vpc", "ResourceId", default="in", to_id=lambda v: v if v.startswith("vpc-") else None),
        ),
        get=Call("DescribeFlowLogs", "FlowLogs[]", item_args={"FlowLogIds": "[id]"}),
        delete=Delete("DeleteFlowLogs", {"FlowLogIds": "[id]"}),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2Host,
        service=SERVICE,
        list=Call("DescribeHosts", "Hosts[]", page_size=500),
        id="HostId",
        tags=TAGS,
        ctime="AllocationTime",
        arn=_arn("dedicated-host"),
        skip=lambda i: i.get("State") in ("released", "released-permanent-failure"),
        fields={
            "host_state": "State",
            "availability_zone": "AvailabilityZone",
            "instance_family": "HostProperties.InstanceFamily",
            "instance_type": "HostProperties.InstanceType",
            "auto_placement": "AutoPlacement",
            "host_recovery": "HostRecovery",
            "host_cores": "HostProperties.Cores",
            "host_sockets": "HostProperties.Sockets",
            "owner_id": "OwnerId",
            "instance_ids": "Instances[].InstanceId",
        },
        links=(Link("aws_ec2_instance", "Instances[].InstanceId", default="out", delete="out"),),
        get=Call("DescribeHosts", "Hosts[]", item_args={"HostIds": "[id]"}, gone=("InvalidHostID.NotFound",)),
        delete=Delete("ReleaseHosts", {"HostIds": "[id]"}, gone=("InvalidHostID.NotFound",)),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2ReservedInstances,
        service=SERVICE,
        list=Call("DescribeReservedInstances", "ReservedInstances[]"),
        id="ReservedInstancesId",
        tags=TAGS,
        ctime="Start",
        arn=_arn("reserved-instances"),
        fields={
            "instance_type": "InstanceType",
            "instance_count": "InstanceCount",
            "reservation_state": "State",
            "offering_type": "OfferingType",
            "reservation_start": _str("Start"),
            "reservation_end": _str("End"),
        },
        links=(Link("aws_ec2_instance_type", "InstanceType", default="in"),),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEc2InstanceType,
        service=SERVICE,
        list=None,
        items=_instance_types,
        after=("aws_ec2_instance",),
        id="InstanceType",
        arn="arn:{partition}:ec2:{region}:{account}:instance-type/{id}",
        fields={
            "instance_type": "InstanceType",
            "instance_cores": "VCpuInfo.DefaultVCpus",
            "instance_memory": _mem_gib,
            "architectures": "ProcessorInfo.SupportedArchitectures",
            "current_generation": "CurrentGeneration",
        },
        iam=("ec2:DescribeInstanceTypes",),
    ),
    Kind(
        cls=AwsEc2VolumeType,
        service=SERVICE,
        list=None,
        items=_volume_types,
        after=("aws_ec2_volume",),
        id="VolumeType",
        arn="arn:{partition}:ec2:{region}:{account}:volume-type/{id}",
        fields={"volume_type": "VolumeType", "volumes_in_use": "Count", "volume_size_total": "Size"},
        iam=("ec2:DescribeVolumes",),
    ),
]
