"""Work-queue tasks (protocol §4): the task descriptions a worker announces, and the ``tag`` task.

:func:`task_descriptions` is the first frame on ``/work/queue``: one ``tag`` entry per collected
cloud whose filter names the accounts this worker holds, so the core (which picks the most specific
matching filter) sends a tag task to the worker with that account's credentials.

:func:`handle_task` answers one task frame. A ``tag`` task is routed by its cloud to the owning
plugin's ``update_tag`` / ``delete_tag`` hooks (in a thread); the reply carries the node as the core
stores it, with the new tags. Every failure becomes an ``error`` reply with a short message.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from collections.abc import Mapping
from typing import Any

from resoto_hookspecs import BaseResource, Location, NotSupported, PluginConfig, ResourceGone

from resotoworker import metrics
from resotoworker.config import WorkerConfig
from resotoworker.nodes import decode_resource, location_from_ancestors
from resotoworker.plugins import PluginHost

log = logging.getLogger(__name__)

TAG_TASK = "tag"
MAX_REPLY_BYTES = 4 * 1024 * 1024
"""The core's websocket accepts messages up to 4 MiB."""
COMPUTED_METADATA = frozenset({"descendant_summary", "descendant_count", "descendant_count_total"})
"""Metadata keys the core computes itself: not sent back with a task result."""


class TaskError(Exception):
    """A task that cannot be done; the message is the ``error`` reply (safe to show, no secrets)."""


# ---------------------------------------------------------------------------------------------
# descriptions


def collector_clouds(host: PluginHost, config: WorkerConfig) -> list[str]:
    """The clouds this worker collects: ``resotoworker.collector``, or every installed collector."""
    installed = [p.cloud.name for p in host.collectors() if p.cloud is not None]
    wanted = config.worker.collector
    if not wanted:
        return installed
    return [c for c in dict.fromkeys(wanted) if c in installed]


def _held_accounts(held: Mapping[str, set[str]] | None, cloud: str) -> set[str] | None:
    """The accounts this worker holds in ``cloud``; ``None`` when unknown (an empty set counts as unknown)."""
    if held is None:
        return None
    accounts = held.get(cloud)
    return set(accounts) if accounts else None


def _tag_entry(clouds: list[str], accounts: set[str] | None) -> dict[str, Any]:
    where = ", ".join(clouds) if clouds else "no cloud"
    task_filter: dict[str, list[str]] = {"cloud": clouds}
    description = f"Update or delete a tag of a resource in {where}"
    if accounts is not None:
        task_filter["account"] = sorted(accounts)
        description += f" (accounts {', '.join(sorted(accounts))})"
    return {
        "name": TAG_TASK,
        "info": "Tag a resource",
        "description": description,
        "filter": task_filter,
        "expect_node_result": True,
        "args_description": {},
        "allowed_on_kind": None,
    }


def task_descriptions(
    host: PluginHost, config: WorkerConfig, held: dict[str, set[str]] | None
) -> list[dict[str, Any]]:
    """The task descriptions for the first ``/work/queue`` frame; never empty.

    :param held: cloud -> the account ids this worker holds; ``None`` (or a cloud without a
        non-empty set) leaves the account out of that cloud's filter.
    """
    clouds = collector_clouds(host, config)
    entries = [_tag_entry([cloud], _held_accounts(held, cloud)) for cloud in clouds]
    if not entries:
        # the core fails the attach on an empty list: offer tagging for the installed clouds
        installed = sorted(p.cloud.name for p in host.plugins.values() if p.cloud is not None)
        entries = [_tag_entry(installed, None)]
    return entries


# ---------------------------------------------------------------------------------------------
# handling


def _error(task_id: str, message: str) -> dict[str, Any]:
    return {"task_id": task_id, "result": "error", "error": message}


def _parse_frame(frame: Any) -> dict[str, Any] | None:
    if isinstance(frame, bytes | bytearray):
        frame = frame.decode("utf-8", "replace")
    if isinstance(frame, str):
        try:
            frame = json.loads(frame)
        except ValueError:
            return None
    return frame if isinstance(frame, dict) else None


async def handle_task(
    host: PluginHost, config: WorkerConfig, frame: Any, held: dict[str, set[str]] | None
) -> dict[str, Any] | None:
    """Answer one task frame: ``{"task_id", "result": "done", "data"}`` or an ``error`` reply.

    Returns ``None`` only for a frame without a usable ``task_id`` (nothing can be answered). Never
    raises (except cancellation).
    """
    parsed = _parse_frame(frame)
    task_id = parsed.get("task_id") if parsed is not None else None
    if parsed is None or not isinstance(task_id, str) or not task_id:
        log.error("work queue: a task frame without a task_id cannot be answered: %.200s", frame)
        metrics.TASKS.labels("unknown", "invalid").inc()
        return None
    name = parsed.get("task_name")
    try:
        if name != TAG_TASK:
            raise TaskError(f"this worker has no handler for task {name}")
        node = await _tag(host, config, parsed, held)
        reply = {"task_id": task_id, "result": "done", "data": node}
        size = len(json.dumps(reply, separators=(",", ":")).encode())
        if size > MAX_REPLY_BYTES:
            raise TaskError(
                f"the result is {size} bytes, more than the {MAX_REPLY_BYTES} bytes a reply may have"
            )
    except TaskError as exc:
        log.warning("task %s (%s) failed: %s", task_id, name, exc)
        return _error(task_id, str(exc))
    except Exception as exc:  # a bug or a plugin's unexpected failure: answer, never raise
        log.error("task %s (%s) failed unexpectedly", task_id, name, exc_info=True)
        return _error(task_id, f"{name} failed: {type(exc).__name__}: {_first_line(exc)}")
    return reply  # the daemon counts answered tasks in metrics.TASKS


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else "no details"


def _tag_changes(data: Any) -> tuple[dict[str, Any], dict[str, str | None], list[str]]:
    """Validate the task's data: ``(node, update, delete)``."""
    if not isinstance(data, dict):
        raise TaskError("malformed tag task: data must be a JSON object")
    update = data.get("update", {})
    delete = data.get("delete", [])
    if update is None:
        update = {}
    if delete is None:
        delete = []
    if not isinstance(update, dict) or not all(
        isinstance(k, str) and k and (v is None or isinstance(v, str)) for k, v in update.items()
    ):
        raise TaskError("malformed tag task: update must map tag keys to string values (or null)")
    if not isinstance(delete, list) or not all(isinstance(k, str) and k for k in delete):
        raise TaskError("malformed tag task: delete must be a list of tag keys")
    node = data.get("node")
    if node is None:
        raise TaskError("tag task without a node: nothing to tag")
    if (
        not isinstance(node, dict)
        or not isinstance(node.get("id"), str)
        or not isinstance(node.get("reported"), dict)
    ):
        raise TaskError("malformed tag task: node must be a node with id and reported")
    if not update and not delete:
        raise TaskError("malformed tag task: neither update nor delete holds a tag")
    return node, update, delete


def _task_location(attrs: Any, node: Mapping[str, Any]) -> Location:
    from_node = location_from_ancestors(node.get("ancestors"))
    attrs = attrs if isinstance(attrs, dict) else {}

    def attr(key: str) -> str | None:
        value = attrs.get(key)
        return str(value) if isinstance(value, str) and value else None

    cloud = attr("cloud") or (from_node.cloud if from_node else None)
    if cloud is None:
        raise TaskError("tag task without a cloud: neither attrs nor the node's ancestors name one")
    return Location(
        cloud,
        attr("account") or (from_node.account if from_node else None),
        attr("region") or (from_node.region if from_node else None),
        attr("zone") or (from_node.zone if from_node else None),
    )


async def _tag(
    host: PluginHost, config: WorkerConfig, frame: dict[str, Any], held: dict[str, set[str]] | None
) -> dict[str, Any]:
    node, update, delete = _tag_changes(frame.get("data"))
    location = _task_location(frame.get("attrs"), node)
    plugin = host.by_cloud(location.cloud)
    if plugin is None:
        raise TaskError(f"no installed plugin serves cloud {location.cloud}")
    accounts = _held_accounts(held, location.cloud)
    if accounts is not None and location.account not in accounts:
        raise TaskError(f"account {location.account} of cloud {location.cloud} is not held by this worker")
    kind = node["reported"].get("kind")
    cls = next((c for c in plugin.kinds if c.kind == kind), None)
    if cls is None:
        raise TaskError(f"unknown kind {kind}: plugin {plugin.name} does not know it")
    if not cls.taggable:
        raise TaskError(f"kind {kind} cannot be tagged")
    missing = [
        h
        for h, needed in (("update_tag", update), ("delete_tag", delete))
        if needed and h not in plugin.hooks
    ]
    if missing:
        raise TaskError(f"plugin {plugin.name} does not support tagging ({', '.join(missing)} missing)")
    try:
        resource = decode_resource(node, cls)
    except Exception as exc:
        raise TaskError(f"the node cannot be read as {kind}: {_first_line(exc)}") from exc
    plugin_config = config.for_cloud(location.cloud)
    try:
        await asyncio.to_thread(
            _apply_tags, host, plugin.name, resource, location, plugin_config, update, delete
        )
    except ResourceGone as exc:
        raise TaskError(f"resource no longer exists: {kind} {resource.id}") from exc
    except NotSupported as exc:
        raise TaskError(f"kind {kind} cannot be tagged: {_first_line(exc)}") from exc
    tags: dict[str, Any] = dict(node["reported"].get("tags") or {})
    for key in delete:
        tags.pop(key, None)
    tags.update(update)
    return _result_node(node, tags)


def _apply_tags(
    host: PluginHost,
    plugin: str,
    resource: BaseResource,
    location: Location,
    config: PluginConfig | None,
    update: dict[str, str | None],
    delete: list[str],
) -> None:
    """Thread: deletes first, then updates (a key in both ends up with the update's value)."""
    unit = host.unit_for(plugin, location, config)
    hooks = host.hooks(plugin)
    for key in delete:
        hooks.delete_tag(resource=resource, location=location, config=config, key=key, unit=unit)
        resource.tags.pop(key, None)
    for key, value in update.items():
        hooks.update_tag(resource=resource, location=location, config=config, key=key, value=value, unit=unit)
        resource.tags[key] = value


def _result_node(node: Mapping[str, Any], tags: dict[str, Any]) -> dict[str, Any]:
    """The node as the core should store it: id, reported (with the new tags), metadata, usage."""
    reported = copy.deepcopy(dict(node["reported"]))
    reported["tags"] = tags
    metadata = {
        k: copy.deepcopy(v) for k, v in (node.get("metadata") or {}).items() if k not in COMPUTED_METADATA
    }
    usage = node.get("usage") if isinstance(node.get("usage"), dict) else {}
    return {"id": node["id"], "reported": reported, "metadata": metadata, "usage": copy.deepcopy(usage)}
