"""Raw frame injection into the core simulator's open websockets (a test aid, not a fault of the core).

The simulator has no public method to send an arbitrary text frame, so this module reaches its open
sockets (``CoreSimulator._sockets``: socket -> channel) and sends on the simulator's own event loop.
Channels: ``handle`` (actions), ``work_queue`` (tasks), ``events``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from coresim import ThreadedCoreSimulator

CHANNELS = ("handle", "work_queue", "events")


def send_raw(core: ThreadedCoreSimulator, channel: str, text: str, timeout: float = 30.0) -> int:
    """Send ``text`` as one TEXT frame on every open socket of ``channel``; returns how many got it."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; one of {CHANNELS}")
    sim = core.sim
    loop = core._loop
    if loop is None:
        raise RuntimeError("the simulator is not running")

    async def send() -> int:
        sent = 0
        sockets: dict[Any, str] = sim._sockets
        for ws, ws_channel in list(sockets.items()):
            if ws_channel == channel and not ws.closed:
                try:
                    await ws.send_str(text)
                except (ConnectionError, RuntimeError):
                    continue
                sent += 1
        return sent

    return asyncio.run_coroutine_threadsafe(send(), loop).result(timeout)
