"""Finds the kind definitions: every module in :mod:`resoto_plugin_aws.services` with a ``KINDS`` list.

A new service is one new module in that folder; nothing else has to change.
"""

from __future__ import annotations

import fnmatch
import importlib
import logging
import pkgutil
from collections.abc import Sequence
from functools import cache

from resoto_plugin_aws import services
from resoto_plugin_aws.spec import Kind

log = logging.getLogger(__name__)


@cache
def all_kinds() -> dict[str, Kind]:
    """Every kind definition by kind name, in module order. Raises on a duplicate kind name."""
    kinds: dict[str, Kind] = {}
    for info in sorted(pkgutil.iter_modules(services.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{services.__name__}.{info.name}")
        for kind in getattr(module, "KINDS", ()):
            if not isinstance(kind, Kind):
                raise TypeError(f"{module.__name__}.KINDS holds {kind!r}, not a Kind")
            name = kind.cls.kind
            if name in kinds:
                raise ValueError(f"kind {name} is defined twice ({module.__name__})")
            kinds[name] = kind
    return kinds


def kind_of(name: str) -> Kind | None:
    return all_kinds().get(name)


def selected(collect: Sequence[str], no_collect: Sequence[str]) -> dict[str, Kind]:
    """The kinds that the ``collect``/``no_collect`` glob patterns let through."""
    out: dict[str, Kind] = {}
    for name, kind in all_kinds().items():
        if collect and not any(fnmatch.fnmatchcase(name, p) for p in collect):
            continue
        if any(fnmatch.fnmatchcase(name, p) for p in no_collect):
            continue
        out[name] = kind
    return out
