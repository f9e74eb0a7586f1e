"""Small helpers shared by the simulator modules."""

from __future__ import annotations

import copy
from typing import Any


def deep_merge(target: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of target with update merged in recursively (dicts are merged, everything else replaced)."""
    result = copy.deepcopy(target)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result
