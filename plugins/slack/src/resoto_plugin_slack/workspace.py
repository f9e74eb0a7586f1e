"""Which workspace a token belongs to: ``auth.test`` plus ``team.info``, remembered per token.

Tokens are bound to one workspace for life, so the mapping is cached for the process, keyed by a
digest of the token (never the token). Cleanup uses it to find the token of a resource's account.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from typing import Any

from resoto_hookspecs import ConfigError, Reporter

from resoto_plugin_slack.client import MissingScope, SlackApi, SlackCallFailed
from resoto_plugin_slack.config import ConfiguredToken, SlackConfig
from resoto_plugin_slack.resources import SlackTeam

log = logging.getLogger(__name__)

_lock = threading.Lock()
_team_of_token: dict[str, str] = {}


def _digest(token: ConfiguredToken) -> str:
    return hashlib.sha256(token.token.get_secret_value().encode()).hexdigest()


def remember(token: ConfiguredToken, team_id: str) -> None:
    with _lock:
        _team_of_token[_digest(token)] = team_id


def known_team(token: ConfiguredToken) -> str | None:
    with _lock:
        return _team_of_token.get(_digest(token))


def team_id_of(api: SlackApi, token: ConfiguredToken) -> str:
    """The workspace id of the token behind ``api`` (``auth.test``), remembered for next time."""
    answer = api.call("auth.test")
    team_id = str(answer.get("team_id") or "")
    if not team_id:
        raise SlackCallFailed("auth.test", "no_team_id", "the answer names no workspace")
    remember(token, team_id)
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
    remember(token, team_id)
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


def token_for_team(config: SlackConfig, team_id: str) -> tuple[ConfiguredToken, SlackApi]:
    """The configured token of a workspace, and an API client for it.

    Tokens are first matched by the workspace remembered for them; failing that, every token is
    asked again with ``auth.test`` (tokens that fail it are passed over).

    :raises ConfigError: No configured token belongs to that workspace.
    """
    tokens = config.tokens()
    for token in tokens:
        if known_team(token) == team_id:
            return token, SlackApi(config, token)
    for token in tokens:
        api = SlackApi(config, token)
        try:
            if team_id_of(api, token) == team_id:
                return token, api
        except (ConfigError, SlackCallFailed) as e:
            log.warning("slack: could not check which workspace %s belongs to: %s", token.key, e)
    raise ConfigError(
        f"no configured Slack token (slack.bot_token, slack.bot_tokens) belongs to workspace {team_id}"
    )
