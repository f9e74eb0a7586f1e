"""Fixtures: the seeded fake on 127.0.0.1 and a plugin config pointing every client at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes.gcp import FakeGcp
from fakes.gcp.harness import make_config
from fakes.gcp.world import World, seed
from resoto_plugin_gcp.config import GcpConfig


@pytest.fixture
def fake() -> Iterator[FakeGcp]:
    with FakeGcp() as server:
        yield server


@pytest.fixture
def world(fake: FakeGcp) -> World:
    return seed(fake)


@pytest.fixture
def config(fake: FakeGcp, world: World) -> GcpConfig:
    return make_config(fake)
