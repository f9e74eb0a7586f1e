"""The install path the docs describe: versions the index's Resoto 3.x can never satisfy, and tools/dist.py.

PyPI's ``resotoworker`` and ``resoto-plugin-*`` hold the predecessor (Resoto 3.x, up to 3.9.0). The
docs (docs/install.md) promise that this project's versions sort above every 3.x and that the pins
between its packages exclude 3.x; these tests hold the pyproject files to that promise, and build the
wheelhouse the docs tell users to build.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from _resoto_netguard import ENV as NETGUARD
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from support import ROOT

PREDECESSOR_NEWEST = Version("3.9.0")
UV = Path(sys.executable).parent / "uv"  # the pinned uv that tools/dev.py installs into the dev venv


def _load_dist() -> ModuleType:
    spec = importlib.util.spec_from_file_location("resoto_tools_dist", ROOT / "tools" / "dist.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dist = _load_dist()


def projects() -> dict[str, dict[str, object]]:
    found = {}
    for path in [ROOT / "hookspecs", ROOT / "kernel", *sorted((ROOT / "plugins").glob("*"))]:
        if (path / "pyproject.toml").exists():
            meta = tomllib.loads((path / "pyproject.toml").read_text())["project"]
            found[canonicalize_name(meta["name"])] = meta
    return found


PROJECTS = projects()


def test_dist_knows_every_package_of_the_repository() -> None:
    assert {canonicalize_name(n) for n in dist.members()} == set(PROJECTS)
    assert {"resoto-hookspecs", "resotoworker", "resoto-plugin-aws", "resoto-plugin-example"} <= set(PROJECTS)


def test_all_packages_share_one_version_above_the_predecessors() -> None:
    versions = {name: Version(str(meta["version"])) for name, meta in PROJECTS.items()}
    assert len(set(versions.values())) == 1, versions
    version = next(iter(versions.values()))
    assert version > PREDECESSOR_NEWEST and version.major >= 10 and version.epoch == 0


def test_pins_between_the_packages_exclude_the_predecessor_and_admit_this_release() -> None:
    checked = 0
    for name, meta in PROJECTS.items():
        for text in meta.get("dependencies", []):  # type: ignore[attr-defined]
            req = Requirement(str(text))
            target = canonicalize_name(req.name)
            if target not in PROJECTS:
                continue
            checked += 1
            own = Version(str(PROJECTS[target]["version"]))
            assert req.specifier.contains(own), f"{name}: {req} does not admit {target} {own}"
            for old in ("3.9.0", "3.0.0", "2.4.7", "0.1.0"):
                assert not req.specifier.contains(old), f"{name}: {req} admits {target} {old}"
            assert req.specifier.contains(f"{own.major}.99"), f"{name}: {req} is narrower than the major line"
    assert checked >= 5  # kernel and four plugins depend on resoto-hookspecs


def test_the_wheelhouse_constraints_are_the_locked_versions() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = {p["name"]: p["version"] for p in lock["package"] if "registry" in p.get("source", {})}
    lines = dist.lock_constraints(ROOT / "uv.lock")
    pins = {Requirement(line).name: line for line in lines}
    for name in ("boto3", "botocore", "aiohttp", "pydantic"):
        assert Requirement(pins[name]).specifier == Requirement(f"{name}=={locked[name]}").specifier
    assert not set(pins) & set(PROJECTS)  # this repository's packages are built, not constrained
    for line in lines:
        Requirement(line)  # every line is a valid requirement, markers included


def test_dist_refuses_an_unknown_package(capsys: pytest.CaptureFixture[str]) -> None:
    assert dist.main(["--no-deps", "--dest", "/nonexistent-never-used", "resoto-plugin-nosuch"]) == 2
    err = capsys.readouterr().err
    assert "resoto-plugin-nosuch" in err and "resotoworker" in err


def test_own_wheels_match_only_this_repositorys_packages(tmp_path: Path) -> None:
    for name in (
        "resotoworker-10.0.0-py3-none-any.whl",
        "resoto_plugin_aws-10.0.0-py3-none-any.whl",
        "resoto_plugin_awsome-1.0-py3-none-any.whl",  # someone else's: not ours
        "boto3-1.44.18-py3-none-any.whl",
    ):
        (tmp_path / name).write_text("")
    found = [p.name for p in dist.own_wheels(tmp_path, ["resotoworker", "resoto-plugin-aws"])]
    assert found == ["resoto_plugin_aws-10.0.0-py3-none-any.whl", "resotoworker-10.0.0-py3-none-any.whl"]


@pytest.mark.slow
def test_dist_builds_one_wheel_per_package_with_the_project_version(tmp_path: Path) -> None:
    dest = tmp_path / "wheels"
    dest.mkdir()
    (dest / "resotoworker-0.0.1-py3-none-any.whl").write_text("stale")  # replaced, never kept beside
    # Offline, like the rest of the suite (the network guard stays on): a user's pip fetches the
    # build backend (setuptools>=77) from the index into an isolated build environment; here the
    # pinned uv copies it from the cache the locked setup filled, and pip builds without isolation
    # and without an index, with that backend first on the path.
    backend = tmp_path / "backend"
    subprocess.run(
        [str(UV), "pip", "install", "--offline", "--no-config", "--quiet", "--target", str(backend)]
        + ["setuptools>=77"],
        check=True,
        timeout=300,
    )
    env = dict(os.environ)
    assert NETGUARD in env, "the suite's network guard is on in subprocesses"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(backend), env.get("PYTHONPATH", "")) if p)
    env["PIP_NO_INDEX"] = "1"
    env["PIP_NO_BUILD_ISOLATION"] = "0"  # pip: a false value of this negative option turns isolation off
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "dist.py"), "--no-deps", "--dest", str(dest)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    version = str(next(iter(PROJECTS.values()))["version"])
    wheels = sorted(p.name for p in dest.glob("*.whl"))
    expected = sorted(f"{name.replace('-', '_')}-{version}-py3-none-any.whl" for name in PROJECTS)
    assert wheels == expected
    assert "pip install --find-links" in proc.stdout
