"""A test collector whose collect leaves a non-daemon thread running behind (a leaking SDK)."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from resoto_hookspecs import BaseAccount, BaseInstance, BaseResource, CloudInfo, CollectionUnit, hookimpl

STOP = threading.Event()


class LeakAccount(BaseAccount):
    kind: ClassVar[str] = "faulty_leak_account"


class LeakInstance(BaseInstance):
    kind: ClassVar[str] = "faulty_leak_instance"


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name="faulty_leak")


@hookimpl
def resource_kinds() -> list[type[BaseResource]]:
    return [LeakAccount, LeakInstance]


@hookimpl
def collection_units(config: Any, reporter: Any) -> list[CollectionUnit]:
    return [CollectionUnit("faulty_leak", LeakAccount(id="leaky"), None, "leaky")]


@hookimpl
def collect(unit: CollectionUnit, config: Any, builder: Any, reporter: Any) -> None:
    builder.add(LeakInstance(id="leaky-i0"))
    threading.Thread(target=STOP.wait, args=(3600,), name="leaked-by-faulty-leak", daemon=False).start()
