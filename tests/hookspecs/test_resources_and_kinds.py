"""Resource models and their export as core kinds (protocol §5.4) against the reference model."""

from __future__ import annotations

import inspect
import json
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel, Field, SecretStr, ValidationError
from resoto_hookspecs import (
    BaseInstance,
    BaseResource,
    BaseVolume,
    KindModel,
    PluginConfig,
    config_kinds,
    resource_kinds,
)
from resoto_hookspecs import resources as resources_module
from resoto_hookspecs.graph import reported_json

REFERENCE = Path(__file__).resolve().parent.parent / "fixtures" / "reference-model" / "base-kinds.json"
Json = dict[str, Any]


def base_classes() -> list[type[BaseResource]]:
    return [
        c
        for c in vars(resources_module).values()
        if inspect.isclass(c) and issubclass(c, BaseResource) and c.__module__ == resources_module.__name__
    ]


@pytest.fixture(scope="module")
def reference() -> dict[str, Json]:
    return {k["fqn"]: k for k in json.loads(REFERENCE.read_text())}


@pytest.fixture(scope="module")
def exported() -> dict[str, Json]:
    kinds = resource_kinds(base_classes())
    names = [k["fqn"] for k in kinds]
    assert len(names) == len(set(names)), "a kind is exported twice"
    return {k["fqn"]: k for k in kinds}


def props(kind: Json) -> dict[str, str]:
    return {p["name"]: p["kind"] for p in kind.get("properties", [])}


# -- the base kinds equal the reference model ---------------------------------------------------


def test_same_kind_names_as_the_reference(reference: dict[str, Json], exported: dict[str, Json]) -> None:
    assert sorted(exported) == sorted(reference)


def test_bases_properties_enums_and_metadata_match(
    reference: dict[str, Json], exported: dict[str, Json]
) -> None:
    mismatches: list[str] = []
    for name, ref in sorted(reference.items()):
        ours = exported.get(name)
        if ours is None:
            mismatches.append(f"{name}: missing")
            continue
        if "runtime_kind" in ref:
            if (ours.get("runtime_kind"), ours.get("enum")) != (ref["runtime_kind"], ref.get("enum")):
                mismatches.append(f"{name}: enum {ours.get('enum')} != {ref.get('enum')}")
            continue
        for key in ("bases", "metadata", "aggregate_root", "allow_unknown_props", "successor_kinds"):
            if ours.get(key) != ref.get(key):
                mismatches.append(f"{name}.{key}: {ours.get(key)!r} != {ref.get(key)!r}")
        if list(props(ours).items()) != list(props(ref).items()):
            mismatches.append(f"{name}.properties: {props(ours)} != {props(ref)}")
    assert mismatches == []


def test_export_is_exactly_the_reference_json(reference: dict[str, Json], exported: dict[str, Json]) -> None:
    # whole-document equality: required flags, descriptions, synthetic properties and all
    assert exported == reference


def test_resource_has_synthetic_age_properties_and_a_required_kind(exported: dict[str, Json]) -> None:
    resource = {p["name"]: p for p in exported["resource"]["properties"]}
    assert resource["age"]["synthetic"] == {"path": ["ctime"]}
    assert resource["last_update"]["synthetic"] == {"path": ["mtime"]}
    assert resource["last_access"]["synthetic"] == {"path": ["atime"]}
    assert resource["kind"]["required"] is True
    assert [p for p in resource if p not in ("age", "last_update", "last_access", "kind")] == list(
        BaseResource.model_fields
    )


# -- resource values ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        datetime(2023, 1, 2, 3, 4, 5, 999_999),  # naive: taken as UTC
        datetime(2023, 1, 2, 5, 4, 5, 1, tzinfo=timezone(timedelta(hours=2))),
        datetime(2023, 1, 1, 22, 4, 5, 500_000, tzinfo=ZoneInfo("America/New_York")),
        datetime(2023, 1, 2, 3, 4, 5, tzinfo=ZoneInfo("UTC")),
        datetime(2023, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(0))),
        "2023-01-02T03:04:05.123456+00:00",
        "2023-01-02T04:04:05+01:00",
    ],
)
def test_datetimes_are_utc_with_second_precision(given: Any) -> None:
    vol = BaseVolume(id="v", ctime=given, mtime=given, atime=given)
    assert vol.ctime == datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert vol.ctime is not None and vol.ctime.microsecond == 0 and vol.ctime.utcoffset() == timedelta(0)
    reported = json.loads(reported_json(vol))
    assert reported["ctime"] == reported["mtime"] == reported["atime"] == "2023-01-02T03:04:05Z"


def test_name_defaults_to_id_and_an_explicit_name_is_kept() -> None:
    assert BaseInstance(id="i-1").name == "i-1"
    assert BaseInstance(id="i-1", name="web").name == "web"
    # every instance gets its own default
    a, b = BaseInstance(id="a"), BaseInstance(id="b")
    assert (a.name, b.name) == ("a", "b")
    with pytest.raises(ValidationError):
        BaseInstance()  # type: ignore[call-arg]


def test_reported_json_strips_nulls_keeps_key_only_tags_and_adds_kind() -> None:
    inst = BaseInstance(
        id="i-1", tags={"owner": "me", "keyonly": None}, instance_cores=2, instance_status="running"
    )
    reported = json.loads(reported_json(inst))
    assert reported == {
        "id": "i-1",
        "name": "i-1",
        "tags": {"owner": "me", "keyonly": None},
        "instance_cores": 2.0,
        "instance_status": "running",
        "kind": "instance",
    }
    assert "ctime" not in reported and "instance_type" not in reported


def test_unknown_enum_value_is_rejected() -> None:
    with pytest.raises(ValidationError):
        BaseVolume(id="v", volume_status="melted")


# -- nested kinds, enums and the type mapping --------------------------------------------------


class DiskState(StrEnum):
    attached = "attached"
    detached = "detached"


class Mount(KindModel):
    kind: ClassVar[str] = "test_mount"
    path: str
    read_only: bool = False
    state: DiskState | None = None


class Placement(KindModel):
    kind: ClassVar[str] = "test_placement"
    mounts: list[Mount] = Field(default_factory=list)


class Color(Enum):
    red = 1
    blue = 2


class SampleServer(BaseInstance):
    kind: ClassVar[str] = "sample_server"
    kind_metadata: ClassVar[dict[str, Any]] = {"icon": "instance", "group": "compute"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["test_disk"], "delete": ["test_disk"]}
    placement: Placement | None = None
    by_device: dict[str, Mount] = Field(default_factory=dict)
    color: Color | None = None
    launched: date | None = None
    uptime: timedelta | None = None
    tier: Literal["gold", "silver"] | None = None
    ports: list[int] | None = None
    labels: dict[str, list[str]] | None = None
    anything: Any = None


class SampleServerVariant(SampleServer):
    kind: ClassVar[str] = "sample_server_variant"
    generation: int = 1


def test_nested_models_and_enums_export_as_their_own_kinds() -> None:
    kinds = {k["fqn"]: k for k in resource_kinds([SampleServerVariant])}
    server = kinds["sample_server"]
    assert server["bases"] == ["instance"]
    assert props(server) == {
        "placement": "test_placement",
        "by_device": "dictionary[string, test_mount]",
        "color": "color",
        "launched": "date",
        "uptime": "duration",
        "tier": "string",
        "ports": "int64[]",
        "labels": "dictionary[string, string[]]",
        "anything": "any",
    }
    assert server["successor_kinds"] == {"default": ["test_disk"], "delete": ["test_disk"]}
    assert server["metadata"] == {"icon": "instance", "group": "compute"}
    assert server["aggregate_root"] is True

    placement = kinds["test_placement"]
    assert placement["aggregate_root"] is False
    assert placement["bases"] == []
    assert props(placement) == {"mounts": "test_mount[]"}
    assert props(kinds["test_mount"]) == {"path": "string", "read_only": "boolean", "state": "disk_state"}
    assert kinds["disk_state"] == {
        "fqn": "disk_state",
        "runtime_kind": "string",
        "enum": ["attached", "detached"],
    }
    assert kinds["color"]["enum"] == ["1", "2"]

    variant = kinds["sample_server_variant"]
    assert variant["bases"] == ["sample_server"]
    # only its own properties; successor kinds and metadata are not inherited into the export
    assert props(variant) == {"generation": "int64"}
    assert variant["successor_kinds"] is None
    assert variant["metadata"] is None
    # every base up to resource comes along, each once
    for name in ("instance", "resource", "resource_short_property_access", "instance_status"):
        assert name in kinds
    assert len(kinds) == len(resource_kinds([SampleServerVariant]))


def test_every_referenced_kind_is_exported() -> None:
    kinds = resource_kinds([SampleServerVariant, *base_classes()])
    defined = {k["fqn"] for k in kinds}
    simple = {"string", "int64", "double", "boolean", "datetime", "date", "duration", "any"}
    simple.add("trafo.duration_to_datetime")
    for kind in kinds:
        for base in kind.get("bases", []):
            assert base in defined, f"{kind['fqn']}: base {base} not exported"
        for prop in kind.get("properties", []):
            expr = prop["kind"]
            names = expr.replace("dictionary[", "").replace("]", "").replace("[", "").split(", ")
            for n in names:
                assert n in simple or n in defined, f"{kind['fqn']}.{prop['name']}: {n} not exported"


# -- config kinds ---------------------------------------------------------------------------------


class Credentials(BaseModel):
    key_id: str = Field(description="The access key id")
    secret: SecretStr | None = Field(None, description="The secret access key")


class SampleConfig(PluginConfig):
    accounts: list[str] = Field(default_factory=list, description="Accounts to collect")
    token: SecretStr = Field(SecretStr(""), description="API token")
    retries: int = Field(3, description="How often to retry")
    region: str | None = Field(None, description="Default region")
    credentials: Credentials | None = Field(None, description="Explicit credentials")
    mode: DiskState = Field(DiskState.attached, description="A mode")


def test_config_kinds_have_descriptions_and_required_flags() -> None:
    kinds = {k["fqn"]: k for k in config_kinds("sample", SampleConfig)}
    root = kinds["sample"]
    assert root["bases"] == []
    assert root["aggregate_root"] is False
    by_name = {p["name"]: p for p in root["properties"]}
    assert list(by_name) == list(SampleConfig.model_fields)
    assert {n: p["description"] for n, p in by_name.items()} == {
        n: f.description for n, f in SampleConfig.model_fields.items()
    }
    assert {n: p["kind"] for n, p in by_name.items()} == {
        "accounts": "string[]",
        "token": "string",
        "retries": "int64",
        "region": "string",
        "credentials": "credentials",
        "mode": "disk_state",
    }
    assert {n: p["required"] for n, p in by_name.items()} == {
        "accounts": True,
        "token": True,
        "retries": True,
        "region": False,
        "credentials": False,
        "mode": True,
    }
    # the nested model is a kind of its own, with its own descriptions and required flags
    nested = {p["name"]: p for p in kinds["credentials"]["properties"]}
    assert nested["key_id"]["description"] == "The access key id"
    assert nested["secret"]["description"] == "The secret access key"
    assert (nested["key_id"]["required"], nested["secret"]["required"]) == (True, False)
    assert kinds["disk_state"]["enum"] == ["attached", "detached"]
    # a resource export has no descriptions; a config export never leaks a default secret
    assert "hunter2" not in json.dumps(config_kinds("sample", SampleConfig))
