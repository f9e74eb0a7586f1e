"""The dispatch of what the core asks: ``collect``, ``cleanup`` and ``cleanup_plan`` actions, ``tag`` tasks.

An action arrives as a frame of the actions websocket (see :mod:`resotoworker.channels`) and runs as
an :class:`ActionRun` within ``resotoworker.timeout``; its ``action_done`` or ``action_error`` goes to
the outbox. A duplicate or replayed action is not run twice: a running one is ignored, a finished
one gets its stored reply again. A tag task arrives on the work queue and is answered on it, at most
20 at a time. Each action reads the config current when it starts (:mod:`resotoworker.live_config`).
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import json
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from resotoworker import metrics
from resotoworker.background import Background
from resotoworker.carry import Carried, read_back
from resotoworker.channels import MAX_FRAME, Outbox, Refresh
from resotoworker.collect import CollectEngine
from resotoworker.config import WorkerConfig
from resotoworker.core_client import CoreClient
from resotoworker.errors import WorkerError
from resotoworker.feedback import ActionFeedback
from resotoworker.live_config import LiveConfig
from resotoworker.plugins import PluginHost
from resotoworker.spool import AccountOutput, ProcessSpoolDir, remove_stale_spools

log = logging.getLogger(__name__)


class ActionFailed(Exception):
    """The action ends with ``action_error`` carrying this message."""


class ActionRun:
    def __init__(self, key: str) -> None:
        self.key = key
        self.engine: CollectEngine | None = None
        self.task: asyncio.Task[None] | None = None
        self.aborted: str | None = None

    def abort(self, why: str) -> None:
        if self.aborted is None:
            self.aborted = why
            log.warning("aborting action %s: %s", self.key, why)
            if self.engine is not None:
                self.engine.cancel()
            elif self.task is not None:
                self.task.cancel()


class SpoolDirs:
    """This process's own, locked spool directory in each temp directory a collect uses."""

    def __init__(self) -> None:
        self._spools: dict[Path, ProcessSpoolDir] = {}

    def release(self) -> None:
        for spool in self._spools.values():
            spool.release()

    def for_config(self, config: WorkerConfig) -> WorkerConfig:
        """``config`` with spool files going to this process's own, locked directory in ``tempdir``.

        The first time a temp directory is used, the spool directories of dead workers in it (for
        example one killed with ``kill -9`` in the middle of a collect) are removed.
        """
        if config.worker.debug_dump_json:
            return config  # the files are meant to stay
        base = Path(config.worker.tempdir or tempfile.gettempdir())
        spool = self._spools.get(base)
        if spool is None:
            remove_stale_spools(base)
            spool = self._spools[base] = ProcessSpoolDir(base)
        worker = config.worker.model_copy(update={"tempdir": str(spool.path)})
        return dataclasses.replace(config, worker=worker)


class Actions:
    """Runs the actions and tag tasks the core sends; see the module doc."""

    def __init__(
        self,
        host: PluginHost,
        client: CoreClient,
        live: LiveConfig,
        outbox: Outbox,
        refresh: Refresh,
        spools: SpoolDirs,
    ) -> None:
        self.host = host
        self.client = client
        self.live = live
        self.outbox = outbox
        self.refresh = refresh
        self.spools = spools
        self.running: dict[str, ActionRun] = {}
        self.replies: collections.OrderedDict[str, dict[str, Any]] = collections.OrderedDict()
        self.held: dict[str, set[str]] = {}
        self.collect_seen = False
        self._task_slots = asyncio.Semaphore(20)
        self._task_runs = Background()

    def abort_all(self, why: str) -> None:
        for run in list(self.running.values()):
            run.abort(why)

    def active_clouds(self) -> list[str]:
        installed = [p.cloud.name for p in self.host.collectors() if p.cloud]
        wanted = self.live.config.worker.collector
        return [c for c in wanted if c in installed] if wanted else installed

    def registrations(self) -> list[tuple[str, int]]:
        """The actions this worker serves, each with ``resotoworker.timeout``."""
        timeout = self.live.config.worker.timeout
        return [(action, timeout) for action in self._action_names()]

    def _action_names(self) -> list[str]:
        result = ["collect", "cleanup"]
        try:
            from resotoworker.cleanup_plan import has_cleanup_policies
        except ImportError:
            return result
        if has_cleanup_policies(self.host):
            result.append("cleanup_plan")
        return result

    # -- actions ------------------------------------------------------------------------------

    def on_action_frame(self, text: str) -> None:
        try:
            msg = json.loads(text)
        except ValueError:
            log.warning("actions: ignoring a frame that is not JSON (%d bytes)", len(text))
            return
        if not isinstance(msg, dict):
            log.warning("actions: ignoring a frame that is not an object")
            return
        kind, message_type, data = msg.get("kind"), msg.get("message_type"), msg.get("data")
        if kind not in ("action", "action_abort"):
            log.debug("actions: ignoring a %r message", kind)
            return
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("task"), str)
            or not isinstance(data.get("step"), str)
        ):
            log.error("actions: %s %r without task and step cannot be answered; ignored", kind, message_type)
            return
        key = f"{data['task']}:{data['step']}"
        if kind == "action_abort":
            run = self.running.get(key)
            if run is not None:
                run.abort("the core aborted the task")
            return
        if key in self.running:
            log.info("actions: %s for %s is already running; duplicate ignored", message_type, key)
            return
        if key in self.replies:
            if self.outbox.has_answer(data["task"], data["step"]):
                log.info(
                    "actions: %s for %s: the answer is queued already; replay ignored", message_type, key
                )
                return
            log.info("actions: %s for %s was answered before; sending the answer again", message_type, key)
            self.outbox.put(self.replies[key])
            return
        run = ActionRun(key)
        self.running[key] = run
        run.task = asyncio.get_running_loop().create_task(self._perform(run, str(message_type), data))

    async def _perform(self, run: ActionRun, message_type: str, data: dict[str, Any]) -> None:
        feedback = ActionFeedback(self.outbox, message_type, data["task"], data["step"])
        reply: dict[str, Any]
        timeout = self.live.config.worker.timeout
        timer = asyncio.get_running_loop().call_later(timeout, run.abort, f"timeout of {timeout} s reached")
        try:
            if message_type == "collect":
                self.collect_seen = True
                await self._collect(run, data, feedback)
            elif message_type == "cleanup":
                await self._cleanup(data, feedback)
            elif message_type == "cleanup_plan":
                await self._cleanup_plan(data, feedback)
            else:
                raise ActionFailed(f"this worker does not handle {message_type!r}")
            if run.aborted and message_type != "collect":
                raise ActionFailed(f"aborted: {run.aborted}")
            reply = {"kind": "action_done", "message_type": message_type, "data": data}
        except asyncio.CancelledError:
            reply = {
                "kind": "action_error",
                "message_type": message_type,
                "data": {**data, "error": f"aborted: {run.aborted}"},
            }
        except ActionFailed as exc:
            reply = {
                "kind": "action_error",
                "message_type": message_type,
                "data": {**data, "error": str(exc)[:1000]},
            }
        except WorkerError as exc:
            log.error("%s %s failed: %s", message_type, run.key, exc)
            reply = {
                "kind": "action_error",
                "message_type": message_type,
                "data": {**data, "error": str(exc)[:1000]},
            }
        except Exception as exc:
            log.exception("%s %s failed unexpectedly", message_type, run.key)
            reply = {
                "kind": "action_error",
                "message_type": message_type,
                "data": {**data, "error": f"{type(exc).__name__}: {exc}"[:1000]},
            }
        finally:
            timer.cancel()
        self.replies[run.key] = reply
        while len(self.replies) > 200:
            self.replies.popitem(last=False)
        self.running.pop(run.key, None)
        self.outbox.put(reply)

    async def _collect(self, run: ActionRun, data: dict[str, Any], feedback: ActionFeedback) -> None:
        config = self.spools.for_config(self.live.config)
        graph = config.worker.graph
        client = self.client
        started = time.monotonic()
        max_age = config.worker.stale_max_age_seconds

        async def carry(cloud: str, account: str, region: str | None, kinds: list[str]) -> Carried:
            return await read_back(
                lambda query: client.search_graph(graph, query),
                cloud,
                account,
                region,
                kinds,
                max_age=max_age,
            )

        engine = CollectEngine(
            self.host,
            config,
            send=lambda o: self._send_account(graph, o, data["task"]),
            feedback=feedback,
            task_id=data["task"],
            carry=carry,
        )
        run.engine = engine
        plugins = engine.collectors()
        if not plugins:
            feedback.info("info", "no collector plugin is configured or installed; nothing to collect")
            return
        await client.create_graph(graph)
        await client.patch_model(graph, self.host.model(plugins))
        report = await engine.run()
        metrics.COLLECT_SECONDS.observe(time.monotonic() - started)
        held: dict[str, set[str]] = {}
        for unit in report.units:
            held.setdefault(unit.cloud, set()).add(unit.account)
        if held != self.held:
            self.held = held
            self.refresh.tasks.set()
        log.info("collect %s finished:\n%s", data["task"], report.summary())
        if report.nothing_collected and (report.units or report.plugin_errors):
            metrics.COLLECTS.labels("error").inc()
            problems = report.account_errors + report.plugin_errors + report.errors
            raise ActionFailed("nothing could be collected: " + "; ".join(problems[:5]))
        metrics.COLLECTS.labels("cancelled" if report.cancelled else "done").inc()

    async def _send_account(self, graph: str, output: AccountOutput, task_id: str) -> None:
        await self.client.merge(graph, output.parts, nodes=output.nodes, edges=output.edges, task_id=task_id)
        log.info(
            "sent %s/%s: %d nodes, %d edges (replace: %s)%s",
            output.cloud,
            output.account_id,
            output.nodes,
            output.edges,
            output.replace,
            f", {sum(output.carried.values())} stale nodes carried forward" if output.carried else "",
        )

    async def _cleanup(self, data: dict[str, Any], feedback: ActionFeedback) -> None:
        config = self.live.config
        if not config.worker.cleanup:
            feedback.info("info", "cleanup is disabled (resotoworker.cleanup is false); nothing was deleted")
            return
        from resotoworker.cleanup import run_cleanup

        await run_cleanup(
            self.host,
            config,
            self.client,
            feedback,
            clouds=self.active_clouds(),
            accounts=self.held or None,
        )

    async def _cleanup_plan(self, data: dict[str, Any], feedback: ActionFeedback) -> None:
        from resotoworker.cleanup_plan import run_cleanup_plan

        await run_cleanup_plan(
            self.host,
            self.live.config,
            self.client,
            feedback,
            clouds=self.active_clouds(),
            accounts=self.held or None,
        )

    # -- tag tasks ----------------------------------------------------------------------------

    def task_descriptions(self) -> list[dict[str, Any]]:
        from resotoworker.tasks import task_descriptions

        return task_descriptions(self.host, self.live.config, self.held or None)

    def on_task_frame(self, ws: aiohttp.ClientWebSocketResponse, text: str) -> None:
        self._task_runs.start(self._run_task(ws, text))

    async def _run_task(self, ws: aiohttp.ClientWebSocketResponse, text: str) -> None:
        from resotoworker.tasks import handle_task

        async with self._task_slots:
            try:
                frame = json.loads(text)
            except ValueError:
                log.warning("work queue: ignoring a frame that is not JSON (%d bytes)", len(text))
                return
            reply = await handle_task(self.host, self.live.config, frame, self.held or None)
            if reply is None:
                return
            out = json.dumps(reply, separators=(",", ":"))
            if len(out) > MAX_FRAME:
                out = json.dumps(
                    {
                        "task_id": reply.get("task_id"),
                        "result": "error",
                        "error": "the result is larger than 4 MiB",
                    }
                )
            metrics.TASKS.labels(
                str(frame.get("task_name") if isinstance(frame, dict) else "?"), str(reply.get("result"))
            ).inc()
            try:
                await ws.send_str(out)
            except (ConnectionError, RuntimeError, aiohttp.ClientError) as exc:
                log.warning(
                    "work queue: could not send the reply of %s (%s); the core will retry it",
                    reply.get("task_id"),
                    exc,
                )
