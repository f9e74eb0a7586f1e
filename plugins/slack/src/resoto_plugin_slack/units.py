"""Collection units: one per configured token (workspace), and collecting one of them."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from resoto_hookspecs import CollectionUnit, ConfigError, GraphBuilder, NotAvailable, Reporter

from resoto_plugin_slack.client import SlackApi, SlackCallFailed
from resoto_plugin_slack.collector import WorkspaceCollector
from resoto_plugin_slack.config import SlackConfig
from resoto_plugin_slack.workspace import discover_team, token_of_unit

log = logging.getLogger(__name__)


def workspace_units(cloud: str, config: SlackConfig, reporter: Reporter) -> Iterator[CollectionUnit]:
    """One unit per workspace. A token that fails ``auth.test`` is reported and left out.

    The unit's payload carries the index of its token in ``config.tokens()``, never the token.

    :raises NotAvailable: No token is configured.
    """
    tokens = config.tokens()
    if not tokens:
        raise NotAvailable("no Slack token configured (slack.bot_token, slack.bot_tokens)")
    seen: dict[str, str] = {}
    for token in tokens:
        api = SlackApi(config, token, reporter)
        try:
            team = discover_team(api, token, reporter)
        except ConfigError as e:
            reporter.error(f"slack: workspace of {token.key} not collected: {e}", service="slack")
            continue
        except SlackCallFailed as e:
            reporter.error(f"slack: workspace of {token.key} not collected: {e}", service="slack")
            continue
        if team.id in seen:
            reporter.info(
                f"slack: {token.key} is another token of workspace {team.id} ({seen[team.id]}); skipped"
            )
            continue
        seen[team.id] = token.key
        yield CollectionUnit(cloud, team, None, name=team.id, payload={"token_index": token.index})


def collect_unit(
    unit: CollectionUnit, config: SlackConfig, builder: GraphBuilder, reporter: Reporter
) -> None:
    """Collect one workspace. A rejected token fails the unit with ``ConfigError``."""
    token = token_of_unit(config, unit)
    api = SlackApi(config, token, reporter)
    WorkspaceCollector(api, config, builder, reporter).collect(token)
    if api.rate_limit_waits:
        reporter.info(
            f"slack workspace {unit.account.id}: waited {api.rate_limit_waits} times for rate limits"
        )
