"""A synthetic collector plugin for engine benchmarks: N accounts x R regions x K resources each.

Every resource is an instance with a volume (delete edge volume -> instance) below a network, so
the engine handles realistic node and edge counts. Configured through environment variables so it
works unchanged in a child process: SYNTH_ACCOUNTS, SYNTH_REGIONS, SYNTH_PER_REGION.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from resoto_hookspecs import (
    BaseAccount,
    BaseInstance,
    BaseNetwork,
    BaseRegion,
    BaseResource,
    BaseVolume,
    CloudInfo,
    CollectionUnit,
    EdgeType,
    GraphBuilder,
    hookimpl,
)


class SynthAccount(BaseAccount):
    kind: ClassVar[str] = "synth_account"


class SynthRegion(BaseRegion):
    kind: ClassVar[str] = "synth_region"


class SynthNetwork(BaseNetwork):
    kind: ClassVar[str] = "synth_network"


class SynthInstance(BaseInstance):
    kind: ClassVar[str] = "synth_instance"
    owner: str | None = None


class SynthVolume(BaseVolume):
    kind: ClassVar[str] = "synth_volume"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name="synth", description="synthetic benchmark cloud")


@hookimpl
def resource_kinds() -> list[type[BaseResource]]:
    return [SynthAccount, SynthRegion, SynthNetwork, SynthInstance, SynthVolume]


@hookimpl
def collection_units(config: Any, reporter: Any) -> Iterator[CollectionUnit]:
    for a in range(_int("SYNTH_ACCOUNTS", 200)):
        account = SynthAccount(id=f"acc-{a:04d}", name=f"account {a}")
        for r in range(_int("SYNTH_REGIONS", 5)):
            region = SynthRegion(id=f"region-{r}")
            yield CollectionUnit("synth", account, region, f"{account.id}/{region.id}")


CTIME = datetime(2024, 1, 1, tzinfo=UTC)


@hookimpl
def collect(unit: CollectionUnit, config: Any, builder: GraphBuilder, reporter: Any) -> None:
    per_region = _int("SYNTH_PER_REGION", 1000)
    network = SynthNetwork(id=f"net-{unit.name}", tags={"env": "bench"})
    builder.add(network)
    # instances and volumes: per_region resources in total (the network counts as one)
    pairs = (per_region - 1) // 2
    for i in range(pairs):
        inst = SynthInstance(
            id=f"i-{i:06d}",
            tags={"team": "t" + str(i % 7), "env": "bench"},
            ctime=CTIME,
            instance_cores=2.0,
            instance_memory=4.0,
            instance_type="m5.large",
            instance_status="running",
            owner="someone",
        )
        builder.add(inst, parent=network)
        vol = SynthVolume(
            id=f"vol-{i:06d}", volume_size=100, volume_type="gp3", volume_status="in-use", ctime=CTIME
        )
        builder.add(vol, parent=inst)
        builder.add_edge(vol, inst, EdgeType.delete)
    reporter.api_call("synth", "list", error=None)
