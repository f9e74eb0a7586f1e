"""The example cloud's resource kinds.

Each class subclasses the base kind of :mod:`resoto_hookspecs.resources` that describes what it is
(an instance is a ``BaseInstance``), plus :class:`ExampleResource`, the plugin's own abstract base.
Names and bases follow the reference model (``example_instance`` has the bases
``example_resource`` and ``instance``), so a core that already knows Resoto's example kinds accepts
ours. Instance fields are what the core stores under ``reported``; class variables describe the
kind itself.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_hookspecs import BaseAccount, BaseInstance, BaseNetwork, BaseRegion, BaseResource, BaseVolume


class ExampleAccount(BaseAccount):
    """An account of the example cloud. Written into the graph by the kernel, from the unit."""

    kind: ClassVar[str] = "example_account"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "control",
        "icon": "account",
        "name": "Example Account",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["example_region"]}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False


class ExampleRegion(BaseRegion):
    """A region of an example account. Written into the graph by the kernel, from the unit."""

    kind: ClassVar[str] = "example_region"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "region", "name": "Example Region"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["example_network", "example_volume", "example_custom_resource"]
    }
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False


class ExampleResource(BaseResource):
    """Abstract base of every resource the example cloud holds inside a region."""

    kind: ClassVar[str] = "example_resource"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "misc",
        "icon": "resource",
        "name": "Example Resource",
    }


class ExampleNetwork(ExampleResource, BaseNetwork):
    """A network; instances live in it, so it can only be deleted after them."""

    kind: ClassVar[str] = "example_network"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "network",
        "name": "Example Network",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["example_instance"],
        "delete": ["example_instance"],
    }
    cidr_block: str | None = None


class ExampleInstance(ExampleResource, BaseInstance):
    """A virtual machine in a network, with volumes attached."""

    kind: ClassVar[str] = "example_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "instance",
        "name": "Example Instance",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["example_volume"]}
    network_id: str | None = None


class ExampleVolume(ExampleResource, BaseVolume):
    """A block volume, attached to an instance or not; deleted only after its instance."""

    kind: ClassVar[str] = "example_volume"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "volume", "name": "Example Volume"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {"delete": ["example_instance"]}
    attached_to: str | None = None


class ExampleCustomResource(ExampleResource, BaseResource):
    """A kind whose (imaginary) API has neither tags nor a delete call."""

    kind: ClassVar[str] = "example_custom_resource"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "misc",
        "icon": "resource",
        "name": "Example Custom Resource",
    }
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    custom_value: str | None = None


RESOURCE_CLASSES: tuple[type[ExampleResource], ...] = (
    ExampleNetwork,
    ExampleInstance,
    ExampleVolume,
    ExampleCustomResource,
)
"""The kinds a unit's collect produces, in the order it adds them (parents before children)."""

ALL_KINDS: tuple[type[BaseResource], ...] = (ExampleAccount, ExampleRegion, *RESOURCE_CLASSES)
"""Every concrete kind of the plugin, for the ``resource_kinds`` hook."""

KIND_CLASSES: dict[str, type[BaseResource]] = {cls.kind: cls for cls in ALL_KINDS}
"""Kind name to class."""


def resource_from_record(record: dict[str, Any]) -> BaseResource:
    """Build the model of a store record (unknown record keys such as ``account`` are ignored)."""
    cls = KIND_CLASSES[record["kind"]]
    return cls.model_validate(record)
