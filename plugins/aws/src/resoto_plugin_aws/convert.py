"""From raw API items to resources, by the kind definitions.

The steps every listed (or re-read) item of a kind takes: :func:`shape` (``prepare``, ``skip``),
:func:`complete` (the ARN a template builds, the ``enrich`` calls), then :func:`to_resource`
(id, name, tags, creation time, ARN, fields). Collection and ``check_resource`` both walk them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from resoto_plugin_aws.calls import ApiContext
from resoto_plugin_aws.errors import classify, error_code
from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Enrich, Json, Kind, TagFormat, TagsAt, search

TAG_KEYS = {
    "list": ("Key", "Value"),
    "kms": ("TagKey", "TagValue"),
    "lower": ("key", "value"),
    "map": ("Key", "Value"),
}
"""The key and value names of one tag entry, per tag format."""


def parse_tags(spec: TagsAt | None, item: Json) -> dict[str, str | None]:
    if spec is None:
        return {}
    raw = search(spec.path, item)
    if not raw:
        return {}
    if spec.fmt == "map" and isinstance(raw, Mapping):
        return {str(k): None if v is None else str(v) for k, v in raw.items()}
    key, value = TAG_KEYS[spec.fmt]
    out: dict[str, str | None] = {}
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, Mapping) and entry.get(key) is not None:
            v = entry.get(value)
            out[str(entry[key])] = None if v is None else str(v)
    return out


def arn_of(
    kind: Kind, item: Json, rid: str, name: str, partition: str, region: str, account: str
) -> str | None:
    if kind.arn is None:
        return None
    if kind.arn.startswith("arn:"):
        return kind.arn.format(partition=partition, region=region, account=account, id=rid, name=name)
    return item_arn(kind, item)


def add_template_arns(kind: Kind, items: list[Json], partition: str, region: str, account: str) -> None:
    """Store the ARN a template builds under ``_arn`` (enrichments may pass it)."""
    if not (kind.arn and kind.arn.startswith("arn:")):
        return
    for item in items:
        rid = search(kind.id, item)
        name = (search(kind.name, item) if kind.name else None) or rid
        item["_arn"] = arn_of(kind, item, str(rid), str(name), partition, region, account)


def shape(kind: Kind, items: list[Json]) -> list[Json]:
    """The raw items after the kind's ``prepare`` (computed keys) and without what ``skip`` drops."""
    if kind.prepare is not None:
        for item in items:
            kind.prepare(item)
    if kind.skip is not None:
        items = [i for i in items if not kind.skip(i)]
    return items


def complete(ctx: ApiContext, kind: Kind, items: list[Json]) -> None:
    """Add the template ARNs and run the kind's enrichments over the (shaped) items."""
    add_template_arns(kind, items, ctx.partition, ctx.region, ctx.account)
    for enrich in kind.enrich:
        run_enrich(ctx, kind, enrich, items)


def run_enrich(ctx: ApiContext, kind: Kind, enrich: Enrich, items: list[Json]) -> None:
    """Run one enrichment over the items, storing its answers under ``enrich.into``."""
    if not items:
        return
    if enrich.when is not None:
        skipped = [i for i in items if not enrich.when(i)]
        for i in skipped:
            i[enrich.into] = None
        items = [i for i in items if enrich.when(i)]
    if enrich.tagging_api and tags_from_index(ctx, kind, enrich, items):
        return
    if enrich.batch:
        for start in range(0, len(items), enrich.batch):
            chunk = items[start : start + enrich.batch]
            args: dict[str, Any] = dict(enrich.const)
            for arg, path in enrich.args.items():
                args[arg] = [search(path, i) for i in chunk]
            answer = _enrich_call(ctx, kind, enrich, args)
            entries = (search(enrich.result, answer) or []) if answer is not None else []
            by_key = {search(enrich.match or "", entry): entry for entry in entries}
            for i in chunk:
                i[enrich.into] = by_key.get(search(enrich.key or "", i))
        return
    for item in items:
        args = dict(enrich.const)
        for arg, path in enrich.args.items():
            value = search(path, item)
            if value is not None:  # an optional argument the item lacks (botocore rejects None)
                args[arg] = value
        answer = _enrich_call(ctx, kind, enrich, args)
        item[enrich.into] = search(enrich.result, answer) if answer is not None else None


def plain_arn(arn: str | None) -> str | None:
    """An ARN as the Resource Groups Tagging API writes it (a log group's without the ``:*``)."""
    return arn[:-2] if arn and arn.endswith(":*") else arn


def item_arn(kind: Kind, item: Json) -> str | None:
    """The ARN of a (completed) raw item: its ``_arn`` for a template, else the kind's path."""
    if kind.arn is None:
        return None
    if kind.arn.startswith("arn:"):
        return item.get("_arn")
    value = search(kind.arn, item)
    return str(value) if value else None


def tags_as(fmt: TagFormat, entries: list[Json]) -> Any:
    """Tag entries of the Tagging API (``[{"Key", "Value"}]``) in the shape ``TagsAt(fmt=fmt)`` reads."""
    if fmt == "map":
        return {e["Key"]: e.get("Value") for e in entries}
    key, value = TAG_KEYS[fmt]
    return [{key: e["Key"], value: e.get("Value")} for e in entries]


def tags_from_index(ctx: ApiContext, kind: Kind, enrich: Enrich, items: list[Json]) -> bool:
    """Store the items' tags from the unit's Tagging API answer, when it names at least one of
    them (an item it does not name has never been tagged). ``False``: read them per item (also
    when an item has no ARN to look up)."""
    index = ctx.tag_index()
    if index is None or kind.tags is None:
        return False
    arns = [plain_arn(item_arn(kind, item)) for item in items]
    if not all(arns) or not any(arn in index for arn in arns):
        return False
    for item, arn in zip(items, arns, strict=True):
        item[enrich.into] = tags_as(kind.tags.fmt, index.get(arn or "", []))
    return True


def _enrich_call(ctx: ApiContext, kind: Kind, enrich: Enrich, args: dict[str, Any]) -> Json | None:
    try:
        return ctx.call(kind.service, enrich.op, **args)
    except ClientError as e:
        if error_code(e) in enrich.ignore:
            return None
        if classify(e).sort in ("access", "not_available"):
            # the kind was listed: it is sent without this detail, and the gap is reported
            ctx.report_gap(e, kind=kind.cls.kind, service=kind.service, what=enrich.op)
            return None
        raise


def to_resource(kind: Kind, item: Json, partition: str, region: str, account: str) -> AwsResource | None:
    """Turn one raw item into its resource (``None`` when it has no id)."""
    rid = search(kind.id, item)
    if rid is None or rid == "":
        return None
    rid = str(rid)
    tags = parse_tags(kind.tags, item)
    name = search(kind.name, item) if kind.name else None
    if not name:
        name = tags.get("Name") or rid
    values: dict[str, Any] = {"id": rid, "name": str(name), "tags": tags}
    if kind.ctime:
        ctime = search(kind.ctime, item)
        if isinstance(ctime, datetime):
            values["ctime"] = ctime
        elif isinstance(ctime, (int, float)) and ctime > 0:
            values["ctime"] = datetime.fromtimestamp(ctime / 1000 if ctime > 1e11 else ctime, tz=UTC)
    arn = arn_of(kind, item, rid, str(name), partition, region, account)
    if arn:
        values["arn"] = arn
    for field_name, path in kind.fields.items():
        value = path(item) if callable(path) else search(path, item)
        if value is not None:
            values[field_name] = value
    return kind.cls.model_validate(values)
