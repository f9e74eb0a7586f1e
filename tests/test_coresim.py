"""Tests of the resotocore simulator itself, driven with plain aiohttp client code."""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from coresim import AuthError, CoreSimulator, ThreadedCoreSimulator, decode_jwt, encode_jwt, parse_query
from coresim.model import Model, ModelError
from coresim.tlsca import fingerprint_pem
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PSK = "test-psk"
SALT = b"0123456789abcdef"  # a fixed salt keeps the (deliberately slow) key derivation cached across tests

TEST_KINDS: list[dict[str, Any]] = [
    {"fqn": "test_account", "bases": ["account"], "properties": []},
    {"fqn": "test_region", "bases": ["region"], "properties": []},
    {
        "fqn": "test_instance",
        "bases": ["instance"],
        "properties": [
            {"name": "slots", "kind": "int64", "required": False},
            {"name": "launched", "kind": "datetime", "required": False},
        ],
    },
    {
        "fqn": "test_volume",
        "bases": ["volume"],
        "properties": [
            {"name": "volume_size", "kind": "int64"},
            {"name": "volume_status", "kind": "volume_status"},
        ],
    },
]


def token(psk: str = PSK, **claims: Any) -> str:
    return encode_jwt(claims, psk, salt=SALT)


def auth(psk: str = PSK) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(psk)}"}


def node(node_id: str, kind: str, *, replace: bool = False, **props: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"python_type": f"test.{kind}", "cleaned": False, "protected": False}
    if replace:
        metadata["replace"] = True
    return {
        "id": node_id,
        "reported": {"id": node_id, "name": node_id, "kind": kind, "tags": {}, **props},
        "metadata": metadata,
        "usage": {},
    }


def edge(src: str, dst: str, edge_type: str | None = None) -> dict[str, Any]:
    return {"from": src, "to": dst} | ({"edge_type": edge_type} if edge_type else {})


def account_body(
    account: str, regions: dict[str, list[str]], *, replace_on: str = "account"
) -> list[dict[str, Any]]:
    """root -> cloud -> account -> regions -> instances, with `replace` on the account (or on the regions)."""
    nodes = [
        node("root-chk", "graph_root"),
        node("cloud-test", "cloud"),
        node(account, "test_account", replace=replace_on == "account"),
    ]
    edges = [edge("root-chk", "cloud-test"), edge("cloud-test", account)]
    for region, instances in regions.items():
        nodes.append(node(region, "test_region", replace=replace_on == "region"))
        edges.append(edge(account, region))
        for instance in instances:
            nodes.append(node(instance, "test_instance", slots=2, launched="2023-01-02T03:04:05Z"))
            edges.append(edge(region, instance))
    return nodes + edges


def ndjson(lines: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(line).encode() + b"\n" for line in lines)


@pytest.fixture
async def core() -> AsyncIterator[CoreSimulator]:
    sim = CoreSimulator(psk=PSK, preload_model=True, dispatch_interval=0.1)
    await sim.start()
    sim.create_graph("resoto")
    sim.update_model(TEST_KINDS)
    try:
        yield sim
    finally:
        await sim.stop()


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def merge(
    client: aiohttp.ClientSession,
    core: CoreSimulator,
    lines: list[dict[str, Any]],
    *,
    wait: bool = True,
    content_type: str = "application/x-ndjson",
) -> tuple[int, str]:
    async with client.post(
        f"{core.url}/graph/resoto/merge?wait_for_result={str(wait).lower()}",
        data=ndjson(lines),
        headers={**auth(), "Content-Type": content_type},
    ) as resp:
        return resp.status, await resp.text()


async def receive_json(ws: aiohttp.ClientWebSocketResponse, timeout: float = 5) -> dict[str, Any]:
    msg = await ws.receive(timeout=timeout)
    assert msg.type == aiohttp.WSMsgType.TEXT, msg
    assert msg.data.endswith("\n")
    result: dict[str, Any] = json.loads(msg.data)
    return result


# ---------------------------------------------------------------------------------------------- auth
def test_jwt_roundtrip_and_rejections() -> None:
    tok = token(foo="bar")
    assert decode_jwt(tok, PSK)["foo"] == "bar"
    with pytest.raises(AuthError):
        decode_jwt(tok, "other-psk")
    expired = encode_jwt({"exp": int(time.time()) - 5}, PSK, salt=SALT)
    with pytest.raises(AuthError, match="expired"):
        decode_jwt(expired, PSK)
    header, payload, sig = tok.split(".")
    with pytest.raises(AuthError):
        decode_jwt(f"{header}.{payload}x.{sig}", PSK)


async def test_psk_auth_on_http(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    async with client.get(f"{core.url}/system/ready") as resp:
        assert resp.status == 200 and await resp.text() == "ok"
    async with client.get(f"{core.url}/config/resoto.worker") as resp:
        assert resp.status == 401 and await resp.text() == "Unauthorized"
    async with client.get(f"{core.url}/config/resoto.worker", headers=auth("wrong")) as resp:
        assert resp.status == 401
    expired = encode_jwt({"exp": int(time.time()) - 1}, PSK, salt=SALT)
    async with client.get(
        f"{core.url}/config/resoto.worker", headers={"Authorization": f"Bearer {expired}"}
    ) as resp:
        assert resp.status == 401
    async with client.get(
        f"{core.url}/config/resoto.worker", headers={"Authorization": f"bEaReR {token()}"}
    ) as resp:
        assert resp.status == 404  # authenticated, config does not exist
    async with client.get(
        f"{core.url}/config/resoto.worker", headers={**auth(), "Origin": "http://evil.example.com"}
    ) as resp:
        assert resp.status == 403
    async with client.get(f"{core.url}/config/resoto.worker", headers={**auth(), "Origin": core.url}) as resp:
        assert resp.status == 404
    assert [r.status for r in core.requests_to("^/config/")] == [401, 401, 401, 404, 403, 404]


async def test_ready_after_and_faults(client: aiohttp.ClientSession) -> None:
    async with CoreSimulator(ready_after=0.3) as sim:
        async with client.get(f"{sim.url}/system/ready") as resp:
            assert resp.status == 503
        await asyncio.sleep(0.35)
        sim.set_fault(r"^/system/ready$", status=503, times=1)
        async with client.get(f"{sim.url}/system/ready") as resp:
            assert resp.status == 503 and resp.headers["Retry-After"] == "5"
        async with client.get(f"{sim.url}/system/ready") as resp:
            assert resp.status == 200


async def test_tls_ca_cert_sign_and_mitm(tmp_path: Path) -> None:
    for mitm in (False, True):
        async with CoreSimulator(psk=PSK, tls=True, mitm=mitm) as sim:
            ca_file = sim.write_ca_cert(tmp_path / "ca.pem")
            assert sim.url.startswith("https://")
            async with aiohttp.ClientSession() as session:
                async with session.get(f"{sim.url}/ca/cert", ssl=False) as resp:
                    pem = await resp.read()
                    fp = resp.headers["SHA256-Fingerprint"]
                    claim = decode_jwt(resp.headers["Authorization"].split(" ", 1)[1], PSK)[
                        "sha256_fingerprint"
                    ]
                assert fp == fingerprint_pem(pem) and pem == ca_file.read_bytes()
                assert (claim == fp) is (not mitm)
                key = ec.generate_private_key(ec.SECP256R1())
                csr = (
                    x509.CertificateSigningRequestBuilder()
                    .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "resoto.worker")]))
                    .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
                    .sign(key, hashes.SHA256())
                )
                ctx = ssl.create_default_context(cafile=str(ca_file))
                async with session.post(
                    f"{sim.url}/ca/sign",
                    ssl=ctx,
                    headers=auth(),
                    data=csr.public_bytes(serialization.Encoding.PEM),
                ) as resp:
                    assert resp.status == 200
                    leaf = x509.load_pem_x509_certificate(await resp.read())
                assert leaf.subject.rfc4514_string() == "CN=resoto.worker"
                san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                assert san.get_values_for_type(x509.DNSName) == ["localhost"]


# ---------------------------------------------------------------------------------------------- config
async def test_config_get_put_revision_and_event(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    url = f"{core.url}/config/resoto.worker"
    query = "?separate_overrides=true&apply_overrides=true&resolve_env_vars=true&include_raw_config=true"
    async with client.get(url + query, headers=auth()) as resp:
        assert resp.status == 404
    async with client.ws_connect(f"{core.ws_url}/events?show=config-updated", headers=auth()) as events:
        doc = {"resotoworker": {"graph": "resoto", "timeout": 10800, "secret": "$(CORESIM_TEST_VAR)"}}
        os.environ["CORESIM_TEST_VAR"] = "resolved"
        try:
            async with client.put(url, json=doc, headers=auth()) as resp:
                assert resp.status == 200
                revision = resp.headers["Resoto-Config-Revision"]
                assert await resp.json() == doc
            event = await receive_json(events)
            assert event == {
                "kind": "event",
                "message_type": "config-updated",
                "data": {"id": "resoto.worker", "revision": revision},
            }
            async with client.get(url + query, headers=auth()) as resp:
                assert resp.headers["Resoto-Config-Revision"] == revision
                body = await resp.json()
            assert body["config"]["resotoworker"]["secret"] == "resolved"
            assert body["raw_config"] == doc and body["overrides"] is None
        finally:
            del os.environ["CORESIM_TEST_VAR"]
        # the same document again: no new revision, no event
        async with client.put(url, json=doc, headers=auth()) as resp:
            assert resp.headers["Resoto-Config-Revision"] == revision
        # a change from "the user"
        new_revision = await core.set_config(
            "resoto.worker", {"resotoworker": {"graph": "resoto", "cleanup": True}}
        )
        event = await receive_json(events)
        assert event["data"] == {"id": "resoto.worker", "revision": new_revision} != revision
        async with client.patch(url, json={"resotoworker": {"timeout": 5}}, headers=auth()) as resp:
            assert resp.status == 200
        assert core.get_config("resoto.worker") == {
            "resotoworker": {"graph": "resoto", "cleanup": True, "timeout": 5}
        }
        await receive_json(events)
    async with client.put(url, json={"resotoworker": 1}, headers=auth()) as resp:
        assert resp.status == 400
    async with client.put(url, json=[1], headers=auth()) as resp:
        assert resp.status == 400


async def test_config_model_patch_and_validation(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    kinds = [
        {
            "fqn": "resotoworker",
            "bases": [],
            "properties": [
                {"name": "graph", "kind": "string", "required": True},
                {"name": "timeout", "kind": "int64", "required": True},
            ],
        }
    ]
    async with client.patch(f"{core.url}/configs/model", json=kinds, headers=auth()) as resp:
        assert resp.status == 200
        assert "resotoworker" in (await resp.json())["kinds"]
    async with client.put(
        f"{core.url}/config/x", json={"resotoworker": {"timeout": "soon"}}, headers=auth()
    ) as resp:
        assert resp.status == 400 and "timeout" in await resp.text()
    async with client.put(
        f"{core.url}/config/x", json={"resotoworker": {"timeout": 1}}, headers=auth()
    ) as resp:
        assert resp.status == 200
    changed = [{"fqn": "resotoworker", "bases": [], "properties": [{"name": "timeout", "kind": "string"}]}]
    async with client.patch(f"{core.url}/configs/model", json=changed, headers=auth()) as resp:
        assert resp.status == 400


async def test_events_deferred_auth(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    async with client.ws_connect(f"{core.ws_url}/events") as events:
        await events.send_str(json.dumps({"kind": "authorization", "jwt": f"Bearer {token()}"}))
        await asyncio.sleep(0.05)
        await core.set_config("c1", {"a": {}})
        assert (await receive_json(events))["data"]["id"] == "c1"
    async with client.ws_connect(f"{core.ws_url}/work/queue") as queue:
        await queue.send_str(json.dumps({"kind": "authorization", "jwt": "Bearer nonsense"}))
        msg = await queue.receive(timeout=5)
        assert msg.type == aiohttp.WSMsgType.CLOSE
    with pytest.raises(aiohttp.WSServerHandshakeError) as ex:
        await client.ws_connect(f"{core.ws_url}/subscriber/x/handle")
    assert ex.value.status == 401


# ---------------------------------------------------------------------------------------------- actions
async def test_subscriber_handle_429_replay_and_replies(
    core: CoreSimulator, client: aiohttp.ClientSession
) -> None:
    sid = "resoto.worker-collector"
    handle = f"{core.ws_url}/subscriber/{sid}/handle"
    with pytest.raises(aiohttp.WSServerHandshakeError) as ex:
        await client.ws_connect(handle, headers=auth())
    assert ex.value.status == 404
    for action in ("collect", "cleanup"):
        async with client.post(
            f"{core.url}/subscriber/{sid}/{action}?timeout=10800&wait_for_completion=True",
            headers={**auth(), "Accept": "application/json"},
        ) as resp:
            assert resp.status == 200
            body = await resp.json()
    assert body["subscriptions"]["cleanup"] == {
        "message_type": "cleanup",
        "wait_for_completion": True,
        "timeout": 10800,
    }
    async with client.ws_connect(handle, headers=auth()) as ws:
        with pytest.raises(aiohttp.WSServerHandshakeError) as ex:
            await client.ws_connect(handle, headers=auth())
        assert ex.value.status == 429
        first = await core.send_action("collect")
        frame = await receive_json(ws)
        assert frame == {
            "kind": "action",
            "message_type": "collect",
            "data": {"timing": {}, "task": first, "step": "collect"},
        }
        await ws.send_str(
            json.dumps(
                {
                    "kind": "action_progress",
                    "message_type": "collect",
                    "data": {
                        "task": first,
                        "step": "collect",
                        "context": [],
                        "at": "2023-07-01T12:00:00Z",
                        "progress": {"kind": "progress", "name": "test", "current": 0, "total": 1},
                    },
                }
            )
        )
        await ws.send_str(
            json.dumps(
                {
                    "kind": "action_info",
                    "message_type": "collect",
                    "data": {"task": first, "step": "collect", "level": "info", "message": "hello"},
                }
            )
        )
        await ws.send_str(json.dumps({"kind": "action", "message_type": "collect", "data": frame["data"]}))
    # a second action while disconnected; both are replayed in order on reconnect
    second = await core.send_action("cleanup")
    async with client.ws_connect(handle, headers=auth()) as ws:
        replayed = [await receive_json(ws), await receive_json(ws)]
        assert [f["data"]["task"] for f in replayed] == [first, second]
        await ws.send_str(
            json.dumps({"kind": "action_done", "message_type": "collect", "data": replayed[0]["data"]})
        )
        assert (await core.wait_for_reply(first, timeout=5))["kind"] == "action_done"
    async with client.ws_connect(handle, headers=auth()) as ws:
        again = await receive_json(ws)
        assert again["data"]["task"] == second  # the answered one is not replayed
        await core.resend_action(second)
        assert (await receive_json(ws))["data"]["task"] == second
        await ws.send_str(
            json.dumps(
                {
                    "kind": "action_error",
                    "message_type": "cleanup",
                    "data": {**again["data"], "error": "boom"},
                }
            )
            + "\n"
        )
        reply = await core.wait_for_reply(second, timeout=5)
        assert reply["kind"] == "action_error" and reply["data"]["error"] == "boom"
        await ws.send_str(
            json.dumps({"kind": "action_done", "message_type": "cleanup", "data": {"task": second}})
        )
        await asyncio.sleep(0.1)
    assert len(core.replies(first)) == 1 and len(core.replies(second)) == 1
    assert [p["data"]["progress"]["current"] for p in core.progress(first)] == [0]
    assert core.infos(first)[0]["data"]["message"] == "hello"
    assert any("kind action" in v for v in core.violations)
    assert any("without required fields" in v for v in core.violations)
    assert core.pending_actions(sid) == []
    assert [f.direction for f in core.frames_on("handle")].count("out") == 5


# ---------------------------------------------------------------------------------------------- work queue
async def _worker(
    client: aiohttp.ClientSession,
    core: CoreSimulator,
    descriptions: Any,
) -> aiohttp.ClientWebSocketResponse:
    ws = await client.ws_connect(f"{core.ws_url}/work/queue", headers=auth())
    await ws.send_str(json.dumps(descriptions))
    return ws


def _tag_desc(**flt: list[str]) -> dict[str, Any]:
    return {
        "name": "tag",
        "info": "i",
        "description": "d",
        "filter": flt,
        "expect_node_result": True,
        "args_description": {},
        "allowed_on_kind": None,
    }


async def test_work_queue_routing_and_results(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    generic = await _worker(client, core, [_tag_desc(cloud=["cloud-test"])])
    specific = await _worker(client, core, [_tag_desc(cloud=["cloud-test"], account=["acc1"])])
    try:
        await asyncio.sleep(0.1)
        assert len(core.workers) == 2
        # most specific filter wins
        pending = asyncio.ensure_future(
            core.submit_task("tag", {"cloud": "cloud-test", "account": "acc1"}, {"x": 1})
        )
        task = await receive_json(specific)
        assert set(task) == {"task_id", "task_name", "attrs", "data"} and task["data"] == {"x": 1}
        await specific.send_str(json.dumps({"task_id": task["task_id"], "result": "error", "error": "nope"}))
        assert (await pending)["error"] == "nope"
        # only the generic one matches another account
        pending = asyncio.ensure_future(
            core.submit_task("tag", {"cloud": "cloud-test", "account": "acc2"}, {})
        )
        task = await receive_json(generic)
        await generic.send_str(
            json.dumps({"task_id": task["task_id"], "result": "done", "data": {"ok": True}})
        )
        result = await pending
        assert result["result"] == "done" and "core_error" in result  # tag expects a node result
        # no worker for this cloud: waits and times out
        assert (await core.submit_task("tag", {"cloud": "other"}, {}, timeout=0.3))["result"] == "timeout"
        # tag a stored node: attrs from ancestors, node result written to the graph
        assert (await merge(client, core, account_body("acc1", {"r1": ["i1"]})))[0] == 200
        pending = asyncio.ensure_future(core.tag_node("i1", update={"owner": "alice"}))
        task = await receive_json(specific)
        assert task["attrs"] == {"cloud": "cloud-test", "account": "acc1", "region": "r1"}
        node_js = task["data"]["node"]
        assert task["data"]["update"] == {"owner": "alice"}
        assert node_js["id"] == "i1" and node_js["type"] == "node" and "revision" in node_js
        assert node_js["ancestors"]["account"]["reported"]["id"] == "acc1"
        node_js["reported"]["tags"]["owner"] = "alice"
        reply = {"id": "i1", "reported": node_js["reported"], "metadata": node_js["metadata"], "usage": {}}
        await specific.send_str(json.dumps({"task_id": task["task_id"], "result": "done", "data": reply}))
        result = await pending
        assert result["result"] == "done" and "core_error" not in result
        assert core.graph().nodes["i1"]["reported"]["tags"] == {"owner": "alice"}
        # a worker that disconnects: its outstanding task is re-dispatched to another matching worker
        pending = asyncio.ensure_future(
            core.submit_task("tag", {"cloud": "cloud-test", "account": "acc1"}, {})
        )
        task = await receive_json(specific)
        await specific.close()
        again = await receive_json(generic)
        assert again["task_id"] == task["task_id"]
        await generic.send_str(json.dumps({"task_id": task["task_id"], "result": "error", "error": "x"}))
        assert (await pending)["result"] == "error"
    finally:
        await generic.close()
        await specific.close()


async def test_work_queue_rejects_empty_descriptions(
    core: CoreSimulator, client: aiohttp.ClientSession
) -> None:
    for bad in ([], {"name": "tag"}):
        async with client.ws_connect(f"{core.ws_url}/work/queue", headers=auth()) as ws:
            await ws.send_str(json.dumps(bad))
            msg = await ws.receive(timeout=5)
            assert msg.type == aiohttp.WSMsgType.CLOSE
    assert core.workers == []
    assert len([v for v in core.violations if "work queue" in v]) == 2


# ---------------------------------------------------------------------------------------------- merge
async def test_merge_replace_semantics(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    status, text = await merge(client, core, account_body("acc1", {"r1": ["i1", "i2"], "r2": ["i3"]}))
    assert status == 200, text
    assert json.loads(text)["nodes_created"] == 7  # root is updated, not created
    status, _ = await merge(client, core, account_body("acc2", {"r3": ["i4"]}))
    assert status == 200
    core.flag_clean("i1")
    core.set_protected("i1")
    graph = core.graph()
    assert graph.reported_ids("test_instance") == {"i1", "i2", "i3", "i4"}
    assert "root-chk" not in graph.nodes and graph.children("root") == ["cloud-test"]
    # acc1 re-sent without i2: deleted; acc2 untouched; i1 keeps desired and protected
    status, text = await merge(client, core, account_body("acc1", {"r1": ["i1"], "r2": ["i3"]}))
    assert status == 200
    counts = json.loads(text)
    assert counts["nodes_deleted"] == 1 and counts["nodes_created"] == 0
    graph = core.graph()
    assert graph.reported_ids("test_instance") == {"i1", "i3", "i4"}
    assert (
        graph.nodes["i1"]["desired"] == {"clean": True} and graph.nodes["i1"]["metadata"]["protected"] is True
    )
    assert graph.ancestors("i4") == ["r3", "acc2", "cloud-test", "root"]
    # replace on a region: the sibling region keeps its nodes
    body = account_body("acc1", {"r1": ["i5"]}, replace_on="region")
    status, text = await merge(client, core, body, wait=False)
    assert status == 204 and text == ""
    graph = core.graph()
    assert graph.reported_ids("test_instance") == {"i3", "i4", "i5"}
    assert graph.children("r2") == ["i3"] and graph.children("acc1") == ["r1", "r2"]
    record = core.merges[-1]
    assert record.applied and record.lines == [json.dumps(line) for line in body]


async def test_merge_validation_errors(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    good = account_body("acc1", {"r1": ["i1"]})
    cases: list[tuple[list[dict[str, Any]], str]] = [
        (good + [edge("i1", "nowhere")], "not provided as node"),
        (good + [edge("r1", "i1", "owns")], "unknown edge type"),
        ([node("x", "no_such_kind") if line.get("id") == "i1" else line for line in good], "no_such_kind"),
        (
            [node("i1", "test_instance", slots="two") if line.get("id") == "i1" else line for line in good],
            "Kind:test_instance Property:slots",
        ),
        (
            [
                node("i1", "test_instance", launched="yesterday") if line.get("id") == "i1" else line
                for line in good
            ],
            "launched",
        ),
        (
            [node("i1", "test_instance", colour="red") if line.get("id") == "i1" else line for line in good],
            "colour",
        ),
        (account_body("acc1", {"r1": ["i1"]}, replace_on="none"), "replace"),
        (good + [node("root2", "graph_root")], "root"),
        (good + [edge("i1", "acc1")], "cycle"),
    ]
    for lines, message in cases:
        status, text = await merge(client, core, lines)
        assert status == 400, (message, text)
        assert message in text, (message, text)
    status, text = await merge(client, core, good, content_type="text/plain")
    assert status == 400 and "Can not read graph" in text
    # nothing was applied by any of the rejected merges
    assert core.graph().reported_ids("test_instance") == set()
    status, _ = await merge(client, core, good, content_type="application/ndjson")
    assert status == 200
    async with client.post(f"{core.url}/graph/resoto/merge", json=good, headers=auth()) as resp:
        assert resp.status == 200
        assert (await resp.json())["nodes_created"] == 0


async def test_merge_overlapping_replace_nodes_rejected(
    core: CoreSimulator, client: aiohttp.ClientSession
) -> None:
    lines = account_body("acc1", {"r1": ["i1"]})
    for line in lines:
        if line.get("id") == "r1":
            line["metadata"]["replace"] = True
    status, text = await merge(client, core, lines)
    assert status == 400 and "more than one merge node" in text


async def test_cut_merge_applies_nothing(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    core.cut_merge_after(200)
    with pytest.raises(aiohttp.ClientError):
        await merge(client, core, account_body("acc1", {"r1": ["i1"]}))
    assert core.graph().reported_ids("test_instance") == set()
    assert core.merges[-1].error and not core.merges[-1].applied
    status, _ = await merge(client, core, account_body("acc1", {"r1": ["i1"]}))
    assert status == 200 and core.graph().reported_ids("test_instance") == {"i1"}


async def test_client_dropping_merge_body_applies_nothing(core: CoreSimulator) -> None:
    body = ndjson(account_body("acc1", {"r1": ["i1"]}))
    _reader, writer = await asyncio.open_connection("127.0.0.1", core.port)
    head = (
        f"POST /graph/resoto/merge?wait_for_result=false HTTP/1.1\r\nHost: 127.0.0.1:{core.port}\r\n"
        f"Authorization: Bearer {token()}\r\nContent-Type: application/x-ndjson\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    writer.write(head.encode() + body[: len(body) // 2])
    await writer.drain()
    await asyncio.sleep(0.1)
    writer.close()
    await writer.wait_closed()
    await asyncio.sleep(0.1)
    assert core.merges[-1].error and "incomplete" in core.merges[-1].error
    assert core.graph().reported_ids("test_instance") == set()


async def test_garbage_frames_never_crash(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    core.deferred_auth_timeout = 0.2
    async with client.ws_connect(f"{core.ws_url}/events") as events:  # no header and no auth frame
        msg = await events.receive(timeout=5)
        assert msg.type == aiohttp.WSMsgType.CLOSE
    async with client.post(f"{core.url}/subscriber/s1/collect", headers=auth()) as resp:
        assert resp.status == 200
    async with client.ws_connect(f"{core.ws_url}/subscriber/s1/handle", headers=auth()) as ws:
        for garbage in (
            "not json",
            "[1]",
            '{"kind": 1}',
            '{"kind": "action_done", "data": 5}',
            '{"kind": "action_progress", "message_type": "collect", "data": {"task": "t", '
            '"step": "collect", "progress": {"kind": "progress"}, "at": "x"}}',
        ):
            await ws.send_str(garbage)
        await ws.send_bytes(b"\x00")
        task = await core.send_action("collect")
        assert (await receive_json(ws))["data"]["task"] == task
    worker = await _worker(client, core, [_tag_desc()])
    try:
        for garbage in ("{", '{"task_id": 5}', '{"task_id": "unknown", "result": "done"}'):
            await worker.send_str(garbage)
        await asyncio.sleep(0.05)
        assert len(core.workers) == 1
    finally:
        await worker.close()
    for path, data in (("/graph/resoto/model", b"{"), ("/config/x", b"[]"), ("/graph/resoto/nodes", b"{")):
        async with client.request(
            "PATCH" if "nodes" in path else "PUT", f"{core.url}{path}", data=data, headers=auth()
        ) as resp:
            assert resp.status == 400, path
    assert core.errors == []
    assert len(core.violations) >= 8


async def test_merge_counts_per_task_and_graph_create(
    core: CoreSimulator, client: aiohttp.ClientSession
) -> None:
    async with client.post(
        f"{core.url}/graph/resoto/merge?wait_for_result=False",
        data=ndjson(account_body("acc1", {"r1": []})),
        headers={**auth(), "Content-Type": "application/x-ndjson", "Resoto-Worker-Task-Id": "task-1"},
    ) as resp:
        assert resp.status == 204
    assert core.merge_count("task-1") == 1
    for name, status in (("resoto", 200), ("bad_name", 400), ("snapshot-x", 400), ("other", 200)):
        async with client.post(f"{core.url}/graph/{name}", headers=auth()) as resp:
            assert resp.status == status, name
    async with client.post(f"{core.url}/graph/resoto", headers=auth()) as resp:
        assert (await resp.json())["id"] == "root"


# ---------------------------------------------------------------------------------------------- model
async def test_model_patch_put_and_incompatible_changes(
    core: CoreSimulator, client: aiohttp.ClientSession
) -> None:
    url = f"{core.url}/graph/resoto/model"
    extra = [
        {"fqn": "test_bucket", "bases": ["bucket"], "properties": [{"name": "objects", "kind": "int64"}]},
        {"fqn": "test_enum", "runtime_kind": "string", "enum": ["a", "b"]},
        {
            "fqn": "test_thing",
            "bases": ["resource"],
            "properties": [
                {"name": "labels", "kind": "dictionary[string, string[]]"},
                {"name": "state", "kind": "test_enum"},
                {"name": "age", "kind": "trafo.duration_to_datetime", "synthetic": {"path": ["ctime"]}},
            ],
        },
    ]
    async with client.patch(url, json=extra, headers=auth()) as resp:
        assert resp.status == 200, await resp.text()
        patched = (await resp.json())["kinds"]
    assert "test_instance" in core.model() and "aws_ec2_instance" in core.model()
    rejected = [
        (
            [
                {
                    "fqn": "instance",
                    "bases": ["resource"],
                    "properties": [{"name": "instance_cores", "kind": "string"}],
                }
            ],
            "instance_cores",
        ),
        ([{"fqn": "test_bucket", "bases": ["resource"], "properties": []}], "bases"),
        ([{"fqn": "aws_ec2_instance", "bases": ["instance"], "properties": []}], "bases"),
        ([{"fqn": "test_new", "bases": ["no_such_base"]}], "no_such_base"),
        (
            [{"fqn": "test_new", "bases": [], "properties": [{"name": "p", "kind": "no_such_kind[]"}]}],
            "no_such_kind",
        ),
        ([{"bases": []}], "fqn"),
    ]
    for kinds, message in rejected:
        async with client.patch(url, json=kinds, headers=auth()) as resp:
            assert resp.status == 400, kinds
            assert message in await resp.text()
    # a placeholder mixin kind from the reference data may be defined freely
    async with client.patch(
        url, json=[{"fqn": "example_resource", "bases": ["resource"]}], headers=auth()
    ) as resp:
        assert resp.status == 200
    # PUT replaces: kinds not in the body are gone (but still checked against existing kinds)
    own = [
        k
        for k in core.model().to_json()
        if k["fqn"] in {"resource", "graph_root", "phantom_resource", "cloud", "base_cloud"}
    ]
    async with client.put(url, json=own, headers=auth()) as resp:
        assert resp.status == 200
        assert (await resp.json())["kinds"] < patched
    assert "aws_ec2_instance" not in core.model()
    async with client.get(url, headers=auth()) as resp:
        assert {k["fqn"] for k in await resp.json()} == {
            "resource",
            "graph_root",
            "phantom_resource",
            "cloud",
            "base_cloud",
        }


def test_model_value_checks() -> None:
    model = Model(
        [
            {"fqn": "status", "runtime_kind": "string", "enum": ["on", "off"]},
            {
                "fqn": "thing",
                "bases": [],
                "properties": [
                    {"name": "kind", "kind": "string", "required": True},
                    {"name": "must", "kind": "string", "required": True},
                    {"name": "n", "kind": "int32"},
                    {"name": "f", "kind": "double"},
                    {"name": "flag", "kind": "boolean"},
                    {"name": "d", "kind": "date"},
                    {"name": "dur", "kind": "duration"},
                    {"name": "s", "kind": "status"},
                    {"name": "m", "kind": "dictionary[string, int64]"},
                    {"name": "l", "kind": "string[]"},
                ],
            },
        ]
    )
    model.check_node(
        {
            "kind": "thing",
            "must": "x",
            "n": 1.0,
            "f": 1,
            "flag": True,
            "d": "2023-01-01",
            "dur": "1d2h",
            "s": "on",
            "m": {"a": 1},
            "l": ["x"],
        }
    )
    for bad in (
        {"n": True},
        {"n": 2**40},
        {"f": "1"},
        {"flag": 1},
        {"d": "01.01.2023"},
        {"dur": "soon"},
        {"s": "maybe"},
        {"m": {"a": "x"}},
        {"l": "x"},
    ):
        with pytest.raises(ModelError):
            model.check_node({"kind": "thing", "must": "x", **bad})
    with pytest.raises(ModelError, match="required"):
        model.check_node({"kind": "thing"})


# ---------------------------------------------------------------------------------------------- search & patch
CLEANUP_QUERY = (
    "/desired.clean == true and /metadata.cleaned != true and /metadata.protected!=true "
    'and /ancestors.cloud.reported.id in ["cloud-test", "gcp"] <-default,delete[0:]->'
)


async def test_cleanup_search_and_patch_nodes(core: CoreSimulator, client: aiohttp.ClientSession) -> None:
    body = account_body("acc1", {"r1": ["i1", "i2"], "r2": ["i3"]})
    body += [
        node("v1", "test_volume", volume_size=1, volume_status="in-use"),
        edge("r1", "v1"),
        edge("v1", "i1", "delete"),
    ]
    assert (await merge(client, core, body))[0] == 200
    core.flag_clean("v1")
    core.flag_clean("i3")
    core.set_protected("i3")

    async def search(query: str) -> tuple[int, list[dict[str, Any]]]:
        async with client.post(
            f"{core.url}/graph/resoto/search/graph?section=reported",
            data=query,
            headers={**auth(), "Accept": "application/x-ndjson"},
        ) as resp:
            text = await resp.text()
            if resp.status != 200:
                return resp.status, [{"error": text}]
            assert resp.content_type == "application/x-ndjson"
            return resp.status, [json.loads(line) for line in text.splitlines()]

    status, lines = await search(CLEANUP_QUERY)
    assert status == 200
    node_ids = {line["id"] for line in lines if line["type"] == "node"}
    # v1 matches; its ancestors and the node it depends on come along; i3 is protected, i2/r2 unrelated
    assert node_ids == {"v1", "r1", "acc1", "cloud-test", "root", "i1"}
    edges = {(e["from"], e["to"], e["edge_type"]) for e in lines if e["type"] == "edge"}
    assert ("v1", "i1", "delete") in edges and ("r1", "v1", "default") in edges
    first_node = next(line for line in lines if line["type"] == "node")
    assert set(first_node) == {"id", "type", "revision", "reported", "desired", "metadata"}
    assert lines.index(next(x for x in lines if x["type"] == "edge")) == len(node_ids)  # nodes first

    status, lines = await search(
        '/desired.clean == true and /ancestors.cloud.reported.id in ["aws"] <-default[0:]->'
    )
    assert status == 200 and lines == []
    status, lines = await search("is(instance) and slots >= 2 and name != i1")
    assert {line["id"] for line in lines} == {"i2", "i3"}
    status, lines = await search("is(test_region) -default->")
    assert {line["id"] for line in lines if line["type"] == "node"} == {"i1", "i2", "i3", "v1"}
    status, lines = await search("/metadata.protected == true <-default[0:]-")
    assert {line["id"] for line in lines if line["type"] == "node"} == {
        "i3",
        "r2",
        "acc1",
        "cloud-test",
        "root",
    }
    status, lines = await search("name == ")
    assert status == 400 and "parse" in lines[0]["error"]

    patch = [
        {"id": "v1", "metadata": {"cleaned": True, "event_log": [{"msg": "Successfully cleaned up"}]}},
        {"id": "unknown", "desired": {"clean": False}},
    ]
    async with client.patch(
        f"{core.url}/graph/resoto/nodes",
        data=ndjson(patch),
        headers={**auth(), "Content-Type": "application/x-ndjson"},
    ) as resp:
        assert resp.status == 200
        updated = await resp.json()
    assert [u["id"] for u in updated] == ["v1"] and updated[0]["metadata"]["cleaned"] is True
    assert core.graph().nodes["v1"]["metadata"]["python_type"] == "test.test_volume"
    assert core.patch_lines == patch
    status, lines = await search(CLEANUP_QUERY)
    assert lines == []
    for bad in (
        [{"id": "v1", "usage": {}}],
        [{"id": "v1"}],
        [{"id": "v1", "desired": {}}, {"id": "v1", "desired": {}}],
        [{"id": "i1", "reported": {"slots": "many"}}],
    ):
        async with client.patch(
            f"{core.url}/graph/resoto/nodes",
            data=ndjson(bad),
            headers={**auth(), "Content-Type": "application/x-ndjson"},
        ) as resp:
            assert resp.status == 400, bad


def test_query_parser() -> None:
    query = parse_query(CLEANUP_QUERY)
    assert query.traversal is not None and query.traversal.inbound and query.traversal.outbound
    assert query.traversal.edge_types == ("default", "delete") and query.traversal.until is None
    assert parse_query("is(a, b) and x = bare-word").traversal is None
    assert parse_query("-->").traversal is not None
    for bad in ("a ==", "(a == 1", "a in 1", "is(", "a <-owns[0:]->"):
        with pytest.raises(ValueError):
            parse_query(bad)


# ---------------------------------------------------------------------------------------------- threaded facade
def test_threaded_facade_restart_and_drop() -> None:
    with ThreadedCoreSimulator(psk=PSK) as core:
        port = core.port
        revision = core.set_config("resoto.worker", {"resotoworker": {"graph": "resoto"}})

        async def client_side() -> tuple[int, int, aiohttp.WSMsgType]:
            async with aiohttp.ClientSession() as session:
                async with session.get(f"{core.url}/config/resoto.worker", headers=auth()) as resp:
                    first = resp.status
                ws = await session.ws_connect(f"{core.ws_url}/events", headers=auth())
                await asyncio.sleep(0.05)
                await asyncio.get_running_loop().run_in_executor(None, core.drop_websockets)
                msg = await ws.receive(timeout=5)
                await ws.close()
                async with session.get(f"{core.url}/system/ready") as resp:
                    second = resp.status
                return first, second, msg.type

        assert asyncio.run(client_side()) == (200, 200, aiohttp.WSMsgType.CLOSE)
        core.restart(keep_state=True)
        assert core.port == port and core.get_config_revision("resoto.worker") == revision
        core.restart(keep_state=False)
        assert core.port == port and core.get_config("resoto.worker") is None
        assert len(core.requests_to("^/system/ready$")) == 0  # forgotten with the state
        assert core.wait_until(lambda: True, timeout=1)
