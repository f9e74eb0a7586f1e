"""The kind definitions checked against botocore's own service models and the reference kind model."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, MapShape, OperationNotFoundError, Shape, StructureShape
from resoto_plugin_aws.calls import limit_key
from resoto_plugin_aws.registry import all_kinds
from resoto_plugin_aws.spec import Call, Kind

KINDS = sorted(all_kinds().items())
REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "reference-model" / "resource-kinds.json"
_SEGMENT = re.compile(r"^([A-Za-z0-9_]+)?((?:\[\d*\])*)$")


@cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


@cache
def service_model(service: str) -> Any:
    return _session().get_service_model(service)


def walk(shape: Shape | None, path: str) -> Shape | None:
    """The shape a path leads to; raises on a key the shape does not have.

    Keys starting with ``_`` are the plugin's own (enrichment, prepare): the walk stops there.
    """
    if path in ("", "@"):
        return shape
    for part in path.split("."):
        m = _SEGMENT.match(part)
        assert m, f"unsupported path segment {part!r} in {path!r}"
        key, brackets = m.group(1), m.group(2)
        if key is not None:
            if key.startswith("_"):
                return None
            assert isinstance(shape, StructureShape), (
                f"{path!r}: {key!r} read from a {shape.type_name if shape else None}"
            )
            assert key in shape.members, f"{path!r}: {shape.name} has no member {key!r}"
            shape = shape.members[key]
        for _ in re.findall(r"\[\d*\]", brackets):
            if isinstance(shape, MapShape):
                shape = shape.value
                continue
            assert isinstance(shape, ListShape), f"{path!r}: [] on a {shape.type_name if shape else None}"
            shape = shape.member
    return shape


def op_model(service: str, op: str) -> Any:
    try:
        return service_model(service).operation_model(op)
    except OperationNotFoundError:
        pytest.fail(f"{service} has no operation {op}")


def item_shape(kind: Kind) -> Shape | None:
    if kind.list is None:
        return None
    out = op_model(kind.service, kind.list.op).output_shape
    return walk(out, kind.list.result)


def check_call(service: str, call: Call) -> Shape | None:
    op = op_model(service, call.op)
    members = op.input_shape.members if op.input_shape is not None else {}
    for arg in [*call.args, *call.item_args]:
        assert arg in members, f"{service}.{call.op} takes no argument {arg!r}"
    if call.page_size:
        key = limit_key(service, call.op)
        assert key is not None, f"{service}.{call.op} has no paginator limit key for page_size"
        assert key in members
    return walk(op.output_shape, call.result)


@pytest.mark.parametrize(("name", "kind"), KINDS, ids=[k for k, _ in KINDS])
def test_definition_matches_botocore(name: str, kind: Kind) -> None:
    assert name.startswith("aws_")
    service_model(kind.service)
    item: Shape | None = None
    if kind.list is not None:
        item = check_call(kind.service, kind.list)
        if kind.list.wrap:
            assert item is not None and item.type_name == "string", f"{name}: wrap on a non-string result"
            item = None
    else:
        assert kind.items is not None and kind.iam, f"{name}: an items function must name its IAM actions"
    if item is not None:
        assert isinstance(item, StructureShape), f"{name}: list result is a {item.type_name}, not a structure"
        for path in [kind.id, kind.name, kind.ctime, kind.tags.path if kind.tags else None]:
            if path:
                walk(item, path)
        if kind.arn and not kind.arn.startswith("arn:"):
            walk(item, kind.arn)
        for field_name, path in kind.fields.items():
            assert field_name in kind.cls.model_fields, f"{name}: no field {field_name}"
            if isinstance(path, str):
                walk(item, path)
        for link in kind.links:
            if isinstance(link.path, str):
                walk(item, link.path)
        for enrich in kind.enrich:
            for path in enrich.args.values():
                walk(item, path)
            if enrich.key:
                walk(item, enrich.key)
    for enrich in kind.enrich:
        op = op_model(kind.service, enrich.op)
        for arg in [*enrich.args, *enrich.const]:
            assert arg in op.input_shape.members, f"{name}: {enrich.op} takes no {arg!r}"
        result = walk(op.output_shape, enrich.result)
        if enrich.batch:
            assert isinstance(result, ListShape)
            walk(result.member, enrich.match or "")
    for link in kind.links:
        assert link.kind in all_kinds(), f"{name}: link to unknown kind {link.kind}"
    for dep in (*kind.after, *((kind.parent,) if kind.parent else ())):
        assert dep in all_kinds(), f"{name}: depends on unknown kind {dep}"
    if kind.get is not None:
        check_call(kind.service, kind.get)
    if kind.delete is not None:
        op = op_model(kind.service, kind.delete.op)
        for arg in [*kind.delete.args, *kind.delete.const]:
            assert arg in op.input_shape.members, f"{name}: {kind.delete.op} takes no {arg!r}"
        for ref in kind.delete.args.values():
            assert ref.strip("[]") in kind.cls.model_fields, f"{name}: delete reads unknown attribute {ref}"
    if kind.tagging is not None:
        t = kind.tagging
        tag_in = op_model(kind.service, t.tag_op).input_shape.members
        untag_in = op_model(kind.service, t.untag_op).input_shape.members
        for arg in [*t.target, *t.const]:
            assert arg in tag_in and arg in untag_in, f"{name}: tag calls take no {arg!r}"
        assert t.tags_arg in tag_in and t.keys_arg in untag_in
        for ref in t.target.values():
            assert ref.strip("[]") in kind.cls.model_fields
    assert kind.cls.deletable == (kind.delete is not None or kind.delete_fn is not None), (
        f"{name}: deletable flag"
    )
    assert kind.cls.taggable == (kind.tagging is not None or kind.tag_fn is not None), (
        f"{name}: taggable flag"
    )


def test_kind_names_and_bases_match_the_reference_model() -> None:
    reference = {k["fqn"]: k for k in json.loads(REFERENCE.read_text())}
    from resoto_hookspecs import resource_kinds
    from resoto_plugin_aws import plugin

    exported = {k["fqn"]: k for k in resource_kinds(plugin.resource_kinds())}
    same = [name for name in exported if name in reference and name.startswith("aws_")]
    assert len(same) >= 45
    for name in same:
        assert sorted(exported[name]["bases"]) == sorted(reference[name]["bases"]), name
