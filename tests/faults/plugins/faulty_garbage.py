"""A test collector that returns garbage: units that are no ``CollectionUnit`` and non-resources.

Its units: ``None``, a dict, a string, one real unit ``junk/r1`` whose collect passes a dict and then
an object that only looks like a resource to the builder, and one real unit ``fine/r1`` that works
but returns a value from ``collect``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_hookspecs import (
    BaseAccount,
    BaseInstance,
    BaseRegion,
    BaseResource,
    CloudInfo,
    CollectionUnit,
    hookimpl,
)


class GarbageAccount(BaseAccount):
    kind: ClassVar[str] = "faulty_garbage_account"


class GarbageRegion(BaseRegion):
    kind: ClassVar[str] = "faulty_garbage_region"


class GarbageInstance(BaseInstance):
    kind: ClassVar[str] = "faulty_garbage_instance"


class LooksLikeAResource:
    kind = "faulty_garbage_instance"
    id = "impostor"


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name="faulty_garbage")


@hookimpl
def resource_kinds() -> list[type[BaseResource]]:
    return [GarbageAccount, GarbageRegion, GarbageInstance]


@hookimpl
def collection_units(config: Any, reporter: Any) -> list[Any]:
    real = [
        CollectionUnit("faulty_garbage", GarbageAccount(id=a), GarbageRegion(id="r1"), f"{a}/r1")
        for a in ("junk", "fine")
    ]
    other_cloud = CollectionUnit("example", GarbageAccount(id="x"), None, "x")
    return [None, {"cloud": "faulty_garbage"}, "acc/r1", other_cloud, *real]


@hookimpl
def collect(unit: CollectionUnit, config: Any, builder: Any, reporter: Any) -> Any:
    builder.add(GarbageInstance(id=f"{unit.account.id}-ok"))
    if unit.account.id == "junk":
        builder.add({"kind": "faulty_garbage_instance", "id": "a-dict"})
        builder.add(LooksLikeAResource())
    return ["a", "return", "value"]
