"""The rule that turns model classes into the core's kind JSON (protocol §5.4).

``resource_kinds(classes)`` exports the given resource classes together with every base kind,
nested complex kind and enum kind they use, each once, ready for ``PATCH /graph/{g}/model``.
``config_kinds(section, model)`` does the same for a config section (``PATCH /configs/model``).

Type mapping: ``str`` → ``string``, ``int`` → ``int64``, ``float`` → ``double``, ``bool`` →
``boolean``, ``datetime`` → ``datetime``, ``date`` → ``date``, ``timedelta`` → ``duration``,
``list[T]`` → ``T[]``, ``dict[str, V]`` → ``dictionary[string, V]``, an enum → its enum kind,
a :class:`~resoto_hookspecs.resources.KindModel` → its kind, anything else → ``any``.
``Optional[T]`` exports as ``T``.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, Literal, Union

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo

from resoto_hookspecs.resources import ENUM_KINDS, BaseResource, KindModel

Json = dict[str, Any]

_SYNTHETIC = {"ctime": "age", "mtime": "last_update", "atime": "last_access"}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def enum_kind_name(enum_cls: type[Enum]) -> str:
    return ENUM_KINDS.get(enum_cls) or getattr(enum_cls, "kind_name", None) or _snake(enum_cls.__name__)


def _strip_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = len(args) != len(typing.get_args(tp))
        if len(args) == 1:
            inner, _ = _strip_optional(args[0])
            return inner, optional
        return Any, optional
    return tp, False


class _Collector:
    def __init__(self, with_description: bool) -> None:
        # config kinds (with descriptions) also say which properties are required: the non-optional ones
        self.with_description = with_description
        self.kinds: dict[str, Json] = {}

    def type_kind(self, tp: Any) -> str:
        tp, _ = _strip_optional(tp)
        origin = typing.get_origin(tp)
        if tp is Any or tp is object:
            return "any"
        if origin is Literal:
            values = typing.get_args(tp)
            if all(isinstance(v, bool) for v in values):
                return "boolean"
            if all(isinstance(v, int) for v in values):
                return "int64"
            return "string"
        if origin in (list, tuple, set, frozenset) or tp in (list, tuple, set, frozenset):
            args = typing.get_args(tp)
            return f"{self.type_kind(args[0]) if args else 'any'}[]"
        if origin is dict or tp is dict:
            args = typing.get_args(tp)
            if len(args) == 2:
                return f"dictionary[{self.type_kind(args[0])}, {self.type_kind(args[1])}]"
            return "dictionary[string, any]"
        if isinstance(tp, type):
            if issubclass(tp, bool):
                return "boolean"
            if issubclass(tp, Enum):
                return self.enum(tp)
            if issubclass(tp, int):
                return "int64"
            if issubclass(tp, float):
                return "double"
            if issubclass(tp, (str, SecretStr)):
                return "string"
            if issubclass(tp, datetime):
                return "datetime"
            if issubclass(tp, date):
                return "date"
            if issubclass(tp, timedelta):
                return "duration"
            if issubclass(tp, KindModel):
                return self.complex(tp)
            if issubclass(tp, BaseModel):
                return self.complex(tp, fqn=_snake(tp.__name__))
        return "any"

    def enum(self, enum_cls: type[Enum]) -> str:
        name = enum_kind_name(enum_cls)
        if name not in self.kinds:
            self.kinds[name] = {
                "fqn": name,
                "runtime_kind": "string",
                "enum": [str(m.value) for m in enum_cls],
            }
        return name

    def _property(self, name: str, info: FieldInfo) -> Json:
        prop: Json = {
            "name": name,
            "kind": self.type_kind(info.annotation),
            "required": self.with_description and not _strip_optional(info.annotation)[1],
            "description": (info.description or "") if self.with_description else None,
        }
        return prop

    def complex(self, cls: type[BaseModel], *, fqn: str | None = None, bases: list[str] | None = None) -> str:
        name = fqn or getattr(cls, "kind", "") or _snake(cls.__name__)
        if name in self.kinds:
            return name
        self.kinds[name] = {}  # placeholder against recursion
        is_resource = issubclass(cls, BaseResource)
        kind_bases: list[str] = bases if bases is not None else []
        inherited: set[str] = set()
        if bases is None:
            for base in cls.__bases__:
                if isinstance(base, type) and issubclass(base, KindModel) and base is not KindModel:
                    kind_bases.append(self.complex(base))
                    inherited.update(base.model_fields)
        own = [n for n in inspect.get_annotations(cls) if n in cls.model_fields and n not in inherited]
        properties = [self._property(n, cls.model_fields[n]) for n in own]
        if cls is BaseResource:
            properties = self._resource_properties(properties)
        succ = getattr(cls, "successor_kinds", None) if is_resource else None
        if succ and "successor_kinds" not in cls.__dict__:
            succ = None
        self.kinds[name] = {
            "fqn": name,
            "bases": kind_bases,
            "properties": properties,
            "allow_unknown_props": False,
            "successor_kinds": {k: list(v) for k, v in succ.items()} if succ else None,
            "aggregate_root": is_resource,
            "metadata": dict(cls.__dict__.get("kind_metadata") or {}) or None,
        }
        return name

    def _resource_properties(self, properties: list[Json]) -> list[Json]:
        out: list[Json] = []
        for prop in properties:
            out.append(prop)
            if prop["name"] in _SYNTHETIC:
                out.append(
                    {
                        "name": _SYNTHETIC[prop["name"]],
                        "kind": "trafo.duration_to_datetime",
                        "required": False,
                        "description": None,
                        "synthetic": {"path": [prop["name"]]},
                    }
                )
        out.append({"name": "kind", "kind": "string", "required": True, "description": ""})
        return out


SHORT_PROPERTY_ACCESS: Json = {
    "fqn": "resource_short_property_access",
    "bases": [],
    "properties": [
        {"name": "cloud", "kind": "any", "required": False},
        {"name": "account", "kind": "any", "required": False},
        {"name": "region", "kind": "any", "required": False},
        {"name": "zone", "kind": "any", "required": False},
        {"name": "usage", "kind": "dictionary[string, dictionary[string, double]]", "required": False},
    ],
    "aggregate_root": True,
    "metadata": {"dynamic": True},
}


def resource_kinds(classes: Iterable[type[BaseResource]]) -> list[Json]:
    """Kind JSON for these resource classes and everything they build on, each kind once.

    The result always holds the base kinds of :mod:`resoto_hookspecs.resources` that the classes use,
    ``resource`` with its synthetic properties, and ``resource_short_property_access``.
    """
    collector = _Collector(with_description=False)
    collector.complex(BaseResource)
    for cls in classes:
        collector.complex(cls)
    result = list(collector.kinds.values())
    result.append(SHORT_PROPERTY_ACCESS)
    return result


def config_kinds(section: str, model: type[BaseModel]) -> list[Json]:
    """Kind JSON for one config section (``PATCH /configs/model``), with descriptions.

    :param section: The section name, which becomes the root kind's ``fqn`` (``resotoworker``, ``aws``).
    :param model: The pydantic model of the section.

    Every property whose type is not optional is ``required``, in nested kinds too.
    """
    collector = _Collector(with_description=True)
    collector.complex(model, fqn=section, bases=[])
    return list(collector.kinds.values())
