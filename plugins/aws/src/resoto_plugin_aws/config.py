"""The ``aws`` config section.

Key names follow the reference collector wherever the concept is the same, so an existing Resoto
deployment's config keeps working.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, SecretStr
from resoto_hookspecs import PluginConfig


class AwsConfig(PluginConfig):
    """How the AWS plugin finds accounts and regions, and how politely it calls the APIs."""

    restart_required: ClassVar[frozenset[str]] = frozenset()

    access_key_id: str | None = Field(
        default=None, description="Static access key id (default: credential chain)."
    )
    secret_access_key: SecretStr | None = Field(default=None, description="Static secret access key.")
    role: str | None = Field(
        default=None, description="Name of the role to assume in every account other than the current one."
    )
    role_override: bool = Field(
        default=False,
        description="Use `role` even for accounts that came with their own role (kept for compatibility).",
    )
    profiles: list[str] | None = Field(
        default=None, description="Named profiles to collect with; each profile's account is collected."
    )
    account: list[str] | None = Field(
        default=None, description="Account ids to collect by assuming `role` in each of them."
    )
    region: list[str] | None = Field(
        default=None, description="Regions to collect (default: every region enabled in the account)."
    )
    region_fallback: list[str] = Field(
        default_factory=lambda: ["us-east-1"],
        description="Regions used when `region` is empty and the enabled regions cannot be discovered.",
    )
    scrape_org: bool = Field(default=False, description="Discover the accounts of the organization.")
    scrape_org_role_arn: str | None = Field(
        default=None, description="Role ARN to assume for listing the organization's accounts."
    )
    scrape_exclude_account: list[str] = Field(
        default_factory=list, description="Account ids left out of organization discovery."
    )
    assume_current: bool = Field(default=False, description="Assume `role` in the current account too.")
    do_not_scrape_current: bool = Field(default=False, description="Do not collect the current account.")
    account_pool_size: int = Field(default=4, ge=1, description="Accounts discovered in parallel.")
    collect: list[str] = Field(
        default_factory=list, description="Glob patterns of kind names to collect (default: all)."
    )
    no_collect: list[str] = Field(
        default_factory=list, description="Glob patterns of kind names to leave out."
    )
    findings: bool = Field(
        default=True,
        description="Attach the active GuardDuty and Inspector findings of each region to the resources"
        " they name (property `findings`; no nodes of their own).",
    )
    unit_pool_size: int = Field(
        default=6, ge=1, description="Concurrent list calls inside one collection unit."
    )
    max_concurrent_calls: int = Field(
        default=4, ge=1, description="Concurrent calls per (account, region, service), shared by all threads."
    )
    retry_mode: Literal["adaptive", "standard", "legacy"] = Field(
        default="adaptive", description="botocore retry mode (adaptive slows down a throttled client)."
    )
    max_attempts: int = Field(default=8, ge=1, description="botocore attempts per call, retries included.")
    session_duration: int = Field(
        default=3600, ge=900, description="Seconds an assumed-role session lasts before it is refreshed."
    )
