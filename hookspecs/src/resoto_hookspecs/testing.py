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

A plugin file the worker loads by module name (``--plugin my_fake``, also in its child processes)
puts the hooks into its own module, with kinds and units made for it::

    Account, Region, Instance = fake_kinds("my_fake", __name__)  # my_fake_account, ...

    def collect(unit, builder):
        builder.add(Instance(id=f"{unit.account.id}-i0"))

    fake_plugin("my_fake", kinds=[Account, Region, Instance], collect=collect, into=__name__,
                units=fake_units("my_fake", Account, Region, accounts=["a1", "a2"], regions=["r1"]))

Everything here uses pluggy's public API and the project's own marker pair, so what passes here
passes in the worker.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import pluggy

from resoto_hookspecs import resources
from resoto_hookspecs.context import CloudInfo, CollectionUnit, Location, PluginConfig, RecordingReporter
from resoto_hookspecs.graph import EdgeProblem, GraphBuilder, MemorySink
from resoto_hookspecs.markers import PROJECT_NAME, hookimpl
from resoto_hookspecs.resources import BaseAccount, BaseRegion, BaseResource
from resoto_hookspecs.specs import HOOK_NAMES, ResotoSpecs

__all__ = [
    "CollectResult",
    "PluginDriver",
    "collect_unit",
    "fake_kinds",
    "fake_plugin",
    "fake_units",
    "plugin_hooks",
]


def fake_plugin(
    cloud: str | None = None,
    *,
    kinds: Sequence[type[BaseResource]] = (),
    config: type[PluginConfig] | None = None,
    name: str = "fake",
    check_names: bool = True,
    units: Iterable[CollectionUnit] | None = None,
    into: str | None = None,
    **hooks: Callable[..., Any],
) -> types.ModuleType:
    """A plugin (a module object, as entry points name them) built from hook functions.

    :param cloud: When given, the plugin answers ``cloud_info`` with this cloud (and ``config``)
        and ``resource_kinds`` with ``kinds``, unless ``hooks`` implement them.
    :param units: When given, the plugin answers ``collection_units`` with them, unless ``hooks``
        implement it.
    :param into: The name of an existing module to put the hooks into, instead of a new module:
        ``into=__name__`` makes a file a plugin the worker can load by module name.
    :param name: The module name (shows up in pluggy's messages); ignored with ``into``.
    :param hooks: Hook name -> function. Unmarked functions are marked with ``@hookimpl``; a
        function declares only the arguments it uses, as in a real plugin.
    :param check_names: Refuse names that are not hooks (pass ``False`` to build a plugin with a
        misspelled hook on purpose, as the worker's own tests do).
    :raises ValueError: A name is not a hook (misspelled).
    """
    unknown = sorted(set(hooks) - set(HOOK_NAMES))
    if unknown and check_names:
        raise ValueError(f"not hook names: {', '.join(unknown)}")
    if into is not None:
        module = sys.modules[into]
    else:
        module = types.ModuleType(name, f"a fake resoto plugin built by resoto_hookspecs.testing ({name})")
    if cloud is not None:
        info = CloudInfo(name=cloud, config=config, description=f"fake {cloud}")
        hooks.setdefault("cloud_info", lambda: info)
        hooks.setdefault("resource_kinds", lambda: list(kinds))
    if units is not None:
        unit_list = list(units)
        hooks.setdefault("collection_units", lambda: list(unit_list))
    for hook, fn in hooks.items():
        marked = fn if hasattr(fn, f"{PROJECT_NAME}_impl") else hookimpl(_named(fn, hook))
        setattr(module, hook, marked)
    return module


def fake_kinds(cloud: str, module: str, *bases: str) -> tuple[type[Any], ...]:
    """Resource kinds of a fake cloud: for each base kind, a subclass whose kind is ``<cloud>_<base>``.

    ``Account, Region, Instance = fake_kinds("mycloud", __name__)`` gives subclasses of
    :class:`~resoto_hookspecs.BaseAccount`, :class:`~resoto_hookspecs.BaseRegion` and
    :class:`~resoto_hookspecs.BaseInstance` with the kinds ``mycloud_account``, ``mycloud_region``
    and ``mycloud_instance``. Bind them at module level under their class names (the base's name
    without ``Base``): the worker sends units to its child processes (``fork_process``) with
    pickle, which finds a class by its module and name.

    :param module: The module the classes belong to (``__name__``).
    :param bases: The kinds of ``resoto_hookspecs.resources`` to subclass, e.g. ``"network"``,
        ``"volume"``; by default ``"account", "region", "instance"``.
    :raises ValueError: A base is not a kind of ``resoto_hookspecs.resources``.
    """
    made = []
    for base_kind in bases or ("account", "region", "instance"):
        base = _BASE_KINDS.get(base_kind)
        if base is None:
            raise ValueError(f"not a base kind of resoto_hookspecs.resources: {base_kind!r}")
        name = base.__name__.removeprefix("Base")
        namespace = {
            "__module__": module,
            "__qualname__": name,
            "__annotations__": {"kind": ClassVar[str]},
            "kind": f"{cloud}_{base_kind}",
        }
        made.append(type(name, (base,), namespace))
    return tuple(made)


_BASE_KINDS: dict[str, type[BaseResource]] = {
    cls.kind: cls
    for cls in vars(resources).values()
    if isinstance(cls, type) and issubclass(cls, BaseResource) and cls.__module__ == resources.__name__
}


def fake_units(
    cloud: str,
    account_kind: type[BaseAccount],
    region_kind: type[BaseRegion] | None = None,
    *,
    accounts: Iterable[str],
    regions: Iterable[str] = (),
) -> list[CollectionUnit]:
    """One unit per account and region (named ``<account>/<region>``), or one per account when
    there are no regions (named ``<account>``).

    :raises ValueError: Regions without a region kind.
    """
    region_ids = list(regions)
    if region_ids and region_kind is None:
        raise ValueError("regions need a region kind")
    units = []
    for account_id in accounts:
        account = account_kind(id=account_id)
        if region_kind is None or not region_ids:
            units.append(CollectionUnit(cloud, account, None, account_id))
        else:
            units.extend(
                CollectionUnit(cloud, account, region_kind(id=r), f"{account_id}/{r}") for r in region_ids
            )
    return units


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
