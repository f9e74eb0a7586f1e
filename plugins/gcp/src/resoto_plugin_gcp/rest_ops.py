"""Re-read, delete and relabel a resource of a REST kind (the table's ``label_style``/``deletable``)."""

from __future__ import annotations

from typing import Any

from google.api_core import exceptions as gexc
from google.api_core.retry import Retry
from resoto_hookspecs import BaseResource, NotSupported, ResourceGone

from resoto_plugin_gcp.clients import Clients
from resoto_plugin_gcp.resources import GcpResource
from resoto_plugin_gcp.rest import RestApi
from resoto_plugin_gcp.rest_collect import make_rest_resource, rest_api
from resoto_plugin_gcp.rest_model import RestSpec, location_in
from resoto_plugin_gcp.rest_specs import SPEC_BY_CLS


def rest_spec(resource: BaseResource) -> RestSpec | None:
    return SPEC_BY_CLS.get(type(resource))


class RestOps:
    """The REST calls on one resource of one project."""

    def __init__(self, clients: Clients, project: str, retry: Retry, timeout: float) -> None:
        self.clients = clients
        self.project = project
        self.retry = retry
        self.timeout = timeout

    def _target(self, spec: RestSpec, resource: BaseResource) -> tuple[RestApi, str]:
        path = f"projects/{self.project}/{resource.id}"
        return rest_api(self.clients, spec, location_in(path), self.retry), path

    def _call(self, spec: RestSpec, resource: BaseResource, method: str, **kwargs: Any) -> dict[str, Any]:
        api, path = self._target(spec, resource)
        try:
            return api.call(method, path, **kwargs)
        except gexc.NotFound:
            raise ResourceGone(f"{spec.kind} {resource.id} no longer exists") from None

    def check(self, spec: RestSpec, resource: BaseResource) -> GcpResource:
        return make_rest_resource(spec, self._call(spec, resource, "GET"), self.project)  # type: ignore[no-any-return]

    def delete(self, spec: RestSpec, resource: BaseResource) -> None:
        if not spec.deletable:
            raise NotSupported(f"{spec.kind} cannot be deleted")
        reply = self._call(spec, resource, "DELETE", params=dict(spec.delete_params))
        api, _ = self._target(spec, resource)
        api.wait_operation(reply, self.timeout, f"deleting {spec.kind} {resource.id}")

    def set_label(self, spec: RestSpec, resource: BaseResource, key: str, value: str | None) -> None:
        """Set (``value`` not None) or remove one label in the API's own way of patching labels."""
        if spec.label_style is None or spec.labels is None:
            raise NotSupported(f"{spec.kind} has no labels")
        current = self._call(spec, resource, "GET")
        labels = dict(current.get(spec.labels) or {})
        if value is None and key not in labels:
            return
        if value is None:
            labels.pop(key)
        else:
            labels[key] = value
        if spec.label_style == "mask":
            reply = self._call(
                spec, resource, "PATCH", params={"updateMask": spec.labels}, json={spec.labels: labels}
            )
        elif spec.label_style == "full":
            reply = self._call(spec, resource, "PATCH", json={spec.labels: labels})
        elif spec.label_style == "merge":
            reply = self._call(spec, resource, "PATCH", json={spec.labels: {key: value}})
        else:
            field, mask = spec.wrap
            _, path = self._target(spec, resource)
            body = {field: {"name": path, spec.labels: labels}, mask: spec.labels}
            reply = self._call(spec, resource, "PATCH", json=body)
        api, _ = self._target(spec, resource)
        api.wait_operation(reply, self.timeout, f"labelling {spec.kind} {resource.id}")
