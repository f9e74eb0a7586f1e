"""A synchronous facade: runs a CoreSimulator on its own event loop in a background thread."""

from __future__ import annotations

import asyncio
import copy
import inspect
import logging
import os
import threading
import time
from collections.abc import Callable, Coroutine, Iterable
from pathlib import Path
from typing import Any, TypeVar

from coresim.graphstore import GraphView
from coresim.model import Model
from coresim.records import Frame, MergeRecord, RecordedRequest
from coresim.server import CoreSimulator

log = logging.getLogger(__name__)

T = TypeVar("T")


class ThreadedCoreSimulator:
    """Same control API as CoreSimulator, but blocking; usable as a context manager.

    `with ThreadedCoreSimulator(psk="secret") as core: ... core.url ...`
    """

    def __init__(self, *, call_timeout: float = 60.0, **kwargs: Any) -> None:
        self.sim = CoreSimulator(**kwargs)
        self.call_timeout = call_timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ plumbing
    def _run_loop(self, loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        try:
            loop.run_forever()
        finally:
            try:
                pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for task in pending:
                    task.cancel()
                if pending:
                    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                loop.close()

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        if self._loop is None:
            coro.close()
            raise RuntimeError("simulator is not started")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout if timeout is not None else self.call_timeout)

    def _in_loop(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a plain function on the simulator's loop (state is only touched from that thread)."""
        if self._loop is None:
            return fn(*args, **kwargs)

        async def call() -> T:
            return fn(*args, **kwargs)

        return self._call(call())

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> ThreadedCoreSimulator:
        if self._thread is not None:
            return self
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        thread = threading.Thread(target=self._run_loop, args=(loop, ready), name="coresim", daemon=True)
        thread.start()
        ready.wait(10)
        self._loop, self._thread = loop, thread
        try:
            self._call(self.sim.start())
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            if not loop.is_closed():
                self._call(self.sim.stop())
        finally:
            self._loop, self._thread = None, None
            if not loop.is_closed():
                loop.call_soon_threadsafe(loop.stop)
            thread.join(15)

    def restart(self, keep_state: bool = True) -> None:
        self._call(self.sim.restart(keep_state=keep_state))

    def __enter__(self) -> ThreadedCoreSimulator:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ addresses / TLS
    @property
    def url(self) -> str:
        return self.sim.url

    @property
    def ws_url(self) -> str:
        return self.sim.ws_url

    @property
    def port(self) -> int:
        return self.sim.port

    @property
    def psk(self) -> str | None:
        return self.sim.psk

    @property
    def ca_cert_pem(self) -> bytes:
        return self.sim.ca_cert_pem

    def write_ca_cert(self, path: str | os.PathLike[str]) -> Path:
        return self.sim.write_ca_cert(path)

    # ------------------------------------------------------------------ actions
    def send_action(
        self, message_type: str, step: str | None = None, extra_data: dict[str, Any] | None = None
    ) -> str:
        return self._call(self.sim.send_action(message_type, step, extra_data))

    def resend_action(self, task_id: str) -> None:
        self._call(self.sim.resend_action(task_id))

    def abort_action(self, task_id: str) -> None:
        self._call(self.sim.abort_action(task_id))

    def wait_for_reply(self, task_id: str, timeout: float = 30.0) -> dict[str, Any]:
        return self._call(self.sim.wait_for_reply(task_id, timeout), timeout + 5)

    def replies(self, task_id: str) -> list[dict[str, Any]]:
        return self._in_loop(self.sim.replies, task_id)

    def infos(self, task_id: str) -> list[dict[str, Any]]:
        return self._in_loop(self.sim.infos, task_id)

    def progress(self, task_id: str) -> list[dict[str, Any]]:
        return self._in_loop(self.sim.progress, task_id)

    def pending_actions(self, sid: str) -> list[str]:
        return self._in_loop(self.sim.pending_actions, sid)

    @property
    def connected_subscribers(self) -> list[str]:
        return self._in_loop(lambda: self.sim.connected_subscribers)

    @property
    def event_listener_count(self) -> int:
        return self._in_loop(lambda: self.sim.event_listener_count)

    @property
    def subscribers(self) -> dict[str, dict[str, dict[str, Any]]]:
        return self._in_loop(lambda: copy.deepcopy(self.sim.subscribers))

    # ------------------------------------------------------------------ work queue
    def submit_task(
        self,
        task_name: str,
        attrs: dict[str, str],
        data: dict[str, Any],
        timeout: float = 30.0,
        **kwargs: Any,
    ) -> dict[str, Any]:
        return self._call(self.sim.submit_task(task_name, attrs, data, timeout, **kwargs), timeout + 10)

    def tag_node(
        self,
        node_id: str,
        update: dict[str, Any] | None = None,
        delete: list[str] | None = None,
        timeout: float = 30.0,
        **kwargs: Any,
    ) -> dict[str, Any]:
        return self._call(self.sim.tag_node(node_id, update, delete, timeout=timeout, **kwargs), timeout + 10)

    @property
    def workers(self) -> list[list[dict[str, Any]]]:
        return self._in_loop(lambda: self.sim.workers)

    # ------------------------------------------------------------------ config & events
    def set_config(self, config_id: str, doc: dict[str, Any]) -> str:
        return self._call(self.sim.set_config(config_id, doc))

    def get_config(self, config_id: str) -> dict[str, Any] | None:
        return self._in_loop(self.sim.get_config, config_id)

    def get_config_revision(self, config_id: str) -> str | None:
        return self._in_loop(self.sim.get_config_revision, config_id)

    def set_config_override(self, config_id: str, overrides: dict[str, Any] | None) -> None:
        self._in_loop(self.sim.set_config_override, config_id, overrides)

    @property
    def config_model(self) -> Model:
        return self._in_loop(lambda: self.sim.config_model)

    def emit_event(self, message_type: str, data: dict[str, Any]) -> None:
        self._call(self.sim.emit_event(message_type, data))

    # ------------------------------------------------------------------ graph
    def graph(self, name: str = "resoto") -> GraphView:
        return self._in_loop(self.sim.graph, name)

    def model(self, graph: str = "resoto") -> Model:
        return self._in_loop(self.sim.model, graph)

    def update_model(self, kinds: list[dict[str, Any]], graph: str = "resoto", replace: bool = False) -> None:
        self._in_loop(self.sim.update_model, kinds, graph, replace)

    def flag_clean(self, node_id: str, graph: str = "resoto") -> None:
        self._in_loop(self.sim.flag_clean, node_id, graph)

    def set_protected(self, node_id: str, protected: bool = True, graph: str = "resoto") -> None:
        self._in_loop(self.sim.set_protected, node_id, protected, graph)

    def load_graph(
        self, nodes: list[dict[str, Any]], edges: Iterable[Any] = (), graph: str = "resoto"
    ) -> None:
        self._in_loop(self.sim.load_graph, nodes, list(edges), graph)

    seed = load_graph

    def merge_graph(self, lines: list[Any], graph: str = "resoto") -> dict[str, int]:
        return self._in_loop(self.sim.merge_graph, lines, graph)

    def merge_count(self, task_id: str) -> int:
        return self._in_loop(self.sim.merge_count, task_id)

    # ------------------------------------------------------------------ faults
    def set_fault(
        self,
        endpoint_pattern: str,
        status: int = 503,
        times: int = 1,
        method: str | None = None,
        body: str | None = None,
    ) -> None:
        self._in_loop(self.sim.set_fault, endpoint_pattern, status, times, method, body)

    def clear_faults(self) -> None:
        self._in_loop(self.sim.clear_faults)

    def cut_merge_after(self, nbytes: int, times: int = 1) -> None:
        self._in_loop(self.sim.cut_merge_after, nbytes, times)

    def set_ws_fault(self, channel: str, times: int = 1, close_code: int = 1011) -> None:
        self._in_loop(self.sim.set_ws_fault, channel, times, close_code)

    def drop_websockets(self, code: int = 1001, channel: str | None = None) -> None:
        self._call(self.sim.drop_websockets(code, channel))

    # ------------------------------------------------------------------ recordings
    @property
    def requests(self) -> list[RecordedRequest]:
        return self._in_loop(lambda: list(self.sim.requests))

    @property
    def frames(self) -> list[Frame]:
        return self._in_loop(lambda: list(self.sim.frames))

    @property
    def merges(self) -> list[MergeRecord]:
        return self._in_loop(lambda: list(self.sim.merges))

    @property
    def violations(self) -> list[str]:
        return self._in_loop(lambda: list(self.sim.violations))

    @property
    def errors(self) -> list[str]:
        return self._in_loop(lambda: list(self.sim.errors))

    @property
    def patch_lines(self) -> list[dict[str, Any]]:
        return self._in_loop(lambda: copy.deepcopy(self.sim.patch_lines))

    @property
    def search_queries(self) -> list[str]:
        return self._in_loop(lambda: list(self.sim.search_queries))

    def requests_to(self, path_pattern: str, method: str | None = None) -> list[RecordedRequest]:
        return self._in_loop(self.sim.requests_to, path_pattern, method)

    def frames_on(self, channel: str, direction: str | None = None) -> list[Frame]:
        return self._in_loop(self.sim.frames_on, channel, direction)

    def wait_until(
        self,
        predicate: Callable[[], T],
        timeout: float = 30.0,
        interval: float = 0.1,
        message: str = "condition",
    ) -> T:
        """Poll predicate (in the caller's thread) until it returns something truthy; raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{message} not reached within {timeout}s")
            time.sleep(interval)

    def __getattr__(self, name: str) -> Any:
        # anything not wrapped explicitly: coroutines run on the loop, other callables/attributes too
        if name == "sim" or name.startswith("__"):
            raise AttributeError(name)
        attr = getattr(self.sim, name)
        if inspect.iscoroutinefunction(attr):
            return lambda *a, **kw: self._call(attr(*a, **kw))
        if callable(attr):
            return lambda *a, **kw: self._in_loop(attr, *a, **kw)
        return attr
