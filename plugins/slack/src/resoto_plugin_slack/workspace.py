"""Which workspace a token belongs to: ``auth.test`` plus ``team.info``.

Cleanup finds a resource's token through the collection unit the kernel passes in (its payload
names the token's index in the config), and checks with ``auth.test`` that the token still belongs
to the resource's workspace before it changes anything.
"""

from __future__ import annotations

import logging
from typing import Any

from resoto_hookspecs import CollectionUnit, ConfigError, Reporter

from resoto_plugin_slack.client import MissingScope, SlackApi, SlackCallFailed
from resoto_plugin_slack.config import ConfiguredToken, SlackConfig
from resoto_plugin_slack.resources import SlackTeam

log = logging.getLogger(__name__)


def team_id_of(api: SlackApi, token: ConfiguredToken) -> str:
    """The workspace id of the token behind ``api`` (``auth.test``)."""
    answer = api.call("auth.test")
    team_id = str(answer.get("team_id") or "")
    if not team_id:
        raise SlackCallFailed("auth.test", "no_team_id", "the answer names no workspace")
    return team_id


def team_from(info: dict[str, Any], fallback_id: str) -> SlackTeam:
    """A :class:`SlackTeam` from a ``team.info`` team object."""
    icon = info.get("icon") or {}
    return SlackTeam(
        id=str(info.get("id") or fallback_id),
        name=str(info.get("name") or info.get("id") or fallback_id),
        domain=info.get("domain"),
        email_domain=info.get("email_domain") or None,
        url=info.get("url"),
        icon=icon.get("image_132") or icon.get("image_default_url") or icon.get("image_68"),
        enterprise_id=info.get("enterprise_id"),
        enterprise_name=info.get("enterprise_name"),
        is_verified=info.get("is_verified"),
    )


def discover_team(api: SlackApi, token: ConfiguredToken, reporter: Reporter) -> SlackTeam:
    """The workspace node of a token: ``auth.test`` for the id, ``team.info`` for the details.

    :raises ConfigError: The token was rejected.
    :raises SlackCallFailed: ``auth.test`` failed otherwise.
    """
    auth = api.call("auth.test")
    team_id = str(auth.get("team_id") or "")
    if not team_id:
        raise SlackCallFailed("auth.test", "no_team_id", "the answer names no workspace")
    try:
        return team_from(api.call("team.info")["team"], team_id)
    except (MissingScope, SlackCallFailed, KeyError, TypeError) as e:
        reporter.skip(
            f"slack workspace {team_id}: team.info failed ({e}); workspace details come from auth.test only",
            kind=SlackTeam.kind,
            service="slack",
            complete=True,
        )
        return SlackTeam(id=team_id, name=str(auth.get("team") or team_id), url=auth.get("url"))


def token_of_unit(config: SlackConfig, unit: CollectionUnit) -> ConfiguredToken:
    """The configured token a unit's payload points at (the payload is an index, never a token)."""
    index = unit.payload.get("token_index") if isinstance(unit.payload, dict) else None
    tokens = config.tokens()
    if not isinstance(index, int) or not 0 <= index < len(tokens):
        raise ConfigError(f"slack workspace {unit.account.id}: its token is no longer configured")
    return tokens[index]


def api_for_unit(config: SlackConfig, unit: CollectionUnit | None, team_id: str) -> SlackApi:
    """An API client with the token of the unit that collected workspace ``team_id``.

    :raises ConfigError: No unit (the workspace is not collected with this config), its token is
        no longer configured, or the token now belongs to another workspace.
    """
    if unit is None:
        raise ConfigError(
            f"no configured Slack token (slack.bot_token, slack.bot_tokens) serves workspace {team_id}"
        )
    token = token_of_unit(config, unit)
    api = SlackApi(config, token)
    if team_id_of(api, token) != team_id:
        raise ConfigError(f"the Slack token in {token.key} no longer belongs to workspace {team_id}")
    return api
