"""Account and region discovery.

Accounts come from the base credentials (default chain, static keys, or each named profile), the
listed ``account`` ids (assuming ``role`` in each), and, with ``scrape_org``, the organization's
active accounts (listed through ``scrape_org_role_arn`` when set). Regions are discovered per account
with ``ec2:DescribeRegions``; the configured list is the filter, and the fallback when discovery is
denied.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from resoto_hookspecs import AccessDenied, ConfigError, Reporter

from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.errors import classify, error_code
from resoto_plugin_aws.sessions import SESSIONS, Access, base_session, partition_of_region, role_session

log = logging.getLogger(__name__)


@dataclass
class AccountInfo:
    """One account to collect: how to reach it, what it is called, its regions."""

    access: Access
    name: str | None = None
    alias: str | None = None
    org_id: str | None = None
    regions: list[str] = field(default_factory=list)


def _role_arn(partition: str, account_id: str, role: str) -> str:
    return role if role.startswith("arn:") else f"arn:{partition}:iam::{account_id}:role/{role}"


def _call(reporter: Reporter | None, service: str, op: str, fn: Any, **kwargs: Any) -> Any:
    try:
        result = fn(**kwargs)
    except (ClientError, BotoCoreError) as e:
        if reporter is not None:
            reporter.api_call(service, op, error=error_code(e))
        raise
    if reporter is not None:
        reporter.api_call(service, op)
    return result


def _identity(config: AwsConfig, profile: str | None, reporter: Reporter | None) -> tuple[str, str]:
    """(account id, partition) of the base credentials."""
    region = config.region[0] if config.region else "us-east-1"
    session = base_session(config, profile)
    sts = session.create_client("sts", region_name=region)
    try:
        ident = _call(reporter, "sts", "GetCallerIdentity", sts.get_caller_identity)
    except NoCredentialsError as e:
        raise AccessDenied("no AWS credentials found", service="sts") from e
    except ClientError as e:
        raise AccessDenied(f"the base credentials are not accepted: {error_code(e)}", service="sts") from e
    partition = str(ident["Arn"]).split(":")[1] if str(ident.get("Arn", "")).startswith("arn:") else "aws"
    return str(ident["Account"]), partition or partition_of_region(region)


def _org_accounts(
    config: AwsConfig, profile: str | None, partition: str, reporter: Reporter | None
) -> list[tuple[str, str]]:
    """(id, name) of the organization's active accounts."""
    session = base_session(config, profile)
    region = Access("", partition).api_region
    if config.scrape_org_role_arn:
        session = role_session(session, config.scrape_org_role_arn, config, region)
    org = session.create_client("organizations", region_name=region)
    out: list[tuple[str, str]] = []
    for page in org.get_paginator("list_accounts").paginate():
        if reporter is not None:
            reporter.api_call("organizations", "ListAccounts")
        for acc in page.get("Accounts", []):
            if acc.get("Status", "ACTIVE") == "ACTIVE":
                out.append((str(acc["Id"]), str(acc.get("Name") or acc["Id"])))
    return out


def discover_accounts(config: AwsConfig, reporter: Reporter | None) -> list[AccountInfo]:
    """Every account the config asks for, each once (without regions)."""
    found: dict[str, AccountInfo] = {}
    profiles: list[str | None] = list(config.profiles or []) or [None]
    for profile in profiles:
        current, partition = _identity(config, profile, reporter)
        if not config.do_not_scrape_current and current not in found:
            role = (
                _role_arn(partition, current, config.role) if config.assume_current and config.role else None
            )
            found[current] = AccountInfo(Access(current, partition, profile, role))
        others: list[tuple[str, str | None]] = [(a, None) for a in config.account or []]
        if config.scrape_org:
            try:
                others += _org_accounts(config, profile, partition, reporter)
            except (ClientError, BotoCoreError) as e:
                msg = f"cannot list the organization's accounts: {error_code(e)}"
                if reporter is not None:
                    reporter.error(msg, service="organizations")
                log.warning(msg)
        for account_id, name in others:
            if account_id == current:
                if current in found and name:
                    found[current].name = name
                continue
            if account_id in config.scrape_exclude_account or account_id in found:
                continue
            if not config.role:
                raise ConfigError(f"aws.role is needed to collect account {account_id}")
            found[account_id] = AccountInfo(
                Access(account_id, partition, profile, _role_arn(partition, account_id, config.role)), name
            )
    return list(found.values())


def _describe_account(info: AccountInfo, config: AwsConfig, reporter: Reporter | None) -> AccountInfo | None:
    """Fill in alias and regions; ``None`` (reported) when the account cannot be reached."""
    access = info.access
    try:
        iam = SESSIONS.client(access, config, "iam", access.api_region)
        aliases = _call(reporter, "iam", "ListAccountAliases", iam.list_account_aliases).get("AccountAliases")
        info.alias = aliases[0] if aliases else None
    except (ClientError, BotoCoreError) as e:
        if getattr(e, "operation_name", None) == "AssumeRole" or classify(e).sort != "access":
            if reporter is not None:
                reporter.error(f"account {access.account_id} cannot be reached: {error_code(e)}")
            log.warning("account %s cannot be reached: %s", access.account_id, error_code(e))
            return None
    if info.name is None:
        info.name = info.alias
    try:
        ec2 = SESSIONS.client(access, config, "ec2", config.region[0] if config.region else access.api_region)
        answer = _call(reporter, "ec2", "DescribeRegions", ec2.describe_regions)
        enabled = [str(r["RegionName"]) for r in answer.get("Regions", [])]
        info.regions = [r for r in config.region if r in enabled] if config.region else sorted(enabled)
        missing = [r for r in config.region or [] if r not in enabled]
        if missing and reporter is not None:
            reporter.info(f"account {access.account_id}: regions not enabled: {', '.join(missing)}")
    except (ClientError, BotoCoreError) as e:
        if classify(e).sort == "other" and not isinstance(e, BotoCoreError):
            raise
        info.regions = list(config.region or config.region_fallback)
        if reporter is not None:
            reporter.info(
                f"account {access.account_id}: cannot discover regions ({error_code(e)}), using {info.regions}"
            )
    return info


def discover(config: AwsConfig, reporter: Reporter | None) -> list[AccountInfo]:
    """Accounts with names and regions, discovered in parallel (``account_pool_size``)."""
    accounts = discover_accounts(config, reporter)
    with ThreadPoolExecutor(max_workers=config.account_pool_size, thread_name_prefix="aws-accounts") as pool:
        described = list(pool.map(lambda a: _describe_account(a, config, reporter), accounts))
    return [a for a in described if a is not None]
