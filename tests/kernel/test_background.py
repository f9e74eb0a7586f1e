"""Background holds the tasks it starts until they end, so none is collected while it waits."""

from __future__ import annotations

import asyncio
import gc

from resotoworker.background import Background


async def test_a_started_task_is_held_while_it_waits_and_let_go_when_done() -> None:
    background = Background()
    release = asyncio.Event()
    finished: list[str] = []

    async def work() -> None:
        await release.wait()
        finished.append("done")

    background.start(work())  # the caller keeps no reference
    await asyncio.sleep(0)
    gc.collect()
    assert len(background) == 1
    release.set()
    for _ in range(10):
        if finished:
            break
        await asyncio.sleep(0)
    assert finished == ["done"]
    await asyncio.sleep(0)
    assert len(background) == 0
