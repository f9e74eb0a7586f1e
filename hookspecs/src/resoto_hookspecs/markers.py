"""The project's one marker pair and the names the kernel discovers plugins by."""

from __future__ import annotations

import pluggy

PROJECT_NAME = "resoto"
"""The pluggy project name: hook implementations must be marked for it."""

ENTRY_POINT_GROUP = "resoto.plugins"
"""Entry-point group under which a plugin distribution registers its module (or module-level object)."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marks a hook specification. Only :mod:`resoto_hookspecs.specs` uses it."""

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marks a plugin's hook implementation: ``from resoto_hookspecs import hookimpl``."""
