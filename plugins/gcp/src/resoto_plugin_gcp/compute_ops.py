"""Compute Engine get/delete/setLabels for any kind of the table, with operations waited on."""

from __future__ import annotations

import functools
import json
import time
from typing import Any

from google.api_core import exceptions as gexc
from google.api_core.retry import Retry
from google.cloud import compute_v1
from resoto_hookspecs import NotSupported, ResourceGone

from resoto_plugin_gcp.clients import Clients
from resoto_plugin_gcp.compute import compute_rest, make_resource, to_json
from resoto_plugin_gcp.compute_model import ComputeSpec
from resoto_plugin_gcp.compute_specs import SPEC_BY_KIND
from resoto_plugin_gcp.links import Ref, last_segment, parse_link
from resoto_plugin_gcp.resources import GcpResource
from resoto_plugin_gcp.rest import RestApi

_SCOPE_FIELDS = frozenset({"project", "zone", "region", "request_id"})


def singular(stem: str) -> str:
    """``TargetHttpProxies`` → ``TargetHttpProxy``, ``Addresses`` → ``Address``."""
    if stem.endswith("ies"):
        return stem[:-3] + "y"
    if stem.endswith("sses"):
        return stem[:-2]
    return stem[:-1] if stem.endswith("s") else stem


@functools.cache
def request_type(verb: str, stem: str) -> Any:
    """The request message of ``verb`` on a client (``Delete`` + ``RegionDisks`` → ``DeleteRegionDiskRequest``)."""
    return getattr(compute_v1, f"{verb}{singular(stem)}Request")


@functools.cache
def name_field(verb: str, stem: str) -> tuple[str, str | None]:
    """The request's field naming the resource, and its body field (``*_resource``) if any."""
    fields = list(request_type(verb, stem).meta.fields)
    body = next((f for f in fields if f.endswith("_request_resource")), None)
    name = next(f for f in fields if f not in _SCOPE_FIELDS and f != body)
    return name, body


def locate(kind: str, project: str, resource_id: str) -> tuple[ComputeSpec, Ref, str]:
    """The spec, the parsed reference and the client stem serving a resource."""
    spec = SPEC_BY_KIND.get(kind)
    if spec is None:
        raise NotSupported(f"{kind} is not a Compute Engine kind")
    ref = parse_link(f"projects/{project}/{resource_id}")
    if ref is None:
        raise ValueError(f"not a compute resource id: {resource_id}")
    stem = spec.client_for(ref.scope)
    if spec.rest:
        stem = ""
    elif stem is None:
        raise NotSupported(f"{kind} has no API for resources in {ref.scope}")
    return spec, ref, stem


def _request(verb: str, stem: str, ref: Ref, **extra: Any) -> dict[str, Any]:
    name, _ = name_field(verb, stem)
    fields = request_type(verb, stem).meta.fields
    req: dict[str, Any] = {"project": ref.project, name: ref.name, **extra}
    if "zone" in fields:
        req["zone"] = ref.zone
    if "region" in fields:
        req["region"] = ref.region
    return req


class ComputeOps:
    def __init__(self, clients: Clients, retry: Retry, timeout: float) -> None:
        self.clients = clients
        self.retry = retry
        self.timeout = timeout

    def _rest(self, project: str) -> RestApi:
        return compute_rest(self.clients, project, self.retry)

    def get(self, kind: str, project: str, resource_id: str) -> dict[str, Any]:
        spec, ref, stem = locate(kind, project, resource_id)
        if spec.rest:
            try:
                return self._rest(project).call("GET", ref.id)
            except gexc.NotFound:
                raise ResourceGone(f"{kind} {resource_id} no longer exists") from None
        try:
            msg = self.clients.compute(stem).get(request=_request("Get", stem, ref), retry=self.retry)
        except gexc.NotFound:
            raise ResourceGone(f"{kind} {resource_id} no longer exists") from None
        return to_json(msg)

    def check(self, kind: str, project: str, resource_id: str) -> GcpResource:
        spec, ref, _ = locate(kind, project, resource_id)
        return make_resource(spec, ref.scope, self.get(kind, project, resource_id))

    def delete(self, kind: str, project: str, resource_id: str) -> None:
        spec, ref, stem = locate(kind, project, resource_id)
        try:
            if spec.rest:
                reply = self._rest(project).call("DELETE", ref.id)
                self.wait(
                    project, compute_v1.Operation.from_json(json.dumps(reply), ignore_unknown_fields=True)
                )
                return
            op = self.clients.compute(stem).delete_unary(
                request=_request("Delete", stem, ref), retry=self.retry
            )
        except gexc.NotFound:
            raise ResourceGone(f"{kind} {resource_id} no longer exists") from None
        self.wait(project, op)

    def set_label(self, kind: str, project: str, resource_id: str, key: str, value: str | None) -> None:
        """Set (or with ``value=None`` remove) one label with ``setLabels`` and the current fingerprint."""
        spec, ref, stem = locate(kind, project, resource_id)
        if spec.rest:
            raise NotSupported(f"{kind} has no labels in the Compute Engine API")
        client = self.clients.compute(stem)
        if not hasattr(client, "set_labels_unary"):
            raise NotSupported(f"{kind} has no labels in the Compute Engine API")
        current = self.get(kind, project, resource_id)
        labels = dict(current.get("labels") or {})
        if value is None:
            if key not in labels:
                return
            labels.pop(key)
        else:
            labels[key] = value
        _, body = name_field("SetLabels", stem)
        assert body is not None
        body_value = {"labels": labels, "label_fingerprint": current.get("labelFingerprint", "")}
        try:
            op = client.set_labels_unary(
                request=_request("SetLabels", stem, ref, **{body: body_value}), retry=self.retry
            )
        except gexc.NotFound:
            raise ResourceGone(f"{kind} {resource_id} no longer exists") from None
        self.wait(project, op)

    def wait(self, project: str, op: compute_v1.Operation) -> None:
        """Wait for an operation with the ``wait`` method of its scope's operations API."""
        deadline = time.monotonic() + self.timeout
        while op.status != compute_v1.Operation.Status.DONE:
            if time.monotonic() > deadline:
                raise TimeoutError(f"compute operation {op.name} did not complete in {self.timeout:.0f}s")
            if op.zone:
                op = self.clients.compute("ZoneOperations").wait(
                    project=project, zone=last_segment(op.zone), operation=op.name, retry=self.retry
                )
            elif op.region:
                op = self.clients.compute("RegionOperations").wait(
                    project=project, region=last_segment(op.region), operation=op.name, retry=self.retry
                )
            else:
                op = self.clients.compute("GlobalOperations").wait(
                    project=project, operation=op.name, retry=self.retry
                )
        if op.error and op.error.errors:
            first = op.error.errors[0]
            raise RuntimeError(f"compute operation {op.name} failed: {first.code}: {first.message}")
