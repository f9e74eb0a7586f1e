"""What a collection unit carries from discovery to ``collect`` (picklable, no clients or credentials)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HierarchyNode:
    """An organisation or folder above the projects: ``organizations/1`` or ``folders/2``."""

    name: str
    display_name: str
    parent: str | None
    state: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_organization(self) -> bool:
        return self.name.startswith("organizations/")


@dataclass(frozen=True)
class UnitPayload:
    project: str
    credential_index: int
    run_id: str
    region: str
    unit_regions: frozenset[str]
    """Regions of this project that have a unit (``global`` included)."""
    known_regions: frozenset[str]
    """Every region the project's Compute API listed (a selection may leave some without a unit)."""
    disabled_services: frozenset[str] = frozenset()
    """Services found disabled during discovery (e.g. ``compute``)."""
    hierarchy: tuple[HierarchyNode, ...] = ()
    """Organisation and folder nodes this project's global unit adds (parents first)."""
