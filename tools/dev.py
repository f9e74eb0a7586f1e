#!/usr/bin/env python3
"""Set up the development environment, run the demo, run every test. Needs only python3 (3.11+) and pip.

python3 tools/dev.py run              # set up, then a one-shot collect on the embedded default
python3 tools/dev.py test             # set up, then lint, type-check and every test
python3 tools/dev.py setup            # only set up .venv (every package editable, tools as locked)
python3 tools/dev.py test --latest    # the same suite in .venv-latest with the newest releases (lock untouched)
python3 tools/dev.py lock             # refresh uv.lock to the newest releases (run test --latest first)

Everything .venv holds is pinned in uv.lock. uv itself is installed through pip at UV_VERSION.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = ["hookspecs", "kernel", "plugins/example", "plugins/aws", "plugins/gcp", "plugins/slack"]
UV_VERSION = "0.13.9"
"""The uv that reads and writes uv.lock; bumped on purpose, like the lock."""


class Env:
    """One virtual environment: .venv (locked) or .venv-latest (newest releases)."""

    def __init__(self, name: str) -> None:
        self.path = ROOT / name
        self.bin = self.path / ("Scripts" if os.name == "nt" else "bin")
        self.py = self.bin / "python"
        self.uv = self.bin / "uv"
        self.stamp = self.path / ".resoto-setup"


VENV = Env(".venv")
BIN, PY = VENV.bin, VENV.py


def _fingerprint() -> str:
    h = hashlib.sha256(UV_VERSION.encode())
    for rel in [*(f"{m}/pyproject.toml" for m in MEMBERS), "pyproject.toml", "uv.lock"]:
        h.update((ROOT / rel).read_bytes())
    return h.hexdigest()


def run(*cmd: str | Path, check: bool = True, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=check, env=env).returncode


def _bootstrap(env: Env) -> None:
    """A virtual environment with pip and the pinned uv in it."""
    if sys.version_info < (3, 11):  # noqa: UP036  (this script runs on whatever python3 the user has)
        sys.exit(f"python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    if not env.py.exists():
        print(f"creating {env.path}", flush=True)
        venv.EnvBuilder(with_pip=True).create(env.path)
    if not env.uv.exists() or _uv_version(env) != UV_VERSION:
        run(env.py, "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}")


def _uv_version(env: Env) -> str:
    out = subprocess.run([str(env.uv), "--version"], capture_output=True, text=True, check=False).stdout
    return out.split()[1] if len(out.split()) > 1 else ""


def _uv_env(env: Env) -> dict[str, str]:
    """uv works on exactly this environment, with this interpreter, and never downloads a Python."""
    out = dict(os.environ)
    out.update(UV_PROJECT_ENVIRONMENT=str(env.path), UV_PYTHON=str(env.py), UV_PYTHON_DOWNLOADS="never")
    out.pop("VIRTUAL_ENV", None)
    return out


def setup() -> None:
    """.venv as uv.lock pins it: every member editable, the dev group, nothing newer."""
    _bootstrap(VENV)
    if VENV.stamp.exists() and VENV.stamp.read_text() == _fingerprint():
        return
    # --frozen: install exactly what uv.lock says, never re-resolve; --inexact: keep pip and uv
    run(VENV.uv, "sync", "--frozen", "--all-packages", "--inexact", "--quiet", env=_uv_env(VENV))
    VENV.stamp.write_text(_fingerprint())


def setup_latest() -> Env:
    """.venv-latest: the same packages resolved to the newest releases, uv.lock untouched."""
    env = Env(".venv-latest")
    _bootstrap(env)
    with open(ROOT / "pyproject.toml", "rb") as f:
        dev_group = tomllib.load(f)["dependency-groups"]["dev"]
    args: list[str | Path] = [env.uv, "pip", "install", "--upgrade", "--quiet", "--python", env.py]
    for member in MEMBERS:
        args += ["-e", member]
    run(*args, *dev_group, env=_uv_env(env))
    run(env.uv, "pip", "list", "--python", env.py, "--format", "freeze", env=_uv_env(env))
    return env


def lock() -> int:
    """Refresh uv.lock to the newest releases the members' and the dev group's ranges allow."""
    _bootstrap(VENV)
    return run(VENV.uv, "lock", "--upgrade", env=_uv_env(VENV), check=False)


def demo(extra: list[str]) -> int:
    from_args = [str(BIN / "resotoworker"), "--log-format", "text"]
    quickstart = ROOT / "tools" / "quickstart.py"
    if quickstart.exists():
        return run(PY, quickstart, *extra, check=False)
    out = ROOT / "out" / "graph.ndjson"
    return run(
        *from_args,
        "--collect-once",
        "--override",
        "resotoworker.collector=example",
        "--output",
        out,
        *extra,
        check=False,
    )


def test(extra: list[str], venv_: Env = VENV) -> int:
    env = dict(os.environ)
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    bin_ = venv_.bin
    code = run(
        bin_ / "ruff",
        "check",
        "hookspecs",
        "kernel",
        "plugins",
        "tests",
        "bench",
        "tools",
        check=False,
        env=env,
    )
    sources = [
        "hookspecs/src",
        "kernel/src",
        *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("plugins/*/src")),
    ]
    code |= run(bin_ / "mypy", *sources, check=False, env=env)
    # every test: the fast suite, then the slow suite (fault injection, soak), each must pass
    code |= _pytest(venv_, ["-m", "not slow", *extra], env)
    if not extra:
        code |= _pytest(venv_, ["-m", "slow"], env)
    return code


def _pytest(venv_: Env, args: list[str], env: dict[str, str]) -> int:
    rc = run(venv_.py, "-m", "pytest", "-q", *args, check=False, env=env)
    return 0 if rc == 5 else rc  # 5: no test selected (e.g. no slow test yet)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("setup", "run", "test", "lock"):
        sys.exit(__doc__)
    command, extra = sys.argv[1], sys.argv[2:]
    if command == "lock":
        sys.exit(lock())
    if command == "test" and "--latest" in extra:
        extra.remove("--latest")
        sys.exit(test(extra, setup_latest()))
    setup()
    if command == "setup":
        return
    sys.exit(demo(extra) if command == "run" else test(extra))


if __name__ == "__main__":
    main()
