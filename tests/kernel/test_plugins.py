"""Plugin discovery and the plugin host: failures are isolated, calls are routed to their owner."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from resoto_hookspecs import (
    BaseResource,
    CleanupCandidate,
    CleanupFlag,
    CloudInfo,
    CollectionUnit,
    Location,
    RecordingReporter,
    hookimpl,
)
from resoto_hookspecs.testing import fake_kinds, fake_plugin
from resotoworker.plugins import PluginHost, build_plugin_host
from support import WORKER_BIN, fake_distribution

PAccount, PInstance = fake_kinds("p", __name__, "account", "instance")


def collector(cloud: str, calls: list[tuple[str, str]] | None = None, **extra: Callable[..., Any]) -> Any:
    """A minimal collector plugin for ``cloud``; hook calls are appended to ``calls``."""
    log = calls if calls is not None else []

    def collect() -> None:
        log.append((cloud, "collect"))

    def delete_resource(resource: BaseResource) -> None:
        log.append((cloud, f"delete {resource.id}"))

    hooks: dict[str, Callable[..., Any]] = {
        "collection_units": lambda: [],
        "collect": collect,
        "delete_resource": delete_resource,
    }
    hooks.update(extra)
    return fake_plugin(cloud, kinds=[PAccount, PInstance], name=cloud, check_names=False, **hooks)


def problem_of(host: PluginHost, name: str) -> str:
    found = [str(p) for p in host.problems if p.name == name]
    assert len(found) == 1, f"expected one problem for {name}, got {host.problems}"
    return found[0]


def isolated(**kwargs: Any) -> PluginHost:
    """A host from the given objects/modules only (no installed entry points)."""
    return build_plugin_host(entry_points=False, **kwargs)


# -- failures are reported, the others load ---------------------------------------------------


def test_a_misspelled_hook_is_reported_by_name_and_the_others_load() -> None:
    @hookimpl
    def colect(unit: Any, config: Any, builder: Any, reporter: Any) -> None:
        raise AssertionError("never called")

    host = isolated(objects=[("typo", collector("typo", colect=colect)), ("good", collector("good"))])
    assert list(host.plugins) == ["good"]
    assert "colect" in problem_of(host, "typo")
    # nothing of the broken plugin stays registered with pluggy
    assert all(impl.plugin_name != "typo" for impl in host.pm.hook.cloud_info.get_hookimpls())
    assert host.by_cloud("typo") is None


def test_a_module_that_raises_on_import_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "explodes_on_import.py").write_text("raise RuntimeError('kaboom while importing')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "explodes_on_import", raising=False)
    host = isolated(
        modules=["explodes_on_import", "no_such_module_anywhere"], objects=[("good", collector("good"))]
    )
    assert list(host.plugins) == ["good"]
    text = problem_of(host, "explodes_on_import")
    assert "RuntimeError" in text and "kaboom while importing" in text
    assert "ModuleNotFoundError" in problem_of(host, "no_such_module_anywhere")


def test_a_bad_signature_is_reported() -> None:
    @hookimpl
    def collect(unit: Any, config: Any, builder: Any, reporter: Any, surprise: Any) -> None:
        pass

    host = isolated(objects=[("badsig", collector("badsig", collect=collect)), ("good", collector("good"))])
    assert list(host.plugins) == ["good"]
    assert "surprise" in problem_of(host, "badsig")


@pytest.mark.parametrize(
    ("garbage", "expected"),
    [("aws", "str"), (None, "NoneType"), ({"name": "x"}, "dict")],
)
def test_cloud_info_returning_garbage_is_reported(garbage: Any, expected: str) -> None:
    @hookimpl
    def cloud_info() -> Any:
        return garbage

    host = isolated(
        objects=[("garbage", collector("garbage", cloud_info=cloud_info)), ("good", collector("good"))]
    )
    assert list(host.plugins) == ["good"]
    assert f"cloud_info returned {expected}" in problem_of(host, "garbage")


def test_registration_hooks_that_raise_or_return_non_resources_are_reported() -> None:
    @hookimpl
    def cloud_info() -> CloudInfo:
        raise ValueError("no info today")

    @hookimpl
    def resource_kinds() -> list[Any]:
        return [PInstance, dict]

    @hookimpl
    def no_kinds() -> list[Any]:
        return []

    no_kinds.__name__ = "resource_kinds"
    host = isolated(
        objects=[
            ("raises", collector("raises", cloud_info=cloud_info)),
            ("notres", collector("notres", resource_kinds=resource_kinds)),
            ("nokinds", collector("nokinds", resource_kinds=no_kinds)),
            ("nohooks", types.SimpleNamespace(helper=lambda: None)),
            ("good", collector("good")),
        ]
    )
    assert list(host.plugins) == ["good"]
    assert "no info today" in problem_of(host, "raises")
    assert "non-resource" in problem_of(host, "notres")
    assert "no resource kinds" in problem_of(host, "nokinds")
    assert "no hook" in problem_of(host, "nohooks")


def test_two_plugins_claiming_one_cloud_the_second_is_reported() -> None:
    calls: list[tuple[str, str]] = []
    first, second = collector("shared", calls), collector("shared", calls)
    host = isolated(objects=[("first", first), ("second", second)])
    assert list(host.plugins) == ["first"]
    assert "served by first" in problem_of(host, "second")
    assert host.by_cloud("shared") is host.plugins["first"]
    # the refused plugin is not called either
    assert len(host.pm.hook.delete_resource.get_hookimpls()) == 1


def test_the_same_name_twice_is_reported() -> None:
    host = isolated(objects=[("dup", collector("one")), ("dup", collector("two"))])
    assert host.plugins["dup"].cloud is not None and host.plugins["dup"].cloud.name == "one"
    assert "another plugin with this name" in problem_of(host, "dup")


def test_an_object_that_is_a_class_is_refused() -> None:
    class ClassPlugin:
        @hookimpl
        def cloud_info(self) -> CloudInfo:
            return CloudInfo(name="cls")

    host = isolated(objects=[("cls", ClassPlugin), ("good", collector("good"))])
    assert list(host.plugins) == ["good"]
    assert "names a class" in problem_of(host, "cls")


def test_enable_and_disable_by_name() -> None:
    objects = [("a", collector("a")), ("b", collector("b")), ("c", collector("c"))]
    assert list(isolated(objects=objects).plugins) == ["a", "b", "c"]
    assert list(isolated(objects=objects, enable={"a", "c"}).plugins) == ["a", "c"]
    assert list(isolated(objects=objects, disable={"b"}).plugins) == ["a", "c"]
    assert list(isolated(objects=objects, enable={"a", "b"}, disable={"b"}).plugins) == ["a"]
    host = isolated(objects=objects, enable=set())
    assert host.plugins == {} and host.problems == []


# -- routing --------------------------------------------------------------------------------------


def test_hooks_route_to_the_owner_only() -> None:
    calls: list[tuple[str, str]] = []
    host = isolated(objects=[("alpha", collector("alpha", calls)), ("beta", collector("beta", calls))])
    loc = Location("beta", "acc")
    host.hooks("beta").delete_resource(resource=PInstance(id="i-1"), location=loc, config=None, unit=None)
    assert calls == [("beta", "delete i-1")]
    host.hooks("alpha").delete_resource(resource=PInstance(id="i-2"), location=loc, config=None, unit=None)
    assert calls == [("beta", "delete i-1"), ("alpha", "delete i-2")]
    # a plugin without the hook answers nothing, and nobody else is asked in its place
    host2 = isolated(
        objects=[
            ("alpha", collector("alpha", calls)),
            ("policy", types.SimpleNamespace(plan_cleanup=_policy("p"))),
        ]
    )
    assert (
        host2.hooks("policy").check_resource(
            resource=PInstance(id="i-3"), location=loc, config=None, unit=None
        )
        is None
    )
    host2.hooks("policy").delete_resource(resource=PInstance(id="i-3"), location=loc, config=None, unit=None)
    assert ("alpha", "delete i-3") not in calls


def test_unit_is_opt_in_for_action_hooks() -> None:
    """A 0.1-style hook without ``unit`` still works; a hook that declares it gets the unit."""
    seen: list[Any] = []

    @hookimpl
    def update_tag(
        resource: BaseResource, location: Location, config: Any, key: str, value: str | None
    ) -> None:
        seen.append(("old", key, value))

    @hookimpl
    def delete_tag(resource: BaseResource, key: str, unit: CollectionUnit | None) -> None:
        seen.append(("new", key, unit))

    host = isolated(objects=[("c", collector("c", update_tag=update_tag, delete_tag=delete_tag))])
    unit = CollectionUnit("c", PAccount(id="a"), None, "a")
    loc = Location("c", "a")
    hooks = host.hooks("c")
    hooks.update_tag(resource=PInstance(id="i"), location=loc, config=None, key="k", value="v", unit=unit)
    hooks.delete_tag(resource=PInstance(id="i"), location=loc, config=None, key="k", unit=unit)
    assert seen == [("old", "k", "v"), ("new", "k", unit)]


def _policy(tag: str, fail: bool = False) -> Callable[..., Any]:
    @hookimpl
    def plan_cleanup(candidates: Any, config: Any, reporter: Any) -> list[CleanupFlag]:
        if fail:
            raise RuntimeError(f"policy {tag} broke")
        return [CleanupFlag(c.node_id, tag) for c in candidates]

    return plan_cleanup


def test_plan_cleanup_asks_one_policy_and_reads_its_flags() -> None:
    host = isolated(
        objects=[
            ("p1", types.SimpleNamespace(plan_cleanup=_policy("p1"))),
            ("p2", types.SimpleNamespace(plan_cleanup=_policy("p2", fail=True))),
            ("collector", collector("c")),
        ]
    )
    cand = [CleanupCandidate("n1", PInstance(id="i"), Location("c"))]
    reporter = RecordingReporter()
    assert host.hooks("p1").plan_cleanup(candidates=cand, config=None, reporter=reporter) == [
        CleanupFlag("n1", "p1")
    ]
    with pytest.raises(RuntimeError, match="p2 broke"):
        host.hooks("p2").plan_cleanup(candidates=cand, config=None, reporter=reporter)
    assert host.hooks("collector").plan_cleanup(candidates=cand, config=None, reporter=reporter) == []


# -- discovery through real entry points -------------------------------------------------------


@pytest.fixture
def fake_dists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    fake_distribution(
        site,
        "resoto-plugin-broken",
        "6.6.6",
        {"broken": "zz_broken_plugin"},
        {"zz_broken_plugin": "raise ImportError('needs a library that is not installed')\n"},
    )
    fake_distribution(
        site,
        "resoto-plugin-classy",
        "1.0.0",
        {"classy": "zz_classy_plugin:Plugin"},
        {
            "zz_classy_plugin": """
            from resoto_hookspecs import CloudInfo, hookimpl

            class Plugin:
                @hookimpl
                def cloud_info(self):
                    return CloudInfo(name="classy")
            """
        },
    )
    monkeypatch.syspath_prepend(str(site))
    for mod in ("zz_broken_plugin", "zz_classy_plugin"):
        monkeypatch.delitem(sys.modules, mod, raising=False)
    return site


def test_installed_example_plugin_is_found_with_its_distribution() -> None:
    host = build_plugin_host()
    example = host.plugins["example"]
    assert example.dist == "resoto-plugin-example"
    assert example.version == metadata.version("resoto-plugin-example")
    assert example.cloud is not None and example.cloud.name == "example"
    assert {"cloud_info", "resource_kinds", "collection_units", "collect", "delete_resource"} <= set(
        example.hooks
    )
    assert example.kinds and all(issubclass(k, BaseResource) for k in example.kinds)
    assert host.problems == []


def test_broken_entry_points_are_reported_with_distribution_and_version(fake_dists: Path) -> None:
    host = build_plugin_host()
    assert "example" in host.plugins
    broken = problem_of(host, "broken")
    assert "resoto-plugin-broken 6.6.6" in broken and "not installed" in broken
    classy = problem_of(host, "classy")
    assert "resoto-plugin-classy 1.0.0" in classy and "names a class" in classy
    assert "broken" not in host.plugins and "classy" not in host.plugins


def test_a_disabled_entry_point_is_not_even_imported(fake_dists: Path) -> None:
    host = build_plugin_host(disable={"broken", "classy"})
    assert host.problems == []
    assert "zz_broken_plugin" not in sys.modules
    assert "example" in host.plugins


def test_list_plugins_command_shows_versions_hooks_and_broken_plugins(fake_dists: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(fake_dists), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        # the heavy cloud SDK plugins are left out to keep this fast; disabling happens before import
        [WORKER_BIN, "--list-plugins", "--disable-plugins", "aws", "gcp"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    ).stdout
    version = metadata.version("resoto-plugin-example")
    assert f"example  resoto-plugin-example {version}" in out
    example_block = out.split("example  resoto-plugin-example", 1)[1].split("\n\n", 1)[0]
    assert "hooks: cloud_info, resource_kinds" in example_block
    assert "config section: example" in example_block
    assert "BROKEN plugin 'broken' (resoto-plugin-broken 6.6.6)" in out
    assert "BROKEN plugin 'classy' (resoto-plugin-classy 1.0.0)" in out
    assert "aws  resoto-plugin-aws" not in out
