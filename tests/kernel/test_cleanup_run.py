"""run_cleanup against the core simulator, with the real example plugin as the cloud."""

from __future__ import annotations

from pathlib import Path

from kernel.test_cleanup_support import GRAPH, World, example_world
from resotoworker.cleanup import run_cleanup

INST = "example_instance"
VOL = "example_volume"
NET = "example_network"

# inst-2 of every region runs in net-2 (alone there) with vol-2 attached: the dependency trio
TRIO = [(INST, "acc-1/us-west/inst-2"), (VOL, "acc-1/us-west/vol-2"), (NET, "acc-1/us-west/net-2")]
SPARE = (VOL, "acc-1/us-east/vol-4")  # an unattached volume elsewhere: independent of the trio


async def _cleanup(world: World, **worker: object) -> object:
    return await run_cleanup(
        world.host, world.config(**worker), world.core, world.feedback, clouds=["example"], accounts=None
    )


async def test_deletes_in_dependency_order_and_marks_cleaned(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        ids = world.flag(*TRIO, SPARE)
        protected = world.flag((VOL, "acc-1/us-west/vol-4"))[0]
        world.sim.set_protected(protected, True, GRAPH)

        report = await _cleanup(world, cleanup_dry_run=False)

        deleted = world.deleted()
        assert set(deleted) == {*TRIO, SPARE}
        # the instance goes before its volume and its network (volume -delete-> instance, network -delete-> instance)
        assert deleted.index(TRIO[0]) < deleted.index(TRIO[1])
        assert deleted.index(TRIO[0]) < deleted.index(TRIO[2])
        assert world.store.get(VOL, "acc-1/us-west/vol-4") is not None  # protected: untouched
        assert report.generations == 2  # type: ignore[attr-defined]
        assert not report.failed and not report.blocked and not report.skipped  # type: ignore[attr-defined]

        for nid in ids:
            assert world.node(nid)["metadata"]["cleaned"] is True
            assert world.node(nid)["metadata"]["event_log"][-1]["msg"] == "Successfully cleaned up"
        assert world.node(protected)["metadata"].get("cleaned") is not True
        lines = world.sim.patch_lines
        assert sorted(line["id"] for line in lines) == sorted(ids)
        assert all(set(line) == {"id", "metadata"} and line["metadata"]["cleaned"] is True for line in lines)
        assert all(e["timestamp"].endswith("Z") for line in lines for e in line["metadata"]["event_log"])
        assert world.sim.violations == []


async def test_dry_run_is_the_default_and_lists_the_plan_in_order(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        world.flag(*TRIO)
        report = await _cleanup(world)  # cleanup_dry_run not set: the default

        assert report.dry_run is True  # type: ignore[attr-defined]
        assert world.deleted() == []
        assert world.sim.patch_lines == []
        planned = [(o.kind, o.resource_id) for o in report.planned]  # type: ignore[attr-defined]
        assert planned[0] == TRIO[0] and set(planned[1:]) == {TRIO[1], TRIO[2]} and len(planned) == 3
        listed = [m for m in world.feedback.texts("info") if "would delete" in m and "/3" in m]
        assert len(listed) == 3
        for index, (text, (kind, rid)) in enumerate(zip(listed, planned, strict=True), start=1):
            assert f"would delete {index}/3" in text and f"{kind} {rid}" in text


async def test_failed_delete_blocks_dependents_and_the_rest_proceeds(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        world.store.set_fields(INST, "acc-1/us-west/inst-2", fail_delete=True)
        ids = world.flag(*TRIO, SPARE)
        report = await _cleanup(world, cleanup_dry_run=False)

        assert world.deleted() == [SPARE]
        assert [(o.kind, o.resource_id) for o in report.failed] == [TRIO[0]]  # type: ignore[attr-defined]
        blocked = {(o.kind, o.resource_id): o.reason for o in report.blocked}  # type: ignore[attr-defined]
        assert set(blocked) == {TRIO[1], TRIO[2]}
        assert all("acc-1/us-west/inst-2" in reason for reason in blocked.values())
        errors = world.feedback.texts("error")
        assert any("delete refused" in e for e in errors)
        assert sum("blocked" in e for e in errors) == 2
        # each touched node got one PATCH line; only the deleted one is cleaned
        by_id = {line["id"]: line for line in world.sim.patch_lines}
        assert set(by_id) == set(ids)
        assert by_id[ids[3]]["metadata"]["cleaned"] is True
        for nid in ids[:3]:
            assert "cleaned" not in by_id[nid]["metadata"]
            assert world.node(nid)["metadata"].get("cleaned") is not True
        assert "delete refused" in by_id[ids[0]]["metadata"]["event_log"][-1]["msg"]


async def test_plan_above_max_deletions_deletes_nothing(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        world.flag(*TRIO, SPARE)
        report = await _cleanup(world, cleanup_dry_run=False, cleanup_max_deletions=3)
        assert world.deleted() == []
        assert "cleanup_max_deletions=3" in (report.aborted_reason or "")  # type: ignore[attr-defined]
        assert any("cleanup_max_deletions=3" in e for e in world.feedback.texts("error"))
        assert world.sim.patch_lines == []


async def test_plan_above_max_percent_of_a_kind_in_an_account_deletes_nothing(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        # acc-1 holds 4 networks: 3 of them is 75 %
        world.flag(
            *[(NET, f"acc-1/{r}/net-{n}") for r, n in (("us-west", 1), ("us-west", 2), ("us-east", 1))]
        )
        report = await _cleanup(world, cleanup_dry_run=False, cleanup_max_percent=50)
        assert world.deleted() == []
        reason = report.aborted_reason or ""  # type: ignore[attr-defined]
        assert "3 of 4 example_network" in reason and "acc-1" in reason
        assert any(q.startswith("is(example_network)") for q in world.sim.search_queries)

    async with example_world(tmp_path / "second") as world:
        world.flag((NET, "acc-1/us-west/net-2"), (NET, "acc-1/us-east/net-2"))  # 2 of 4: exactly 50 %
        report = await _cleanup(world, cleanup_dry_run=False, cleanup_max_percent=50)
        assert report.aborted_reason is None  # type: ignore[attr-defined]
        assert len(world.deleted()) == 2


async def test_resource_changed_between_plan_and_delete_is_skipped(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        ids = world.flag(*TRIO, SPARE)
        world.store.delete(*SPARE)  # deleted behind the core's back
        world.store.update_tag(INST, TRIO[0][1], "resoto:protect", None)  # newly protected
        report = await _cleanup(world, cleanup_dry_run=False)

        assert world.deleted() == [SPARE]  # only the manual delete
        skipped = {(o.kind, o.resource_id): o.reason for o in report.skipped}  # type: ignore[attr-defined]
        assert skipped == {SPARE: "no longer exists", TRIO[0]: "newly protected by the tag resoto:protect"}
        assert {(o.kind, o.resource_id) for o in report.blocked} == {TRIO[1], TRIO[2]}  # type: ignore[attr-defined]
        by_id = {line["id"]: line for line in world.sim.patch_lines}
        assert "no longer exists" in by_id[ids[3]]["metadata"]["event_log"][-1]["msg"]
        assert "newly protected" in by_id[ids[0]]["metadata"]["event_log"][-1]["msg"]
        assert not any(line["metadata"].get("cleaned") for line in by_id.values())
        infos = world.feedback.texts("info")
        assert any("no longer exists" in m for m in infos) and any("newly protected" in m for m in infos)


async def test_only_the_accounts_this_worker_holds_are_touched(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        world.flag((VOL, "acc-1/us-west/vol-4"), (VOL, "acc-2/us-west/vol-4"))
        config = world.config(cleanup_dry_run=False)
        await run_cleanup(
            world.host,
            config,
            world.core,
            world.feedback,
            clouds=["example"],
            accounts={"example": {"acc-2"}},
        )
        assert world.deleted() == [(VOL, "acc-2/us-west/vol-4")]
        assert any('/ancestors.account.reported.id in ["acc-2"]' in q for q in world.sim.search_queries)


async def test_disabled_cleanup_does_not_search(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        world.flag(SPARE)
        config = world.config(cleanup=False, cleanup_dry_run=False)
        report = await run_cleanup(world.host, config, world.core, world.feedback, clouds=["example"])
        assert report.aborted_reason == "cleanup is disabled"
        assert world.sim.search_queries == [] and world.deleted() == []
        enabled = world.config(cleanup_dry_run=False)
        report = await run_cleanup(world.host, enabled, world.core, world.feedback, clouds=[])
        assert report.planned == [] and world.sim.search_queries == [] and world.deleted() == []


async def test_non_deletable_kind_is_skipped_and_blocks_nothing_else(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        world.flag(("example_custom_resource", "acc-1/us-west/custom-1"), SPARE)
        report = await _cleanup(world, cleanup_dry_run=False)
        assert world.deleted() == [SPARE]
        assert [o.reason for o in report.skipped] == ["kind example_custom_resource cannot be deleted"]  # type: ignore[attr-defined]
