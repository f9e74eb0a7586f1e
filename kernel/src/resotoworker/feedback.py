"""Feedback: where the collect engine and the cleanup report while they work.

The one-shot mode logs (:class:`LogFeedback`, or the terminal display in :mod:`resotoworker.progress`);
the daemon turns each message into an ``action_info`` / ``action_progress`` frame of the action it
serves (:class:`ActionFeedback`), queued for the actions websocket.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Feedback(Protocol):
    """Where the engine reports while it works: the daemon forwards it to the core."""

    def info(self, level: str, message: str) -> None: ...

    def progress(self, tree: dict[str, Any]) -> None: ...


class FrameQueue(Protocol):
    """Takes frames for the actions websocket (:class:`resotoworker.channels.Outbox`)."""

    def put(self, frame: dict[str, Any], *, front: bool = False) -> None: ...


class LogFeedback:
    """Feedback for the one-shot mode: the engine logs every problem itself, so nothing more to do."""

    def info(self, level: str, message: str) -> None:
        log.debug("%s: %s", level, message)  # the engine logged it already

    def progress(self, tree: dict[str, Any]) -> None:
        log.debug("progress %s", tree)


class ActionFeedback:
    """Turns engine/cleanup feedback into ``action_info`` / ``action_progress`` frames."""

    def __init__(self, outbox: FrameQueue, message_type: str, task: str, step: str) -> None:
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
