"""The typed facade the kernel calls plugin hooks through: one method per hook, per plugin.

Each loaded plugin gets its own ``pluggy.PluginManager`` holding only that plugin (pluggy's public
API: ``add_hookspecs``, ``register``, ``pm.hook.<name>(...)``). Calling a hook there asks exactly
the owner, so routing needs neither pluggy internals nor a hashable plugin object (a module-level
dataclass instance is not hashable, which rules out ``subset_hook_caller``), and every call site
in the kernel is checked by mypy against the signatures below, which mirror
:class:`resoto_hookspecs.ResotoSpecs`.

Pluggy passes each implementation only the arguments it declares, so a plugin written for an
older spec (e.g. without the ``unit`` argument of the action hooks) keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pluggy
from resoto_hookspecs import (
    PROJECT_NAME,
    BaseResource,
    CleanupCandidate,
    CleanupFlag,
    CloudInfo,
    CollectionUnit,
    GraphBuilder,
    Location,
    PluginConfig,
    Reporter,
    ResotoSpecs,
)


class PluginHooks:
    """Typed calls of one plugin's hooks. A hook the plugin does not implement answers ``None``."""

    def __init__(self, name: str, plugin: object) -> None:
        self.name = name
        self._pm = pluggy.PluginManager(PROJECT_NAME)
        self._pm.add_hookspecs(ResotoSpecs)
        self._pm.register(plugin, name=name)
        self._hook = self._pm.hook

    # -- registration ---------------------------------------------------------------------------

    def cloud_info(self) -> CloudInfo | None:
        result: CloudInfo | None = self._hook.cloud_info()
        return result

    def resource_kinds(self) -> Sequence[type[BaseResource]] | None:
        result: Sequence[type[BaseResource]] | None = self._hook.resource_kinds()
        return result

    def access_policy(self, *, config: PluginConfig | None, include_cleanup: bool) -> dict[str, Any] | None:
        result: dict[str, Any] | None = self._hook.access_policy(
            config=config, include_cleanup=include_cleanup
        )
        return result

    # -- collect ------------------------------------------------------------------------------

    def collection_units(self, *, config: PluginConfig | None, reporter: Reporter) -> list[CollectionUnit]:
        """The units, read completely (an implementation may return a generator)."""
        result: Iterable[CollectionUnit] | None = self._hook.collection_units(
            config=config, reporter=reporter
        )
        return list(result or ())

    def collect(
        self, *, unit: CollectionUnit, config: PluginConfig | None, builder: GraphBuilder, reporter: Reporter
    ) -> None:
        self._hook.collect(unit=unit, config=config, builder=builder, reporter=reporter)

    # -- cleanup ------------------------------------------------------------------------------

    def plan_cleanup(
        self, *, candidates: Sequence[CleanupCandidate], config: PluginConfig | None, reporter: Reporter
    ) -> list[CleanupFlag]:
        """The flags of this plugin's policy, read completely; anything that is not a flag is dropped."""
        answers: list[Iterable[CleanupFlag] | CleanupFlag | None] = self._hook.plan_cleanup(
            candidates=candidates, config=config, reporter=reporter
        )
        flags: list[CleanupFlag] = []
        for answer in answers or ():
            if isinstance(answer, CleanupFlag):
                flags.append(answer)
            elif answer is not None:
                flags.extend(flag for flag in answer if isinstance(flag, CleanupFlag))
        return flags

    def pre_cleanup(
        self,
        *,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        unit: CollectionUnit | None,
    ) -> None:
        self._hook.pre_cleanup(resource=resource, location=location, config=config, unit=unit)

    def check_resource(
        self,
        *,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        unit: CollectionUnit | None,
    ) -> BaseResource | None:
        result: BaseResource | None = self._hook.check_resource(
            resource=resource, location=location, config=config, unit=unit
        )
        return result

    def delete_resource(
        self,
        *,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        unit: CollectionUnit | None,
    ) -> None:
        self._hook.delete_resource(resource=resource, location=location, config=config, unit=unit)

    # -- tags ---------------------------------------------------------------------------------

    def update_tag(
        self,
        *,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        key: str,
        value: str | None,
        unit: CollectionUnit | None,
    ) -> None:
        self._hook.update_tag(
            resource=resource, location=location, config=config, key=key, value=value, unit=unit
        )

    def delete_tag(
        self,
        *,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        key: str,
        unit: CollectionUnit | None,
    ) -> None:
        self._hook.delete_tag(resource=resource, location=location, config=config, key=key, unit=unit)
