"""The sweep of spool directories left by dead workers (what makes a restart after ``kill -9`` clean)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from resotoworker.spool import OWNER_LOCK, ProcessSpoolDir, remove_stale_spools

pytestmark = pytest.mark.faults


def test_removes_dead_workers_directories_only(tmp_path: Path) -> None:
    live = ProcessSpoolDir(tmp_path)
    (live.path / "unit-0.nodes").write_text("{}\n")
    # a worker that died: its directory and lock file exist, nobody holds the lock
    dead = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from resotoworker.spool import ProcessSpoolDir; "
            "d = ProcessSpoolDir(Path(sys.argv[1])); (d.path / 'x.ndjson').write_text('{}'); print(d.path)",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    unrelated = tmp_path / "resoto-something-else"
    unrelated.mkdir()
    fresh_unlocked = tmp_path / "resoto-worker-999999-new"  # being created right now: no lock file yet
    fresh_unlocked.mkdir()

    removed = remove_stale_spools(tmp_path)

    assert removed == [Path(dead)]
    assert not Path(dead).exists()
    assert (live.path / "unit-0.nodes").exists() and (live.path / OWNER_LOCK).exists()
    assert unrelated.exists() and fresh_unlocked.exists()
    live.release()
    assert not live.path.exists()


def test_old_directory_without_lock_is_removed(tmp_path: Path) -> None:
    old = tmp_path / "resoto-worker-1-old"
    old.mkdir()
    (old / "unit-0.edges").write_text("")
    os.utime(old, (1, 1))
    assert remove_stale_spools(tmp_path) == [old]
    assert not old.exists()


def test_missing_base_directory_is_no_error(tmp_path: Path) -> None:
    assert remove_stale_spools(tmp_path / "missing") == []
