"""Bad input an operator can give, each through the real ``resotoworker`` console script.

A typo must never change what the worker does (a misspelled boolean is not "false", a misspelled
key is not "unset"): it exits 2 with one line naming it. A cloud's error reaches the terminal, the
log and the summary as one bounded line, never as a page of HTML or a traceback (those only with
``--verbose``). The default ``web_host`` serves IPv4 too.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from support import (
    PSK,
    WORKER_BIN,
    fake_distribution,
    free_port,
    moto_server,
    run_worker,
    the_error_line,
    wait_for,
)

EXAMPLE = ["--enable-plugins", "example", "--override", "resotoworker.collector=example"]
BAD = re.compile(r"<\s*(?:!doctype|html|head|body|title|h1|p)\b|</", re.IGNORECASE)


# -- booleans ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["maybe", "ture", "enabled"])
@pytest.mark.parametrize("mode", [["--collect-once"], ["--resotocore-uri", "http://127.0.0.1:9"]])
def test_a_misspelled_boolean_override_exits_2_naming_key_and_value(value: str, mode: list[str]) -> None:
    code, _, stderr = run_worker([*EXAMPLE, *mode, "--override", f"resotoworker.cleanup_dry_run={value}"])
    assert code == 2
    line = the_error_line(stderr)
    assert f"resotoworker.cleanup_dry_run='{value}'" in line
    assert "not a boolean" in line and "on/off" in line


@pytest.mark.parametrize(
    ("value", "kept"), [("on", True), ("YES", True), ("1", True), ("off", False), ("No", False), ("0", False)]
)
def test_boolean_overrides_understand_on_off_yes_no_1_0(tmp_path: Path, value: str, kept: bool) -> None:
    # debug_dump_json keeps the spool directory of the collect: visible from outside the process
    spool = tmp_path / "spool"
    spool.mkdir()
    overrides = [f"resotoworker.debug_dump_json={value}", f"resotoworker.tempdir={spool}"]
    code, stdout, stderr = run_worker([*EXAMPLE, "--collect-once", "--override", *overrides])
    assert code == 0, stderr
    assert "total: 50 nodes" in stdout
    assert bool(list(spool.iterdir())) is kept


def test_collect_once_from_the_environment_understands_on() -> None:
    code, stdout, stderr = run_worker(EXAMPLE, env={"RESOTOWORKER_COLLECT_ONCE": "on"})
    assert code == 0, stderr
    assert "total: 50 nodes in 2 account(s)" in stdout  # a one-shot collect, not the daemon


def test_collect_once_from_the_environment_refuses_maybe() -> None:
    code, stdout, stderr = run_worker(EXAMPLE, env={"RESOTOWORKER_COLLECT_ONCE": "maybe"})
    assert code == 2
    assert "RESOTOWORKER_COLLECT_ONCE: 'maybe' is not a boolean" in the_error_line(stderr)
    assert stdout == ""


# -- config file keys and plugin names ---------------------------------------------------------


def test_a_misspelled_key_in_the_config_file_exits_2_with_a_suggestion(tmp_path: Path) -> None:
    config = tmp_path / "worker.json"
    config.write_text(json.dumps({"resotoworker": {"colector": ["example"]}}))
    code, stdout, stderr = run_worker(
        ["--enable-plugins", "example", "--collect-once", "--config", str(config)]
    )
    assert code == 2
    line = the_error_line(stderr)
    assert f"unknown config key 'resotoworker.colector' in the config file {config}" in line
    assert "did you mean resotoworker.collector?" in line
    assert "total:" not in stdout  # nothing was collected


def test_an_unknown_key_in_a_plugin_section_of_the_config_file_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "worker.json"
    config.write_text(json.dumps({"resotoworker": {"collector": ["example"]}, "example": {"acounts": ["a"]}}))
    code, _, stderr = run_worker(["--enable-plugins", "example", "--collect-once", "--config", str(config)])
    assert code == 2
    assert "unknown config key 'example.acounts'" in the_error_line(stderr)
    assert "did you mean example.accounts?" in stderr


def test_enable_plugins_with_an_unknown_name_exits_2_naming_it_and_the_installed_ones() -> None:
    code, stdout, stderr = run_worker(["--enable-plugins", "nosuch", "--list-plugins"])
    assert code == 2
    line = the_error_line(stderr)
    assert "no installed plugin is named nosuch" in line
    assert "installed plugins: aws, example, gcp, slack" in line
    assert "no plugins installed" not in stdout


def test_disable_plugins_with_an_unknown_name_is_warned() -> None:
    code, stdout, stderr = run_worker(["--disable-plugins", "nosuch", "aws", "gcp", "--list-plugins"])
    assert code == 0
    assert "example  resoto-plugin-example" in stdout
    warnings = [json.loads(line) for line in stderr.splitlines() if "nosuch" in line]
    assert len(warnings) == 1 and warnings[0]["level"] == "WARNING"
    assert "--disable-plugins: no installed plugin is named nosuch" in warnings[0]["message"]


def test_a_broken_plugin_named_in_collector_says_it_failed_to_load_and_why(tmp_path: Path) -> None:
    site = tmp_path / "site"
    fake_distribution(
        site,
        "resoto-plugin-brokencloud",
        "0.3.1",
        {"brokencloud": "zz_brokencloud_plugin"},
        {"zz_brokencloud_plugin": "raise ImportError('needs libfrobnicate, which is not installed')\n"},
    )
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    code, _, stderr = run_worker(
        ["--collect-once", "--override", "resotoworker.collector=brokencloud"], env=env
    )
    assert code == 1
    line = the_error_line(stderr)
    assert "collector 'brokencloud' is installed but failed to load" in line
    assert "needs libfrobnicate, which is not installed" in line
    assert "no installed plugin collects it" not in line


# -- timeouts and output paths -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["-5", "0"])
def test_a_ready_timeout_of_zero_or_less_exits_2(value: str) -> None:
    code, _, stderr = run_worker(
        [*EXAMPLE, "--resotocore-uri", "http://127.0.0.1:9", "--ready-timeout", value]
    )
    assert code == 2
    assert f"--ready-timeout {value}: give a number of seconds above 0" in the_error_line(stderr)


def test_the_ready_timeout_lasts_what_was_asked() -> None:
    port = free_port()  # nothing listens: every try fails at once
    started = time.monotonic()
    code, _, stderr = run_worker(
        [
            "--enable-plugins",
            "example",
            "--resotocore-uri",
            f"http://127.0.0.1:{port}",
            "--ready-timeout",
            "3",
        ]
    )
    waited = time.monotonic() - started
    assert code == 1
    assert "was not ready within 3 s" in the_error_line(stderr)
    assert waited >= 3.0, f"gave up after {waited:.1f} s"


def test_output_without_collect_once_exits_2(tmp_path: Path) -> None:
    code, _, stderr = run_worker(
        [*EXAMPLE, "--resotocore-uri", "http://127.0.0.1:9", "--output", str(tmp_path / "g.ndjson")]
    )
    assert code == 2
    assert "--output needs --collect-once" in the_error_line(stderr)


def test_output_below_a_file_names_the_path_that_is_not_a_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "graphs"
    blocker.write_text("a file, not a directory")
    target = blocker / "today" / "graph.ndjson"
    code, stdout, stderr = run_worker([*EXAMPLE, "--collect-once", "--output", str(target)])
    assert code == 1
    line = the_error_line(stderr)
    assert f"cannot use --output {target}: {blocker} is not a directory" in line
    assert "File exists" not in line
    assert "graph written" not in stdout


# -- cloud errors: one bounded line each ---------------------------------------------------------

NOT_FOUND_PAGE = """<!doctype html>
<html lang=en>
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
"""


class HtmlErrorPage(BaseHTTPRequestHandler):
    """Answers every request with an HTML 404 page, as a web server in front of an API may."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = NOT_FOUND_PAGE.encode()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def html_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), HtmlErrorPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


def aws_env(endpoint: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and "PROXY" not in k.upper()}
    env.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "HOME": str(tmp_path),
        }
    )
    return env


def aws_once(env: dict[str, str], tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            WORKER_BIN,
            "--enable-plugins",
            "aws",
            "--collect-once",
            "--log-format",
            "text",
            "--override",
            "resotoworker.collector=aws",
            "aws.region=us-east-1",
            "--output",
            str(tmp_path / "graph.ndjson"),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )


def summary_errors(stdout: str) -> tuple[int, int]:
    """(the table's error column summed, what is listed: ``errors (N):`` + ``could not be read (M):``)."""
    lines = stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("cloud "))
    column = lines[header].index(" errors ") + 1  # columns are aligned under their headings
    in_table = 0
    for line in lines[header + 2 :]:
        if line.startswith("total:"):
            break
        in_table += int(line[column:].split()[0])
    listed = next((int(m.group(1)) for line in lines if (m := re.fullmatch(r"errors \((\d+)\):", line))), 0)
    listed += next(
        (int(m.group(1)) for line in lines if (m := re.match(r"could not be read \((\d+)\):", line))), 0
    )
    return in_table, listed


def test_an_html_error_page_is_one_line_with_status_and_title(
    moto_url: str, html_endpoint: str, tmp_path: Path
) -> None:
    env = aws_env(moto_url, tmp_path)
    env["AWS_ENDPOINT_URL_DYNAMODB"] = html_endpoint  # botocore's per-service endpoint variable
    proc = aws_once(env, tmp_path)
    assert "total:" in proc.stdout, proc.stderr  # the summary
    everything = proc.stdout + proc.stderr
    assert not BAD.search(everything), "an HTML page reached the terminal, the log or the summary"
    assert "Traceback" not in everything
    lines = [line for line in everything.splitlines() if "aws_dynamodb_table" in line and "failed" in line]
    # the live line, the log line and the summary line, each saying status and the page's title
    assert len(lines) == 3, everything
    for line in lines:
        assert "HTTP 404: 404 Not Found (an HTML page)" in line
        assert "The requested URL" not in line
        assert len(line) < 400
    in_table, listed = summary_errors(proc.stdout)
    assert listed >= 1 and in_table == listed, proc.stdout


@pytest.mark.parametrize("where", ["endpoint", "proxy"])
def test_an_unreachable_endpoint_or_refused_proxy_is_one_line_without_traceback(
    tmp_path: Path, where: str
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    env = aws_env(closed, tmp_path)
    if where == "proxy":
        env.update({"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "HTTP_PROXY": closed, "NO_PROXY": ""})
    proc = aws_once(env, tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    logged = [line for line in proc.stderr.splitlines() if "|ERROR|" in line]
    assert len(logged) == 1, proc.stderr  # one line for the one thing that failed
    reason = (
        "Could not connect to the endpoint URL" if where == "endpoint" else "Failed to connect to proxy URL"
    )
    assert reason in logged[0]
    assert reason in the_error_line(proc.stderr)
    verbose = aws_once(env, tmp_path, "--verbose")
    assert verbose.returncode == 1
    assert "Traceback" in verbose.stderr  # the details, on request


# -- the web server ------------------------------------------------------------------------------


def test_the_default_web_host_answers_health_on_ipv4(
    core: ThreadedCoreSimulator, start_worker: StartWorker
) -> None:
    port = free_port()
    # worker_args() pins web_host=127.0.0.1; this worker keeps the default (::)
    worker = start_worker(
        args=[
            "--resotocore-uri",
            core.url,
            "--subscriber-id",
            "w1",
            "--psk",
            PSK,
            "--override",
            f"resotoworker.web_port={port}",
        ]
    )

    def health(host: str) -> int:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/health", timeout=5) as resp:
                return int(resp.status)
        except OSError:
            return 0

    wait_for(lambda: health("127.0.0.1") == 200, timeout=30, what="/health on 127.0.0.1")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
        assert resp.status == 200
    if socket.has_ipv6 and _ipv6_loopback():
        assert health("[::1]") == 200
    assert worker.alive


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False
