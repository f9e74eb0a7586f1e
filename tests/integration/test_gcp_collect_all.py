"""A one-shot collect of the seeded fake organisation (3 projects, every GCP kind present) through
the kernel's engine into the core simulator, which holds the reference model and our kinds."""

from __future__ import annotations

from pathlib import Path

from fakes.gcp import FakeGcp
from fakes.gcp.world import PROJECTS, seed
from integration.support_integration import GRAPH, cloud_stack
from resoto_plugin_gcp.kinds import ALL_KINDS


async def test_one_shot_collect_of_every_kind_is_accepted(tmp_path: Path) -> None:
    with FakeGcp() as fake:
        seed(fake)
        section = {
            "service_account": [""],
            "anonymous_credentials": True,
            "api_endpoint": fake.api_endpoints(),
            "retry_initial_delay": 0.01,
            "retry_deadline": 5.0,
        }
        async with cloud_stack("gcp", section, tmp_path) as stack:
            report = await stack.collect()
            assert report.errors == [], report.errors
            assert stack.feedback.texts("error") == []
            assert stack.sim.violations == []
            graph = stack.sim.graph(GRAPH)
            stored = {kind.kind for kind in ALL_KINDS if graph.by_kind(kind.kind)}
            assert stored == {kind.kind for kind in ALL_KINDS}
            projects = {n["reported"]["id"] for n in graph.by_kind("gcp_project")}
            assert projects == set(PROJECTS)
