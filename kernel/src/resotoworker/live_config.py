"""The worker's config as the core holds it: the first load, the repair of bad values, reloads.

On start the worker reads its config document from the core, stores it back merged with the
defaults (so the core shows every key) and registers the config model; a value the core holds that
is invalid is logged by name and its default applies. Afterwards every ``config-updated`` event of
this worker reloads it (the channel in :mod:`resotoworker.channels` delivers them); a reload that
fails keeps the previous config. ``--override`` values apply on top each time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from resotoworker.background import Background
from resotoworker.config import (
    WorkerConfig,
    apply_overrides,
    build_config,
    config_model,
    deep_merge,
    defaults_document,
    section_models,
)
from resotoworker.core_client import CoreClient, backoff_delays
from resotoworker.errors import AuthenticationError, ConfigurationError, CoreUnavailable, WorkerError
from resotoworker.plugins import PluginHost

log = logging.getLogger(__name__)


async def first_config(
    client: CoreClient, host: PluginHost, sid: str, overrides: list[str]
) -> tuple[WorkerConfig, str | None]:
    """The config to start with and its revision; stores the merged document in the core.

    :raises AuthenticationError: The core refused our credentials.
    :raises CoreUnavailable: The core could not be asked.
    :raises ConfigurationError: The document cannot be used, even with invalid values dropped.
    """
    effective, raw, revision = await client.get_config(sid)
    running = deep_merge(defaults_document(host), raw or {})
    try:
        await client.patch_config_model(config_model(host))
        revision = await client.put_config(sid, running) or revision
    except AuthenticationError:
        raise
    except WorkerError as exc:
        log.warning("could not store the config in the core (%s); going on with it locally", exc)
    if effective is None:
        effective = running
    config = _config_of(effective, host, overrides, repair=True)
    log.info("config loaded (revision %s)", revision)
    write_home_files(config)
    return config, revision


async def wait_for_first_config(
    client: CoreClient, host: PluginHost, sid: str, overrides: list[str], stopping: asyncio.Event
) -> tuple[WorkerConfig, str | None] | None:
    """:func:`first_config`, retried with backoff until it succeeds; ``None`` once ``stopping`` is set."""
    delays = backoff_delays(base=1.0, cap=10.0)
    while not stopping.is_set():
        try:
            return await first_config(client, host, sid, overrides)
        except AuthenticationError as exc:
            log.error("%s; retrying", exc)
        except CoreUnavailable as exc:
            log.error("could not load the config: %s; retrying", exc)
        except ConfigurationError as exc:
            log.error("the config stored in the core cannot be used: %s; fix it in the core", exc)
        delay = await anext(delays)
        try:
            await asyncio.wait_for(stopping.wait(), delay)
        except TimeoutError:
            pass
    return None


class LiveConfig:
    """The current config and its revision, reloaded on ``config-updated`` events.

    :param on_change: Called with the old and the new config after each reload.
    """

    def __init__(
        self,
        client: CoreClient,
        host: PluginHost,
        sid: str,
        overrides: list[str],
        config: WorkerConfig,
        revision: str | None,
        on_change: Callable[[WorkerConfig, WorkerConfig], None],
    ) -> None:
        self.client = client
        self.host = host
        self.sid = sid
        self.overrides = overrides
        self.config = config
        self.revision = revision
        self._on_change = on_change
        self._lock = asyncio.Lock()
        self._reloads = Background()

    def on_event(self, text: str) -> None:
        """A frame of the events websocket: reload on a ``config-updated`` of our config."""
        try:
            msg = json.loads(text)
        except ValueError:
            log.warning("events: ignoring a frame that is not JSON")
            return
        if not isinstance(msg, dict) or msg.get("message_type") != "config-updated":
            return
        data = msg.get("data")
        if not isinstance(data, dict):
            return
        if data.get("id") == self.sid and data.get("revision") != self.revision:
            self._reloads.start(self.reload())

    async def reload(self, *, only_if_changed: bool = False) -> None:
        """Read the config from the core and apply it; with ``only_if_changed``, only a new revision."""
        # one reload at a time, each reading the newest document: two overlapping reloads could
        # otherwise apply an older revision after a newer one
        async with self._lock:
            try:
                effective, _, revision = await self.client.get_config(self.sid)
                if only_if_changed and revision == self.revision:
                    return
                new = _config_of(effective, self.host, self.overrides, repair=False)
            except WorkerError as exc:
                log.error("config reload failed, keeping the previous config: %s", exc)
                return
            old = self.config
            self.config = new
            self.revision = revision
            log.info("config loaded (revision %s)", revision)
            changed = [
                k for k in new.worker.restart_required if getattr(old.worker, k) != getattr(new.worker, k)
            ]
            if changed:
                log.warning("config keys %s change only after a restart of the worker", ", ".join(changed))
            self._on_change(old, new)
            write_home_files(new)


def _config_of(
    effective: dict[str, Any] | None, host: PluginHost, overrides: list[str], *, repair: bool
) -> WorkerConfig:
    doc = _checked_document(deep_merge(defaults_document(host), effective or {}), host, repair=repair)
    return build_config(apply_overrides(doc, overrides, host), host)


def write_home_files(config: WorkerConfig) -> None:
    """Write ``files_in_home_dir`` and ``write_files_to_home_dir`` (0600), only inside the home directory."""
    files = dict(config.worker.files_in_home_dir)
    files.update({f.path: f.content for f in config.worker.write_files_to_home_dir})
    if not files:
        return
    home = Path(os.path.expanduser("~")).resolve()
    for rel, content in files.items():
        target = (home / os.path.expanduser(rel)).resolve()
        if home not in target.parents or target.is_dir():
            log.error("refusing to write %s: not a file inside the home directory", rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(content)


def _checked_document(doc: dict[str, Any], host: PluginHost, *, repair: bool) -> dict[str, Any]:
    """Log the unknown keys of a config document; with ``repair``, also drop its invalid values.

    Without a last good config to keep (the first load), a stored config with a wrong value must
    not keep the worker from serving: the key is logged by name and its default applies instead.
    """
    result = dict(doc)
    for name, model in section_models(host).items():
        section = result.get(name)
        if section is None:
            continue
        if not isinstance(section, dict):
            if repair:
                log.error("config section %s is not an object; using its defaults", name)
                result[name] = {}
            continue
        unknown = sorted(set(section) - set(model.model_fields))
        if unknown:
            log.warning("config section %s: unknown keys ignored: %s", name, ", ".join(unknown))
        if not repair:
            continue
        section = dict(section)
        for _ in range(len(section) + 1):
            try:
                model.model_validate(section)
                break
            except ValidationError as exc:
                bad: dict[str, str] = {}
                for err in exc.errors(include_input=False, include_url=False):
                    loc = err.get("loc") or ()
                    if loc and loc[0] in section:
                        bad.setdefault(str(loc[0]), str(err.get("msg")))
                if not bad:
                    log.error("config section %s cannot be used; using its defaults", name)
                    section = {}
                    break
                for key, why in bad.items():
                    log.error("config key %s.%s is invalid (%s); using its default", name, key, why)
                    del section[key]
        result[name] = section
    return result
