"""A test kit for plugin authors: build a fake plugin, drive a real one, without the worker.

Build a plugin from a few hook functions (to test a policy, or the worker's handling of a hook)::

    from resoto_hookspecs.testing import fake_plugin

    plugin = fake_plugin("mycloud", kinds=[MyAccount, MyInstance], delete_resource=lambda resource: None)

Drive one plugin the way the worker does: its units, one unit's collect into a
:class:`~resoto_hookspecs.MemorySink`, and the action hooks with the unit of an account::

    from resoto_hookspecs.testing import PluginDriver

    driver = PluginDriver(my_plugin_module, MyConfig(...))
    unit = driver.unit("123456789012", region="us-east-1")
    result = driver.collect(unit)
    assert result.problems == [] and result.sink.by_kind("my_instance")
    driver.update_tag(resource=r, location=unit.location, key="k", value="v")  # with config and unit

Everything here uses pluggy's public API and the project's own marker pair, so what passes here
passes in the worker.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pluggy

from resoto_hookspecs.context import CloudInfo, CollectionUnit, Location, PluginConfig, RecordingReporter
from resoto_hookspecs.graph import EdgeProblem, GraphBuilder, MemorySink
from resoto_hookspecs.markers import PROJECT_NAME, hookimpl
from resoto_hookspecs.resources import BaseResource
from resoto_hookspecs.specs import HOOK_NAMES, ResotoSpecs

__all__ = ["CollectResult", "PluginDriver", "collect_unit", "fake_plugin", "plugin_hooks"]


def fake_plugin(
    cloud: str | None = None,
    *,
    kinds: Sequence[type[BaseResource]] = (),
    config: type[PluginConfig] | None = None,
    name: str = "fake",
    check_names: bool = True,
    **hooks: Callable[..., Any],
) -> types.ModuleType:
    """A plugin (a module object, as entry points name them) built from hook functions.

    :param cloud: When given, the plugin answers ``cloud_info`` with this cloud (and ``config``)
        and ``resource_kinds`` with ``kinds``, unless ``hooks`` implement them.
    :param name: The module name (shows up in pluggy's messages).
    :param hooks: Hook name -> function. Unmarked functions are marked with ``@hookimpl``; a
        function declares only the arguments it uses, as in a real plugin.
    :param check_names: Refuse names that are not hooks (pass ``False`` to build a plugin with a
        misspelled hook on purpose, as the worker's own tests do).
    :raises ValueError: A name is not a hook (misspelled).
    """
    unknown = sorted(set(hooks) - set(HOOK_NAMES))
    if unknown and check_names:
        raise ValueError(f"not hook names: {', '.join(unknown)}")
    module = types.ModuleType(name, f"a fake resoto plugin built by resoto_hookspecs.testing ({name})")
    if cloud is not None:
        info = CloudInfo(name=cloud, config=config, description=f"fake {cloud}")
        hooks.setdefault("cloud_info", lambda: info)
        hooks.setdefault("resource_kinds", lambda: list(kinds))
    for hook, fn in hooks.items():
        marked = fn if hasattr(fn, f"{PROJECT_NAME}_impl") else hookimpl(_named(fn, hook))
        setattr(module, hook, marked)
    return module


def _named(fn: Callable[..., Any], hook: str) -> Callable[..., Any]:
    """A lambda gets the hook's name, so pluggy's error messages name the hook."""
    if getattr(fn, "__name__", "") == "<lambda>" and inspect.isfunction(fn):
        fn.__name__ = fn.__qualname__ = hook
    return fn


def plugin_hooks(plugin: object, name: str = "plugin") -> pluggy.HookRelay:
    """``plugin``'s hooks in a fresh plugin manager holding only it: ``plugin_hooks(p).collect(...)``.

    Calls pass each implementation only the arguments it declares, as in the worker.
    """
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(ResotoSpecs)
    pm.register(plugin, name=name)
    return pm.hook


@dataclass
class CollectResult:
    """What one unit's ``collect`` produced."""

    unit: CollectionUnit
    sink: MemorySink
    reporter: RecordingReporter
    builder: GraphBuilder

    @property
    def problems(self) -> list[EdgeProblem]:
        """Edges that would be dropped: endpoints never added (the unit's account and region count
        as present, as the worker adds them)."""
        return self.sink.validate({self.builder.account_node_id, self.builder.root_node_id})


def collect_unit(
    plugin: object,
    unit: CollectionUnit,
    config: PluginConfig | None = None,
    reporter: RecordingReporter | None = None,
) -> CollectResult:
    """Run ``plugin``'s ``collect`` for one unit into a :class:`MemorySink`. Exceptions propagate."""
    recording = reporter if reporter is not None else RecordingReporter()
    sink = MemorySink()
    builder = GraphBuilder(unit, sink, recording)
    plugin_hooks(plugin).collect(unit=unit, config=config, builder=builder, reporter=recording)
    return CollectResult(unit, sink, recording, builder)


class PluginDriver:
    """Drives one plugin with one config, the way the worker does."""

    def __init__(self, plugin: object, config: PluginConfig | None = None) -> None:
        self.plugin = plugin
        self.config = config
        self.hooks = plugin_hooks(plugin)
        self.reporter = RecordingReporter()
        self._units: list[CollectionUnit] | None = None

    def units(self) -> list[CollectionUnit]:
        """The plugin's collection units for this config (asked once, then remembered)."""
        if self._units is None:
            answer: Iterable[CollectionUnit] | None = self.hooks.collection_units(
                config=self.config, reporter=self.reporter
            )
            self._units = list(answer or ())
        return self._units

    def find_unit(self, location: Location) -> CollectionUnit | None:
        """The unit the worker passes to the action hooks for a location: the unit of its region,
        else the account's unit without a region, else any unit of the account; ``None`` when no
        unit serves the account."""
        units = [u for u in self.units() if u.cloud == location.cloud and u.account.id == location.account]
        by_region = {(u.region.id if u.region else None): u for u in units}
        return by_region.get(location.region) or by_region.get(None) or (units[0] if units else None)

    def unit(self, account: str, region: str | None = None) -> CollectionUnit:
        """:meth:`find_unit` for an account (and region) of the plugin's cloud.

        :raises LookupError: No unit serves that account.
        """
        cloud = self.units()[0].cloud if self.units() else ""
        found = self.find_unit(Location(cloud, account, region))
        if found is None:
            raise LookupError(f"no collection unit serves account {account}")
        return found

    def collect(self, unit: CollectionUnit) -> CollectResult:
        """One unit's collect into a :class:`MemorySink`."""
        return collect_unit(self.plugin, unit, self.config)

    # -- the action hooks, with the config and the unit the worker would pass ----------------------

    def pre_cleanup(self, *, resource: BaseResource, location: Location) -> None:
        self.hooks.pre_cleanup(
            resource=resource, location=location, config=self.config, unit=self.find_unit(location)
        )

    def check_resource(self, *, resource: BaseResource, location: Location) -> BaseResource | None:
        found: BaseResource | None = self.hooks.check_resource(
            resource=resource, location=location, config=self.config, unit=self.find_unit(location)
        )
        return found

    def delete_resource(self, *, resource: BaseResource, location: Location) -> None:
        self.hooks.delete_resource(
            resource=resource, location=location, config=self.config, unit=self.find_unit(location)
        )

    def update_tag(self, *, resource: BaseResource, location: Location, key: str, value: str | None) -> None:
        self.hooks.update_tag(
            resource=resource,
            location=location,
            config=self.config,
            key=key,
            value=value,
            unit=self.find_unit(location),
        )

    def delete_tag(self, *, resource: BaseResource, location: Location, key: str) -> None:
        self.hooks.delete_tag(
            resource=resource, location=location, config=self.config, key=key, unit=self.find_unit(location)
        )
