"""Canned answers per operation for a rest-json service moto does not serve, on :mod:`fakes.aws.restjson`.

For services whose tests need fixed listings rather than a stateful backend (Backup's jobs, Bedrock,
Q Business): the test registers one answer per operation (a body, or a function of the decoded
request parameters), the fake records every call's parameters, and a real botocore client reaches
it through ``AWS_ENDPOINT_URL_<SERVICE_ID>``. A fixed body is validated against the operation's
output shape when it is registered (and every answer again when it is sent, by ``restjson``).

    with CannedFake("backup") as fake:
        fake.on("ListFrameworks", {"Frameworks": [{"FrameworkName": "f"}]})
        fake.on("DeleteFramework", {})
        ...  # clients created now (the plugin's included) talk to the fake
        assert fake.calls("DeleteFramework") == [{"FrameworkName": "f"}]
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

from botocore.validate import ParamValidator

from fakes.aws.restjson import AwsError, FakeBodyInvalid, RestJsonFake

Answer = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


class CannedFake:
    """One service on 127.0.0.1 answering what the test registered (see the module docstring)."""

    def __init__(self, service: str, on_change: Callable[[], None] | None = None) -> None:
        self.service = service
        self.fake = RestJsonFake(service, {})
        self._calls: list[tuple[str, dict[str, Any]]] = []
        self._on_change = on_change
        self._stack = ExitStack()
        service_id = self.fake.model.metadata["serviceId"]
        self.env_var = "AWS_ENDPOINT_URL_" + re.sub(r"[ -]", "_", service_id).upper()

    def on(self, op: str, answer: Answer) -> None:
        """Answer ``op`` with this body, or with what the function returns for the request's parameters."""
        model = self.fake.model.operation_model(op)
        if isinstance(answer, dict) and model.output_shape is not None:
            report = ParamValidator().validate(answer, model.output_shape)
            if report.has_errors():
                raise FakeBodyInvalid(f"{op}: {report.generate_report()}")

        def handler(params: dict[str, Any]) -> dict[str, Any]:
            self._calls.append((op, params))
            return answer(params) if callable(answer) else answer

        self.fake.handlers[op] = handler

    def calls(self, op: str) -> list[dict[str, Any]]:
        """The decoded parameters of every call of ``op`` so far."""
        return [params for name, params in self._calls if name == op]

    def __enter__(self) -> CannedFake:
        url = self._stack.enter_context(self.fake.serve())
        saved = os.environ.get(self.env_var)
        os.environ[self.env_var] = url
        self._stack.callback(self._restore, saved)
        if self._on_change:
            self._on_change()
        return self

    def _restore(self, saved: str | None) -> None:
        if saved is None:
            os.environ.pop(self.env_var, None)
        else:
            os.environ[self.env_var] = saved
        if self._on_change:
            self._on_change()

    def __exit__(self, *exc: object) -> None:
        self._stack.close()
        assert not self.fake.invalid, f"the fake produced bodies AWS could not send: {self.fake.invalid}"


def error(code: str, status: int = 400) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """An answer that makes the fake reply with this AWS error."""

    def fail(params: dict[str, Any]) -> dict[str, Any]:
        raise AwsError(code, f"{code} (canned)", status)

    return fail


def serving(*services: str, on_change: Callable[[], None] | None = None) -> Iterator[dict[str, CannedFake]]:
    """Several canned fakes at once, by service name (a generator for a pytest fixture)."""
    with ExitStack() as stack:
        yield {s: stack.enter_context(CannedFake(s, on_change)) for s in services}
