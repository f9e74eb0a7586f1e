"""Tagging: set and remove tags of resources in the store."""

from __future__ import annotations

from resoto_hookspecs import BaseResource, NotSupported, ResourceGone

from resoto_plugin_example.resources import KIND_CLASSES
from resoto_plugin_example.store import ExampleStore, RecordNotFound


def _taggable_kind(resource: BaseResource) -> str:
    cls = KIND_CLASSES.get(resource.kind)
    if cls is None:
        raise NotSupported(f"the example cloud has no kind {resource.kind}")
    if not cls.taggable:
        raise NotSupported(f"{resource.kind} has no tags")
    return cls.kind


def update_tag(resource: BaseResource, store: ExampleStore, key: str, value: str | None) -> None:
    """Set ``key`` to ``value``; ``None`` makes a key-only tag."""
    kind = _taggable_kind(resource)
    try:
        store.update_tag(kind, resource.id, key, value)
    except RecordNotFound as e:
        raise ResourceGone(str(e)) from e


def delete_tag(resource: BaseResource, store: ExampleStore, key: str) -> None:
    """Remove ``key``; a key that is not there is not an error."""
    kind = _taggable_kind(resource)
    try:
        store.delete_tag(kind, resource.id, key)
    except RecordNotFound as e:
        raise ResourceGone(str(e)) from e
