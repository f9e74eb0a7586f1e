"""Cleanup and tagging use the key file that found the project (the unit's credential), not key #0.

The fake issues a token per service-account key and lets each key see only its own projects, so a
call made with the wrong key is refused (403) and the test names which key made each call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.gcp import FakeGcp
from fakes.gcp.harness import make_config
from fakes.gcp.world import World
from resoto_hookspecs import Location
from resoto_plugin_gcp.resources import GcpInstance, GcpTargetInstance
from resotoworker.config import build_config
from resotoworker.plugins import build_plugin_host
from resotoworker.tasks import handle_task

FIRST = "first@keys.iam.gserviceaccount.com"
SECOND = "second@keys.iam.gserviceaccount.com"
ONLY_SECOND = "beta-dev"  # visible to the second key file only
VM = "zones/us-east1-b/instances/vm-us-east1"


def _section(fake: FakeGcp, tmp_path: Path) -> dict[str, Any]:
    keys = [
        fake.service_account_key(tmp_path, FIRST, {"alpha-prod", "gamma-ops"}),
        fake.service_account_key(tmp_path, SECOND, {ONLY_SECOND}),
    ]
    section = make_config(fake, service_account=keys, anonymous_credentials=False).model_dump(mode="json")
    return dict(section)


def _callers(fake: FakeGcp, method: str, fragment: str) -> set[str | None]:
    return {who for who, m, path in fake.callers if m == method and fragment in path}


async def test_project_of_the_second_key_is_tagged_and_deleted_with_that_key(
    fake: FakeGcp, world: World, tmp_path: Path
) -> None:
    host = build_plugin_host(enable={"gcp"})  # a fresh worker: nothing collected yet
    config = build_config({"gcp": _section(fake, tmp_path)}, host)
    frame = {
        "task_id": "t-1",
        "task_name": "tag",
        "attrs": {"cloud": "gcp", "account": ONLY_SECOND, "region": "us-east1"},
        "data": {
            "update": {"owner": "alice"},
            "node": {"id": "n-1", "reported": {"id": VM, "kind": "gcp_instance", "tags": {}}, "metadata": {}},
        },
    }
    reply = await handle_task(host, config, frame, None)
    assert reply is not None and reply["result"] == "done", reply
    key = (ONLY_SECOND, "zones/us-east1-b", "instances", "vm-us-east1")
    assert fake.compute.resources[key]["labels"]["owner"] == "alice"
    assert _callers(
        fake, "POST", f"/projects/{ONLY_SECOND}/zones/us-east1-b/instances/vm-us-east1/setLabels"
    ) == {SECOND}

    location = Location("gcp", ONLY_SECOND, "us-east1")
    plugin_config = config.for_cloud("gcp")
    unit = host.unit_for("gcp", location, plugin_config)
    assert unit is not None and unit.payload.credential_index == 1
    target = "zones/us-east1-b/targetInstances/ti-us-east1"  # uses the VM: deleted first
    for resource in (GcpTargetInstance(id=target), GcpInstance(id=VM)):
        host.hooks("gcp").delete_resource(
            resource=resource, location=location, config=plugin_config, unit=unit
        )
    assert key not in fake.compute.resources
    assert _callers(fake, "DELETE", f"/projects/{ONLY_SECOND}/zones/us-east1-b/instances/vm-us-east1") == {
        SECOND
    }
    assert not any(status == 403 for _, _, status in fake.requests)  # no call went out with the first key
