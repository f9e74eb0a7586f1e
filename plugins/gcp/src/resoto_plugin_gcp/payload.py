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
    catalogue_project: str = ""
    """The project that collects the run's reference data (machine/disk types, SKUs, ...)."""

    @property
    def catalogue(self) -> bool:
        """This project collects the catalogue (one project per run)."""
        return self.catalogue_project == self.project


@dataclass(frozen=True)
class HierarchyPayload:
    """The unit of one organisation (or outermost readable folder): a cloud-level merge of its own.

    Discovery already read everything it holds, so its collect makes no API call.
    """

    credential_index: int
    """The key file that read the hierarchy (any key that sees a project below it)."""
    nodes: tuple[HierarchyNode, ...]
    """Every known node of the tree below the root, parents first (the root is the unit's account)."""
    projects: tuple[tuple[str, str], ...]
    """(project id, parent name) of each collected project below the tree."""
