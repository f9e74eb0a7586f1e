"""Process-wide settings of the worker process, applied once at its start (and by the benchmarks)."""

from __future__ import annotations

import os
import sys

SWITCH_INTERVAL = 0.02
"""The interpreter's thread switch interval in the worker process. Collection units are threads; with
Python's default (5 ms) CPU-bound units hand the GIL back and forth so often that a million-node
collect is ~12% slower. Threads waiting on the network release the GIL anyway, so a longer interval
costs them nothing, and the event loop's added latency (at most 20 ms) is irrelevant to the core."""


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's malloc arenas before any thread starts (as ``MALLOC_ARENA_MAX`` would).

    glibc gives busy threads arenas of their own, up to eight per core, and memory freed in one
    arena is not reused by another: with many collection threads that is a third of the worker's
    peak memory (AWS at bench size 5: ~168 MiB -> ~137 MiB) for no measurable speed. An operator's
    own ``MALLOC_ARENA_MAX`` wins; other C libraries are left alone.
    """
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


MALLOC_THRESHOLD = 128 * 1024
"""glibc's default mmap and trim thresholds, which :func:`fix_malloc_thresholds` keeps fixed."""


def fix_malloc_thresholds(threshold: int = MALLOC_THRESHOLD) -> None:
    """Keep glibc's mmap and trim thresholds at their defaults (as ``MALLOC_TRIM_THRESHOLD_`` would).

    glibc raises both each time a large block (a decompressed service model, a big HTTP body) is
    freed, up to 32 MiB: later large blocks then come from the heap, and the heap keeps their pages
    when they are freed between smaller blocks that live on. Fixed, a large block is mapped on its
    own and given back when freed (AWS at bench size 10: peak ~162 -> ~151 MiB, no measurable
    speed). An operator's own ``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_MMAP_THRESHOLD_`` or threshold in
    ``GLIBC_TUNABLES`` wins.
    """
    own = {"MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_"} & os.environ.keys()
    if not sys.platform.startswith("linux") or own or "_threshold" in os.environ.get("GLIBC_TUNABLES", ""):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, threshold)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, threshold)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


def tune_process() -> None:
    """Apply these settings; call before any thread starts."""
    limit_malloc_arenas()
    fix_malloc_thresholds()
    sys.setswitchinterval(SWITCH_INTERVAL)
