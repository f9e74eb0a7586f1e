"""Suite-wide guard: no traffic leaves 127.0.0.1.

Every name lookup, connect and send to a non-loopback host, in this process or in any Python
subprocess a test starts, is refused and recorded; the session fails if any was recorded.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

GUARD_DIR = Path(__file__).parent / "netguard"
sys.path.insert(0, str(GUARD_DIR))

import _resoto_netguard  # noqa: E402
from _resoto_netguard import ENV, install  # noqa: E402

_LOG: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _LOG
    if os.environ.get(ENV):
        return  # already guarded (a nested pytest run): the outer session reads the log
    _LOG = Path(tempfile.mkdtemp(prefix="resoto-netguard-")) / "violations.log"
    _LOG.touch()
    os.environ[ENV] = str(_LOG)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (_resoto_netguard.GUARD_DIR, os.environ.get("PYTHONPATH", "")) if p
    )
    install(str(_LOG))


def pytest_runtest_logstart(nodeid: str) -> None:
    _resoto_netguard.current_test = nodeid


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _LOG is None or not _LOG.exists():
        return
    lines = _LOG.read_text(encoding="utf-8").splitlines()
    if lines:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", f"network guard: {len(lines)} use(s) of a non-loopback host", red=True)
            for line in sorted(set(lines)):
                reporter.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
