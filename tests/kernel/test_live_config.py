"""The worker's config in the core (:mod:`resotoworker.live_config`), against the core simulator."""

from __future__ import annotations

from coresim import CoreSimulator
from resotoworker.config import WorkerConfig
from resotoworker.core_client import CoreClient
from resotoworker.live_config import LiveConfig, first_config
from resotoworker.plugins import build_plugin_host
from support import PSK


async def test_a_reload_if_changed_reads_the_config_once_and_applies_a_new_revision() -> None:
    host = build_plugin_host(enable={"example"})
    changes: list[tuple[WorkerConfig, WorkerConfig]] = []
    async with CoreSimulator(psk=PSK, preload_model=True) as sim:
        client = CoreClient(sim.url, PSK, retries=0)
        try:
            config, revision = await first_config(client, host, "w1", [])
            live = LiveConfig(
                client, host, "w1", [], config, revision, lambda old, new: changes.append((old, new))
            )

            def gets() -> int:
                return len(sim.requests_to(r"^/config/w1$", "GET"))

            before = gets()
            await live.reload(only_if_changed=True)  # the revision is the same: nothing to apply
            assert gets() == before + 1
            assert (live.revision, changes) == (revision, [])

            doc = sim.get_config("w1")
            assert doc is not None
            timeout = config.worker.timeout + 60
            doc["resotoworker"]["timeout"] = timeout
            new_revision = await sim.set_config("w1", doc)
            before = gets()
            await live.reload(only_if_changed=True)  # a new revision: applied from that one read
            assert gets() == before + 1
            assert (live.revision, live.config.worker.timeout) == (new_revision, timeout)
            assert [(old.worker.timeout, new.worker.timeout) for old, new in changes] == [
                (config.worker.timeout, timeout)
            ]
        finally:
            await client.close()
