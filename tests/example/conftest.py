"""Fixtures for the example plugin's tests: a seeded state file and a helper that collects every unit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from resoto_plugin_example.collector import rearm_waits
from resoto_plugin_example.config import ExampleConfig
from resoto_plugin_example.store import ExampleStore, reset_memory_store, seed_default


@pytest.fixture(autouse=True)
def _fresh_process_state() -> Iterator[None]:
    reset_memory_store()
    rearm_waits()
    yield
    reset_memory_store()
    rearm_waits()


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    path = tmp_path / "example-state.json"
    seed_default(path)
    return path


@pytest.fixture
def config(state_file: Path) -> ExampleConfig:
    return ExampleConfig(state_file=str(state_file))


@pytest.fixture
def store(state_file: Path) -> ExampleStore:
    return ExampleStore(state_file)
