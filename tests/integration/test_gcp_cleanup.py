"""GCP through the kernel: collect with the engine, delete with run_cleanup, relabel with handle_task.

The fake (``tests/fakes/gcp``) refuses to delete a resource another one still uses (400
resourceInUseByAnotherResource), so a wrong order fails the cleanup, not just an assertion.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.gcp import FakeGcp
from fakes.gcp.compute import BASE
from google.cloud import compute_v1 as c
from integration.support_integration import Stack, cloud_stack

PROJECT = "solo-prod"
REGION = "us-east1"
ZONE = "us-east1-b"
INSTANCE = "gcp_instance"
DISK = "gcp_disk"
SUBNET = "gcp_subnetwork"
NETWORK = "gcp_network"


def _link(path: str) -> str:
    return f"{BASE}/projects/{PROJECT}/{path}"


def _ids(name: str) -> dict[str, tuple[str, str]]:
    """(kind, reported id) of the instance, disk, subnetwork and network of one stack."""
    return {
        "instance": (INSTANCE, f"zones/{ZONE}/instances/vm-{name}"),
        "disk": (DISK, f"zones/{ZONE}/disks/disk-{name}"),
        "subnet": (SUBNET, f"regions/{REGION}/subnetworks/sub-{name}"),
        "network": (NETWORK, f"global/networks/net-{name}"),
    }


def _seed_stack(fake: FakeGcp, name: str, cidr: str) -> None:
    """network -> subnetwork -> instance (with its boot disk), labelled."""
    cs = fake.compute
    net = _link(f"global/networks/net-{name}")
    sub = _link(f"regions/{REGION}/subnetworks/sub-{name}")
    disk = _link(f"zones/{ZONE}/disks/disk-{name}")
    vm = _link(f"zones/{ZONE}/instances/vm-{name}")
    cs.add(PROJECT, "global", "networks", c.Network(name=f"net-{name}", auto_create_subnetworks=False))
    cs.add(
        PROJECT,
        f"regions/{REGION}",
        "subnetworks",
        c.Subnetwork(name=f"sub-{name}", network=net, ip_cidr_range=cidr),
    )
    cs.add(
        PROJECT,
        f"zones/{ZONE}",
        "disks",
        c.Disk(name=f"disk-{name}", size_gb=10, status="READY", users=[vm], labels={"stack": name}),
    )
    cs.add(
        PROJECT,
        f"zones/{ZONE}",
        "instances",
        c.Instance(
            name=f"vm-{name}",
            status="RUNNING",
            machine_type=_link(f"zones/{ZONE}/machineTypes/e2-small"),
            labels={"stack": name, "env": "dev"},
            network_interfaces=[c.NetworkInterface(network=net, subnetwork=sub, network_i_p="10.0.0.2")],
            disks=[c.AttachedDisk(source=disk, boot=True, device_name="boot")],
        ),
    )


@pytest.fixture
def fake() -> Iterator[FakeGcp]:
    with FakeGcp() as server:
        org = server.rm.organization("7", "example.org")
        server.rm.project(PROJECT, org)
        server.compute.set_locations(PROJECT, {REGION: [ZONE]})
        _seed_stack(server, "a", "10.0.0.0/24")  # flagged for cleanup
        _seed_stack(server, "b", "10.1.0.0/24")  # left alone
        yield server


def _section(fake: FakeGcp) -> dict[str, Any]:
    """The ``gcp`` section of the worker's config document, pointing every client at the fake."""
    return {
        "service_account": [""],
        "anonymous_credentials": True,
        "api_endpoint": fake.api_endpoints(),
        "project": [PROJECT],
        "retry_initial_delay": 0.01,
        "retry_deadline": 5.0,
        "operation_timeout": 10.0,
    }


@pytest.fixture
async def stack(fake: FakeGcp, tmp_path: Path) -> AsyncIterator[Stack]:
    async with cloud_stack("gcp", _section(fake), tmp_path) as stack:
        report = await stack.collect()
        assert report.errors == [], report.errors
        yield stack


def _deleted(fake: FakeGcp) -> list[str]:
    """Compute paths (``{project}/zones/.../instances/vm-a``) in the order the fake accepted the deletes."""
    return [what for service, what in fake.deleted if service == "compute"]


async def test_cleanup_deletes_in_dependency_order(fake: FakeGcp, stack: Stack) -> None:
    doomed = _ids("a")
    kept = _ids("b")
    ids = dict(zip(doomed, stack.flag(*doomed.values()), strict=True))

    report = await stack.cleanup(cleanup_dry_run=False)

    assert report.outcome == "done", (report.summary(), report.errors, stack.feedback.texts("error"))
    assert sorted(o.node_id for o in report.deleted) == sorted(ids.values())
    deleted = _deleted(fake)
    position = {rid: i for i, what in enumerate(deleted) for _, rid in doomed.values() if what.endswith(rid)}
    assert len(deleted) == 4 and len(position) == 4, deleted
    inst, disk, sub, net = (position[doomed[k][1]] for k in ("instance", "disk", "subnet", "network"))
    assert inst < disk
    assert inst < sub < net
    assert report.generations >= 3  # instance, then subnetwork (and disk), then network

    for nid in ids.values():
        assert stack.cleaned(nid)
        assert stack.node(nid)["metadata"]["event_log"][-1]["msg"] == "Successfully cleaned up"
    # the second stack is untouched in the fake and in the graph
    for kind, rid in kept.values():
        assert not any(w.endswith(rid) for w in deleted)
        assert not stack.cleaned(stack.find(kind, rid))
    assert (PROJECT, f"zones/{ZONE}", "instances", "vm-b") in fake.compute.resources
    assert (PROJECT, "global", "networks", "net-b") in fake.compute.resources
    assert (PROJECT, "global", "networks", "net-a") not in fake.compute.resources
    assert sorted(line["id"] for line in stack.sim.patch_lines) == sorted(ids.values())
    assert stack.sim.violations == []


async def test_dry_run_deletes_nothing(fake: FakeGcp, stack: Stack) -> None:
    stack.flag(*_ids("a").values())
    report = await stack.cleanup()  # cleanup_dry_run defaults to true
    assert report.dry_run and len(report.planned) == 4
    assert report.planned[0].kind == INSTANCE and report.planned[-1].kind == NETWORK
    assert _deleted(fake) == []
    assert stack.sim.patch_lines == []


async def test_label_update_and_delete_through_a_tag_task(fake: FakeGcp, stack: Stack) -> None:
    kind, rid = _ids("b")["instance"]
    nid = stack.find(kind, rid)
    key = (PROJECT, f"zones/{ZONE}", "instances", "vm-b")
    assert fake.compute.resources[key]["labels"] == {"stack": "b", "env": "dev"}

    reply = await stack.tag(nid, update={"owner": "team-x"})
    assert reply["result"] == "done", reply
    assert fake.compute.resources[key]["labels"] == {"stack": "b", "env": "dev", "owner": "team-x"}
    assert reply["data"]["id"] == nid
    assert reply["data"]["reported"]["tags"] == {"stack": "b", "env": "dev", "owner": "team-x"}
    assert fake.count(f"/compute/v1/projects/{PROJECT}/zones/{ZONE}/instances/vm-b/setLabels") == 1

    # the next task carries the node as the core stored it after the first reply
    reply = await stack.tag(nid, delete=["env"], task_id="tag-2")
    assert reply["result"] == "done", reply
    assert fake.compute.resources[key]["labels"] == {"stack": "b", "owner": "team-x"}
    assert reply["data"]["reported"]["tags"] == {"stack": "b", "owner": "team-x"}
    assert stack.node(nid)["reported"]["tags"] == {"stack": "b", "owner": "team-x"}
    # the other instance was not touched
    assert fake.compute.resources[(PROJECT, f"zones/{ZONE}", "instances", "vm-a")]["labels"] == {
        "stack": "a",
        "env": "dev",
    }


async def test_tag_task_on_a_kind_without_labels_is_an_error_reply(fake: FakeGcp, stack: Stack) -> None:
    nid = stack.find(*_ids("b")["network"])
    reply = await stack.tag(nid, update={"owner": "team-x"})
    assert reply["result"] == "error"
    assert NETWORK in reply["error"] and "tag" in reply["error"]
    assert fake.count("/compute/v1/projects/solo-prod/global/networks/net-b/setLabels") == 0


async def test_subnetwork_still_in_use_fails_and_blocks_its_network(fake: FakeGcp, stack: Stack) -> None:
    """Without its instance, the subnetwork is refused by the API; the network behind it must wait."""
    doomed = _ids("a")
    sub_id, net_id = stack.flag(doomed["subnet"], doomed["network"])

    report = await stack.cleanup(cleanup_dry_run=False)

    assert report.outcome == "failed"
    assert [o.node_id for o in report.failed] == [sub_id]
    assert "already being used" in (report.failed[0].reason or "")
    assert [o.node_id for o in report.blocked] == [net_id]
    assert doomed["subnet"][1] in (report.blocked[0].reason or "")
    assert _deleted(fake) == []
    assert fake.count(f"/compute/v1/projects/{PROJECT}/global/networks/net-a", method="DELETE") == 0
    by_id = {line["id"]: line["metadata"] for line in stack.sim.patch_lines}
    assert set(by_id) == {sub_id, net_id}
    assert not any(m.get("cleaned") for m in by_id.values())
    assert "blocked" in by_id[net_id]["event_log"][-1]["msg"]
    assert not stack.cleaned(sub_id) and not stack.cleaned(net_id)
