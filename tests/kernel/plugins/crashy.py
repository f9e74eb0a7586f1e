"""A test collector whose collect kills its own process for one account (``os._exit``)."""

from __future__ import annotations

import os
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


class CrashyAccount(BaseAccount):
    kind: ClassVar[str] = "crashy_account"


class CrashyRegion(BaseRegion):
    kind: ClassVar[str] = "crashy_region"


class CrashyInstance(BaseInstance):
    kind: ClassVar[str] = "crashy_instance"


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name="crashy")


@hookimpl
def resource_kinds() -> list[type[BaseResource]]:
    return [CrashyAccount, CrashyRegion, CrashyInstance]


@hookimpl
def collection_units(config: Any, reporter: Any) -> list[CollectionUnit]:
    return [
        CollectionUnit("crashy", CrashyAccount(id=acc), CrashyRegion(id="r1"), f"{acc}/r1")
        for acc in ("good", "bad")
    ]


@hookimpl
def collect(unit: CollectionUnit, config: Any, builder: Any, reporter: Any) -> None:
    for i in range(3):
        builder.add(CrashyInstance(id=f"{unit.account.id}-i{i}"))
    if unit.account.id == "bad":
        os._exit(3)
