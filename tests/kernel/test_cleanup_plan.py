"""run_cleanup_plan against the core simulator: the example cloud's expiry policy flags resources."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from kernel.test_cleanup_support import GRAPH, World, example_world
from resoto_hookspecs import CleanupCandidate, CleanupFlag, PluginConfig, Reporter, hookimpl
from resoto_plugin_example.inventory import EXPIRED
from resotoworker.cleanup import run_cleanup
from resotoworker.cleanup_plan import has_cleanup_policies, run_cleanup_plan
from resotoworker.plugins import build_plugin_host

INST = "example_instance"


def _expired_ids(world: World, account: str | None = None) -> set[str]:
    """Node ids of the instances whose expires tag is in the past, read from the cloud itself."""
    return {
        world.node_id(INST, rec["id"])
        for rec in world.store.resources(INST, account=account)
        if rec.get("tags", {}).get("expires") == EXPIRED
    }


async def test_expiry_policy_flags_exactly_the_expired_and_cleanup_deletes_them(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        assert has_cleanup_policies(world.host)
        expected = _expired_ids(world)
        assert len(expected) == 4  # inst-1 of each of 2 accounts x 2 regions
        config = world.config(cleanup_dry_run=False)

        report = await run_cleanup_plan(world.host, config, world.core, world.feedback, clouds=["example"])

        assert set(report.flagged_ids) == expected
        assert report.flagged == {("example", "expired"): 4}
        flagged = {
            nid for nid, n in world.sim.graph(GRAPH).nodes.items() if (n.get("desired") or {}).get("clean")
        }
        assert flagged == expected
        assert world.sim.patch_lines == [
            {"id": nid, "desired": {"clean": True}} for nid in report.flagged_ids
        ]
        assert any("policy expired flagged 4" in m for m in world.feedback.texts("info"))
        query = world.sim.search_queries[0]
        assert (
            '/ancestors.cloud.reported.id in ["example"]' in query and "/metadata.protected != true" in query
        )

        cleanup = await run_cleanup(world.host, config, world.core, world.feedback, clouds=["example"])
        assert {world.node_id(k, i) for k, i in world.deleted()} == expected
        assert {o.node_id for o in cleanup.deleted} == expected


async def test_protected_resources_are_never_flagged(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        by_flag = world.node_id(INST, "acc-1/us-west/inst-1")
        by_tag = world.node_id(INST, "acc-1/us-east/inst-1")
        world.sim.set_protected(by_flag, True, GRAPH)
        # the protect tag as the core holds it (collected earlier)
        world.sim.graphs[GRAPH].update_sections(by_tag, reported={"tags": {"resoto:protect": None}})
        report = await run_cleanup_plan(
            world.host, world.config(), world.core, world.feedback, clouds=["example"]
        )
        assert set(report.flagged_ids) == _expired_ids(world) - {by_flag, by_tag}
        assert report.refused == 0  # the example policy itself leaves protected candidates alone


async def test_policies_only_see_the_accounts_this_worker_holds(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        report = await run_cleanup_plan(
            world.host,
            world.config(),
            world.core,
            world.feedback,
            clouds=["example"],
            accounts={"example": {"acc-2"}},
        )
        assert set(report.flagged_ids) == _expired_ids(world, account="acc-2")
        assert '/ancestors.account.reported.id in ["acc-2"]' in world.sim.search_queries[0]


class _BrokenPolicy:
    """A second policy plugin that fails: the example policy's flags must still land."""

    @hookimpl
    def plan_cleanup(
        self, candidates: Sequence[CleanupCandidate], config: PluginConfig | None, reporter: Reporter
    ) -> Iterable[CleanupFlag] | None:
        reporter.error("looked at the candidates")
        raise RuntimeError("policy exploded")


class _GreedyPolicy:
    """Flags everything it sees, including ids that are not candidates."""

    @hookimpl
    def plan_cleanup(
        self, candidates: Sequence[CleanupCandidate], config: PluginConfig | None, reporter: Reporter
    ) -> Iterable[CleanupFlag] | None:
        yield CleanupFlag("not-a-node", "greedy")
        for c in candidates:
            assert c.resource.node_id == c.node_id  # the kernel hands over the node id with the resource
            if c.resource.kind == "example_network":
                yield CleanupFlag(c.node_id, "greedy", "networks must go")


async def test_a_failing_policy_is_isolated_and_flags_are_counted_per_policy(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        world.host = build_plugin_host(
            enable={"example", "broken", "greedy"},
            objects=[("broken", _BrokenPolicy()), ("greedy", _GreedyPolicy())],
        )
        networks = {
            world.node_id("example_network", r["id"]) for r in world.store.resources("example_network")
        }
        guarded = world.node_id("example_network", "acc-2/us-east/net-1")
        world.sim.set_protected(guarded, True, GRAPH)  # reached as an ancestor of its instances: a candidate
        networks.discard(guarded)
        report = await run_cleanup_plan(
            world.host, world.config(), world.core, world.feedback, clouds=["example"]
        )
        assert report.flagged == {("example", "expired"): 4, ("greedy", "greedy"): len(networks)}
        assert set(report.flagged_ids) == _expired_ids(world) | networks
        errors = world.feedback.texts("error")
        assert any("[broken]" in e and "policy exploded" in e for e in errors)
        assert any("looked at the candidates" in e for e in errors)
        assert report.refused == 2  # "not-a-node", and the protected network the kernel refused to flag
        assert (world.node(guarded).get("desired") or {}).get("clean") is not True
