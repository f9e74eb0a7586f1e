"""A synthetic collector plugin for engine benchmarks: N accounts x R regions x K resources each.

Every resource is an instance with a volume (delete edge volume -> instance) below a network, so
the engine handles realistic node and edge counts. Configured through environment variables so it
works unchanged in a child process: SYNTH_ACCOUNTS, SYNTH_REGIONS, SYNTH_PER_REGION.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import ClassVar

from resoto_hookspecs import BaseInstance, CollectionUnit, EdgeType, GraphBuilder, Reporter
from resoto_hookspecs.testing import fake_kinds, fake_plugin

Account, Region, Network, Volume = fake_kinds("synth", __name__, "account", "region", "network", "volume")


class Instance(BaseInstance):
    kind: ClassVar[str] = "synth_instance"
    owner: str | None = None


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def collection_units() -> Iterator[CollectionUnit]:
    for a in range(_int("SYNTH_ACCOUNTS", 200)):
        account = Account(id=f"acc-{a:04d}", name=f"account {a}")
        for r in range(_int("SYNTH_REGIONS", 5)):
            region = Region(id=f"region-{r}")
            yield CollectionUnit("synth", account, region, f"{account.id}/{region.id}")


CTIME = datetime(2024, 1, 1, tzinfo=UTC)


def collect(unit: CollectionUnit, builder: GraphBuilder, reporter: Reporter) -> None:
    per_region = _int("SYNTH_PER_REGION", 1000)
    network = Network(id=f"net-{unit.name}", tags={"env": "bench"})
    builder.add(network)
    # instances and volumes: per_region resources in total (the network counts as one)
    pairs = (per_region - 1) // 2
    for i in range(pairs):
        inst = Instance(
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
        vol = Volume(
            id=f"vol-{i:06d}", volume_size=100, volume_type="gp3", volume_status="in-use", ctime=CTIME
        )
        builder.add(vol, parent=inst)
        builder.add_edge(vol, inst, EdgeType.delete)
    reporter.api_call("synth", "list", error=None)


fake_plugin(
    "synth",
    kinds=[Account, Region, Network, Instance, Volume],
    collection_units=collection_units,
    collect=collect,
    into=__name__,
)
