"""The ``example`` config section."""

from __future__ import annotations

from pydantic import Field
from resoto_hookspecs import PluginConfig


class ExampleConfig(PluginConfig):
    """Settings of the example cloud. Every field has a default, so zero config works.

    ``fail_regions``, ``hang_regions``, ``deny_kinds``, ``fail_kinds`` and ``slow_seconds`` are test
    aids: they let the kernel's tests provoke a failing, a hanging and a slow collection unit, and a
    kind that cannot be read, on purpose.
    """

    state_file: str = Field(
        default="",
        description="JSON file holding the example cloud's resources; created from the default inventory "
        "when missing. Empty: a default inventory kept in memory, per process.",
    )
    accounts: list[str] = Field(
        default_factory=list, description="Account ids to collect (e.g. acc-1). Empty: all accounts."
    )
    fail_regions: list[str] = Field(
        default_factory=list,
        description="Test aid: units (account/region, e.g. acc-2/us-east) whose collect raises an error.",
    )
    hang_regions: list[str] = Field(
        default_factory=list,
        description="Test aid: units (account/region) whose collect hangs for up to an hour before it "
        "goes on; it gives up early when the process shuts down.",
    )
    deny_kinds: list[str] = Field(
        default_factory=list,
        description="Test aid: kinds the example cloud refuses to list, as account/region/kind "
        "(e.g. acc-1/us-east/example_volume; * matches any part): reported as access denied.",
    )
    fail_kinds: list[str] = Field(
        default_factory=list,
        description="Test aid: kinds whose listing fails with a server error, as account/region/kind.",
    )
    slow_seconds: float = Field(
        default=0.0, ge=0.0, description="Test aid: seconds every unit's collect waits before it reads."
    )
