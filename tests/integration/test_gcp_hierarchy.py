"""GCP organisations and folders through the kernel: their own merge above the projects.

The graph the core simulator stores after a collect must have the organisation below the cloud, the
folders below it, and each project below its folder; no folder below a project. A second collect
(every merge replaced again) keeps that shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.gcp import FakeGcp
from fakes.gcp.world import PROJECTS, seed
from integration.support_integration import GRAPH, cloud_stack


@pytest.fixture
def fake() -> Iterator[FakeGcp]:
    with FakeGcp() as server:
        seed(server)
        yield server


async def test_folders_sit_above_their_projects_in_the_stored_graph(fake: FakeGcp, tmp_path: Path) -> None:
    section = {
        "service_account": [""],
        "anonymous_credentials": True,
        "api_endpoint": {
            s: fake.endpoint for s in ("compute", "resourcemanager", "storage", "container", "sqladmin")
        },
        "collect": ["gcp_organization", "gcp_folder", "gcp_network"],
        "retry_initial_delay": 0.01,
        "retry_deadline": 5.0,
    }
    async with cloud_stack("gcp", section, tmp_path) as stack:
        for _ in range(2):  # the second collect replaces every merge again
            report = await stack.collect()
            assert report.errors == [], report.errors
            graph = stack.sim.graph(GRAPH)
            org = stack.find("gcp_organization", "organizations/1")
            f10, f11 = stack.find("gcp_folder", "folders/10"), stack.find("gcp_folder", "folders/11")
            project = {pid: stack.find("gcp_project", pid) for pid in PROJECTS}
            cloud = graph.parents(org)
            assert [graph.nodes[c]["reported"]["kind"] for c in cloud] == ["cloud"]
            assert graph.nodes[org]["metadata"].get("replace") is True  # its own merge
            assert graph.parents(f10) == [org] and graph.parents(f11) == [f10]
            assert f10 in graph.parents(project["alpha-prod"]) and f11 in graph.parents(project["beta-dev"])
            assert org in graph.parents(project["gamma-ops"])
            for folder in (f10, f11):
                kinds = {graph.nodes[a]["reported"]["kind"] for a in graph.ancestors(folder)}
                assert "gcp_project" not in kinds, f"{folder} hangs below a project"
