"""A small account with one or more of every kind moto serves, for the collection and cleanup tests."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from aws.support_aws import client

REGION = "us-east-1"


def tags(name: str, **extra: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": name}, {"Key": "owner", "Value": "tests"}] + [
        {"Key": k, "Value": v} for k, v in extra.items()
    ]


def spec(rtype: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": rtype, "Tags": tags(name)}]


def seed_network() -> dict[str, Any]:
    ec2 = client("ec2")
    s: dict[str, Any] = {}
    s["vpc"] = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=spec("vpc", "t-vpc"))["Vpc"]["VpcId"]
    s["subnet"] = ec2.create_subnet(
        VpcId=s["vpc"],
        CidrBlock="10.1.1.0/24",
        AvailabilityZone="us-east-1a",
        TagSpecifications=spec("subnet", "t-sub"),
    )["Subnet"]["SubnetId"]
    s["subnet2"] = ec2.create_subnet(VpcId=s["vpc"], CidrBlock="10.1.2.0/24", AvailabilityZone="us-east-1b")[
        "Subnet"
    ]["SubnetId"]
    s["sg_a"] = ec2.create_security_group(
        GroupName="t-sg-a",
        Description="a",
        VpcId=s["vpc"],
        TagSpecifications=spec("security-group", "t-sg-a"),
    )["GroupId"]
    s["sg_b"] = ec2.create_security_group(GroupName="t-sg-b", Description="b", VpcId=s["vpc"])["GroupId"]
    # b's rules reference a: a may only go after b's rule is revoked
    ec2.authorize_security_group_ingress(
        GroupId=s["sg_b"],
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": s["sg_a"]}]}
        ],
    )
    s["igw"] = ec2.create_internet_gateway(TagSpecifications=spec("internet-gateway", "t-igw"))[
        "InternetGateway"
    ]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=s["igw"], VpcId=s["vpc"])
    s["rt"] = ec2.create_route_table(VpcId=s["vpc"], TagSpecifications=spec("route-table", "t-rt"))[
        "RouteTable"
    ]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=s["rt"], SubnetId=s["subnet"])
    s["acl"] = ec2.create_network_acl(VpcId=s["vpc"], TagSpecifications=spec("network-acl", "t-acl"))[
        "NetworkAcl"
    ]["NetworkAclId"]
    s["endpoint"] = ec2.create_vpc_endpoint(
        VpcId=s["vpc"],
        ServiceName="com.amazonaws.us-east-1.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[s["rt"]],
        TagSpecifications=spec("vpc-endpoint", "t-vpce"),
    )["VpcEndpoint"]["VpcEndpointId"]
    peer = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    s["peer_vpc"] = peer
    s["peering"] = ec2.create_vpc_peering_connection(
        VpcId=s["vpc"], PeerVpcId=peer, TagSpecifications=spec("vpc-peering-connection", "t-pcx")
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    eip_nat = ec2.allocate_address(Domain="vpc")["AllocationId"]
    s["nat"] = ec2.create_nat_gateway(
        SubnetId=s["subnet2"], AllocationId=eip_nat, TagSpecifications=spec("natgateway", "t-nat")
    )["NatGateway"]["NatGatewayId"]
    client("s3").create_bucket(Bucket="t-flow-bucket")
    s["flow_log"] = ec2.create_flow_logs(
        ResourceIds=[s["vpc"]],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="s3",
        LogDestination="arn:aws:s3:::t-flow-bucket",
    )["FlowLogIds"][0]
    return s


def register_ami(name: str) -> str:
    """A bootable x86-64 image in moto (its id): what ``run_instances`` needs."""
    image: str = client("ec2").register_image(
        Name=name,
        Architecture="x86_64",
        RootDeviceName="/dev/xvda",
        VirtualizationType="hvm",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    return image


def seed_compute(s: dict[str, Any]) -> None:
    ec2 = client("ec2")
    ec2.create_key_pair(KeyName="t-key", TagSpecifications=spec("key-pair", "t-key"))
    s["ami"] = register_ami("t-ami")
    ec2.create_tags(Resources=[s["ami"]], Tags=tags("t-ami"))
    s["instance"] = ec2.run_instances(
        ImageId=s["ami"],
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        KeyName="t-key",
        SubnetId=s["subnet"],
        SecurityGroupIds=[s["sg_a"]],
        TagSpecifications=spec("instance", "t-i"),
    )["Instances"][0]["InstanceId"]
    s["volume"] = ec2.create_volume(
        AvailabilityZone="us-east-1a", Size=10, VolumeType="gp3", TagSpecifications=spec("volume", "t-vol")
    )["VolumeId"]
    ec2.attach_volume(VolumeId=s["volume"], InstanceId=s["instance"], Device="/dev/sdf")
    s["snapshot"] = ec2.create_snapshot(VolumeId=s["volume"], TagSpecifications=spec("snapshot", "t-snap"))[
        "SnapshotId"
    ]
    s["eip"] = ec2.allocate_address(Domain="vpc", TagSpecifications=spec("elastic-ip", "t-eip"))[
        "AllocationId"
    ]
    ec2.associate_address(AllocationId=s["eip"], InstanceId=s["instance"])
    s["eni"] = ec2.create_network_interface(
        SubnetId=s["subnet"], Groups=[s["sg_a"]], TagSpecifications=spec("network-interface", "t-eni")
    )["NetworkInterface"]["NetworkInterfaceId"]
    s["lt"] = ec2.create_launch_template(
        LaunchTemplateName="t-lt",
        LaunchTemplateData={"ImageId": s["ami"], "InstanceType": "t3.micro"},
        TagSpecifications=spec("launch-template", "t-lt"),
    )["LaunchTemplate"]["LaunchTemplateId"]
    client("autoscaling").create_auto_scaling_group(
        AutoScalingGroupName="t-asg",
        LaunchTemplate={"LaunchTemplateId": s["lt"], "Version": "$Latest"},
        MinSize=1,
        MaxSize=1,
        DesiredCapacity=1,
        VPCZoneIdentifier=s["subnet"],
        Tags=[{"Key": "owner", "Value": "tests", "PropagateAtLaunch": False}],
    )
    elb = client("elbv2")
    s["alb"] = elb.create_load_balancer(
        Name="t-alb", Subnets=[s["subnet"], s["subnet2"]], SecurityGroups=[s["sg_a"]], Tags=tags("t-alb")
    )["LoadBalancers"][0]["LoadBalancerArn"]
    s["tg"] = elb.create_target_group(
        Name="t-tg", Protocol="HTTP", Port=80, VpcId=s["vpc"], TargetType="instance", Tags=tags("t-tg")
    )["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(TargetGroupArn=s["tg"], Targets=[{"Id": s["instance"], "Port": 80}])
    elb.create_listener(
        LoadBalancerArn=s["alb"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": s["tg"]}],
    )
    client("elb").create_load_balancer(
        LoadBalancerName="t-elb",
        Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
        Subnets=[s["subnet"]],
        SecurityGroups=[s["sg_a"]],
        Tags=tags("t-elb"),
    )
    client("elb").register_instances_with_load_balancer(
        LoadBalancerName="t-elb", Instances=[{"InstanceId": s["instance"]}]
    )


def seed_iam(s: dict[str, Any]) -> None:
    iam = client("iam")
    doc = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
        }
    )
    assume = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    s["policy_arn"] = iam.create_policy(PolicyName="t-policy", PolicyDocument=doc, Tags=tags("t-policy"))[
        "Policy"
    ]["Arn"]
    iam.create_group(GroupName="t-group")
    iam.attach_group_policy(GroupName="t-group", PolicyArn=s["policy_arn"])
    iam.create_user(UserName="t-user", Tags=tags("t-user"))
    iam.add_user_to_group(GroupName="t-group", UserName="t-user")
    iam.attach_user_policy(UserName="t-user", PolicyArn=s["policy_arn"])
    iam.create_login_profile(UserName="t-user", Password="Secret-Pass-123!")
    s["access_key"] = iam.create_access_key(UserName="t-user")["AccessKey"]["AccessKeyId"]
    s["role_arn"] = iam.create_role(RoleName="t-role", AssumeRolePolicyDocument=assume, Tags=tags("t-role"))[
        "Role"
    ]["Arn"]
    iam.attach_role_policy(RoleName="t-role", PolicyArn=s["policy_arn"])
    iam.put_role_policy(RoleName="t-role", PolicyName="inline", PolicyDocument=doc)
    iam.create_instance_profile(InstanceProfileName="t-profile", Tags=tags("t-profile"))
    iam.add_role_to_instance_profile(InstanceProfileName="t-profile", RoleName="t-role")
    iam.upload_server_certificate(
        ServerCertificateName="t-cert",
        CertificateBody="-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        PrivateKey="-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
    )


def seed_services(s: dict[str, Any]) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket="t-bucket")
    s3.put_bucket_tagging(Bucket="t-bucket", Tagging={"TagSet": tags("t-bucket")})
    s3.put_bucket_versioning(Bucket="t-bucket", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="t-bucket", Key="a.txt", Body=b"a")
    s3.put_object(Bucket="t-bucket", Key="a.txt", Body=b"b")
    client("s3", "eu-central-1").create_bucket(
        Bucket="t-bucket-eu", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("h.py", "def handler(e, c):\n    return 1\n")
    s["fn_arn"] = client("lambda").create_function(
        FunctionName="t-fn",
        Runtime="python3.11",
        Role=s["role_arn"],
        Handler="h.handler",
        Code={"ZipFile": buf.getvalue()},
        Tags={"Name": "t-fn", "owner": "tests"},
        VpcConfig={"SubnetIds": [s["subnet"]], "SecurityGroupIds": [s["sg_a"]]},
    )["FunctionArn"]
    sqs = client("sqs")
    s["queue_url"] = sqs.create_queue(QueueName="t-queue", tags={"Name": "t-queue", "owner": "tests"})[
        "QueueUrl"
    ]
    qarn = sqs.get_queue_attributes(QueueUrl=s["queue_url"], AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns = client("sns")
    s["topic"] = sns.create_topic(Name="t-topic", Tags=tags("t-topic"))["TopicArn"]
    s["subscription"] = sns.subscribe(TopicArn=s["topic"], Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
    client("dynamodb").create_table(
        TableName="t-table",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        Tags=tags("t-table"),
    )
    rds = client("rds")
    rds.create_db_subnet_group(
        DBSubnetGroupName="t-dbsub", DBSubnetGroupDescription="t", SubnetIds=[s["subnet"], s["subnet2"]]
    )
    rds.create_db_instance(
        DBInstanceIdentifier="t-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        AllocatedStorage=20,
        MasterUsername="admin",
        MasterUserPassword="password123",
        DBSubnetGroupName="t-dbsub",
        VpcSecurityGroupIds=[s["sg_a"]],
        Tags=tags("t-db"),
    )
    rds.create_db_snapshot(
        DBInstanceIdentifier="t-db", DBSnapshotIdentifier="t-dbsnap", Tags=tags("t-dbsnap")
    )
    rds.create_db_cluster(
        DBClusterIdentifier="t-cluster",
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="password123",
        Tags=tags("t-cluster"),
    )
    rds.create_db_cluster_snapshot(DBClusterIdentifier="t-cluster", DBClusterSnapshotIdentifier="t-csnap")
    client("cloudwatch").put_metric_alarm(
        AlarmName="t-alarm",
        MetricName="CPUUtilization",
        Namespace="AWS/EC2",
        Statistic="Average",
        Period=300,
        EvaluationPeriods=1,
        Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold",
        Dimensions=[{"Name": "InstanceId", "Value": s["instance"]}],
        Tags=tags("t-alarm"),
    )
    logs = client("logs")
    logs.create_log_group(logGroupName="t-logs", tags={"Name": "t-logs", "owner": "tests"})
    logs.put_metric_filter(
        logGroupName="t-logs",
        filterName="t-filter",
        filterPattern="ERROR",
        metricTransformations=[{"metricName": "errors", "metricNamespace": "t", "metricValue": "1"}],
    )
    kms = client("kms")
    s["kms"] = kms.create_key(
        Description="t",
        Tags=[{"TagKey": "Name", "TagValue": "t-key"}, {"TagKey": "owner", "TagValue": "tests"}],
    )["KeyMetadata"]["KeyId"]
    r53 = client("route53")
    zone = r53.create_hosted_zone(Name="t.example.com", CallerReference="t")["HostedZone"]["Id"]
    s["zone"] = zone.rsplit("/", 1)[-1]
    r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=s["zone"], AddTags=tags("t-zone"))
    r53.change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": "www.t.example.com",
                        "Type": "A",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "10.0.0.1"}],
                    },
                }
            ]
        },
    )


def seed_more(s: dict[str, Any]) -> None:
    template = {"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "t-stack-queue"}}}}
    client("cloudformation").create_stack(
        StackName="t-stack", TemplateBody=json.dumps(template), Tags=tags("t-stack")
    )
    client("kinesis").create_stream(StreamName="t-stream", ShardCount=1)
    client("kinesis").add_tags_to_stream(StreamName="t-stream", Tags={"Name": "t-stream", "owner": "tests"})
    client("secretsmanager").create_secret(
        Name="t-secret", SecretString="not-collected", Tags=tags("t-secret")
    )
    client("ecr").create_repository(repositoryName="t-repo", tags=tags("t-repo"))
    s["efs"] = client("efs").create_file_system(CreationToken="t-efs", Tags=tags("t-efs"))["FileSystemId"]
    client("cloudtrail").create_trail(Name="t-trail", S3BucketName="t-bucket", TagsList=tags("t-trail"))


def seed_all() -> dict[str, Any]:
    s = seed_network()
    seed_compute(s)
    seed_iam(s)
    seed_services(s)
    seed_more(s)
    return s
