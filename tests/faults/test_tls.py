"""TLS: an ``https://`` core with a self-signed CA is trusted only for a good reason.

Without a PSK the worker cannot fetch and trust the core's CA: it is refused unless ``--ca-cert`` or
``--no-verify-certs`` is given. With a PSK the CA from ``/ca/cert`` is trusted only when the
PSK-signed fingerprint matches (a man in the middle is refused).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from support import PSK, free_port, wait_for, worker_args

pytestmark = pytest.mark.faults

HANDSHAKE_FREE = {"/system/ready", "/ca/cert"}  # what a worker may ask before it trusts the core


@pytest.fixture
def core(request: pytest.FixtureRequest) -> Iterator[ThreadedCoreSimulator]:
    options = getattr(request, "param", {})
    with ThreadedCoreSimulator(tls=True, preload_model=True, **options) as sim:
        yield sim


def _serves(core: ThreadedCoreSimulator) -> None:
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=60)["kind"] == "action_done"
    assert core.merge_count(task) == 2


def _refused(core: ThreadedCoreSimulator, seconds: float = 4.0) -> None:
    time.sleep(seconds)
    assert core.connected_subscribers == []
    assert {r.path for r in core.requests} <= HANDSHAKE_FREE
    assert core.merges == []


def test_self_signed_core_without_psk_is_refused(
    core: ThreadedCoreSimulator, start_worker: StartWorker
) -> None:
    start_worker("w1", psk=None, wait=False)
    wait_for(lambda: core.requests_to(r"^/system/ready$"), timeout=60, what="the worker to try")
    _refused(core)


def test_self_signed_core_with_its_ca_given(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    ca = core.write_ca_cert(tmp_path / "ca.pem")
    start_worker("w1", psk=None, args=[*worker_args(core.url, "w1", None, free_port()), "--ca-cert", str(ca)])
    _serves(core)


def test_self_signed_core_with_verification_off(
    core: ThreadedCoreSimulator, start_worker: StartWorker
) -> None:
    start_worker("w1", psk=None, args=[*worker_args(core.url, "w1", None, free_port()), "--no-verify-certs"])
    _serves(core)


@pytest.mark.parametrize("core", [{"psk": PSK}], indirect=True)
def test_psk_signed_fingerprint_makes_the_ca_trusted(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    start_worker("w1", env={"TMPDIR": str(tmp)})
    _serves(core)
    assert core.requests_to(r"^/ca/cert$")
    assert core.requests_to(r"^/ca/sign$")  # the web server's certificate
    assert not list(tmp.glob("resoto-cert-*")), "no private key is left on disk"


@pytest.mark.parametrize("core", [{"psk": PSK, "mitm": True}], indirect=True)
def test_fingerprint_mismatch_is_refused(core: ThreadedCoreSimulator, start_worker: StartWorker) -> None:
    worker = start_worker("w1", wait=False)
    wait_for(lambda: core.requests_to(r"^/ca/cert$"), timeout=60, what="the worker to fetch the CA")
    _refused(core, seconds=3.0)
    wait_for(lambda: "man in the middle" in worker.log_text(), timeout=60, what="a clear log line")
