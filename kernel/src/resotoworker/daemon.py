"""The long-running worker: connects to the core and serves actions, tasks and config events.

The start is ordered so that each part is built from what it needs, once: the core client, then
(once the core answers) TLS and the config, then the actions (:mod:`resotoworker.actions`), the
three connections to the core (:mod:`resotoworker.channels`) and the web server. On SIGTERM or
SIGINT running actions are aborted, their answers get :data:`SHUTDOWN_GRACE` seconds to reach the
core, and the connections close.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import ssl
import threading
import time
from collections.abc import Awaitable
from typing import Any

from resotoworker.actions import Actions, SpoolDirs
from resotoworker.channels import Channels, Outbox, Refresh
from resotoworker.config import apply_overrides, defaults_document
from resotoworker.core_client import CoreClient
from resotoworker.errors import ConfigurationError, CoreUnavailable
from resotoworker.live_config import LiveConfig, wait_for_first_config
from resotoworker.plugins import PluginHost
from resotoworker.web import WebServer, build_app

log = logging.getLogger(__name__)

SHUTDOWN_GRACE = 3.0


class Worker:
    def __init__(self, args: argparse.Namespace, host: PluginHost) -> None:
        self.args = args
        self.host = host
        self.sid: str = args.subscriber_id
        self.stopping = asyncio.Event()
        self.exit_code = 0

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
        client = CoreClient(self.args.resotocore_uri, self.args.psk)
        spools = SpoolDirs()
        web: WebServer | None = None
        try:
            await self._race(client.wait_ready(timeout=self.args.ready_timeout))
            if self.stopping.is_set():
                return self.exit_code
            server_ssl = await self._setup_tls(client) if client.https else None
            first = await self._race(
                wait_for_first_config(client, self.host, self.sid, self.args.override, self.stopping)
            )
            if first is None or self.stopping.is_set():
                return self.exit_code
            config, revision = first
            try:
                spools.for_config(config)  # claims our spool dir, removes dead workers' ones
            except OSError as exc:
                log.error("cannot use the spool directory: %s", exc)
            outbox, refresh = Outbox(), Refresh()
            live = LiveConfig(
                client, self.host, self.sid, self.args.override, config, revision, refresh.after_config_change
            )
            actions = Actions(self.host, client, live, outbox, refresh, spools)
            channels = Channels(
                client,
                self.sid,
                actions=actions,
                events=live,
                outbox=outbox,
                refresh=refresh,
                stopping=self.stopping,
            )
            web = await self._start_web(live, actions, channels, server_ssl)
            tasks = channels.start()
            if self.args.idle_timeout:
                tasks.append(asyncio.create_task(self._idle_watch(actions)))
            await self.stopping.wait()
            await self._shutdown(tasks, actions, channels)
        finally:
            if web is not None:
                await web.stop()
            await client.close()
            spools.release()
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

    async def _shutdown(self, tasks: list[asyncio.Task[None]], actions: Actions, channels: Channels) -> None:
        actions.abort_all("the worker is shutting down")
        deadline = time.monotonic() + SHUTDOWN_GRACE
        while (
            (actions.running or len(channels.outbox))
            and time.monotonic() < deadline
            and channels.health["CoreActions"]
        ):
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _idle_watch(self, actions: Actions) -> None:
        await asyncio.sleep(self.args.idle_timeout)
        if not actions.collect_seen:
            log.error(
                "no collect action arrived within %s s (--idle-timeout); exiting", self.args.idle_timeout
            )
            self.stop(1)

    async def _setup_tls(self, client: CoreClient) -> ssl.SSLContext | None:
        """Trust the core's CA; returns the web server's context when the core signed us a certificate."""
        from resotoworker.tls import bootstrap

        material = await bootstrap(
            client,
            subscriber_id=self.sid,
            psk=self.args.psk,
            ca_cert=self.args.ca_cert,
            cert=self.args.cert,
            cert_key=self.args.cert_key,
            cert_key_pass=self.args.cert_key_pass,
            verify=not self.args.no_verify_certs,
            want_server_cert=True,
        )
        return material.server_context

    async def _start_web(
        self, live: LiveConfig, actions: Actions, channels: Channels, server_ssl: ssl.SSLContext | None
    ) -> WebServer | None:
        w = live.config.worker

        def info() -> dict[str, Any]:
            return {
                "active_collectors": actions.active_clouds(),
                "all_collectors": [p.cloud.name for p in self.host.collectors() if p.cloud],
                "plugins": [p.describe() for p in self.host.plugins.values()],
                "broken_plugins": [str(p) for p in self.host.problems],
                "held_accounts": {c: sorted(a) for c, a in actions.held.items()},
                "config_revision": live.revision,
            }

        app = build_app(lambda: dict(channels.health), info, w.web_path)
        web = WebServer(app, w.web_host, w.web_port, server_ssl if not w.no_tls else None)
        try:
            await web.start()
        except OSError as exc:
            log.error("web server could not bind %s:%s: %s; running without it", w.web_host, w.web_port, exc)
            return None
        return web


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
