"""A fake of the Slack Web API (aiohttp on 127.0.0.1) and a deterministic workspace generator."""

from fakes.slack.server import Call, FakeSlack
from fakes.slack.workspace import FakeWorkspace, generate_workspace

__all__ = ["Call", "FakeSlack", "FakeWorkspace", "generate_workspace"]
