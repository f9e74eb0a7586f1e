"""Fixtures of the fault-injection suite: the e2e suite's core simulator and worker processes, reused."""

from __future__ import annotations

from e2e.conftest import StartWorker, core, start_worker

__all__ = ["StartWorker", "core", "start_worker"]
