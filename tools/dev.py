#!/usr/bin/env python3
"""Set up the development environment, run the demo, run every test. Needs only python3 (3.11+) and pip.

python3 tools/dev.py run     # set up, then a one-shot collect on the embedded default
python3 tools/dev.py test    # set up, then lint, type-check and every test
python3 tools/dev.py setup   # only set up .venv (editable installs of every package)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
MEMBERS = ["hookspecs", "kernel", "plugins/example", "plugins/aws", "plugins/gcp", "plugins/slack"]
STAMP = VENV / ".resoto-setup"


def _fingerprint() -> str:
    h = hashlib.sha256()
    for rel in [*(f"{m}/pyproject.toml" for m in MEMBERS), "requirements-dev.txt"]:
        h.update((ROOT / rel).read_bytes())
    return h.hexdigest()


def run(*cmd: str | Path, check: bool = True, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=check, env=env).returncode


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (this script runs on whatever python3 the user has)
        sys.exit(f"python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    args: list[str | Path] = [PY, "-m", "pip", "install", "--quiet"]
    for member in MEMBERS:
        args += ["-e", member]
    args += ["-r", "requirements-dev.txt"]
    run(*args)
    STAMP.write_text(_fingerprint())


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


def test(extra: list[str]) -> int:
    env = dict(os.environ)
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    code = run(
        BIN / "ruff",
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
    code |= run(BIN / "mypy", "hookspecs/src", "kernel/src", check=False, env=env)
    # every test: the fast suite, then the slow suite (fault injection, soak), each must pass
    code |= _pytest(["-m", "not slow", *extra], env)
    if not extra:
        code |= _pytest(["-m", "slow"], env)
    return code


def _pytest(args: list[str], env: dict[str, str]) -> int:
    rc = run(PY, "-m", "pytest", "-q", *args, check=False, env=env)
    return 0 if rc == 5 else rc  # 5: no test selected (e.g. no slow test yet)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("setup", "run", "test"):
        sys.exit(__doc__)
    command, extra = sys.argv[1], sys.argv[2:]
    setup()
    if command == "setup":
        return
    sys.exit(demo(extra) if command == "run" else test(extra))


if __name__ == "__main__":
    main()
