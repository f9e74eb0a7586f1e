"""Fixtures for the Slack plugin tests: a running fake Web API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes.slack import FakeSlack, generate_workspace
from fakes.slack.harness import TOKEN


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fake with one small workspace (50 users, 5 groups, 20 conversations) for TOKEN."""
    with FakeSlack({TOKEN: generate_workspace()}) as server:
        yield server
