"""A test collector that returns garbage: units that are no ``CollectionUnit`` and non-resources.

Its units: ``None``, a dict, a string, a unit of another cloud, one real unit ``junk/r1`` whose
collect passes a dict and then an object that only looks like a resource to the builder, and one
real unit ``fine/r1`` that works but returns a value from ``collect``.
"""

from __future__ import annotations

from typing import Any

from resoto_hookspecs import CollectionUnit, GraphBuilder
from resoto_hookspecs.testing import fake_kinds, fake_plugin, fake_units

Account, Region, Instance = fake_kinds("faulty_garbage", __name__)


class LooksLikeAResource:
    kind = "faulty_garbage_instance"
    id = "impostor"


def collection_units() -> list[Any]:
    real = fake_units("faulty_garbage", Account, Region, accounts=["junk", "fine"], regions=["r1"])
    other_cloud = CollectionUnit("example", Account(id="x"), None, "x")
    return [None, {"cloud": "faulty_garbage"}, "acc/r1", other_cloud, *real]


def collect(unit: CollectionUnit, builder: GraphBuilder) -> Any:
    builder.add(Instance(id=f"{unit.account.id}-ok"))
    if unit.account.id == "junk":
        builder.add({"kind": "faulty_garbage_instance", "id": "a-dict"})  # type: ignore[arg-type]
        builder.add(LooksLikeAResource())  # type: ignore[arg-type]
    return ["a", "return", "value"]


fake_plugin(
    "faulty_garbage",
    kinds=[Account, Region, Instance],
    collection_units=collection_units,
    collect=collect,
    into=__name__,
)
