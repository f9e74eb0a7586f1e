"""A test collector whose unit ``bad/r1`` raises in the middle of its collect (``good/r1`` works)."""

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


class RaiseAccount(BaseAccount):
    kind: ClassVar[str] = "faulty_raise_account"


class RaiseRegion(BaseRegion):
    kind: ClassVar[str] = "faulty_raise_region"


class RaiseInstance(BaseInstance):
    kind: ClassVar[str] = "faulty_raise_instance"


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name="faulty_raise")


@hookimpl
def resource_kinds() -> list[type[BaseResource]]:
    return [RaiseAccount, RaiseRegion, RaiseInstance]


@hookimpl
def collection_units(config: Any, reporter: Any) -> list[CollectionUnit]:
    return [
        CollectionUnit("faulty_raise", RaiseAccount(id=a), RaiseRegion(id="r1"), f"{a}/r1")
        for a in ("good", "bad")
    ]


@hookimpl
def collect(unit: CollectionUnit, config: Any, builder: Any, reporter: Any) -> None:
    for i in range(3):
        builder.add(RaiseInstance(id=f"{unit.account.id}-i{i}"))
    if unit.account.id == "bad":
        raise ZeroDivisionError("the plugin has a bug")
