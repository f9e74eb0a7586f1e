"""resoto-hookspecs: everything a resotoworker plugin author needs.

* :data:`hookimpl` marks hook implementations; :class:`ResotoSpecs` documents every hook.
* :mod:`resoto_hookspecs.resources` holds the base kinds to subclass (``BaseInstance``, ...).
* :class:`GraphBuilder` is what ``collect`` streams resources and edges into.
* :mod:`resoto_hookspecs.errors` holds the exceptions that tell the kernel what went wrong.
"""

from resoto_hookspecs.context import (
    CleanupCandidate,
    CleanupFlag,
    CloudInfo,
    CollectionUnit,
    Location,
    PluginConfig,
    RecordingReporter,
    Reporter,
)
from resoto_hookspecs.errors import (
    AccessDenied,
    CollectionCancelled,
    ConfigError,
    ExpectedError,
    NotAvailable,
    NotSupported,
    PluginError,
    ResourceGone,
)
from resoto_hookspecs.graph import EdgeType, GraphBuilder, GraphSink, MemorySink, node_id
from resoto_hookspecs.kinds import config_kinds, resource_kinds
from resoto_hookspecs.markers import ENTRY_POINT_GROUP, PROJECT_NAME, hookimpl, hookspec
from resoto_hookspecs.resources import *  # noqa: F403  (the base kinds are the public API)
from resoto_hookspecs.resources import BaseResource, KindModel, NodeMetadata, UtcDatetime
from resoto_hookspecs.specs import HOOK_NAMES, ResotoSpecs

__all__ = [
    "ENTRY_POINT_GROUP",
    "HOOK_NAMES",
    "PROJECT_NAME",
    "AccessDenied",
    "BaseResource",
    "CleanupCandidate",
    "CleanupFlag",
    "CloudInfo",
    "CollectionCancelled",
    "CollectionUnit",
    "ConfigError",
    "EdgeType",
    "ExpectedError",
    "GraphBuilder",
    "GraphSink",
    "KindModel",
    "Location",
    "MemorySink",
    "NodeMetadata",
    "NotAvailable",
    "NotSupported",
    "PluginConfig",
    "PluginError",
    "RecordingReporter",
    "Reporter",
    "ResotoSpecs",
    "ResourceGone",
    "UtcDatetime",
    "config_kinds",
    "hookimpl",
    "hookspec",
    "node_id",
    "resource_kinds",
]
