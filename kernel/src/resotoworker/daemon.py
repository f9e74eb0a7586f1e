"""The long-running worker: connects to the core and serves actions, tasks and config events.

Three channels run side by side, each reconnecting forever with capped, jittered exponential
backoff: the actions websocket (``collect``, ``cleanup``, ``cleanup_plan``), the work queue (``tag``
tasks) and the events websocket (``config-updated``). Replies to actions go through an outbox that
survives reconnects, so an action's ``action_done`` is never lost; a duplicate or replayed action is
not run twice (a finished one gets its stored reply again).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import dataclasses
import json
import logging
import os
import signal
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from pydantic import ValidationError

from resotoworker import metrics
from resotoworker.carry import Carried, read_back
from resotoworker.collect import CollectEngine
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
from resotoworker.spool import AccountOutput, ProcessSpoolDir, remove_stale_spools

log = logging.getLogger(__name__)

MAX_FRAME = 4 * 1024 * 1024 - 1024  # the core reads websocket messages of at most 4 MiB
SHUTDOWN_GRACE = 3.0
# On a new actions connection the core first replays every action we have not answered. Answers
# queued while we were offline wait this long, so such a replay finds its answer still queued (and is
# not answered a second time) instead of racing with it.
REPLAY_SETTLE = 0.5


class ActionFailed(Exception):
    """The action ends with ``action_error`` carrying this message."""


class Outbox:
    """Frames for the actions websocket. Done/error replies are kept until sent; chatter may be dropped."""

    def __init__(self, limit: int = 2000) -> None:
        self._frames: collections.deque[dict[str, Any]] = collections.deque()
        self._event = asyncio.Event()
        self._limit = limit

    def put(self, frame: dict[str, Any], *, front: bool = False) -> None:
        if front:
            self._frames.appendleft(frame)
        else:
            self._frames.append(frame)
        if len(self._frames) > self._limit:
            for i, f in enumerate(self._frames):
                if f.get("kind") in ("action_info", "action_progress"):
                    del self._frames[i]
                    break
        self._event.set()

    def has_answer(self, task: str, step: str) -> bool:
        """Whether an ``action_done``/``action_error`` for ``task:step`` waits to be sent."""
        for frame in self._frames:
            data = frame.get("data")
            if (
                frame.get("kind") in ("action_done", "action_error")
                and isinstance(data, dict)
                and data.get("task") == task
                and data.get("step") == step
            ):
                return True
        return False

    async def get(self) -> dict[str, Any]:
        while not self._frames:
            self._event.clear()
            await self._event.wait()
        return self._frames.popleft()

    def __len__(self) -> int:
        return len(self._frames)


class ActionFeedback:
    """Turns engine/cleanup feedback into ``action_info`` / ``action_progress`` frames."""

    def __init__(self, outbox: Outbox, message_type: str, task: str, step: str) -> None:
        self.outbox = outbox
        self.message_type = message_type
        self.task = task
        self.step = step

    def info(self, level: str, message: str) -> None:
        self.outbox.put(
            {
                "kind": "action_info",
                "message_type": self.message_type,
                "data": {"task": self.task, "step": self.step, "level": level, "message": message[:500]},
            }
        )

    def progress(self, tree: dict[str, Any]) -> None:
        self.outbox.put(
            {
                "kind": "action_progress",
                "message_type": self.message_type,
                "data": {
                    "task": self.task,
                    "step": self.step,
                    "context": [],
                    "progress": tree,
                    "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                },
            }
        )


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


class Worker:
    def __init__(self, args: argparse.Namespace, host: PluginHost) -> None:
        self.args = args
        self.host = host
        self.sid = args.subscriber_id
        self.collector_sid = f"{self.sid}-collector"
        self.client: CoreClient | None = None
        self.config: WorkerConfig | None = None
        self.revision: str | None = None
        self._reload_lock = asyncio.Lock()
        self.health: dict[str, bool] = {"Config Listener": False, "CoreActions": False, "CoreTasks": False}
        self.stopping = asyncio.Event()
        self.exit_code = 0
        self.outbox = Outbox()
        self.running: dict[str, ActionRun] = {}
        self.replies: collections.OrderedDict[str, dict[str, Any]] = collections.OrderedDict()
        self.held: dict[str, set[str]] = {}
        self.collect_seen = False
        self._refresh_tasks = asyncio.Event()
        self._refresh_actions = asyncio.Event()
        self._task_slots = asyncio.Semaphore(20)
        self._web: Any = None
        self._tls_dir: Path | None = None
        self._spools: dict[Path, ProcessSpoolDir] = {}

    # -- lifecycle ----------------------------------------------------------------------------

    def stop(self, code: int | None = None) -> None:
        if code is not None:
            self.exit_code = code
        if not self.stopping.is_set():
            log.info("shutting down")
            self.stopping.set()

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop)
        # fail fast on a bad --override: it can be checked before any network
        apply_overrides(defaults_document(self.host), self.args.override, self.host)
        self.client = CoreClient(self.args.resotocore_uri, self.args.psk)
        try:
            await self._race(self.client.wait_ready(timeout=self.args.ready_timeout))
            if self.stopping.is_set():
                return self.exit_code
            if self.client.https:
                await self._setup_tls()
            await self._race(self._initial_config())
            if self.stopping.is_set():
                return self.exit_code
            if self.config is not None:
                try:
                    self._spool_config(self.config)  # claims our spool dir, removes dead workers' ones
                except OSError as exc:
                    log.error("cannot use the spool directory: %s", exc)
            await self._start_web()
            channels = [
                asyncio.create_task(self._channel("Config Listener", self._events_session)),
                asyncio.create_task(self._channel("CoreActions", self._actions_session)),
                asyncio.create_task(self._channel("CoreTasks", self._tasks_session)),
            ]
            idle = asyncio.create_task(self._idle_watch()) if self.args.idle_timeout else None
            await self.stopping.wait()
            await self._shutdown(channels + ([idle] if idle else []))
        finally:
            if self._web is not None:
                await self._web.stop()
            await self.client.close()
            for spool in self._spools.values():
                spool.release()
        log.info("shutdown complete")
        return self.exit_code

    async def _race(self, aw: Awaitable[Any]) -> Any:
        """Await ``aw`` unless shutdown comes first."""
        task = asyncio.ensure_future(aw)
        stop = asyncio.ensure_future(self.stopping.wait())
        done, _ = await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if task in done:
            return task.result()
        task.cancel()
        return None

    async def _shutdown(self, tasks: list[asyncio.Task[Any]]) -> None:
        for run in list(self.running.values()):
            run.abort("the worker is shutting down")
        deadline = time.monotonic() + SHUTDOWN_GRACE
        while (
            (self.running or len(self.outbox)) and time.monotonic() < deadline and self.health["CoreActions"]
        ):
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _idle_watch(self) -> None:
        await asyncio.sleep(self.args.idle_timeout)
        if not self.collect_seen:
            log.error(
                "no collect action arrived within %s s (--idle-timeout); exiting", self.args.idle_timeout
            )
            self.stop(1)

    async def _setup_tls(self) -> None:
        from resotoworker.tls import bootstrap

        assert self.client is not None
        material = await bootstrap(
            self.client,
            subscriber_id=self.sid,
            psk=self.args.psk,
            ca_cert=self.args.ca_cert,
            cert=self.args.cert,
            cert_key=self.args.cert_key,
            cert_key_pass=self.args.cert_key_pass,
            verify=not self.args.no_verify_certs,
            want_server_cert=True,
        )
        self._server_ssl = material.server_context
        self._tls_dir = material.directory

    def _spool_config(self, config: WorkerConfig) -> WorkerConfig:
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

    # -- config -------------------------------------------------------------------------------

    async def _initial_config(self) -> None:
        delays = backoff_delays(base=1.0, cap=10.0)
        while not self.stopping.is_set():
            try:
                await self._load_config(first=True)
                return
            except AuthenticationError as exc:
                log.error("%s; retrying", exc)
            except CoreUnavailable as exc:
                log.error("could not load the config: %s; retrying", exc)
            except ConfigurationError as exc:
                log.error("the config stored in the core cannot be used: %s; fix it in the core", exc)
            delay = await anext(delays)
            try:
                await asyncio.wait_for(self.stopping.wait(), delay)
            except TimeoutError:
                pass

    async def _load_config(self, *, first: bool) -> None:
        assert self.client is not None
        effective, raw, revision = await self.client.get_config(self.sid)
        defaults = defaults_document(self.host)
        if first:
            running = deep_merge(defaults, raw or {})
            try:
                await self.client.patch_config_model(config_model(self.host))
                revision = await self.client.put_config(self.sid, running) or revision
            except AuthenticationError:
                raise
            except WorkerError as exc:
                log.warning("could not store the config in the core (%s); going on with it locally", exc)
            if effective is None:
                effective = running
        doc = _checked_document(deep_merge(defaults, effective or {}), self.host, repair=first)
        doc = apply_overrides(doc, self.args.override, self.host)
        new = build_config(doc, self.host)
        old = self.config
        self.config = new
        self.revision = revision
        log.info("config loaded (revision %s)", revision)
        if old is not None:
            changed = [
                k for k in new.worker.restart_required if getattr(old.worker, k) != getattr(new.worker, k)
            ]
            if changed:
                log.warning("config keys %s change only after a restart of the worker", ", ".join(changed))
            if old.worker.collector != new.worker.collector:
                self._refresh_tasks.set()
                self._refresh_actions.set()
            if old.worker.timeout != new.worker.timeout:
                self._refresh_actions.set()
        self._write_home_files(new)

    def _write_home_files(self, config: WorkerConfig) -> None:
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

    # -- web ----------------------------------------------------------------------------------

    async def _start_web(self) -> None:
        from resotoworker.web import WebServer, build_app

        assert self.config is not None
        w = self.config.worker
        ssl_ctx = getattr(self, "_server_ssl", None) if not w.no_tls else None
        app = build_app(lambda: dict(self.health), self.info, w.web_path)
        self._web = WebServer(app, w.web_host, w.web_port, ssl_ctx)
        try:
            await self._web.start()
        except OSError as exc:
            log.error("web server could not bind %s:%s: %s; running without it", w.web_host, w.web_port, exc)
            self._web = None

    def info(self) -> dict[str, Any]:
        active = self.active_clouds()
        return {
            "active_collectors": active,
            "all_collectors": [p.cloud.name for p in self.host.collectors() if p.cloud],
            "plugins": [p.describe() for p in self.host.plugins.values()],
            "broken_plugins": [str(p) for p in self.host.problems],
            "held_accounts": {c: sorted(a) for c, a in self.held.items()},
            "config_revision": self.revision,
        }

    def active_clouds(self) -> list[str]:
        assert self.config is not None
        installed = [p.cloud.name for p in self.host.collectors() if p.cloud]
        wanted = self.config.worker.collector
        return [c for c in wanted if c in installed] if wanted else installed

    # -- channels -----------------------------------------------------------------------------

    async def _channel(self, name: str, session: Callable[[], Awaitable[None]]) -> None:
        """Run a channel session forever, reconnecting with capped, jittered backoff."""
        delays = backoff_delays(base=0.5, cap=5.0)
        while not self.stopping.is_set():
            started = time.monotonic()
            try:
                await session()
            except asyncio.CancelledError:
                raise
            except AuthenticationError as exc:
                log.error("%s: %s", name, exc)
            except aiohttp.WSServerHandshakeError as exc:
                hint = " (another worker uses this subscriber id?)" if exc.status == 429 else ""
                if exc.status in (401, 403):
                    log.error("%s: the core refused our credentials (%s); check --psk", name, exc.status)
                else:
                    log.warning("%s: handshake failed with %s%s", name, exc.status, hint)
            except (aiohttp.ClientError, OSError, WorkerError, TimeoutError) as exc:
                log.warning("%s: connection lost: %s", name, exc or type(exc).__name__)
            except Exception:
                log.exception("%s: unexpected error; reconnecting", name)
            finally:
                self.health[name] = False
                metrics.CONNECTED.labels(name).set(0)
            if self.stopping.is_set():
                break
            if time.monotonic() - started > 30:
                delays = backoff_delays(base=0.5, cap=5.0)
            metrics.RECONNECTS.labels(name).inc()
            try:
                await asyncio.wait_for(self.stopping.wait(), await anext(delays))
            except TimeoutError:
                pass

    def _connected(self, name: str) -> None:
        self.health[name] = True
        metrics.CONNECTED.labels(name).set(1)
        log.info("%s connected", name)

    async def _until_closed(
        self,
        ws: aiohttp.ClientWebSocketResponse,
        on_text: Callable[[str], None],
        refresh: asyncio.Event | None,
    ) -> None:
        async def reader() -> None:
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    on_text(msg.data)
                elif msg.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSE):
                    break

        read = asyncio.ensure_future(reader())
        waits: set[asyncio.Future[Any]] = {read, asyncio.ensure_future(self.stopping.wait())}
        if refresh is not None:
            waits.add(asyncio.ensure_future(refresh.wait()))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waits:
                w.cancel()
            if refresh is not None:
                refresh.clear()
            await ws.close()

    # events

    async def _events_session(self) -> None:
        assert self.client is not None
        ws = await self.client.ws_connect("/events?show=config-updated")
        self._connected("Config Listener")
        # a config-updated event sent while this socket was not open (between the first config load
        # and this connect, or during a reconnect) is lost: compare the revision once now
        check = asyncio.ensure_future(self._reload_config(only_if_changed=True))
        try:
            await self._until_closed(ws, self._on_event, None)
        finally:
            check.cancel()

    def _on_event(self, text: str) -> None:
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
            asyncio.get_running_loop().create_task(self._reload_config())

    async def _reload_config(self, *, only_if_changed: bool = False) -> None:
        # one reload at a time, each reading the newest document: two overlapping reloads could
        # otherwise apply an older revision after a newer one
        async with self._reload_lock:
            try:
                if only_if_changed:
                    assert self.client is not None
                    _, _, revision = await self.client.get_config(self.sid)
                    if revision == self.revision:
                        return
                await self._load_config(first=False)
            except WorkerError as exc:
                log.error("config reload failed, keeping the previous config: %s", exc)

    # actions

    def actions(self) -> list[str]:
        result = ["collect", "cleanup"]
        try:
            from resotoworker.cleanup_plan import has_cleanup_policies
        except ImportError:
            return result
        if has_cleanup_policies(self.host):
            result.append("cleanup_plan")
        return result

    async def _actions_session(self) -> None:
        assert self.client is not None and self.config is not None
        for action in self.actions():
            await self.client.register(self.collector_sid, action, self.config.worker.timeout)
        ws = await self.client.ws_connect(f"/subscriber/{self.collector_sid}/handle")
        self._connected("CoreActions")
        writer = asyncio.ensure_future(self._write_outbox(ws))
        try:
            await self._until_closed(ws, self._on_action_frame, self._refresh_actions)
        finally:
            writer.cancel()
            try:
                await writer
            except (asyncio.CancelledError, Exception):
                pass

    async def _write_outbox(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        await asyncio.sleep(REPLAY_SETTLE)
        while True:
            frame = await self.outbox.get()
            text = _fit_frame(frame)
            if text is None:
                continue
            try:
                await ws.send_str(text)
            except BaseException:
                if frame.get("kind") in ("action_done", "action_error"):
                    self.outbox.put(frame, front=True)
                raise

    def _on_action_frame(self, text: str) -> None:
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
        assert self.config is not None
        timer = asyncio.get_running_loop().call_later(
            self.config.worker.timeout, run.abort, f"timeout of {self.config.worker.timeout} s reached"
        )
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
        assert self.client is not None and self.config is not None
        config = self._spool_config(self.config)
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
            self._refresh_tasks.set()
        log.info("collect %s finished:\n%s", data["task"], report.summary())
        if report.nothing_collected and (report.units or report.plugin_errors):
            metrics.COLLECTS.labels("error").inc()
            problems = report.account_errors + report.plugin_errors + report.errors
            raise ActionFailed("nothing could be collected: " + "; ".join(problems[:5]))
        metrics.COLLECTS.labels("cancelled" if report.cancelled else "done").inc()

    async def _send_account(self, graph: str, output: AccountOutput, task_id: str) -> None:
        assert self.client is not None
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
        assert self.client is not None and self.config is not None
        if not self.config.worker.cleanup:
            feedback.info("info", "cleanup is disabled (resotoworker.cleanup is false); nothing was deleted")
            return
        from resotoworker.cleanup import run_cleanup

        await run_cleanup(
            self.host,
            self.config,
            self.client,
            feedback,
            clouds=self.active_clouds(),
            accounts=self.held or None,
        )

    async def _cleanup_plan(self, data: dict[str, Any], feedback: ActionFeedback) -> None:
        assert self.client is not None and self.config is not None
        from resotoworker.cleanup_plan import run_cleanup_plan

        await run_cleanup_plan(
            self.host,
            self.config,
            self.client,
            feedback,
            clouds=self.active_clouds(),
            accounts=self.held or None,
        )

    # tasks

    async def _tasks_session(self) -> None:
        assert self.client is not None and self.config is not None
        from resotoworker.tasks import task_descriptions

        descriptions = task_descriptions(self.host, self.config, self.held or None)
        ws = await self.client.ws_connect("/work/queue")
        await ws.send_str(json.dumps(descriptions, separators=(",", ":")))
        self._connected("CoreTasks")
        await self._until_closed(ws, lambda text: self._on_task_frame(ws, text), self._refresh_tasks)

    def _on_task_frame(self, ws: aiohttp.ClientWebSocketResponse, text: str) -> None:
        asyncio.get_running_loop().create_task(self._run_task(ws, text))

    async def _run_task(self, ws: aiohttp.ClientWebSocketResponse, text: str) -> None:
        from resotoworker.tasks import handle_task

        assert self.config is not None
        async with self._task_slots:
            try:
                frame = json.loads(text)
            except ValueError:
                log.warning("work queue: ignoring a frame that is not JSON (%d bytes)", len(text))
                return
            reply = await handle_task(self.host, self.config, frame, self.held or None)
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


def _fit_frame(frame: dict[str, Any]) -> str | None:
    """The frame as text of at most :data:`MAX_FRAME` bytes (the core closes the socket on more).

    An answer whose echoed ``data`` is too large keeps only ``task``, ``step`` and ``error``; other
    frames that are too large are dropped. ``None``: nothing can be sent.
    """
    text = json.dumps(frame, separators=(",", ":"))
    if len(text.encode()) <= MAX_FRAME:
        return text
    data = frame.get("data")
    if frame.get("kind") in ("action_done", "action_error") and isinstance(data, dict):
        small = {k: data[k] for k in ("task", "step", "error") if k in data}
        if isinstance(small.get("error"), str):
            small["error"] = small["error"][:1000]
        text = json.dumps({**frame, "data": small}, separators=(",", ":"))
        if len(text.encode()) <= MAX_FRAME:
            log.warning("actions: the answer to %s echoes too much data; sent without it", small.get("task"))
            return text
    log.error("actions: dropping a %s frame larger than 4 MiB", frame.get("kind"))
    return None


def _exit_despite_leaked_threads(code: int) -> None:
    """Exit now when a plugin left non-daemon threads running: the interpreter would wait for them."""
    leaked = [t.name for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if not leaked:
        return
    log.warning("plugins left threads running (%s); exiting without waiting for them", ", ".join(leaked))
    logging.shutdown()
    os._exit(code)


def run_daemon(args: argparse.Namespace, host: PluginHost) -> int:
    worker = Worker(args, host)
    try:
        code = asyncio.run(worker.run())
        _exit_despite_leaked_threads(code)
        return code
    except ConfigurationError:
        raise
    except CoreUnavailable as exc:
        log.error("%s", exc)
        print(f"resotoworker: error: {exc}", flush=True, file=__import__("sys").stderr)
        return 1
