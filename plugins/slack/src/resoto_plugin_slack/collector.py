"""Collecting one workspace: users, user groups, conversations and their membership edges."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from resoto_hookspecs import ConfigError, GraphBuilder, Reporter

from resoto_plugin_slack.client import MissingScope, SlackApi, SlackCallFailed
from resoto_plugin_slack.config import ConfiguredToken, SlackConfig
from resoto_plugin_slack.convert import conversation_from, user_from, usergroup_from
from resoto_plugin_slack.resources import SlackConversation, SlackRegion, SlackUser, SlackUsergroup
from resoto_plugin_slack.workspace import team_id_of

log = logging.getLogger(__name__)

REGIONS = ("members", "usergroups", "conversations")
"""The fixed grouping nodes below a workspace, as the reference model has them."""


class WorkspaceCollector:
    """Collects one workspace into a graph builder. One instance per unit and collect."""

    def __init__(self, api: SlackApi, config: SlackConfig, builder: GraphBuilder, reporter: Reporter) -> None:
        self.api = api
        self.config = config
        self.builder = builder
        self.reporter = reporter
        self.team_id = builder.account_id
        self.user_ids: set[str] = set()
        self.regions: dict[str, str] = {}

    def collect(self, token: ConfiguredToken) -> None:
        """Collect everything. Auth failures raise ``ConfigError``; per-kind failures are reported."""
        team_id = team_id_of(self.api, token)
        if team_id != self.team_id:
            raise ConfigError(
                f"the Slack token in {token.key} now belongs to workspace {team_id}, not {self.team_id}"
            )
        for name in REGIONS:
            self.regions[name] = self.builder.add(SlackRegion(id=name, name=name))
        self._guarded(SlackUser.kind, self._users)
        self._guarded(SlackUsergroup.kind, self._usergroups)
        self._guarded(SlackConversation.kind, self._conversations)

    def _guarded(self, kind: str, step: Callable[[], None]) -> None:
        try:
            step()
        except MissingScope as e:
            self.reporter.skip(
                f"slack workspace {self.team_id}: {kind} not collected, {e}",
                kind=kind,
                service="slack",
                complete=False,
                code="missing_scope",
            )
        except SlackCallFailed as e:
            self.reporter.error(
                f"slack workspace {self.team_id}: {kind} collected partly or not at all: {e}",
                kind=kind,
                service="slack",
                code=str(e.error),
            )

    def _users(self) -> None:
        parent = self.regions["members"]
        for page in self.api.pages("users.list", "members"):
            for raw in page:
                user = user_from(raw)
                self.builder.add(user, parent=parent)
                self.user_ids.add(user.id)

    def _link_members(self, source: str, members: Iterable[str]) -> int:
        unknown = 0
        for member in members:
            if member in self.user_ids:
                self.builder.add_edge(source, self.builder.node_id(SlackUser, member))
            else:
                unknown += 1
        return unknown

    def _usergroups(self) -> None:
        parent = self.regions["usergroups"]
        unknown = 0
        # usergroups.list is the one method Slack does not page: it answers with every group at once.
        answer = self.api.call("usergroups.list", include_users=True, include_disabled=False)
        for raw in answer.get("usergroups") or []:
            group = usergroup_from(raw)
            nid = self.builder.add(group, parent=parent)
            unknown += self._link_members(nid, [str(u) for u in raw.get("users") or []])
        if unknown:
            log.debug("slack workspace %s: %d user group members are not users of it", self.team_id, unknown)

    def _conversations(self) -> None:
        parent = self.regions["conversations"]
        conversations: list[str] = []
        for page in self.api.pages(
            "conversations.list",
            "channels",
            types="public_channel,private_channel",
            exclude_archived=not self.config.include_archived,
        ):
            for raw in page:
                conversation = conversation_from(raw)
                self.builder.add(conversation, parent=parent)
                conversations.append(conversation.id)
        self._guarded(SlackConversation.kind, lambda: self._members(conversations))

    def _members(self, conversations: list[str]) -> None:
        unknown = 0
        failed: list[str] = []
        for cid in conversations:
            nid = self.builder.node_id(SlackConversation, cid)
            try:
                for page in self.api.pages("conversations.members", "members", channel=cid):
                    unknown += self._link_members(nid, [str(m) for m in page])
            except MissingScope:
                raise
            except SlackCallFailed as e:
                failed.append(f"{cid} ({e.error})")
        if failed:
            shown = ", ".join(failed[:10]) + (f" and {len(failed) - 10} more" if len(failed) > 10 else "")
            self.reporter.error(
                f"slack workspace {self.team_id}: members of {len(failed)} conversations not read: {shown}",
                kind=SlackConversation.kind,
                service="slack",
            )
        if unknown:
            log.debug(
                "slack workspace %s: %d conversation members are not users of it", self.team_id, unknown
            )
