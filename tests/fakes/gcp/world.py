"""A seeded fake organisation: two folders (one nested), three projects plus a system project,
two regions each, and resources of every kind the plugin covers, wired like a real deployment."""

from __future__ import annotations

from dataclasses import dataclass

from google.cloud import compute_v1 as c
from google.cloud import container_v1

from fakes.gcp.compute import BASE
from fakes.gcp.server import FakeGcp
from fakes.gcp.services_more import seed_gke_operation, seed_sql_children
from fakes.gcp.world_more import seed_compute_more
from fakes.gcp.world_rest import seed_billing_catalogue, seed_rest

REGIONS = {"us-east1": ["us-east1-b", "us-east1-c"], "europe-west1": ["europe-west1-b", "europe-west1-d"]}
PROJECTS = {"alpha-prod": "folders/10", "beta-dev": "folders/11", "gamma-ops": "organizations/1"}
SYSTEM_PROJECT = "sys-83749201"


@dataclass
class World:
    fake: FakeGcp

    def link(self, project: str, path: str) -> str:
        return f"{BASE}/projects/{project}/{path}"


def seed(fake: FakeGcp) -> World:
    rm = fake.rm
    org = rm.organization("1", "example.com")
    eng = rm.folder("10", "engineering", org)
    rm.folder("11", "platform", eng)
    for pid, parent in PROJECTS.items():
        rm.project(pid, parent, labels={"team": pid.split("-")[0]})
        seed_project(fake, pid)
        seed_rest(fake, pid)
    seed_billing_catalogue(fake)
    rm.project(SYSTEM_PROJECT, "folders/10")
    fake.compute.set_locations(SYSTEM_PROJECT, REGIONS)
    return World(fake)


def seed_project(fake: FakeGcp, p: str) -> None:
    cs = fake.compute
    cs.set_locations(p, REGIONS)

    def L(path: str) -> str:
        return f"{BASE}/projects/{p}/{path}"

    net = L("global/networks/net-main")
    cs.add(p, "global", "networks", c.Network(name="net-main", auto_create_subnetworks=False, mtu=1460))
    cs.add(
        p,
        "global",
        "firewalls",
        c.Firewall(
            name="fw-ssh", network=net, direction="INGRESS", priority=1000, source_ranges=["0.0.0.0/0"]
        ),
    )
    cs.add(
        p,
        "global",
        "routes",
        c.Route(name="route-default", network=net, dest_range="0.0.0.0/0", priority=1000),
    )
    cs.add(
        p,
        "global",
        "healthChecks",
        c.HealthCheck(name="hc-http", type_="HTTP", check_interval_sec=5, timeout_sec=5),
    )
    cs.add(
        p,
        "global",
        "instanceTemplates",
        c.InstanceTemplate(name="tmpl-web", properties=c.InstanceProperties(machine_type="e2-small")),
    )
    cs.add(
        p,
        "global",
        "sslCertificates",
        c.SslCertificate(name="cert-web", type_="MANAGED", subject_alternative_names=["www.example.com"]),
    )
    cs.add(
        p,
        "global",
        "sslPolicies",
        c.SslPolicy(name="sslp-modern", min_tls_version="TLS_1_2", profile="MODERN"),
    )
    cs.add(
        p,
        "global",
        "securityPolicies",
        c.SecurityPolicy(name="sp-edge", type_="CLOUD_ARMOR", labels={"tier": "edge"}),
    )
    cs.add(
        p,
        "global",
        "backendBuckets",
        c.BackendBucket(name="bb-static", bucket_name=f"{p}-assets", enable_cdn=True),
    )
    cs.add(
        p,
        "global",
        "networkEndpointGroups",
        c.NetworkEndpointGroup(name="gneg-ext", network_endpoint_type="INTERNET_FQDN_PORT", default_port=443),
    )

    first = True
    for region, zones in REGIONS.items():
        zone = zones[0]
        sub = L(f"regions/{region}/subnetworks/sub-{region}")
        cs.add(
            p,
            f"regions/{region}",
            "subnetworks",
            c.Subnetwork(name=f"sub-{region}", network=net, ip_cidr_range="10.0.0.0/20"),
        )
        policy = L(f"regions/{region}/resourcePolicies/snap-{region}")
        cs.add(
            p,
            f"regions/{region}",
            "resourcePolicies",
            c.ResourcePolicy(name=f"snap-{region}", status="READY"),
        )
        disk = L(f"zones/{zone}/disks/disk-{region}")
        vm = L(f"zones/{zone}/instances/vm-{region}")
        cs.add(
            p,
            f"zones/{zone}",
            "disks",
            c.Disk(
                name=f"disk-{region}",
                size_gb=20,
                status="READY",
                type_=L(f"zones/{zone}/diskTypes/pd-balanced"),
                users=[vm],
                resource_policies=[policy],
                labels={"env": "prod", "owner": "ops"},
            ),
        )
        cs.add(
            p,
            f"zones/{zone}",
            "instances",
            c.Instance(
                name=f"vm-{region}",
                status="RUNNING",
                machine_type=L(f"zones/{zone}/machineTypes/e2-medium"),
                labels={"env": "prod", "app": "web"},
                network_interfaces=[c.NetworkInterface(network=net, subnetwork=sub, network_i_p="10.0.0.2")],
                disks=[c.AttachedDisk(source=disk, boot=True, device_name="boot")],
                tags=c.Tags(items=["ssh"]),
            ),
        )
        cs.add(
            p,
            "global",
            "snapshots",
            c.Snapshot(
                name=f"snap-{region}",
                source_disk=disk,
                disk_size_gb=20,
                status="READY",
                labels={"kind": "daily"},
            ),
        )
        cs.add(
            p,
            "global",
            "images",
            c.Image(name=f"img-{region}", source_disk=disk, disk_size_gb=20, status="READY", family="web"),
        )
        cs.add(
            p,
            "global",
            "machineImages",
            c.MachineImage(name=f"mi-{region}", source_instance=vm, status="READY"),
        )
        hc = L(f"regions/{region}/healthChecks/hc-{region}")
        cs.add(
            p,
            f"regions/{region}",
            "healthChecks",
            c.HealthCheck(name=f"hc-{region}", type_="TCP", check_interval_sec=10),
        )
        ig = L(f"zones/{zone}/instanceGroups/igm-{region}")
        cs.add(
            p,
            f"zones/{zone}",
            "instanceGroups",
            c.InstanceGroup(name=f"igm-{region}", network=net, subnetwork=sub, size=2),
        )
        igm = L(f"zones/{zone}/instanceGroupManagers/igm-{region}")
        cs.add(
            p,
            f"zones/{zone}",
            "instanceGroupManagers",
            c.InstanceGroupManager(
                name=f"igm-{region}",
                base_instance_name="web",
                target_size=2,
                instance_template=L("global/instanceTemplates/tmpl-web"),
                instance_group=ig,
                auto_healing_policies=[
                    c.InstanceGroupManagerAutoHealingPolicy(health_check=L("global/healthChecks/hc-http"))
                ],
            ),
        )
        cs.add(
            p,
            f"zones/{zone}",
            "autoscalers",
            c.Autoscaler(
                name=f"as-{region}",
                target=igm,
                status="ACTIVE",
                autoscaling_policy=c.AutoscalingPolicy(min_num_replicas=1, max_num_replicas=5),
            ),
        )
        cs.add(
            p,
            f"regions/{region}",
            "backendServices",
            c.BackendService(
                name=f"bs-{region}",
                protocol="TCP",
                load_balancing_scheme="INTERNAL",
                health_checks=[hc],
                backends=[c.Backend(group=ig)],
                network=net,
            ),
        )
        tp = L(f"regions/{region}/targetPools/tp-{region}")
        cs.add(
            p,
            f"regions/{region}",
            "targetPools",
            c.TargetPool(
                name=f"tp-{region}",
                instances=[vm],
                session_affinity="NONE",
                health_checks=[L("global/httpHealthChecks/legacy-http")],
            ),
        )
        fr = L(f"regions/{region}/forwardingRules/fr-{region}")
        cs.add(
            p,
            f"regions/{region}",
            "forwardingRules",
            c.ForwardingRule(
                name=f"fr-{region}",
                target=tp,
                I_p_protocol="TCP",
                port_range="80-80",
                I_p_address="34.1.1.1",
                labels={"lb": "tcp"},
            ),
        )
        cs.add(
            p,
            f"regions/{region}",
            "addresses",
            c.Address(
                name=f"addr-{region}",
                address="34.1.1.1",
                address_type="EXTERNAL",
                status="IN_USE",
                users=[fr],
                labels={"ip": "lb"},
            ),
        )
        router = L(f"regions/{region}/routers/router-{region}")
        cs.add(
            p,
            f"regions/{region}",
            "routers",
            c.Router(name=f"router-{region}", network=net, bgp=c.RouterBgp(asn=64512)),
        )
        gw = L(f"regions/{region}/vpnGateways/vpngw-{region}")
        cs.add(
            p,
            f"regions/{region}",
            "vpnGateways",
            c.VpnGateway(name=f"vpngw-{region}", network=net, labels={"vpn": "ha"}),
        )
        cs.add(
            p,
            f"regions/{region}",
            "targetVpnGateways",
            c.TargetVpnGateway(name=f"tvpngw-{region}", network=net, status="READY"),
        )
        cs.add(
            p,
            f"regions/{region}",
            "vpnTunnels",
            c.VpnTunnel(
                name=f"tun-{region}",
                vpn_gateway=gw,
                router=router,
                peer_ip="203.0.113.1",
                ike_version=2,
                status="ESTABLISHED",
            ),
        )
        cs.add(
            p,
            f"zones/{zone}",
            "networkEndpointGroups",
            c.NetworkEndpointGroup(
                name=f"neg-{region}",
                network=net,
                subnetwork=sub,
                network_endpoint_type="GCE_VM_IP_PORT",
                size=0,
            ),
        )
        if first:
            cs.add(
                p,
                "global",
                "backendServices",
                c.BackendService(
                    name="bs-global",
                    protocol="HTTP",
                    load_balancing_scheme="EXTERNAL_MANAGED",
                    health_checks=[L("global/healthChecks/hc-http")],
                    backends=[c.Backend(group=ig)],
                    security_policy=L("global/securityPolicies/sp-edge"),
                ),
            )
            cluster = container_v1.Cluster(
                name="gke-main",
                location=region,
                status=container_v1.Cluster.Status.RUNNING,
                current_master_version="1.29.4-gke.100",
                current_node_count=3,
                endpoint="34.2.2.2",
                resource_labels={"env": "prod"},
                create_time="2024-04-01T00:00:00+00:00",
                network_config=container_v1.NetworkConfig(
                    network=f"projects/{p}/global/networks/net-main",
                    subnetwork=f"projects/{p}/regions/{region}/subnetworks/sub-{region}",
                ),
                node_pools=[
                    container_v1.NodePool(
                        name="pool-a",
                        status=container_v1.NodePool.Status.RUNNING,
                        initial_node_count=3,
                        version="1.29.4-gke.100",
                        config=container_v1.NodeConfig(machine_type="e2-standard-4"),
                        instance_group_urls=[igm],
                    )
                ],
            )
            fake.container.add(p, cluster)
            seed_gke_operation(fake.container, p, region, "gke-main")
            fake.storage.bucket(p, fake.rm.number(p), f"{p}-logs", region, {"retention": "30d"})
        else:
            fake.sql.add(
                p, f"pg-{p}", region, {"db": "main"}, private_network=f"projects/{p}/global/networks/net-main"
            )
            seed_sql_children(fake.sql, p, f"pg-{p}")
        first = False

    cs.add(
        p,
        "global",
        "urlMaps",
        c.UrlMap(
            name="um-web",
            default_service=L("global/backendServices/bs-global"),
            path_matchers=[
                c.PathMatcher(name="static", default_service=L("global/backendBuckets/bb-static"))
            ],
        ),
    )
    cs.add(
        p,
        "global",
        "targetHttpProxies",
        c.TargetHttpProxy(name="thp-web", url_map=L("global/urlMaps/um-web")),
    )
    cs.add(
        p,
        "global",
        "targetHttpsProxies",
        c.TargetHttpsProxy(
            name="thps-web",
            url_map=L("global/urlMaps/um-web"),
            ssl_certificates=[L("global/sslCertificates/cert-web")],
            ssl_policy=L("global/sslPolicies/sslp-modern"),
        ),
    )
    cs.add(
        p,
        "global",
        "forwardingRules",
        c.ForwardingRule(
            name="fr-web",
            target=L("global/targetHttpProxies/thp-web"),
            I_p_protocol="TCP",
            port_range="80-80",
            labels={"lb": "http"},
        ),
    )
    cs.add(
        p,
        "global",
        "addresses",
        c.Address(
            name="gaddr-web", address="34.3.3.3", status="IN_USE", users=[L("global/forwardingRules/fr-web")]
        ),
    )
    cs.add(
        p,
        "global",
        "targetSslProxies",
        c.TargetSslProxy(
            name="tsp-tls",
            service=L("global/backendServices/bs-global"),
            ssl_certificates=[L("global/sslCertificates/cert-web")],
        ),
    )
    cs.add(
        p,
        "global",
        "targetTcpProxies",
        c.TargetTcpProxy(name="ttp-tcp", service=L("global/backendServices/bs-global")),
    )
    cs.add(
        p,
        "global",
        "targetGrpcProxies",
        c.TargetGrpcProxy(name="tgp-grpc", url_map=L("global/urlMaps/um-web")),
    )
    cs.add(
        p,
        "global",
        "externalVpnGateways",
        c.ExternalVpnGateway(
            name="peer-gw",
            redundancy_type="SINGLE_IP_INTERNALLY_REDUNDANT",
            interfaces=[c.ExternalVpnGatewayInterface(id=0, ip_address="203.0.113.1")],
            labels={"peer": "office"},
        ),
    )
    for region, zones in REGIONS.items():
        vm = L(f"zones/{zones[0]}/instances/vm-{region}")
        cs.add(
            p,
            f"zones/{zones[0]}",
            "targetInstances",
            c.TargetInstance(name=f"ti-{region}", instance=vm, nat_policy="NO_NAT"),
        )
        cs.add(
            p,
            f"regions/{region}",
            "packetMirrorings",
            c.PacketMirroring(
                name=f"pm-{region}",
                priority=1000,
                enable="TRUE",
                network=c.PacketMirroringNetworkInfo(url=net),
                mirrored_resources=c.PacketMirroringMirroredResourceInfo(
                    instances=[c.PacketMirroringMirroredResourceInfoInstanceInfo(url=vm)]
                ),
            ),
        )
    fake.storage.bucket(p, fake.rm.number(p), f"{p}-assets", "US", {"public": "yes"})
    fake.storage.put_object(f"{p}-assets", "index.html")
    fake.storage.put_object(f"{p}-assets", "app.js")
    seed_compute_more(fake, p, REGIONS)
