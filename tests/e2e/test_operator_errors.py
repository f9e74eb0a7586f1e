"""Errors an operator can cause: one clear line that says what to do, no traceback, a distinct exit code.

Every test runs the real ``resotoworker`` console script. Exit codes: 1 for a runtime failure (core
not ready, nothing collected), 2 for a flag, config value or override that cannot be used.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from coresim import ThreadedCoreSimulator
from support import (
    PSK,
    WORKER_BIN,
    WorkerProcess,
    free_port,
    run_worker,
    the_error_line,
    wait_for,
    worker_args,
)

EXAMPLE_ONLY = ["--enable-plugins", "example"]


def test_unreachable_core_exits_1_after_the_ready_timeout(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here
    code, _, stderr = run_worker(
        [*EXAMPLE_ONLY, "--resotocore-uri", f"http://127.0.0.1:{port}", "--ready-timeout", "1"]
    )
    assert code == 1
    line = the_error_line(stderr)
    assert f"the core at http://127.0.0.1:{port} was not ready within 1 s" in line
    assert "check --resotocore-uri and that resotocore is running" in line


def test_wrong_psk_is_one_log_line_saying_check_psk_without_traceback(tmp_path: Path) -> None:
    with ThreadedCoreSimulator(psk="the-core-has-another-key") as core:
        worker = WorkerProcess(
            [*worker_args(core.url, "w1", PSK, free_port()), *EXAMPLE_ONLY], tmp_path / "w.log"
        ).start()
        try:
            wait_for(lambda: len(core.requests_to(r"^/config/w1")) >= 2, timeout=30, what="two config tries")
            worker.wait_log("check --psk")
            assert worker.alive, "a wrong PSK is retried, not fatal (the core may get the key later)"
        finally:
            code = worker.stop()
    assert code == 0
    records = worker.log_records()
    refused = [r for r in records if "check --psk" in r["message"]]
    assert refused and all(r["level"] == "ERROR" for r in refused)
    assert "refused our credentials" in refused[0]["message"]
    assert "\n" not in refused[0]["message"]
    assert not [r for r in records if "exception" in r], "no traceback for a wrong PSK"
    assert "Traceback" not in worker.log_text()
    assert PSK not in worker.log_text()


def test_wrong_psk_against_a_tls_core_exits_1_naming_the_psk(tmp_path: Path) -> None:
    with ThreadedCoreSimulator(psk="the-core-has-another-key", tls=True) as core:
        code, _, stderr = run_worker(
            [*EXAMPLE_ONLY, "--resotocore-uri", core.url, "--psk", PSK, "--ready-timeout", "10"]
        )
    assert code == 1
    line = the_error_line(stderr)
    assert "fingerprint" in line and "check --psk" in line
    assert PSK not in stderr


@pytest.mark.parametrize("mode", [["--collect-once"], ["--resotocore-uri", "http://127.0.0.1:9"]])
def test_bad_override_value_exits_2_naming_the_key(mode: list[str]) -> None:
    # the daemon checks overrides before it looks for a core, so no core is needed here
    code, _, stderr = run_worker([*EXAMPLE_ONLY, *mode, "--override", "resotoworker.pool_size=abc"])
    assert code == 2
    line = the_error_line(stderr)
    assert "resotoworker.pool_size='abc'" in line
    assert "valid integer" in line
    assert "fix it in --override" in line


def test_bad_value_in_config_file_exits_2_naming_key_and_file(tmp_path: Path) -> None:
    config = tmp_path / "worker.json"
    config.write_text(json.dumps({"resotoworker": {"collector": ["example"], "web_port": 70000}}))
    code, _, stderr = run_worker([*EXAMPLE_ONLY, "--collect-once", "--config", str(config)])
    assert code == 2
    line = the_error_line(stderr)
    assert "resotoworker.web_port=70000" in line
    assert f"fix it in the config file {config}" in line


def test_bad_secret_value_is_named_but_not_shown(tmp_path: Path) -> None:
    config = tmp_path / "worker.json"
    secret = {"not": "a string"}
    config.write_text(json.dumps({"slack": {"bot_token": secret}}))
    code, _, stderr = run_worker(
        ["--enable-plugins", "example", "slack", "--collect-once", "--config", str(config)]
    )
    assert code == 2
    line = the_error_line(stderr)
    assert "slack.bot_token" in line
    assert "a string" not in line


def test_unknown_override_key_exits_2_with_a_suggestion() -> None:
    code, _, stderr = run_worker([*EXAMPLE_ONLY, "--collect-once", "--override", "resotoworker.pool_sise=4"])
    assert code == 2
    line = the_error_line(stderr)
    assert "unknown config key 'resotoworker.pool_sise'" in line
    assert "did you mean resotoworker.pool_size?" in line


def test_unknown_override_key_without_a_close_match_lists_the_keys() -> None:
    code, _, stderr = run_worker([*EXAMPLE_ONLY, "--collect-once", "--override", "example.colour=blue"])
    assert code == 2
    line = the_error_line(stderr)
    assert "unknown config key 'example.colour'" in line
    assert "keys of example: state_file, accounts," in line


def test_unknown_override_section_exits_2_naming_the_sections() -> None:
    code, _, stderr = run_worker([*EXAMPLE_ONLY, "--collect-once", "--override", "exampel.accounts=a"])
    assert code == 2
    line = the_error_line(stderr)
    assert "unknown config section 'exampel'" in line
    assert "did you mean example?" in line and "known sections: resotoworker, example" in line


def test_verbose_adds_the_traceback() -> None:
    code, _, stderr = run_worker(
        [*EXAMPLE_ONLY, "--verbose", "--collect-once", "--override", "resotoworker.pool_size=abc"]
    )
    assert code == 2
    assert "Traceback" in stderr
    assert len([line for line in stderr.splitlines() if line.startswith("resotoworker: error:")]) == 1


def test_missing_aws_credentials_fail_the_collect_with_one_clear_line(tmp_path: Path) -> None:
    empty_config = tmp_path / "aws-config"
    empty_credentials = tmp_path / "aws-credentials"
    empty_config.write_text("")
    empty_credentials.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "HOME": str(tmp_path),
            "AWS_CONFIG_FILE": str(empty_config),
            "AWS_SHARED_CREDENTIALS_FILE": str(empty_credentials),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    proc = subprocess.run(
        [
            WORKER_BIN,
            "--enable-plugins",
            "aws",
            "--collect-once",
            "--override",
            "resotoworker.collector=aws",
            "--output",
            str(tmp_path / "graph.ndjson"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 1
    line = the_error_line(proc.stderr)
    assert "nothing was collected" in line
    assert "[aws]" in line and "no AWS credentials" in line
    assert "check the credentials and config" in line
    assert "graph written" not in proc.stdout
