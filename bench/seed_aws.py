#!/usr/bin/env python3
"""Fill a local moto server with a deterministic, realistic AWS account for benchmarks and tests.

    python bench/seed_aws.py --endpoint http://127.0.0.1:5055 --size 5 --reset --json seed.json

The account spans three regions (us-east-1, us-west-2, eu-central-1 by default). ``--size N``
scales every count linearly; names depend only on N, the region and an index, so two seeds of the
same size describe the same inventory (moto still picks its own random ids). Only loopback
endpoints are accepted, and the process refuses to resolve any other host name while it runs.

The printed and returned counts are keyed by the kind the collector is expected to produce for
them (``aws_ec2_instance``, ``aws_s3_bucket``, ...) and count only what this script created
explicitly; moto adds its own defaults on top (default VPCs and security groups, root volumes of
instances, network interfaces, the ASG's instances, ...).

Importable: :func:`seed` returns the counts for tests.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

log = logging.getLogger("seed_aws")

REGIONS = ("us-east-1", "us-west-2", "eu-central-1")
ACCOUNT = "123456789012"  # moto's default account id

# How many of each thing one unit of --size creates in every region.
REGIONAL: dict[str, int] = {
    "aws_vpc": 1,  # + 2 subnets, IGW, NAT gateway, route table, network ACL, 3 security groups
    "aws_ec2_instance": 8,
    "aws_ec2_volume": 4,  # half of them attached
    "aws_ec2_snapshot": 3,
    "aws_ec2_elastic_ip": 2,  # one associated (the NAT gateway's address comes on top)
    "aws_ec2_keypair": 2,
    "aws_lambda_function": 2,
    "aws_sqs_queue": 4,
    "aws_sns_topic": 3,  # each with one SQS subscription
    "aws_dynamodb_table": 2,
    "aws_rds_instance": 1,
    "aws_alb": 1,  # + target group and listener
    "aws_autoscaling_group": 1,  # + launch template
    "aws_cloudwatch_alarm": 3,
    "aws_kms_key": 2,
    "aws_cloudwatch_log_group": 2,  # + one metric filter each
    "aws_ecr_repository": 2,
    "aws_secretsmanager_secret": 2,
    "aws_backup_vault": 1,  # + one backup plan and one report plan (seed_backup_and_bedrock)
    "aws_bedrock_agent": 1,  # + a knowledge base and a custom model from a customization job
    # kinds added with issue 18 (one of each per unit: services real estates hold fewer of)
    "aws_acm_certificate": 1,
    "aws_apigateway_domain_name": 1,
    "aws_sfn_state_machine": 1,
    "aws_eventbridge_event_bus": 1,  # + one rule on it (aws_eventbridge_rule), targeting the state machine
    "aws_glue_database": 1,  # + a job and a crawler
    "aws_msk_cluster": 1,
    "aws_neptune_cluster": 1,
    "aws_mq_broker": 1,
    "aws_batch_compute_environment": 1,  # + a job queue on it
    "aws_transfer_server": 1,
    "aws_codebuild_project": 1,  # + a pipeline that builds with it
    "aws_sagemaker_experiment": 1,  # + one trial
    "aws_sagemaker_processing_job": 1,
}
# How many of each global thing one unit of --size creates.
GLOBAL: dict[str, int] = {
    "aws_s3_bucket": 8,
    "aws_iam_user": 6,  # every other one gets an access key
    "aws_iam_group": 2,
    "aws_iam_role": 4,  # each with an instance profile
    "aws_iam_policy": 4,
    "aws_route53_zone": 2,  # 5 A records each
}
RECORDS_PER_ZONE = 5

TEAMS = ("payments", "search", "platform", "data", "web", "ml")
STAGES = ("prod", "staging", "dev")


def tag_map(index: int, name: str) -> dict[str, str]:
    """The tags every seeded resource carries: a name plus team, stage and cost centre."""
    return {
        "Name": name,
        "team": TEAMS[index % len(TEAMS)],
        "stage": STAGES[index % len(STAGES)],
        "cost-center": f"cc-{100 + index % 9}",
    }


def tag_list(index: int, name: str, key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in tag_map(index, name).items()]


def tag_spec(resource_type: str, index: int, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": tag_list(index, name)}]


def is_loopback(endpoint: str) -> bool:
    host = urllib.parse.urlparse(endpoint).hostname or ""
    if host == "localhost" or host == "::1":
        return True
    parts = host.split(".")
    return len(parts) == 4 and parts[0] == "127" and all(p.isdigit() for p in parts)


@contextmanager
def loopback_only() -> Iterator[None]:
    """Refuse to resolve any non-loopback host while seeding (no packet may leave the machine)."""
    original = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if not is_loopback(f"http://{name}/") and name not in ("localhost", "::1"):
            raise socket.gaierror(socket.EAI_NONAME, f"seed_aws: refusing to resolve {name!r}")
        return original(host, *args, **kwargs)

    socket.getaddrinfo = guarded
    try:
        yield
    finally:
        socket.getaddrinfo = original


def reset(endpoint: str) -> None:
    """Empty the moto server (POST /moto-api/reset)."""
    request = urllib.request.Request(endpoint.rstrip("/") + "/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()


def lambda_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("app.py", "def handle(event, context):\n    return event\n")
    return buf.getvalue()


@dataclass
class RegionState:
    """What later steps of one region need from earlier ones."""

    region: str
    vpc_ids: list[str] = field(default_factory=list)
    subnet_ids: list[str] = field(default_factory=list)
    sg_ids: list[str] = field(default_factory=list)
    instance_ids: list[str] = field(default_factory=list)
    image_id: str = ""
    queue_arns: list[str] = field(default_factory=list)


class AccountSeeder:
    """Creates the account; counts go to :attr:`counts`, failing steps to :attr:`failures`."""

    def __init__(self, endpoint: str, size: int, regions: tuple[str, ...] | list[str]) -> None:
        if not is_loopback(endpoint):
            raise ValueError(f"refusing non-loopback endpoint {endpoint!r}")
        if size < 1:
            raise ValueError("size must be at least 1")
        self.endpoint = endpoint
        self.size = size
        self.regions = list(regions)
        self.counts: Counter[str] = Counter()
        self.failures: dict[str, str] = {}
        self.timings: dict[str, float] = {}
        self._lock = threading.Lock()
        self._session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=self.regions[0]
        )
        self._config = Config(retries={"mode": "standard", "max_attempts": 4}, max_pool_connections=4)
        self._clients: dict[tuple[str, str, int], Any] = {}
        self.role_arns: list[str] = []

    # -- helpers ---------------------------------------------------------------------------
    def client(self, service: str, region: str) -> Any:
        key = (service, region, threading.get_ident())
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                found = self._session.client(
                    service, region_name=region, endpoint_url=self.endpoint, config=self._config
                )
                self._clients[key] = found
        return found

    def count(self, kind: str, amount: int = 1) -> None:
        with self._lock:
            self.counts[kind] += amount

    def n(self, table: dict[str, int], kind: str) -> int:
        return table[kind] * self.size

    def step(self, name: str, fn: Callable[[], None]) -> None:
        started = time.perf_counter()
        try:
            fn()
        except Exception as exc:  # one broken service must not stop the rest of the seed
            log.warning("seed step %s failed: %s", name, exc)
            with self._lock:
                self.failures[name] = f"{type(exc).__name__}: {str(exc)[:300]}"
        finally:
            with self._lock:
                self.timings[name] = round(time.perf_counter() - started, 2)

    # -- global ----------------------------------------------------------------------------
    def seed_iam(self) -> None:
        iam = self.client("iam", "us-east-1")
        policies: list[str] = []
        for i in range(self.n(GLOBAL, "aws_iam_policy")):
            name = f"bench-policy-{i}"
            document = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["s3:GetObject", "s3:PutObject"],
                        "Resource": f"arn:aws:s3:::bench-data-{i}/*",
                    }
                ],
            }
            created = iam.create_policy(
                PolicyName=name, PolicyDocument=json.dumps(document), Tags=tag_list(i, name)
            )
            policies.append(created["Policy"]["Arn"])
            self.count("aws_iam_policy")
        groups: list[str] = []
        for i in range(self.n(GLOBAL, "aws_iam_group")):
            name = f"bench-group-{i}"
            iam.create_group(GroupName=name, Path="/bench/")
            iam.attach_group_policy(GroupName=name, PolicyArn=policies[i % len(policies)])
            groups.append(name)
            self.count("aws_iam_group")
        for i in range(self.n(GLOBAL, "aws_iam_user")):
            name = f"bench-user-{i}"
            iam.create_user(UserName=name, Path="/bench/", Tags=tag_list(i, name))
            iam.add_user_to_group(GroupName=groups[i % len(groups)], UserName=name)
            if i % 3 == 1:
                iam.attach_user_policy(UserName=name, PolicyArn=policies[(i + 1) % len(policies)])
            if i % 2 == 0:
                iam.create_access_key(UserName=name)
                self.count("aws_iam_access_key")
            self.count("aws_iam_user")
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]},
                    "Action": "sts:AssumeRole",
                },
                # a statement of its own: moto's CodePipeline compares the principal as one string
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "codepipeline.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                },
            ],
        }
        inline = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "*"}],
        }
        for i in range(self.n(GLOBAL, "aws_iam_role")):
            name = f"bench-role-{i}"
            role = iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=json.dumps(trust),
                Description=f"bench role {i}",
                Tags=tag_list(i, name),
            )
            iam.attach_role_policy(RoleName=name, PolicyArn=policies[i % len(policies)])
            iam.put_role_policy(RoleName=name, PolicyName="write-logs", PolicyDocument=json.dumps(inline))
            profile = f"bench-profile-{i}"
            iam.create_instance_profile(InstanceProfileName=profile, Tags=tag_list(i, profile))
            iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=name)
            self.role_arns.append(role["Role"]["Arn"])
            self.count("aws_iam_role")
            self.count("aws_iam_instance_profile")

    def seed_s3(self) -> None:
        for i in range(self.n(GLOBAL, "aws_s3_bucket")):
            region = self.regions[i % len(self.regions)]
            s3 = self.client("s3", region)
            name = f"bench-{self.size}-bucket-{i}"
            if region == "us-east-1":
                s3.create_bucket(Bucket=name)
            else:
                s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
            s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_list(i, name)})
            if i % 2 == 1:
                s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
            if i % 4 == 0:
                s3.put_bucket_encryption(
                    Bucket=name,
                    ServerSideEncryptionConfiguration={
                        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
                    },
                )
            s3.put_object(Bucket=name, Key=f"data/{i}.json", Body=b'{"seeded": true}')
            self.count("aws_s3_bucket")

    def seed_route53(self) -> None:
        r53 = self.client("route53", "us-east-1")
        for i in range(self.n(GLOBAL, "aws_route53_zone")):
            domain = f"zone{i}.bench{self.size}.example"
            zone = r53.create_hosted_zone(Name=domain, CallerReference=f"bench-{self.size}-{i}")
            zone_id = zone["HostedZone"]["Id"].rsplit("/", 1)[-1]
            r53.change_tags_for_resource(
                ResourceType="hostedzone", ResourceId=zone_id, AddTags=tag_list(i, domain)
            )
            records = [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": f"app{j}.{domain}",
                        "Type": "A",
                        "TTL": 60 * (j + 1),
                        "ResourceRecords": [{"Value": f"192.0.2.{(i * RECORDS_PER_ZONE + j) % 250 + 1}"}],
                    },
                }
                for j in range(RECORDS_PER_ZONE)
            ]
            r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": records})
            self.count("aws_route53_zone")
            self.count("aws_route53_resource_record_set", RECORDS_PER_ZONE)

    # -- regional --------------------------------------------------------------------------
    def seed_network(self, st: RegionState) -> None:
        ec2 = self.client("ec2", st.region)
        for v in range(self.n(REGIONAL, "aws_vpc")):
            octet = 20 + v % 200
            vpc_id = ec2.create_vpc(
                CidrBlock=f"10.{octet}.0.0/16", TagSpecifications=tag_spec("vpc", v, f"bench-vpc-{v}")
            )["Vpc"]["VpcId"]
            st.vpc_ids.append(vpc_id)
            self.count("aws_vpc")
            igw_id = ec2.create_internet_gateway(
                TagSpecifications=tag_spec("internet-gateway", v, f"bench-igw-{v}")
            )["InternetGateway"]["InternetGatewayId"]
            ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc_id)
            self.count("aws_ec2_internet_gateway")
            route_table = ec2.create_route_table(
                VpcId=vpc_id, TagSpecifications=tag_spec("route-table", v, f"bench-rt-{v}")
            )["RouteTable"]["RouteTableId"]
            ec2.create_route(RouteTableId=route_table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)
            self.count("aws_ec2_route_table")
            acl_id = ec2.create_network_acl(
                VpcId=vpc_id, TagSpecifications=tag_spec("network-acl", v, f"bench-acl-{v}")
            )["NetworkAcl"]["NetworkAclId"]
            ec2.create_network_acl_entry(
                NetworkAclId=acl_id,
                RuleNumber=100,
                Protocol="6",
                RuleAction="allow",
                Egress=False,
                CidrBlock="0.0.0.0/0",
                PortRange={"From": 443, "To": 443},
            )
            self.count("aws_ec2_network_acl")
            subnets: list[str] = []
            for s, zone in enumerate(("a", "b")):
                subnet_id = ec2.create_subnet(
                    VpcId=vpc_id,
                    CidrBlock=f"10.{octet}.{s * 16}.0/20",
                    AvailabilityZone=st.region + zone,
                    TagSpecifications=tag_spec("subnet", s, f"bench-subnet-{v}{zone}"),
                )["Subnet"]["SubnetId"]
                ec2.associate_route_table(RouteTableId=route_table, SubnetId=subnet_id)
                subnets.append(subnet_id)
                self.count("aws_ec2_subnet")
            st.subnet_ids.extend(subnets)
            nat_ip = ec2.allocate_address(
                Domain="vpc", TagSpecifications=tag_spec("elastic-ip", v, f"bench-nat-ip-{v}")
            )["AllocationId"]
            self.count("aws_ec2_elastic_ip")
            ec2.create_nat_gateway(
                SubnetId=subnets[0],
                AllocationId=nat_ip,
                TagSpecifications=tag_spec("natgateway", v, f"bench-nat-{v}"),
            )
            self.count("aws_ec2_nat_gateway")
            # web <- app <- db: each group admits traffic from the previous one
            previous: str | None = None
            for g, role in enumerate(("web", "app", "db")):
                name = f"bench-sg-{v}-{role}"
                sg_id = ec2.create_security_group(
                    GroupName=name,
                    Description=f"bench {role} tier",
                    VpcId=vpc_id,
                    TagSpecifications=tag_spec("security-group", g, name),
                )["GroupId"]
                permission: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}
                if previous is None:
                    permission["IpRanges"] = [{"CidrIp": "0.0.0.0/0", "Description": "public https"}]
                else:
                    permission["UserIdGroupPairs"] = [{"GroupId": previous, "Description": "from tier"}]
                ec2.authorize_security_group_ingress(GroupId=sg_id, IpPermissions=[permission])
                st.sg_ids.append(sg_id)
                previous = sg_id
                self.count("aws_ec2_security_group")
        for k in range(self.n(REGIONAL, "aws_ec2_keypair")):
            name = f"bench-key-{k}"
            ec2.create_key_pair(KeyName=name, TagSpecifications=tag_spec("key-pair", k, name))
            self.count("aws_ec2_keypair")

    def seed_compute(self, st: RegionState) -> None:
        ec2 = self.client("ec2", st.region)
        image_name = f"bench-base-image-{st.region}"
        mine = ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [image_name]}])
        if mine["Images"]:
            st.image_id = mine["Images"][0]["ImageId"]
        else:
            st.image_id = ec2.register_image(
                Name=image_name,
                Architecture="x86_64",
                RootDeviceName="/dev/xvda",
                VirtualizationType="hvm",
                BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 10}}],
            )["ImageId"]
            ec2.create_tags(Resources=[st.image_id], Tags=tag_list(0, image_name))
            self.count("aws_ec2_image")
        types = ("t3.micro", "t3.medium", "m5.large", "r5.large", "c5.xlarge")
        keys = self.n(REGIONAL, "aws_ec2_keypair")
        for i in range(self.n(REGIONAL, "aws_ec2_instance")):
            name = f"bench-vm-{i}"
            reservation = ec2.run_instances(
                ImageId=st.image_id,
                MinCount=1,
                MaxCount=1,
                InstanceType=types[i % len(types)],
                KeyName=f"bench-key-{i % keys}",
                SubnetId=st.subnet_ids[i % len(st.subnet_ids)],
                SecurityGroupIds=[st.sg_ids[i % len(st.sg_ids)]],
                TagSpecifications=tag_spec("instance", i, name),
            )
            st.instance_ids.append(reservation["Instances"][0]["InstanceId"])
            self.count("aws_ec2_instance")
        stopped = st.instance_ids[1::4]
        if stopped:
            ec2.stop_instances(InstanceIds=stopped)
        volumes: list[str] = []
        for v in range(self.n(REGIONAL, "aws_ec2_volume")):
            kind = ("gp3", "gp2", "io1", "st1")[v % 4]
            extra: dict[str, Any] = {"Iops": 200} if kind == "io1" else {}
            size = 125 + v if kind == "st1" else 10 + v % 40
            volume_id = ec2.create_volume(
                AvailabilityZone=f"{st.region}a",
                Size=size,
                VolumeType=kind,
                TagSpecifications=tag_spec("volume", v, f"bench-disk-{v}"),
                **extra,
            )["VolumeId"]
            volumes.append(volume_id)
            if v % 2 == 1:
                ec2.attach_volume(
                    VolumeId=volume_id,
                    InstanceId=st.instance_ids[v % len(st.instance_ids)],
                    Device="/dev/sdh",
                )
            self.count("aws_ec2_volume")
        for s in range(self.n(REGIONAL, "aws_ec2_snapshot")):
            ec2.create_snapshot(
                VolumeId=volumes[s % len(volumes)],
                Description=f"bench backup {s}",
                TagSpecifications=tag_spec("snapshot", s, f"bench-backup-{s}"),
            )
            self.count("aws_ec2_snapshot")
        for e in range(self.n(REGIONAL, "aws_ec2_elastic_ip")):
            allocation = ec2.allocate_address(
                Domain="vpc", TagSpecifications=tag_spec("elastic-ip", e, f"bench-ip-{e}")
            )["AllocationId"]
            if e % 2 == 1:
                ec2.associate_address(
                    AllocationId=allocation, InstanceId=st.instance_ids[e % len(st.instance_ids)]
                )
            self.count("aws_ec2_elastic_ip")

    def seed_lambda(self, st: RegionState) -> None:
        lam = self.client("lambda", st.region)
        code = lambda_zip()
        roles = self.role_arns or [f"arn:aws:iam::{ACCOUNT}:role/bench-role-0"]
        for i in range(self.n(REGIONAL, "aws_lambda_function")):
            name = f"bench-fn-{i}"
            lam.create_function(
                FunctionName=name,
                Runtime="python3.12",
                Role=roles[i % len(roles)],
                Handler="app.handle",
                Code={"ZipFile": code},
                MemorySize=128 * (1 + i % 4),
                Timeout=15,
                Environment={"Variables": {"STAGE": STAGES[i % len(STAGES)]}},
                Tags=tag_map(i, name),
            )
            self.count("aws_lambda_function")

    def seed_messaging(self, st: RegionState) -> None:
        sqs = self.client("sqs", st.region)
        sns = self.client("sns", st.region)
        for i in range(self.n(REGIONAL, "aws_sqs_queue")):
            name = f"bench-queue-{i}"
            url = sqs.create_queue(
                QueueName=name,
                Attributes={"VisibilityTimeout": str(30 + i), "MessageRetentionPeriod": "86400"},
                tags=tag_map(i, name),
            )["QueueUrl"]
            attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
            st.queue_arns.append(attrs["Attributes"]["QueueArn"])
            self.count("aws_sqs_queue")
        for i in range(self.n(REGIONAL, "aws_sns_topic")):
            name = f"bench-topic-{i}"
            topic = sns.create_topic(Name=name, Tags=tag_list(i, name))["TopicArn"]
            self.count("aws_sns_topic")
            sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=st.queue_arns[i % len(st.queue_arns)])
            self.count("aws_sns_subscription")

    def seed_dynamodb(self, st: RegionState) -> None:
        ddb = self.client("dynamodb", st.region)
        for i in range(self.n(REGIONAL, "aws_dynamodb_table")):
            name = f"bench-table-{i}"
            ddb.create_table(
                TableName=name,
                AttributeDefinitions=[
                    {"AttributeName": "id", "AttributeType": "S"},
                    {"AttributeName": "at", "AttributeType": "N"},
                ],
                KeySchema=[
                    {"AttributeName": "id", "KeyType": "HASH"},
                    {"AttributeName": "at", "KeyType": "RANGE"},
                ],
                BillingMode="PAY_PER_REQUEST",
                Tags=tag_list(i, name),
            )
            self.count("aws_dynamodb_table")

    def seed_rds(self, st: RegionState) -> None:
        rds = self.client("rds", st.region)
        group = "bench-db-subnets"
        rds.create_db_subnet_group(
            DBSubnetGroupName=group,
            DBSubnetGroupDescription="bench database subnets",
            SubnetIds=st.subnet_ids[:2],
            Tags=tag_list(0, group),
        )
        for i in range(self.n(REGIONAL, "aws_rds_instance")):
            name = f"bench-db-{i}"
            rds.create_db_instance(
                DBInstanceIdentifier=name,
                DBInstanceClass=("db.t3.micro", "db.m5.large")[i % 2],
                Engine=("postgres", "mysql")[i % 2],
                AllocatedStorage=20 + 10 * (i % 3),
                MasterUsername="benchadmin",
                MasterUserPassword="not-a-secret-1",
                DBSubnetGroupName=group,
                VpcSecurityGroupIds=[st.sg_ids[2]],
                Tags=tag_list(i, name),
            )
            self.count("aws_rds_instance")

    def seed_elbv2(self, st: RegionState) -> None:
        elb = self.client("elbv2", st.region)
        for i in range(self.n(REGIONAL, "aws_alb")):
            v = i % len(st.vpc_ids)
            subnets = st.subnet_ids[2 * v : 2 * v + 2]
            name = f"bench-alb-{i}"
            balancer = elb.create_load_balancer(
                Name=name,
                Subnets=subnets,
                SecurityGroups=[st.sg_ids[3 * v]],
                Scheme="internet-facing",
                Type="application",
                Tags=tag_list(i, name),
            )["LoadBalancers"][0]["LoadBalancerArn"]
            group = elb.create_target_group(
                Name=f"bench-tg-{i}",
                Protocol="HTTP",
                Port=8080,
                VpcId=st.vpc_ids[v],
                TargetType="instance",
                HealthCheckPath="/health",
                Tags=tag_list(i, f"bench-tg-{i}"),
            )["TargetGroups"][0]["TargetGroupArn"]
            # instances i, i+2 are in the first subnet pair only when they are in this VPC: pick by subnet
            targets = [
                iid
                for n, iid in enumerate(st.instance_ids)
                if st.subnet_ids[n % len(st.subnet_ids)] in subnets and n % 4 != 1
            ][:2]
            if targets:
                elb.register_targets(TargetGroupArn=group, Targets=[{"Id": t, "Port": 8080} for t in targets])
            elb.create_listener(
                LoadBalancerArn=balancer,
                Protocol="HTTP",
                Port=80,
                DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
            )
            self.count("aws_alb")
            self.count("aws_alb_target_group")

    def seed_autoscaling(self, st: RegionState) -> None:
        ec2 = self.client("ec2", st.region)
        asg = self.client("autoscaling", st.region)
        for i in range(self.n(REGIONAL, "aws_autoscaling_group")):
            template = f"bench-template-{i}"
            template_id = ec2.create_launch_template(
                LaunchTemplateName=template,
                LaunchTemplateData={"ImageId": st.image_id, "InstanceType": "t3.small"},
                TagSpecifications=tag_spec("launch-template", i, template),
            )["LaunchTemplate"]["LaunchTemplateId"]
            self.count("aws_ec2_launch_template")
            name = f"bench-asg-{i}"
            asg.create_auto_scaling_group(
                AutoScalingGroupName=name,
                LaunchTemplate={"LaunchTemplateId": template_id, "Version": "$Latest"},
                MinSize=1,
                MaxSize=4,
                DesiredCapacity=1,
                VPCZoneIdentifier=",".join(st.subnet_ids[:2]),
                Tags=[
                    {
                        "Key": t["Key"],
                        "Value": t["Value"],
                        "PropagateAtLaunch": t["Key"] != "Name",
                        "ResourceId": name,
                        "ResourceType": "auto-scaling-group",
                    }
                    for t in tag_list(i, name)
                ],
            )
            self.count("aws_autoscaling_group")

    def seed_monitoring(self, st: RegionState) -> None:
        cw = self.client("cloudwatch", st.region)
        logs = self.client("logs", st.region)
        for i in range(self.n(REGIONAL, "aws_cloudwatch_alarm")):
            name = f"bench-alarm-{i}"
            cw.put_metric_alarm(
                AlarmName=name,
                Namespace="AWS/EC2",
                MetricName=("CPUUtilization", "NetworkIn", "StatusCheckFailed")[i % 3],
                Dimensions=[{"Name": "InstanceId", "Value": st.instance_ids[i % len(st.instance_ids)]}],
                Statistic="Average",
                Period=300,
                EvaluationPeriods=3,
                Threshold=75.0,
                ComparisonOperator="GreaterThanOrEqualToThreshold",
                Tags=tag_list(i, name),
            )
            self.count("aws_cloudwatch_alarm")
        for i in range(self.n(REGIONAL, "aws_cloudwatch_log_group")):
            name = f"/bench/app-{i}"
            logs.create_log_group(logGroupName=name, tags=tag_map(i, name))
            logs.put_retention_policy(logGroupName=name, retentionInDays=(7, 30, 90)[i % 3])
            logs.put_metric_filter(
                logGroupName=name,
                filterName=f"errors-{i}",
                filterPattern="ERROR",
                metricTransformations=[
                    {"metricName": f"bench-errors-{i}", "metricNamespace": "Bench", "metricValue": "1"}
                ],
            )
            self.count("aws_cloudwatch_log_group")
            self.count("aws_cloudwatch_metric_filter")

    def seed_kms(self, st: RegionState) -> None:
        kms = self.client("kms", st.region)
        for i in range(self.n(REGIONAL, "aws_kms_key")):
            name = f"bench-key-{i}"
            key_id = kms.create_key(
                Description=f"bench data key {i}", Tags=tag_list(i, name, "TagKey", "TagValue")
            )["KeyMetadata"]["KeyId"]
            kms.create_alias(AliasName=f"alias/bench-{i}", TargetKeyId=key_id)
            if i % 2 == 1:
                kms.enable_key_rotation(KeyId=key_id)
            self.count("aws_kms_key")

    def seed_containers_and_secrets(self, st: RegionState) -> None:
        ecr = self.client("ecr", st.region)
        for i in range(self.n(REGIONAL, "aws_ecr_repository")):
            name = f"bench/service-{i}"
            ecr.create_repository(
                repositoryName=name,
                imageTagMutability=("MUTABLE", "IMMUTABLE")[i % 2],
                tags=tag_list(i, name),
            )
            self.count("aws_ecr_repository")
        secrets = self.client("secretsmanager", st.region)
        for i in range(self.n(REGIONAL, "aws_secretsmanager_secret")):
            name = f"bench/secret-{i}"
            secrets.create_secret(
                Name=name,
                Description=f"bench credential {i}",
                SecretString=json.dumps({"password": f"fake-{i}"}),
                Tags=tag_list(i, name),
            )
            self.count("aws_secretsmanager_secret")

    def seed_backup_and_bedrock(self, st: RegionState) -> None:
        backup = self.client("backup", st.region)
        agents = self.client("bedrock-agent", st.region)
        bedrock = self.client("bedrock", st.region)
        role = self.role_arns[0] if self.role_arns else f"arn:aws:iam::{ACCOUNT}:role/bench-role-0"
        for i in range(self.n(REGIONAL, "aws_backup_vault")):
            name = f"bench-vault-{i}"
            backup.create_backup_vault(BackupVaultName=name, BackupVaultTags=tag_map(i, name))
            rule = {"RuleName": "daily", "TargetBackupVaultName": name}
            backup.create_backup_plan(BackupPlan={"BackupPlanName": f"bench-plan-{i}", "Rules": [rule]})
            backup.create_report_plan(
                ReportPlanName=f"bench_report_{i}",
                ReportDeliveryChannel={"S3BucketName": "bench-reports"},
                ReportSetting={"ReportTemplate": "BACKUP_JOB_REPORT"},
            )
            self.count("aws_backup_vault")
            self.count("aws_backup_plan")
            self.count("aws_backup_report_plan")
        for i in range(self.n(REGIONAL, "aws_bedrock_agent")):
            name = f"bench-agent-{i}"
            agents.create_agent(
                agentName=name,
                agentResourceRoleArn=role,
                foundationModel="anthropic.claude-v2",
                tags=tag_map(i, name),
            )
            agents.create_knowledge_base(
                name=f"bench-kb-{i}",
                roleArn=role,
                knowledgeBaseConfiguration={
                    "type": "VECTOR",
                    "vectorKnowledgeBaseConfiguration": {
                        "embeddingModelArn": f"arn:aws:bedrock:{st.region}::foundation-model/amazon.titan-embed-text-v1"
                    },
                },
                storageConfiguration={
                    "type": "OPENSEARCH_SERVERLESS",
                    "opensearchServerlessConfiguration": {
                        "collectionArn": f"arn:aws:aoss:{st.region}:{ACCOUNT}:collection/bench",
                        "vectorIndexName": "bench",
                        "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"},
                    },
                },
            )
            bedrock.create_model_customization_job(
                jobName=f"bench-tune-{i}",
                customModelName=f"bench-model-{i}",
                roleArn=role,
                baseModelIdentifier="amazon.titan-text-express-v1",
                trainingDataConfig={"s3Uri": "s3://bench-data/train"},
                outputDataConfig={"s3Uri": "s3://bench-data/out"},
                hyperParameters={},
            )
            self.count("aws_bedrock_agent")
            self.count("aws_bedrock_agent_knowledge_base")
            self.count("aws_bedrock_custom_model")
            self.count("aws_bedrock_model_customization_job")

    def seed_integration(self, st: RegionState) -> None:
        """Certificates, API domains, state machines, event buses and rules, CodeBuild and CodePipeline."""
        r = st.region
        role = (self.role_arns or [f"arn:aws:iam::{ACCOUNT}:role/bench-role-0"])[0]
        for i in range(self.n(REGIONAL, "aws_acm_certificate")):
            name = f"bench-{i}.{r}.example.com"
            cert = self.client("acm", r).request_certificate(DomainName=name, Tags=tag_list(i, name))
            self.count("aws_acm_certificate")
            self.client("apigateway", r).create_domain_name(
                domainName=f"api.{name}",
                regionalCertificateArn=cert["CertificateArn"],
                endpointConfiguration={"types": ["REGIONAL"]},
                tags=tag_map(i, name),
            )
            self.count("aws_apigateway_domain_name")
        machines = []
        for i in range(self.n(REGIONAL, "aws_sfn_state_machine")):
            name = f"bench-flow-{i}"
            machines.append(
                self.client("stepfunctions", r).create_state_machine(
                    name=name,
                    definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
                    roleArn=role,
                    tags=tag_list(i, name, "key", "value"),
                )["stateMachineArn"]
            )
            self.count("aws_sfn_state_machine")
        events = self.client("events", r)
        for i in range(self.n(REGIONAL, "aws_eventbridge_event_bus")):
            name = f"bench-bus-{i}"
            events.create_event_bus(Name=name, Tags=tag_list(i, name))
            events.put_rule(
                Name=f"{name}-rule", EventBusName=name, EventPattern=json.dumps({"source": [name]})
            )
            if machines:
                events.put_targets(
                    Rule=f"{name}-rule",
                    EventBusName=name,
                    Targets=[{"Id": "flow", "Arn": machines[0], "RoleArn": role}],
                )
            self.count("aws_eventbridge_event_bus")
            self.count("aws_eventbridge_rule")
        bucket = f"bench-artifacts-{r}"  # the pipelines' artifact store (an edge to it must land)
        if self.n(REGIONAL, "aws_codebuild_project"):
            where = {} if r == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": r}}
            self.client("s3", r).create_bucket(Bucket=bucket, **where)
            self.count("aws_s3_bucket")
        for i in range(self.n(REGIONAL, "aws_codebuild_project")):
            name = f"bench-build-{i}"
            self.client("codebuild", r).create_project(
                name=name,
                source={"type": "S3", "location": f"{bucket}/{name}.zip"},
                artifacts={"type": "S3", "location": bucket},
                environment={
                    "type": "LINUX_CONTAINER",
                    "image": "aws/codebuild/standard:7.0",
                    "computeType": "BUILD_GENERAL1_SMALL",
                },
                serviceRole=role,
                tags=tag_list(i, name, "key", "value"),
            )
            self.count("aws_codebuild_project")
            action = {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}
            build = {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}
            stages = [
                {"name": "Source", "actions": [{"name": "Get", "actionTypeId": action, "outputArtifacts": [{"name": "src"}],
                                                "configuration": {"S3Bucket": bucket, "S3ObjectKey": "src.zip"}}]},
                {"name": "Build", "actions": [{"name": "Make", "actionTypeId": build, "inputArtifacts": [{"name": "src"}],
                                               "configuration": {"ProjectName": name}}]},
            ]  # fmt: skip
            self.client("codepipeline", r).create_pipeline(
                pipeline={
                    "name": f"bench-release-{i}",
                    "roleArn": role,
                    "artifactStore": {"type": "S3", "location": bucket},
                    "stages": stages,
                },
                tags=tag_list(i, name, "key", "value"),
            )
            self.count("aws_codepipeline_pipeline")

    def seed_data_services(self, st: RegionState) -> None:
        """Glue, MSK, Neptune, Amazon MQ, Batch, Transfer Family and SageMaker experiments."""
        r = st.region
        role = (self.role_arns or [f"arn:aws:iam::{ACCOUNT}:role/bench-role-0"])[0]
        glue = self.client("glue", r)
        for i in range(self.n(REGIONAL, "aws_glue_database")):
            name = f"bench_db_{i}"
            glue.create_database(DatabaseInput={"Name": name}, Tags=tag_map(i, name))
            glue.create_job(
                Name=f"bench-etl-{i}",
                Role=role,
                Command={"Name": "glueetl", "ScriptLocation": "s3://bench-etl/job.py"},
                Tags=tag_map(i, name),
            )
            glue.create_crawler(
                Name=f"bench-crawler-{i}",
                Role=role,
                DatabaseName=name,
                Targets={"S3Targets": [{"Path": "s3://bench-raw/"}]},
                Tags=tag_map(i, name),
            )
            for kind in ("aws_glue_database", "aws_glue_job", "aws_glue_crawler"):
                self.count(kind)
        for i in range(self.n(REGIONAL, "aws_msk_cluster")):
            name = f"bench-kafka-{i}"
            self.client("kafka", r).create_cluster_v2(
                ClusterName=name,
                Provisioned={
                    "BrokerNodeGroupInfo": {
                        "InstanceType": "kafka.m5.large",
                        "ClientSubnets": st.subnet_ids[:2],
                        "SecurityGroups": st.sg_ids[:1],
                    },
                    "KafkaVersion": "3.5.1",
                    "NumberOfBrokerNodes": 2,
                },
                Tags=tag_map(i, name),
            )
            self.count("aws_msk_cluster")
        for i in range(self.n(REGIONAL, "aws_neptune_cluster")):
            name = f"bench-graph-{i}"
            self.client("neptune", r).create_db_cluster(
                DBClusterIdentifier=name, Engine="neptune", Tags=tag_list(i, name)
            )
            self.count("aws_neptune_cluster")
        for i in range(self.n(REGIONAL, "aws_mq_broker")):
            name = f"bench-mq-{i}"
            self.client("mq", r).create_broker(
                BrokerName=name,
                DeploymentMode="SINGLE_INSTANCE",
                EngineType="ACTIVEMQ",
                EngineVersion="5.17.6",
                HostInstanceType="mq.t3.micro",
                PubliclyAccessible=False,
                AutoMinorVersionUpgrade=True,
                SubnetIds=st.subnet_ids[:1],
                SecurityGroups=st.sg_ids[:1],
                Users=[{"Username": "bench", "Password": "bench-password-123"}],
                Tags=tag_map(i, name),
            )
            self.count("aws_mq_broker")
        batch = self.client("batch", r)
        for i in range(self.n(REGIONAL, "aws_batch_compute_environment")):
            name = f"bench-pool-{i}"
            env = batch.create_compute_environment(
                computeEnvironmentName=name,
                type="UNMANAGED",
                state="ENABLED",
                serviceRole=role,
                tags=tag_map(i, name),
            )["computeEnvironmentArn"]
            batch.create_job_queue(
                jobQueueName=f"bench-jobs-{i}",
                state="ENABLED",
                priority=1,
                computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env}],
                tags=tag_map(i, name),
            )
            self.count("aws_batch_compute_environment")
            self.count("aws_batch_job_queue")
        for i in range(self.n(REGIONAL, "aws_transfer_server")):
            self.client("transfer", r).create_server(Tags=tag_list(i, f"bench-sftp-{i}"))
            self.count("aws_transfer_server")
        sm = self.client("sagemaker", r)
        for i in range(self.n(REGIONAL, "aws_sagemaker_experiment")):
            name = f"bench-exp-{i}"
            sm.create_experiment(ExperimentName=name, Tags=tag_list(i, name))
            sm.create_trial(TrialName=f"{name}-trial", ExperimentName=name)
            self.count("aws_sagemaker_experiment")
            self.count("aws_sagemaker_trial")
        for i in range(self.n(REGIONAL, "aws_sagemaker_processing_job")):
            name = f"bench-prep-{i}"
            sm.create_processing_job(
                ProcessingJobName=name,
                ProcessingResources={
                    "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 10}
                },
                AppSpecification={
                    "ImageUri": "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"
                },
                RoleArn=role,
                Tags=tag_list(i, name),
            )
            self.count("aws_sagemaker_processing_job")

    # -- driver ----------------------------------------------------------------------------
    def seed_region(self, region: str) -> None:
        st = RegionState(region)
        self.step(f"{region}:network", lambda: self.seed_network(st))
        self.step(f"{region}:compute", lambda: self.seed_compute(st))
        for name, fn in (
            ("lambda", self.seed_lambda),
            ("sqs+sns", self.seed_messaging),
            ("dynamodb", self.seed_dynamodb),
            ("rds", self.seed_rds),
            ("elbv2", self.seed_elbv2),
            ("autoscaling", self.seed_autoscaling),
            ("cloudwatch+logs", self.seed_monitoring),
            ("kms", self.seed_kms),
            ("ecr+secrets", self.seed_containers_and_secrets),
            ("backup+bedrock", self.seed_backup_and_bedrock),
            ("integration", self.seed_integration),
            ("data-services", self.seed_data_services),
        ):
            self.step(f"{region}:{name}", lambda fn=fn: fn(st))  # type: ignore[misc]

    def run(self, parallel: bool = True) -> None:
        self.step("global:iam", self.seed_iam)  # lambdas need the role ARNs
        jobs: list[Callable[[], None]] = [
            lambda: self.step("global:s3", self.seed_s3),
            lambda: self.step("global:route53", self.seed_route53),
        ]
        jobs += [lambda r=r: self.seed_region(r) for r in self.regions]  # type: ignore[misc]
        if parallel:
            with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                for future in [pool.submit(job) for job in jobs]:
                    future.result()
        else:
            for job in jobs:
                job()


def seed(
    endpoint: str, size: int, regions: tuple[str, ...] | list[str] = REGIONS, *, do_reset: bool = False
) -> dict[str, int]:
    """Seed ``endpoint`` at ``size``; returns the created count per kind. Raises if a step failed."""
    with loopback_only():
        if do_reset:
            reset(endpoint)
        seeder = AccountSeeder(endpoint, size, regions)
        seeder.run()
    if seeder.failures:
        raise RuntimeError(f"seeding failed: {seeder.failures}")
    return dict(sorted(seeder.counts.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoint", default="http://127.0.0.1:5055", help="moto server URL (loopback only)")
    parser.add_argument("--size", type=int, default=1, help="scale knob N")
    parser.add_argument("--regions", default=",".join(REGIONS), help="comma-separated regions")
    parser.add_argument("--reset", action="store_true", help="POST /moto-api/reset first")
    parser.add_argument("--json", metavar="FILE", help="write counts, timings and failures here")
    parser.add_argument("--serial", action="store_true", help="seed regions one after another")
    args = parser.parse_args(argv)
    if not is_loopback(args.endpoint):
        parser.error(f"refusing non-loopback endpoint {args.endpoint!r}")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        os.environ.pop(var, None)
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    started = time.perf_counter()
    with loopback_only():
        if args.reset:
            reset(args.endpoint)
        seeder = AccountSeeder(args.endpoint, args.size, regions)
        seeder.run(parallel=not args.serial)
    elapsed = time.perf_counter() - started
    total = sum(seeder.counts.values())
    print(f"seeded size {args.size} in {len(regions)} regions: {total} resources in {elapsed:.1f} s")
    for kind, amount in sorted(seeder.counts.items()):
        print(f"  {kind:<36} {amount:6d}")
    if seeder.failures:
        print("failed steps:")
        for step, error in sorted(seeder.failures.items()):
            print(f"  {step}: {error}")
    if args.json:
        report = {
            "endpoint": args.endpoint,
            "size": args.size,
            "regions": regions,
            "seconds": round(elapsed, 2),
            "total": total,
            "counts": dict(sorted(seeder.counts.items())),
            "per_region": REGIONAL,
            "global": GLOBAL,
            "timings": seeder.timings,
            "failures": seeder.failures,
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=2)
            fh.write("\n")
    return 1 if seeder.failures else 0


if __name__ == "__main__":
    sys.exit(main())
