"""The worker's three connections to the core, each kept open forever.

The actions websocket (``collect``, ``cleanup``, ``cleanup_plan``), the work queue (``tag`` tasks)
and the events websocket (``config-updated``) each run as a session that is reconnected with
capped, jittered exponential backoff when it ends. What arrives is handed on as text: actions and
tasks to :class:`ActionHandler` (:mod:`resotoworker.actions`), events to :class:`EventHandler`
(:mod:`resotoworker.live_config`). Replies to actions go through the :class:`Outbox`, which survives
reconnects, so an action's ``action_done`` is never lost. A session ends and reconnects when its
:class:`Refresh` event is set (what it announced to the core changed).
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import aiohttp

from resotoworker import metrics
from resotoworker.config import WorkerConfig
from resotoworker.core_client import CoreClient, backoff_delays
from resotoworker.errors import AuthenticationError, WorkerError

log = logging.getLogger(__name__)

MAX_FRAME = 4 * 1024 * 1024 - 1024  # the core reads websocket messages of at most 4 MiB
# On a new actions connection the core first replays every action we have not answered. Answers
# queued while we were offline wait this long, so such a replay finds its answer still queued (and is
# not answered a second time) instead of racing with it.
REPLAY_SETTLE = 0.5
CHANNELS = ("Config Listener", "CoreActions", "CoreTasks")


class ActionHandler(Protocol):
    """Serves what arrives on the actions websocket and the work queue."""

    def registrations(self) -> list[tuple[str, int]]:
        """The actions to subscribe to, each with its timeout in seconds."""
        ...

    def on_action_frame(self, text: str) -> None: ...

    def task_descriptions(self) -> list[dict[str, Any]]:
        """The first frame of the work queue: the tasks this worker performs."""
        ...

    def on_task_frame(self, ws: aiohttp.ClientWebSocketResponse, text: str) -> None: ...


class EventHandler(Protocol):
    """Serves the events websocket."""

    def on_event(self, text: str) -> None: ...

    async def reload(self, *, only_if_changed: bool = False) -> None: ...


class Refresh:
    """Set to make a session reconnect and announce itself anew."""

    def __init__(self) -> None:
        self.tasks = asyncio.Event()
        self.actions = asyncio.Event()

    def after_config_change(self, old: WorkerConfig, new: WorkerConfig) -> None:
        if old.worker.collector != new.worker.collector:
            self.tasks.set()
            self.actions.set()
        if old.worker.timeout != new.worker.timeout:
            self.actions.set()


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


def fit_frame(frame: dict[str, Any]) -> str | None:
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


class Channels:
    """The three sessions; :meth:`start` runs them until ``stopping`` is set."""

    def __init__(
        self,
        client: CoreClient,
        sid: str,
        *,
        actions: ActionHandler,
        events: EventHandler,
        outbox: Outbox,
        refresh: Refresh,
        stopping: asyncio.Event,
    ) -> None:
        self.client = client
        self.collector_sid = f"{sid}-collector"
        self.actions = actions
        self.events = events
        self.outbox = outbox
        self.refresh = refresh
        self.stopping = stopping
        self.health: dict[str, bool] = dict.fromkeys(CHANNELS, False)

    def start(self) -> list[asyncio.Task[None]]:
        return [
            asyncio.create_task(self._channel("Config Listener", self._events_session)),
            asyncio.create_task(self._channel("CoreActions", self._actions_session)),
            asyncio.create_task(self._channel("CoreTasks", self._tasks_session)),
        ]

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

    async def _events_session(self) -> None:
        ws = await self.client.ws_connect("/events?show=config-updated")
        self._connected("Config Listener")
        # a config-updated event sent while this socket was not open (between the first config load
        # and this connect, or during a reconnect) is lost: compare the revision once now
        check = asyncio.ensure_future(self.events.reload(only_if_changed=True))
        try:
            await self._until_closed(ws, self.events.on_event, None)
        finally:
            check.cancel()

    async def _actions_session(self) -> None:
        for action, timeout in self.actions.registrations():
            await self.client.register(self.collector_sid, action, timeout)
        ws = await self.client.ws_connect(f"/subscriber/{self.collector_sid}/handle")
        self._connected("CoreActions")
        writer = asyncio.ensure_future(self._write_outbox(ws))
        try:
            await self._until_closed(ws, self.actions.on_action_frame, self.refresh.actions)
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
            text = fit_frame(frame)
            if text is None:
                continue
            try:
                await ws.send_str(text)
            except BaseException:
                if frame.get("kind") in ("action_done", "action_error"):
                    self.outbox.put(frame, front=True)
                raise

    async def _tasks_session(self) -> None:
        descriptions = self.actions.task_descriptions()
        ws = await self.client.ws_connect("/work/queue")
        await ws.send_str(json.dumps(descriptions, separators=(",", ":")))
        self._connected("CoreTasks")
        await self._until_closed(ws, lambda text: self.actions.on_task_frame(ws, text), self.refresh.tasks)
