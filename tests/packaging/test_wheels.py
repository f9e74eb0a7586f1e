"""The packages install alone from their wheels, and the kernel finds plugins by entry point.

Builds the wheels of resoto-hookspecs, resotoworker and resoto-plugin-example, installs them into a
new virtual environment (no editable installs, no workspace; dependencies from uv's cache, which
the locked setup filled: the test is offline, like the rest of the suite),
and drives the installed ``resotoworker`` console script: it lists and collects the example plugin,
reports a deliberately broken plugin package by distribution name and version while the example
still loads, and forgets the example once it is uninstalled.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent.parent
UV = Path(sys.executable).parent / "uv"  # the pinned uv that tools/dev.py installs into the dev venv
PACKAGES = {
    "resoto-hookspecs": ROOT / "hookspecs",
    "resotoworker": ROOT / "kernel",
    "resoto-plugin-example": ROOT / "plugins" / "example",
}
VERSIONS = {
    name: tomllib.loads((path / "pyproject.toml").read_text())["project"]["version"]
    for name, path in PACKAGES.items()
}
BROKEN_DIST, BROKEN_VERSION, BROKEN_NAME = "resoto-plugin-brokenthing", "0.0.7", "brokenthing"


def clean_env() -> dict[str, str]:
    """The environment without anything that points into the development virtualenv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_NO_INPUT"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(cmd: list[str], log: Path, *, timeout: float, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command, its stdout and stderr appended to ``log``; fail with the log's tail when it fails."""
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=clean_env())
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    if proc.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-40:])
        raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}; log {log}:\n{tail}")
    return proc


def build_wheel(project: Path, dest: Path, log: Path, work: Path) -> Path:
    before = set(dest.glob("*.whl"))
    run(
        [str(UV), "build", "--offline", "--no-config", "--wheel", "--out-dir", str(dest), str(project)],
        log,
        timeout=300,
        cwd=work,
    )
    new = set(dest.glob("*.whl")) - before
    assert len(new) == 1, f"expected one new wheel from {project}, got {new}"
    return new.pop()


def write_broken_plugin(root: Path) -> Path:
    project = root / "broken-plugin"
    pkg = project / "src" / "resoto_plugin_brokenthing"
    pkg.mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [build-system]
            requires = ["setuptools>=77"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "{BROKEN_DIST}"
            version = "{BROKEN_VERSION}"
            requires-python = ">=3.11"
            dependencies = []

            [project.entry-points."resoto.plugins"]
            {BROKEN_NAME} = "resoto_plugin_brokenthing.plugin"

            [tool.setuptools.packages.find]
            where = ["src"]
            """
        )
    )
    (pkg / "__init__.py").write_text("")
    (pkg / "plugin.py").write_text("raise RuntimeError('this plugin is broken on purpose')\n")
    return project


def plugin_blocks(listing: str) -> dict[str, str]:
    """``--list-plugins`` output split into one block per plugin (a line without indent starts one)."""
    blocks: dict[str, str] = {}
    current = None
    for line in listing.splitlines():
        if line and not line.startswith(" ") and not line.startswith("BROKEN"):
            current = line.split()[0]
            blocks[current] = line
        elif current and line.startswith(" "):
            blocks[current] += "\n" + line
    return blocks


def collected_kinds(output: Path) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for line in output.read_text().splitlines():
        item = json.loads(line)
        if "reported" in item:
            kinds[item["reported"]["kind"]] += 1
    return kinds


@pytest.mark.timeout(1800)  # builds and installs wheels: minutes on a loaded 2-core machine
def test_wheels_install_alone_and_plugins_come_and_go(tmp_path: Path) -> None:
    log = tmp_path / "pip.log"
    work = tmp_path / "work"  # commands run here, far from the repository's sources
    work.mkdir()
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    built = {name: build_wheel(path, wheels, log, work) for name, path in PACKAGES.items()}
    for name, wheel in built.items():
        assert wheel.name.startswith(name.replace("-", "_") + "-"), wheel

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], log, timeout=120, cwd=work)
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text()
    python, worker = venv / "bin" / "python", venv / "bin" / "resotoworker"
    install = [str(UV), "pip", "install", "--offline", "--no-config", "--python", str(python)]
    run([*install, *map(str, built.values())], log, timeout=600, cwd=work)

    # installed from the wheels, not linked to the repository
    where = run(
        [
            str(python),
            "-c",
            "import resoto_hookspecs, resotoworker, resoto_plugin_example as e; print(e.__file__)",
        ],
        log,
        timeout=60,
        cwd=work,
    ).stdout.strip()
    assert where.startswith(str(venv)) and str(ROOT) not in where
    installed = json.loads(
        run([str(python), "-m", "pip", "list", "--format=json"], log, timeout=60, cwd=work).stdout
    )
    versions = {p["name"].lower().replace("_", "-"): p["version"] for p in installed}
    assert {name: versions.get(name) for name in PACKAGES} == VERSIONS
    assert [p["name"] for p in installed if "editable_project_location" in p] == []

    # 1. the kernel discovers the example plugin at startup
    listing = run([str(worker), "--list-plugins"], log, timeout=120, cwd=work).stdout
    blocks = plugin_blocks(listing)
    assert list(blocks) == ["example"], listing
    assert blocks["example"].startswith(f"example  resoto-plugin-example {VERSIONS['resoto-plugin-example']}")
    assert "hooks: cloud_info, resource_kinds" in blocks["example"] and "collect" in blocks["example"]
    assert "BROKEN" not in listing

    # 2. ... and collects from it
    out = tmp_path / "graph.ndjson"
    summary = run(
        [str(worker), "--collect-once", "--override", "resotoworker.collector=example", "--output", str(out)],
        log,
        timeout=300,
        cwd=work,
    ).stdout
    kinds = collected_kinds(out)
    assert kinds["example_account"] == 2 and kinds["example_region"] == 4
    assert kinds["example_instance"] > 0 and kinds["example_volume"] > 0 and kinds["example_network"] > 0
    assert "example_instance" in summary

    # 3. a broken plugin package beside it is reported by name and version; the example still loads
    broken = build_wheel(write_broken_plugin(tmp_path), wheels, log, work)
    run([*install, "--no-deps", str(broken)], log, timeout=300, cwd=work)
    listing = run([str(worker), "--list-plugins"], log, timeout=120, cwd=work).stdout
    assert list(plugin_blocks(listing)) == ["example"], listing
    broken_lines = [line for line in listing.splitlines() if line.startswith("BROKEN")]
    assert len(broken_lines) == 1, listing
    assert f"'{BROKEN_NAME}' ({BROKEN_DIST} {BROKEN_VERSION})" in broken_lines[0]
    assert "broken on purpose" in broken_lines[0]
    out2 = tmp_path / "graph2.ndjson"
    run(
        [
            str(worker),
            "--collect-once",
            "--override",
            "resotoworker.collector=example",
            "--output",
            str(out2),
        ],
        log,
        timeout=300,
        cwd=work,
    )
    assert collected_kinds(out2) == kinds

    # 4. after uninstalling the example plugin it is gone
    run([str(python), "-m", "pip", "uninstall", "-y", "resoto-plugin-example"], log, timeout=120, cwd=work)
    listing = run([str(worker), "--list-plugins"], log, timeout=120, cwd=work).stdout
    assert "example" not in plugin_blocks(listing), listing
    assert "resoto-plugin-example" not in listing
    assert BROKEN_DIST in listing  # the broken one is still installed and still reported
