"""Fixtures: the seeded fake on 127.0.0.1 and a plugin config pointing every client at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fakes.gcp import FakeGcp
from fakes.gcp.world import World, seed
from resoto_plugin_gcp.config import GcpConfig


@pytest.fixture
def fake() -> Iterator[FakeGcp]:
    with FakeGcp() as server:
        yield server


@pytest.fixture
def world(fake: FakeGcp) -> World:
    return seed(fake)


def make_config(fake: FakeGcp, **overrides: Any) -> GcpConfig:
    endpoint = fake.endpoint
    values: dict[str, Any] = {
        "service_account": [""],
        "anonymous_credentials": True,
        "api_endpoint": {s: endpoint for s in ("compute", "resourcemanager", "storage", "container", "sqladmin")},
        "retry_initial_delay": 0.01,
        "retry_deadline": 10.0,
        "operation_timeout": 10.0,
        "page_size": 3,
    }
    values.update(overrides)
    return GcpConfig(**values)


@pytest.fixture
def config(fake: FakeGcp, world: World) -> GcpConfig:
    return make_config(fake)
