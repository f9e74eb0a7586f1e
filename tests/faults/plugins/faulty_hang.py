"""A test collector whose only unit never returns (it ignores the cancel event on purpose)."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from resoto_hookspecs import BaseAccount, BaseInstance, BaseResource, CloudInfo, CollectionUnit, hookimpl

RELEASE = threading.Event()  # tests set it when done, so the thread does not outlive them


class HangAccount(BaseAccount):
    kind: ClassVar[str] = "faulty_hang_account"


class HangInstance(BaseInstance):
    kind: ClassVar[str] = "faulty_hang_instance"


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name="faulty_hang")


@hookimpl
def resource_kinds() -> list[type[BaseResource]]:
    return [HangAccount, HangInstance]


@hookimpl
def collection_units(config: Any, reporter: Any) -> list[CollectionUnit]:
    return [CollectionUnit("faulty_hang", HangAccount(id="stuck"), None, "stuck")]


@hookimpl
def collect(unit: CollectionUnit, config: Any, builder: Any, reporter: Any) -> None:
    builder.add(HangInstance(id="before-the-hang"))
    RELEASE.wait(600)
