"""Tasks their starter does not await, held until they end.

The event loop keeps only weak references to tasks: a task that nobody holds can be collected
while it waits. Each owner of such fire-and-forget work (config reloads, tag tasks, closing an old
session) starts it through its own :class:`Background`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class Background:
    """Starts tasks on the running loop and holds each one until it is done."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def start(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def __len__(self) -> int:
        return len(self._tasks)
