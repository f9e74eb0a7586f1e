"""The plugin's botocore loader: lean service models, parsed once, usable by real clients."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

import botocore.loaders
from aws.support_aws import ACCOUNT, client
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.service_models import (
    DOC_KEYS,
    KEEP_WHOLE,
    LeanLoader,
    PlainJSONFileLoader,
    make_lean,
    named_operations,
)
from resoto_plugin_aws.sessions import SESSIONS, Access, shared_loader


def _walk(node: Any) -> Any:
    yield node
    if isinstance(node, dict):
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


class CountingFileLoader(PlainJSONFileLoader):
    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self._lock = threading.Lock()

    def load_file(self, file_path: str) -> Any:
        found = super().load_file(file_path)
        if found is not None:
            with self._lock:
                self.loaded.append(file_path)
        return found


def test_a_service_model_keeps_the_named_operations_and_the_shapes_they_reach() -> None:
    full = botocore.loaders.Loader().load_service_model("ec2", "service-2")
    lean = LeanLoader().load_service_model("ec2", "service-2")
    assert "DescribeInstances" in lean["operations"] and "DescribeVolumes" in lean["operations"]
    assert "AcceptReservedInstancesExchangeQuote" in full["operations"]
    assert "AcceptReservedInstancesExchangeQuote" not in lean["operations"]
    assert set(lean["operations"]) == named_operations(full["operations"])
    assert len(lean["operations"]) < len(full["operations"]) // 5
    # every shape an operation reaches is there, and nothing else
    shapes = lean["shapes"]
    todo = [op["output"]["shape"] for op in lean["operations"].values() if "output" in op]
    todo += [op["input"]["shape"] for op in lean["operations"].values() if "input" in op]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]  # KeyError: a reached shape was dropped
        todo += [m["shape"] for m in shape.get("members", {}).values()]
        todo += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
    assert seen <= set(shapes) < set(full["shapes"])
    assert lean["metadata"] == full["metadata"]
    assert shapes["Instance"]["members"]["InstanceId"] == {
        k: "" if k in DOC_KEYS else v for k, v in full["shapes"]["Instance"]["members"]["InstanceId"].items()
    }


def test_models_are_plain_dicts_without_documentation() -> None:
    loader = LeanLoader()
    for service in ("sqs", "s3"):
        model = loader.load_service_model(service, "service-2")
        nodes = list(_walk(model))
        assert not any(isinstance(n, OrderedDict) for n in nodes)
        docs = [n[k] for n in nodes if isinstance(n, dict) for k in DOC_KEYS & n.keys()]
        assert docs and not any(docs)  # the keys are there, emptied
    assert loader.load_data("endpoints").__class__ is dict


def test_services_botocore_calls_itself_stay_whole() -> None:
    assert "s3" in KEEP_WHOLE
    full = botocore.loaders.Loader().load_service_model("s3", "service-2")
    lean = LeanLoader().load_service_model("s3", "service-2")
    assert set(lean["operations"]) == set(full["operations"])
    assert set(lean["shapes"]) == set(full["shapes"])


def test_threads_that_need_a_model_at_once_parse_it_once() -> None:
    files = CountingFileLoader()
    loader = LeanLoader(file_loader=files)
    start = threading.Barrier(8)
    got: list[Any] = []

    def load() -> None:
        start.wait()
        got.append(loader.load_service_model("glue", "service-2"))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and all(m is got[0] for m in got)
    assert sum(1 for path in files.loaded if path.endswith("service-2")) == 1
    assert "GetDatabases" in got[0]["operations"]


def test_a_client_on_the_lean_model_reads_from_moto(moto: str) -> None:
    vpc = client("ec2").create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]  # boto3's own loader
    ec2 = SESSIONS.client(Access(ACCOUNT), AwsConfig(), "ec2", "us-east-1")
    assert not hasattr(ec2, "create_vpc")  # the plugin never names CreateVpc
    described = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"]
    assert [v["CidrBlock"] for v in described] == ["10.7.0.0/16"]
    assert shared_loader().load_service_model("ec2", "service-2") is shared_loader().load_service_model(
        "ec2", "service-2", None
    )


def test_a_member_named_like_documentation_keeps_its_shape() -> None:
    model = botocore.loaders.Loader().load_service_model("bedrock", "service-2")
    model = json.loads(json.dumps(model))
    member = model["shapes"]["GuardrailTopic"]["members"]["examples"]
    assert "shape" in member
    make_lean(model, whole=True)
    assert model["shapes"]["GuardrailTopic"]["members"]["examples"]["shape"] == member["shape"]
    assert model["shapes"]["GuardrailTopic"]["documentation"] == ""
