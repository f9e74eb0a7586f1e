"""Disabled APIs, missing permissions and transient errors, answered by the fake as Google does."""

from __future__ import annotations

from fakes.gcp import FakeGcp
from fakes.gcp.harness import collect_all, make_config
from fakes.gcp.world import PROJECTS, World


def test_compute_service_disabled_is_one_quiet_skip(fake: FakeGcp, world: World) -> None:
    fake.disable("gamma-ops", "compute")
    collected = collect_all(make_config(fake))
    rep = collected.reporter
    assert rep.errors == []
    assert len(rep.skips) == 1
    reason, _kind, service, complete = rep.skips[0]
    assert service == "compute" and complete is True and "gamma-ops" in reason and "not enabled" in reason
    # the project keeps its global unit and its other services; compute was asked once (regions)
    assert sorted(u.name for u in collected.units if u.account.id == "gamma-ops") == ["gamma-ops/global"]
    assert fake.count("/compute/v1/projects/gamma-ops/") == 1
    assert collected.nodes("gcp_instance", "gamma-ops") == []
    assert {b["id"] for b in collected.nodes("gcp_bucket", "gamma-ops")} == {
        "gamma-ops-logs",
        "gamma-ops-assets",
    }
    assert len(collected.nodes("gcp_container_cluster", "gamma-ops")) == 1
    # the other projects are complete
    assert len(collected.nodes("gcp_instance", "alpha-prod")) == 2


def test_service_disabled_after_discovery_is_reported_once(fake: FakeGcp, world: World) -> None:
    fake.disable("beta-dev", "sqladmin")
    fake.disable("beta-dev", "container")
    collected = collect_all(make_config(fake))
    skips = sorted((s[2], s[3]) for s in collected.reporter.skips)
    assert skips == [("container", True), ("sqladmin", True)]
    assert collected.reporter.errors == []
    assert fake.count("/v1/projects/beta-dev/instances") == 1
    assert collected.nodes("gcp_sql_database_instance", "beta-dev") == []
    assert len(collected.nodes("gcp_sql_database_instance", "alpha-prod")) == 1


def test_missing_permission_is_an_incomplete_skip(fake: FakeGcp, world: World) -> None:
    fake.fail("/compute/v1/projects/alpha-prod/aggregated/disks", 403, count=100)
    collected = collect_all(make_config(fake, project=["alpha-prod"]))
    assert collected.reporter.errors == []
    # every unit of the project reports the denied kind (the kernel withholds it per region and
    # logs it once); the disks are listed once per project
    skips = {(s[1], s[2], s[3]) for s in collected.reporter.skips}
    assert skips == {("gcp_disk", "compute", False)}
    project_units = [u for u in collected.units if u.account.id == "alpha-prod"]
    assert len(collected.reporter.skips) == len(project_units) > 1
    assert {code for _, code in collected.reporter.codes} == {"403:forbidden"}
    assert fake.count("/compute/v1/projects/alpha-prod/aggregated/disks") == 1
    assert collected.nodes("gcp_disk") == []
    assert len(collected.nodes("gcp_instance")) == 2


def test_503_on_first_page_is_retried_and_the_data_arrives(fake: FakeGcp, world: World) -> None:
    prefix = "/compute/v1/projects/alpha-prod/aggregated/instances"
    fake.fail(prefix, 503, count=2)
    fake.fail("/storage/v1/b", 429, count=1)
    fake.fail("/v1/projects/alpha-prod/instances", 503, count=1)
    fake.fail("/v1/projects/alpha-prod/locations/-/clusters", 500, count=1)
    collected = collect_all(make_config(fake, project=["alpha-prod"]))
    assert collected.reporter.errors == []
    assert collected.reporter.skips == []
    assert fake.count(prefix) == 3
    assert len(collected.nodes("gcp_instance")) == 2
    assert len(collected.nodes("gcp_bucket")) == 2
    assert len(collected.nodes("gcp_sql_database_instance")) == 1
    assert len(collected.nodes("gcp_container_cluster")) == 1


def test_503_on_a_later_page_is_retried(fake: FakeGcp, world: World) -> None:
    # with maxResults=1 the second page is asked with a page token; fail it once
    config = make_config(fake, page_size=1, project=["beta-dev"])
    seen: list[int] = []
    original = fake.dispatch

    def dispatch(method: str, path: str, query: dict[str, str], body: object) -> object:
        if path.endswith("/aggregated/healthChecks") and query.get("pageToken") and not seen:
            seen.append(1)
            from fakes.gcp.compute import Reply
            from fakes.gcp.errors import error_body

            return Reply(503, error_body(503, "try again"))
        return original(method, path, query, body)

    fake.dispatch = dispatch  # type: ignore[method-assign]
    collected = collect_all(config)
    assert seen == [1]
    assert collected.reporter.errors == []
    assert len(collected.nodes("gcp_health_check")) == 3


def test_persistent_5xx_loses_only_that_kind(fake: FakeGcp, world: World) -> None:
    fake.fail("/compute/v1/projects/alpha-prod/aggregated/routers", 503, count=10_000)
    collected = collect_all(make_config(fake, project=["alpha-prod"], retry_deadline=0.3))
    errors = collected.reporter.errors
    assert errors and all(kind == "gcp_router" for _, kind, _ in errors)
    assert {e[2] for e in errors} == {"compute"}
    assert collected.nodes("gcp_router") == []
    assert len(collected.nodes("gcp_instance")) == 2
    assert fake.count("/compute/v1/projects/alpha-prod/aggregated/routers") > 2
    assert collected.reporter.call_errors[("compute", "503:backendError")] >= 1


def test_every_project_is_listed_even_if_one_errors(fake: FakeGcp, world: World) -> None:
    fake.fail("/v3/folders", 503, count=10_000)
    collected = collect_all(make_config(fake, retry_deadline=0.2))
    # folders could not be walked, but projects:search still finds every project
    assert {u.account.id for u in collected.units if u.account.kind == "gcp_project"} == set(PROJECTS)
    assert any("folders" in e[0] for e in collected.reporter.errors)
