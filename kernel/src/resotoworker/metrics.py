"""Prometheus metrics of the worker (served on ``/metrics``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

COLLECT_SECONDS = Histogram(
    "resoto_collect_seconds",
    "Duration of collect actions",
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800),
    registry=REGISTRY,
)
COLLECTS = Counter("resoto_collects_total", "Collect actions by outcome", ["outcome"], registry=REGISTRY)
UNITS = Counter(
    "resoto_collect_units_total",
    "Collection units by cloud and outcome",
    ["cloud", "outcome"],
    registry=REGISTRY,
)
RESOURCES = Gauge(
    "resoto_collected_resources",
    "Resources sent in the last collect, by cloud and kind",
    ["cloud", "kind"],
    registry=REGISTRY,
)
API_CALLS = Counter(
    "resoto_cloud_api_calls_total", "Cloud API calls", ["cloud", "service"], registry=REGISTRY
)
API_ERRORS = Counter(
    "resoto_cloud_api_errors_total", "Cloud API errors", ["cloud", "service", "code"], registry=REGISTRY
)
CLEANUP_SECONDS = Histogram("resoto_cleanup_seconds", "Duration of cleanup actions", registry=REGISTRY)
CLEANUPS = Counter("resoto_cleanups_total", "Cleanup actions by outcome", ["outcome"], registry=REGISTRY)
CLEANED = Counter(
    "resoto_cleanup_resources_total",
    "Resources handled by cleanup, by cloud and outcome",
    ["cloud", "outcome"],
    registry=REGISTRY,
)
TASKS = Counter(
    "resoto_tasks_total", "Work-queue tasks by name and outcome", ["task", "outcome"], registry=REGISTRY
)
RECONNECTS = Counter(
    "resoto_core_reconnects_total", "Websocket reconnects by channel", ["channel"], registry=REGISTRY
)
CORE_ERRORS = Counter(
    "resoto_core_request_errors_total", "Failed requests to the core", ["endpoint"], registry=REGISTRY
)
CONNECTED = Gauge(
    "resoto_core_connected", "1 when the channel to the core is connected", ["channel"], registry=REGISTRY
)
KIND_SECONDS = Counter(
    "resoto_collect_kind_seconds_total",
    "Seconds spent producing resources of a kind (time since the unit's previous resource), by cloud and kind",
    ["cloud", "kind"],
    registry=REGISTRY,
)
