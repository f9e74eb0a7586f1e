"""Plain data records the simulator keeps for assertions in tests."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    t: float
    body: bytes = b""
    status: int | None = None

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Frame:
    channel: str  # "events", "handle", "work_queue"
    direction: str  # "in" (worker -> core) or "out" (core -> worker)
    data: str
    t: float
    peer: str = ""  # subscriber id (handle) or worker connection id (work_queue)


@dataclass
class MergeRecord:
    graph: str
    headers: dict[str, str]
    t: float
    task_id: str | None
    wait_for_result: bool
    lines: list[str] = field(default_factory=list)
    status: int | None = None
    result: dict[str, int] | None = None
    error: str | None = None
    applied: bool = False


@dataclass
class Fault:
    pattern: re.Pattern[str]
    status: int
    remaining: int
    method: str | None = None
    body: str | None = None


@dataclass
class ActionState:
    task_id: str
    message_type: str
    step: str
    frame: dict[str, Any]
    created: float
    targets: set[str] = field(default_factory=set)
    pending: set[str] = field(default_factory=set)
    aborted: bool = False


@dataclass
class WorkTask:
    task_id: str
    name: str
    attrs: dict[str, str]
    data: dict[str, Any]
    deadline: float
    future: asyncio.Future[dict[str, Any]]
    graph: str = "resoto"
    expect_node_result: bool = False
    worker: str | None = None
    dispatch_count: int = 0


@dataclass
class WorkerConnection:
    worker_id: str
    descriptions: list[dict[str, Any]]
    ws: Any
    outstanding: dict[str, WorkTask] = field(default_factory=dict)
