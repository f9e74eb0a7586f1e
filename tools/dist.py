#!/usr/bin/env python3
"""Build a wheelhouse: the wheels of every package of this repository, and of their dependencies.

    python3 tools/dist.py                  # dist/: our wheels plus every dependency's wheel
    python3 tools/dist.py --no-deps        # dist/: only the wheels of this repository's packages
    python3 tools/dist.py --dest DIR       # somewhere else
    python3 tools/dist.py --latest         # dependencies at their newest releases, not uv.lock's

The dependencies are built at the versions ``uv.lock`` pins (the ones the test suite ran with):
the lock's registry packages become a pip constraints file. ``--latest`` drops the constraints.

Then, on a machine with the same Python version and platform (the wheelhouse holds compiled
dependencies such as pydantic-core and aiohttp), install without any package index::

    python3 -m venv /opt/resotoworker
    /opt/resotoworker/bin/pip install --no-index --find-links dist resotoworker resoto-plugin-aws

Why a wheelhouse: the names ``resotoworker`` and ``resoto-plugin-*`` on PyPI hold the predecessor,
Resoto 3.x (another code base), and ``resoto-hookspecs`` is on no index. ``--no-index`` makes sure
nothing from an index can take the place of these packages. Needs only python3 (3.11+) and pip;
pip fetches the build backend (setuptools) and the dependencies from the index while building.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def members(root: Path = ROOT) -> dict[str, Path]:
    """Distribution name → project directory, for every package of the repository."""
    dirs = [
        root / "hookspecs",
        root / "kernel",
        *sorted(p.parent for p in (root / "plugins").glob("*/pyproject.toml")),
    ]
    found = {}
    for project in dirs:
        meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        found[str(meta["name"])] = project
    return found


def wheel_prefix(dist: str) -> str:
    """How a wheel file of ``dist`` starts (wheel names use underscores)."""
    return re.sub(r"[-_.]+", "_", dist).lower() + "-"


def own_wheels(dest: Path, dists: Sequence[str]) -> list[Path]:
    prefixes = tuple(wheel_prefix(d) for d in dists)
    return sorted(p for p in dest.glob("*.whl") if p.name.lower().startswith(prefixes))


def lock_constraints(lock: Path) -> list[str]:
    """``name==version`` for every registry package of ``uv.lock`` (with its markers where the lock forks)."""
    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    lines = []
    for package in data.get("package", []):
        if "registry" not in package.get("source", {}):
            continue  # the workspace's own packages: built from here, not constrained
        line = f"{package['name']}=={package['version']}"
        markers = package.get("resolution-markers")
        if markers:
            line += " ; " + " or ".join(f"({m})" for m in markers)
        lines.append(line)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tools/dist.py", description="Build the wheels of this repository (and their dependencies)."
    )
    parser.add_argument(
        "--dest", type=Path, default=ROOT / "dist", help="wheelhouse directory (default: dist/)"
    )
    parser.add_argument(
        "--no-deps", action="store_true", help="build only this repository's wheels, not the dependencies'"
    )
    parser.add_argument(
        "--latest",
        action="store_true",
        help="resolve dependencies to their newest releases instead of uv.lock's",
    )
    parser.add_argument(
        "packages",
        nargs="*",
        metavar="DIST",
        help="distribution names to build (default: all); their dependencies in the repository come along",
    )
    args = parser.parse_args(argv)
    if sys.version_info < (3, 11):  # noqa: UP036  (runs on whatever python3 the user has)
        print(
            f"tools/dist.py: python 3.11 or newer is needed, this is {sys.version.split()[0]}",
            file=sys.stderr,
        )
        return 2
    projects = members()
    unknown = [p for p in args.packages if p not in projects]
    if unknown:
        print(
            f"tools/dist.py: unknown package {', '.join(unknown)} (this repository has: {', '.join(projects)})",
            file=sys.stderr,
        )
        return 2
    wanted = dict(projects) if not args.packages else {n: projects[n] for n in args.packages}
    if not args.no_deps:  # the repository's packages others depend on must come from here, not an index
        wanted.setdefault("resoto-hookspecs", projects["resoto-hookspecs"])
    dest: Path = args.dest.resolve()
    dest.mkdir(parents=True, exist_ok=True)
    for old in own_wheels(dest, list(projects)):  # no stale version of our own packages next to the new one
        old.unlink()
    cmd = [sys.executable, "-m", "pip", "wheel", "--wheel-dir", str(dest)]
    if args.no_deps:
        cmd.append("--no-deps")
    with tempfile.TemporaryDirectory(prefix="resoto-dist-") as tmp:
        lock = ROOT / "uv.lock"
        if not args.no_deps and not args.latest and lock.exists():
            constraints = Path(tmp) / "constraints.txt"
            constraints.write_text("\n".join(lock_constraints(lock)) + "\n", encoding="utf-8")
            cmd += ["--constraint", str(constraints)]
            print(f"dependencies pinned as uv.lock says ({len(lock_constraints(lock))} packages)", flush=True)
        cmd += [str(path) for path in wanted.values()]
        print("+", " ".join(cmd), flush=True)
        rc = subprocess.run(cmd, cwd=ROOT, check=False).returncode
    if rc != 0:
        print(f"tools/dist.py: pip wheel failed (exit {rc}); see the lines above", file=sys.stderr)
        return 1
    built = own_wheels(dest, list(wanted))
    print(f"\n{len(built)} wheels of this repository in {dest}:")
    for wheel in built:
        print(f"  {wheel.name}")
    names = " ".join(n for n in wanted if n != "resoto-hookspecs")
    if args.no_deps:
        print(f"\ninstall (dependencies from the index): pip install --find-links {dest} {names}")
    else:
        print(f"\ninstall without an index: pip install --no-index --find-links {dest} {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
