"""The ``slack`` config section: which workspaces to collect and how to reach the Web API."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field, SecretStr
from resoto_hookspecs import PluginConfig

SLACK_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class ConfiguredToken:
    """One configured bot token and the config key it came from (the key is safe to log)."""

    index: int
    key: str
    token: SecretStr


class SlackConfig(PluginConfig):
    """Config section ``slack``. Every token is one workspace, collected as one account."""

    bot_token: SecretStr | None = Field(
        default=None, description="Bot token (xoxb-...) of the workspace to collect."
    )
    bot_tokens: list[SecretStr] = Field(
        default_factory=list,
        description="Bot tokens of further workspaces; every token is collected as its own account.",
    )
    include_archived: bool = Field(default=False, description="Also collect archived conversations.")
    base_url: str = Field(
        default=SLACK_API_URL, description="Base URL of the Slack Web API (change only for testing)."
    )
    do_not_verify_ssl: bool = Field(
        default=False, description="Do not verify the TLS certificate of the Web API (not recommended)."
    )
    page_limit: int = Field(
        default=200, ge=1, le=1000, description="Items requested per page of a paged Web API method."
    )
    max_rate_limit_retries: int = Field(
        default=10,
        ge=0,
        description="How often one request is retried after HTTP 429, waiting as told by Retry-After.",
    )
    max_connection_retries: int = Field(
        default=2, ge=0, description="How often one request is retried after a connection error."
    )
    timeout: int = Field(default=30, ge=1, description="Timeout of one HTTP request, in seconds.")

    def tokens(self) -> list[ConfiguredToken]:
        """The configured tokens in a stable order: ``bot_token`` first, then ``bot_tokens``.

        Empty values and repeats of an earlier token are left out, so a token listed twice is
        still one account.
        """
        candidates: list[tuple[str, SecretStr]] = []
        if self.bot_token is not None:
            candidates.append(("slack.bot_token", self.bot_token))
        candidates.extend((f"slack.bot_tokens[{i}]", t) for i, t in enumerate(self.bot_tokens))
        seen: set[str] = set()
        result: list[ConfiguredToken] = []
        for key, secret in candidates:
            value = secret.get_secret_value().strip()
            if not value or value in seen:
                continue
            seen.add(value)
            result.append(ConfiguredToken(len(result), key, SecretStr(value)))
        return result
