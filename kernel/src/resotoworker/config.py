"""The worker's configuration: the ``resotoworker`` section and the document of all sections.

The document has the shape the core stores under the config id (protocol §7):
``{"resotoworker": {...}, "<cloud>": {...}, ...}``. Every section is validated by a pydantic model:
``resotoworker`` by :class:`WorkerSection`, each plugin's by its ``cloud_info().config``.
``--override section.key=value`` items are applied to the document locally and never written back.
"""

from __future__ import annotations

import copy
import logging
import os
import re
import types
import typing
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from resoto_hookspecs import PluginConfig
from resoto_hookspecs.kinds import config_kinds

from resotoworker.errors import ConfigurationError
from resotoworker.logs import register_secret
from resotoworker.plugins import PluginHost
from resotoworker.values import BOOLEAN_WORDS, parse_bool

log = logging.getLogger(__name__)

WORKER_SECTION = "resotoworker"


class GraphMergeKind(StrEnum):
    cloud = "cloud"
    account = "account"


class HomeDirectoryFile(BaseModel):
    path: str = Field(description="Path of the file, relative to the home directory")
    content: str = Field(description="Content of the file")


class WorkerSection(BaseModel):
    """The ``resotoworker`` config section."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    collector: list[str] = Field(
        default_factory=list,
        description="Collector plugins to run (cloud names). Empty: every installed collector plugin.",
    )
    graph: str = Field("resoto", description="Name of the graph to import data into and run searches on")
    timeout: int = Field(10800, ge=1, description="Collect and cleanup action timeout in seconds")
    unit_timeout: int = Field(
        3600, ge=1, description="Timeout of one collection unit (e.g. one region) in seconds"
    )
    pool_size: int = Field(8, ge=1, description="Collection units that run at once, over all plugins")
    plugin_pool_size: int = Field(8, ge=1, description="Collection units of one plugin that run at once")
    account_pool_size: int = Field(4, ge=1, description="Collection units of one account that run at once")
    graph_sender_pool_size: int = Field(5, ge=1, description="Account graphs sent to the core at once")
    fork_process: bool = Field(
        False,
        description="Run each plugin's collection units in a child process, so a leaking SDK cannot grow the daemon",
    )
    graph_merge_kind: GraphMergeKind = Field(
        GraphMergeKind.account,
        description="Where the core's replace starts: account (per account merge) or cloud",
    )
    debug_dump_json: bool = Field(
        False, description="Keep the spooled graph files of every collect for replay"
    )
    tempdir: str | None = Field(
        None, description="Directory for spool files (default: the system's temp dir)"
    )
    progress_interval: float = Field(1.0, ge=0, description="Minimum seconds between two progress messages")
    stale_max_age: str = Field(
        "24h",
        description="How long the last known data of a kind that cannot be read is carried forward, "
        "marked metadata.stale, after the collect that last read it (a duration: 90m, 24h, 7d, 1d12h)",
    )
    cleanup: bool = Field(False, description="Enable cleanup of resources flagged desired.clean")
    cleanup_pool_size: int = Field(16, ge=1, description="Resources deleted in parallel during cleanup")
    cleanup_dry_run: bool = Field(True, description="Only report what cleanup would delete; delete nothing")
    cleanup_max_deletions: int = Field(
        500, ge=0, description="Cleanup deletes nothing when it would delete more than this many resources"
    )
    cleanup_max_percent: float = Field(
        50.0,
        ge=0,
        le=100,
        description="Cleanup deletes nothing when it would delete more than this percentage of the resources "
        "of one kind in one account",
    )
    protect_tag: str = Field(
        "resoto:protect", description="A resource carrying this tag is never deleted, even when flagged"
    )
    no_tls: bool = Field(
        False, description="Serve the worker's web server without TLS even when the core uses https"
    )
    web_host: str = Field(
        "::",
        description="IP address the web server binds to; :: (the default) is every IPv6 and IPv4 address",
    )
    web_port: int = Field(9956, ge=0, le=65535, description="Port of the web server")
    web_path: str = Field("/", description="Path prefix of the web server")
    write_files_to_home_dir: list[HomeDirectoryFile] = Field(
        default_factory=list, description="Deprecated: use files_in_home_dir"
    )
    files_in_home_dir: dict[str, str] = Field(
        default_factory=dict, description="Files to write into the home directory: path -> content"
    )

    restart_required: typing.ClassVar[frozenset[str]] = frozenset(
        {"web_host", "web_port", "web_path", "no_tls"}
    )

    @field_validator("stale_max_age")
    @classmethod
    def _check_duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @property
    def stale_max_age_seconds(self) -> float:
        return parse_duration(self.stale_max_age)


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|min|s)?", re.IGNORECASE)
_UNIT_SECONDS = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "min": 60.0, "s": 1.0, None: 1.0}


def parse_duration(text: str) -> float:
    """Seconds of a duration like ``24h``, ``90m``, ``1d12h`` or ``3600`` (raises ValueError)."""
    rest = str(text).strip().replace(" ", "")
    if not rest:
        raise ValueError("a duration like 24h, 90m or 7d is needed")
    total = 0.0
    pos = 0
    while pos < len(rest):
        match = _DURATION.match(rest, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"{text!r} is not a duration (use e.g. 24h, 90m, 7d, 1d12h)")
        unit = match.group(2).lower() if match.group(2) else None
        total += float(match.group(1)) * _UNIT_SECONDS[unit]
        pos = match.end()
    return total


@dataclass
class WorkerConfig:
    """A validated config document: the kernel's section and each plugin's."""

    worker: WorkerSection
    plugins: dict[str, PluginConfig | None] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)

    def for_cloud(self, cloud: str) -> PluginConfig | None:
        return self.plugins.get(cloud)


def section_models(host: PluginHost) -> dict[str, type[BaseModel]]:
    """Every config section the installed plugins define, the kernel's first."""
    sections: dict[str, type[BaseModel]] = {WORKER_SECTION: WorkerSection}
    for plugin in host.plugins.values():
        if plugin.cloud is not None and plugin.cloud.config is not None:
            sections[plugin.cloud.name] = plugin.cloud.config
    return sections


def defaults_document(host: PluginHost) -> dict[str, Any]:
    """The config document with every section's defaults."""
    return {name: model().model_dump(mode="json") for name, model in section_models(host).items()}


def config_model(host: PluginHost) -> list[dict[str, Any]]:
    """The config model for ``PATCH /configs/model``: every section's kinds, with descriptions."""
    kinds: dict[str, dict[str, Any]] = {}
    for name, model in section_models(host).items():
        for kind in config_kinds(name, model):
            kinds.setdefault(kind["fqn"], kind)
    return list(kinds.values())


def deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """A new dict: ``update`` merged into ``base``, recursively for nested dicts."""
    result = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


_PLACEHOLDER = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


def resolve_env_placeholders(value: Any) -> Any:
    """Replace ``$(VAR)`` placeholders with environment values (done by the core for core configs).

    A string that consists of a placeholder whose variable is unset becomes ``None``.
    """
    if isinstance(value, dict):
        return {k: resolve_env_placeholders(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_env_placeholders(v) for v in value]
    if isinstance(value, str) and "$(" in value:
        if (m := _PLACEHOLDER.fullmatch(value)) and m.group(1) not in os.environ:
            return None
        return _PLACEHOLDER.sub(lambda m: os.environ.get(m.group(1), ""), value)
    return value


def apply_overrides(document: dict[str, Any], overrides: list[str], host: PluginHost) -> dict[str, Any]:
    """Apply ``section.key[.sub]=value`` overrides to a document; returns a new document.

    Keys are checked against the section's model, not against the document: a nested key the
    document does not hold yet starts from the model's default. List values are comma-separated,
    booleans are ``true/false``, ``yes/no``, ``on/off`` or ``1/0``, ``null`` clears an optional value. Keys of a
    ``dict`` field are free (``resotoworker.files_in_home_dir.x=y``).

    Raises :class:`ConfigurationError` naming the item when it is malformed, its key is unknown
    (overrides cannot create keys the model does not have) or a boolean is misspelled. The input document is never changed.
    """
    result = copy.deepcopy(document)
    models = section_models(host)
    for item in overrides:
        if "=" not in item:
            raise ConfigurationError(f"override {item!r} has no '='", hint="use section.key=value")
        path, raw = item.split("=", 1)
        path = path.strip()
        parts = path.split(".")
        if len(parts) < 2 or not all(parts):
            raise ConfigurationError(f"override key {path!r} needs a section", hint="use section.key=value")
        section = parts[0]
        model = models.get(section)
        if model is None:
            raise ConfigurationError(
                f"override key {path!r}: unknown section {section!r}",
                hint=f"known sections: {', '.join(models)}",
            )
        target = result.get(section)
        if target is None:
            target = result[section] = {}
        elif not isinstance(target, dict):
            raise ConfigurationError(
                f"config section {section!r} must be an object, not {type(target).__name__}"
            )
        annotation: Any = model
        default: Any = _defaults(model)
        for depth, part in enumerate(parts[1:], start=1):
            if _is_dict(annotation):
                # the rest of the path is one key of a dict field: dict keys may hold dots (a/b.txt)
                part = ".".join(parts[depth:])
                target[part] = _cast(raw, _child_annotation(annotation, part), path)
                break
            annotation = _child_annotation(annotation, part)
            if annotation is _UNKNOWN:
                raise ConfigurationError(
                    f"override key {path!r} is unknown", hint=_keys_hint(parts, depth, model)
                )
            if depth == len(parts) - 1:
                target[part] = _cast(raw, annotation, path)
                break
            default = default.get(part) if isinstance(default, dict) else None
            nxt = target.get(part)
            if nxt is None:
                nxt = target[part] = copy.deepcopy(default) if isinstance(default, dict) else {}
            if not isinstance(nxt, dict):
                raise ConfigurationError(f"override key {path!r} is unknown", hint=f"{part} has no sub-keys")
            target = nxt
    return result


_UNKNOWN: Any = object()


def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    try:
        return model().model_dump(mode="json")
    except ValidationError:  # a model with required fields has no complete default
        return {}


def _child_annotation(annotation: Any, key: str) -> Any:
    """The type of ``key`` below a value of type ``annotation``, or ``_UNKNOWN``."""
    tp = _strip_optional(annotation)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(key)
        return info.annotation if info is not None else _UNKNOWN
    if (typing.get_origin(tp) or tp) is dict:
        args = typing.get_args(tp)
        return args[1] if len(args) == 2 else Any
    return _UNKNOWN


def _is_dict(annotation: Any) -> bool:
    tp = _strip_optional(annotation)
    return (typing.get_origin(tp) or tp) is dict


def _keys_hint(parts: list[str], depth: int, model: type[BaseModel]) -> str:
    annotation: Any = model
    for part in parts[1:depth]:
        annotation = _child_annotation(annotation, part)
    tp = _strip_optional(annotation)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"keys of {'.'.join(parts[:depth])}: {', '.join(tp.model_fields)}"
    return f"{'.'.join(parts[:depth])} has no sub-keys"


def _cast(raw: str, annotation: Any, path: str) -> Any:
    if raw.strip().lower() in ("null", "none") and _is_optional(annotation):
        return None
    tp = _strip_optional(annotation)
    origin = typing.get_origin(tp) or tp
    if origin in (list, tuple, set, frozenset):
        return [v.strip() for v in raw.split(",") if v.strip()]
    if tp is bool:
        try:
            return parse_bool(raw)
        except ValueError:
            raise ConfigurationError(
                f"bad config value {path}={raw!r}: not a boolean",
                hint=f"use {BOOLEAN_WORDS}; fix it in --override",
            ) from None
    return raw


def _strip_optional(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return tp


def _is_optional(tp: Any) -> bool:
    return type(None) in typing.get_args(tp)


def build_config(document: dict[str, Any], host: PluginHost) -> WorkerConfig:
    """Validate a document (defaults filled in for missing keys) into a :class:`WorkerConfig`."""
    models = section_models(host)
    for name in document:
        if name not in models:
            log.warning("config section %r is not used by any installed plugin; ignored", name)
    sections: dict[str, Any] = {}
    for name, model in models.items():
        raw = document.get(name) or {}
        if not isinstance(raw, dict):
            raise ConfigurationError(f"config section {name!r} must be an object, not {type(raw).__name__}")
        try:
            sections[name] = model.model_validate(raw)
        except ValidationError as exc:
            raise ConfigurationError(f"bad config value {_describe_validation(name, exc)}") from None
    worker = sections.pop(WORKER_SECTION)
    for section in sections.values():
        _register_secrets(section)
    full = {name: document.get(name) or {} for name in models}
    return WorkerConfig(worker=worker, plugins=sections, document=full)


def _describe_validation(section: str, exc: ValidationError) -> str:
    """``section.key: what is wrong`` for every error, never the value (it may be a secret)."""
    parts = []
    for err in exc.errors(include_input=False, include_url=False, include_context=False):
        loc = ".".join([section, *(str(p) for p in err.get("loc", ()))])
        parts.append(f"{loc}: {err.get('msg')}")
    return "; ".join(parts)


def _register_secrets(model: BaseModel) -> None:
    for name in type(model).model_fields:
        value = getattr(model, name, None)
        _register_value(value)


def _register_value(value: Any) -> None:
    if isinstance(value, SecretStr):
        register_secret(value.get_secret_value())
    elif isinstance(value, BaseModel):
        _register_secrets(value)
    elif isinstance(value, list | tuple):
        for v in value:
            _register_value(v)
    elif isinstance(value, dict):
        for v in value.values():
            _register_value(v)
