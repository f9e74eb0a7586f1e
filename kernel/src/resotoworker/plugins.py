"""Plugin discovery and the plugin manager.

:func:`build_plugin_host` is the factory: it creates a fresh ``pluggy.PluginManager`` with the
specs of :mod:`resoto_hookspecs`, loads every plugin registered under the entry-point group
``resoto.plugins`` (plus modules named explicitly, e.g. with ``--plugin``), and isolates failures:
a plugin that cannot be imported, registers a hook that does not exist (a misspelling), has a
signature pluggy rejects, or whose registration hooks raise, is reported with its distribution name
and version and left out, while the others load.

The kernel calls a plugin's hooks through :meth:`PluginHost.hooks`, the typed facade of
:mod:`resotoworker.hooks`: every hook goes to one plugin only (``plan_cleanup`` is called on each
policy plugin in turn). :attr:`PluginHost.units` remembers the collection unit of each account, so
the action hooks learn which credentials found a resource.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy
from resoto_hookspecs import (
    ENTRY_POINT_GROUP,
    HOOK_NAMES,
    PROJECT_NAME,
    BaseResource,
    CloudInfo,
    CollectionUnit,
    Location,
    PluginConfig,
    ResotoSpecs,
)
from resoto_hookspecs.kinds import resource_kinds

from resotoworker.errors import PluginLoadError
from resotoworker.hooks import PluginHooks
from resotoworker.reporters import LogReporter
from resotoworker.units import UnitDirectory

log = logging.getLogger(__name__)


@dataclass
class PluginRecord:
    """A loaded plugin: its name, where it came from, and what it registered."""

    name: str
    dist: str | None
    version: str | None
    obj: object
    hooks: tuple[str, ...]
    api: PluginHooks
    cloud: CloudInfo | None = None
    kinds: tuple[type[BaseResource], ...] = ()

    @property
    def is_collector(self) -> bool:
        return self.cloud is not None and "collect" in self.hooks

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.dist,
            "version": self.version,
            "cloud": self.cloud.name if self.cloud else None,
            "config_section": self.cloud.name if self.cloud and self.cloud.config else None,
            "hooks": list(self.hooks),
            "kinds": len(self.kinds),
        }


@dataclass
class LoadProblem:
    """A plugin that could not be loaded, and why."""

    name: str
    dist: str | None
    version: str | None
    error: str

    def __str__(self) -> str:
        origin = f"{self.dist} {self.version}" if self.dist else "no distribution"
        return f"plugin {self.name!r} ({origin}): {self.error}"


@dataclass
class PluginHost:
    """The plugin manager and what the kernel knows about each plugin."""

    pm: pluggy.PluginManager
    plugins: dict[str, PluginRecord] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    """Plugin modules loaded by name (``--plugin``), so a child process can load the same plugins."""
    discovered: list[str] = field(default_factory=list)
    """Every plugin name found (entry points, modules, objects), loaded, disabled or broken."""
    units: UnitDirectory = field(default_factory=UnitDirectory)
    """The last collection unit of every account, for the action hooks' ``unit`` argument."""

    # -- lookups -----------------------------------------------------------------------------

    def collectors(self) -> list[PluginRecord]:
        """Plugins that collect a cloud, in load order."""
        return [p for p in self.plugins.values() if p.is_collector]

    def by_cloud(self, cloud: str) -> PluginRecord | None:
        for plugin in self.plugins.values():
            if plugin.cloud is not None and plugin.cloud.name == cloud:
                return plugin
        return None

    def problem_of(self, cloud: str) -> LoadProblem | None:
        """The load problem of the plugin that would collect ``cloud`` (named ``cloud`` or
        distributed as ``resoto-plugin-<cloud>``), when it is installed but broken."""
        for problem in self.problems:
            if problem.name == cloud or problem.dist == f"resoto-plugin-{cloud}":
                return problem
        return None

    def implements(self, plugin: str, hook: str) -> bool:
        return hook in self.plugins[plugin].hooks

    def kind_classes(self) -> dict[str, type[BaseResource]]:
        """Every resource class of every plugin, by kind name."""
        result: dict[str, type[BaseResource]] = {}
        for plugin in self.plugins.values():
            for cls in plugin.kinds:
                result[cls.kind] = cls
        return result

    def model(self, plugins: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """The kind JSON of the given plugins (default: all), with every base kind they use."""
        names = set(plugins) if plugins is not None else set(self.plugins)
        classes = [cls for p in self.plugins.values() if p.name in names for cls in p.kinds]
        return resource_kinds(classes)

    # -- calls -------------------------------------------------------------------------------

    def hooks(self, plugin: str) -> PluginHooks:
        """The typed hooks of one plugin: ``host.hooks("aws").delete_resource(...)``."""
        return self.plugins[plugin].api

    def unit_for(self, plugin: str, location: Location, config: PluginConfig | None) -> CollectionUnit | None:
        """The collection unit behind a resource's location (see :class:`UnitDirectory`).

        Thread-safe; on a miss it asks the plugin's ``collection_units`` once for that account.
        """
        api = self.hooks(plugin)
        return self.units.find(
            location, lambda: api.collection_units(config=config, reporter=LogReporter(plugin))
        )


def build_plugin_host(
    *,
    enable: Collection[str] | None = None,
    disable: Collection[str] = (),
    modules: Iterable[str] = (),
    objects: Iterable[tuple[str, object]] = (),
    entry_points: bool = True,
) -> PluginHost:
    """Create a fresh plugin manager and load the plugins.

    :param enable: Load only plugins with these names (``None``: all discovered).
    :param disable: Never load plugins with these names (checked before import).
    :param modules: Extra plugin modules to import by dotted name (``--plugin``).
    :param objects: Extra ``(name, plugin object)`` pairs, e.g. from a test.
    :param entry_points: Discover plugins through the ``resoto.plugins`` entry points.
    """
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(ResotoSpecs)
    host = PluginHost(pm, modules=list(modules))
    candidates: list[tuple[str, str | None, str | None, Callable[[], object]]] = []
    if entry_points:
        for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            dist = getattr(ep, "dist", None)
            candidates.append((ep.name, dist.name if dist else None, dist.version if dist else None, ep.load))
    for mod in host.modules:
        candidates.append((mod.rsplit(".", 1)[-1], None, None, lambda m=mod: importlib.import_module(m)))  # type: ignore[misc]
    for name, obj in objects:
        candidates.append((name, None, None, lambda o=obj: o))  # type: ignore[misc]

    host.discovered = [name for name, *_ in candidates]
    for name, dist, version, load in candidates:
        if name in disable or (enable is not None and name not in enable):
            log.debug("plugin %s is disabled", name)
            continue
        if name in host.plugins:
            host.problems.append(LoadProblem(name, dist, version, "another plugin with this name is loaded"))
            continue
        try:
            record = _load_one(pm, name, dist, version, load)
        except Exception as exc:
            problem = LoadProblem(name, dist, version, _describe(exc))
            host.problems.append(problem)
            log.error("%s; the other plugins still load", problem)
            continue
        host.plugins[name] = record
        log.debug("loaded plugin %s (%s %s): %s", name, dist, version, ", ".join(record.hooks))
    _check_clouds(host)
    return host


def _describe(exc: BaseException, limit: int = 500) -> str:
    """One line: the exception's type and its whole message (pluggy puts the cause on later lines)."""
    text = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _load_one(
    pm: pluggy.PluginManager, name: str, dist: str | None, version: str | None, load: Callable[[], object]
) -> PluginRecord:
    obj = load()
    if isinstance(obj, type):
        raise PluginLoadError("the entry point names a class; it must name a module or a module-level object")
    pm.register(obj, name=name)
    try:
        hooks = tuple(sorted(set(_hook_names(pm, obj)), key=_lifecycle_index))
        unknown = [h for h in hooks if h not in HOOK_NAMES]
        if unknown:
            raise PluginLoadError(f"implements unknown hook(s) {', '.join(unknown)} (misspelled?)")
        if not hooks:
            raise PluginLoadError("implements no hook (are the functions marked with @hookimpl?)")
        record = PluginRecord(name, dist, version, obj, hooks, PluginHooks(name, obj))
        if "cloud_info" in hooks:
            info = record.api.cloud_info()
            if not isinstance(info, CloudInfo):
                raise PluginLoadError(f"cloud_info returned {type(info).__name__}, not CloudInfo")
            record.cloud = info
        if "resource_kinds" in hooks:
            kinds = tuple(record.api.resource_kinds() or ())
            bad = [k for k in kinds if not (isinstance(k, type) and issubclass(k, BaseResource) and k.kind)]
            if bad:
                raise PluginLoadError(f"resource_kinds returned non-resource classes: {bad!r}")
            record.kinds = kinds
        if record.cloud is not None and "collect" in hooks and not record.kinds:
            raise PluginLoadError("collects a cloud but declares no resource kinds")
        return record
    except Exception:
        pm.unregister(obj)
        raise


def _hook_names(pm: pluggy.PluginManager, obj: object) -> list[str]:
    """Names of the hooks ``obj`` implements, including ones that have no spec (misspellings)."""
    return [caller.name for caller in pm.get_hookcallers(obj) or []]


def _lifecycle_index(hook: str) -> int:
    return HOOK_NAMES.index(hook) if hook in HOOK_NAMES else len(HOOK_NAMES)


def _check_clouds(host: PluginHost) -> None:
    seen: dict[str, str] = {}
    for name, plugin in list(host.plugins.items()):
        if plugin.cloud is None:
            continue
        other = seen.get(plugin.cloud.name)
        if other is not None:
            host.problems.append(
                LoadProblem(
                    name, plugin.dist, plugin.version, f"cloud {plugin.cloud.name!r} is served by {other}"
                )
            )
            host.pm.unregister(plugin.obj)
            del host.plugins[name]
        else:
            seen[plugin.cloud.name] = name
