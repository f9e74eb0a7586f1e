"""The config document: defaults, overrides, validation errors, env placeholders, config model."""

from __future__ import annotations

import copy
import logging
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, Field, SecretStr
from resoto_hookspecs import BaseAccount, PluginConfig
from resoto_hookspecs.testing import fake_plugin
from resotoworker.config import (
    WORKER_SECTION,
    WorkerSection,
    apply_overrides,
    build_config,
    config_model,
    defaults_document,
    resolve_env_placeholders,
    section_models,
)
from resotoworker.errors import ConfigurationError
from resotoworker.logs import redact
from resotoworker.plugins import PluginHost, build_plugin_host


class Endpoint(BaseModel):
    url: str = Field("https://api.example", description="Base URL")
    retries: int = Field(3, description="Retries")
    verify: bool = Field(True, description="Verify TLS")


class SampleConfig(PluginConfig):
    token: SecretStr = Field(SecretStr(""), min_length=0, max_length=40, description="API token")
    accounts: list[str] = Field(default_factory=list, description="Accounts")
    region: str | None = Field(None, description="Default region")
    enabled: bool = Field(False, description="On or off")
    limit: int = Field(10, ge=1, description="A limit")
    endpoint: Endpoint = Field(default_factory=Endpoint, description="Where the API is")
    extra_headers: dict[str, str] = Field(default_factory=dict, description="More headers")


class SAccount(BaseAccount):
    kind: ClassVar[str] = "s_account"


def plugin(cloud: str, config: type[PluginConfig] | None) -> Any:
    return fake_plugin(cloud, kinds=[SAccount], config=config)


@pytest.fixture(scope="module")
def host() -> PluginHost:
    h = build_plugin_host(
        entry_points=False,
        objects=[("sample", plugin("sample", SampleConfig)), ("bare", plugin("bare", None))],
    )
    assert h.problems == [] and set(h.plugins) == {"sample", "bare"}
    return h


@pytest.fixture(scope="module")
def installed() -> PluginHost:
    return build_plugin_host()


# -- defaults and the config model ------------------------------------------------------------


def test_defaults_document_has_every_section(host: PluginHost, installed: PluginHost) -> None:
    doc = defaults_document(host)
    assert set(doc) == {WORKER_SECTION, "sample"}  # a plugin without a config model has no section
    assert doc["sample"]["endpoint"] == {"url": "https://api.example", "retries": 3, "verify": True}
    assert doc[WORKER_SECTION] == WorkerSection().model_dump(mode="json")
    # every installed plugin with a config model has its section, and the defaults are valid
    full = defaults_document(installed)
    with_config = {p.cloud.name for p in installed.plugins.values() if p.cloud and p.cloud.config}
    assert set(full) == {WORKER_SECTION} | with_config
    assert with_config >= {"example", "aws", "gcp", "slack"}
    cfg = build_config(full, installed)
    assert set(cfg.plugins) == with_config


def test_defaults_document_never_reveals_a_secret_default() -> None:
    class WithSecretDefault(PluginConfig):
        key: SecretStr = Field(SecretStr("default-secret-value"))

    h = build_plugin_host(entry_points=False, objects=[("s", plugin("s", WithSecretDefault))])
    assert "default-secret-value" not in repr(defaults_document(h))


def test_config_model_includes_every_section(host: PluginHost, installed: PluginHost) -> None:
    kinds = {k["fqn"]: k for k in config_model(host)}
    assert {WORKER_SECTION, "sample", "endpoint"} <= set(kinds)
    worker_props = {p["name"]: p for p in kinds[WORKER_SECTION]["properties"]}
    assert set(worker_props) == set(WorkerSection.model_fields)
    assert all(p["description"] for p in worker_props.values())
    sample = {p["name"]: p["kind"] for p in kinds["sample"]["properties"]}
    assert sample["endpoint"] == "endpoint" and sample["token"] == "string"
    names = {k["fqn"] for k in config_model(installed)}
    for p in installed.plugins.values():
        if p.cloud and p.cloud.config:
            assert p.cloud.name in names
    fqns = [k["fqn"] for k in config_model(installed)]
    assert len(fqns) == len(set(fqns))


# -- overrides ------------------------------------------------------------------------------------


def test_unknown_section_or_key_is_an_error_naming_it(host: PluginHost) -> None:
    with pytest.raises(ConfigurationError, match="nosuch"):
        apply_overrides({}, ["nosuch.key=1"], host)
    with pytest.raises(ConfigurationError, match=r"resotoworker\.pool_sise"):
        apply_overrides({}, ["resotoworker.pool_sise=1"], host)
    with pytest.raises(ConfigurationError, match=r"sample\.endpoint\.nope"):
        apply_overrides({}, ["sample.endpoint.nope=1"], host)
    with pytest.raises(ConfigurationError, match=r"sample\.limit\.sub"):
        apply_overrides({}, ["sample.limit.sub=1"], host)
    with pytest.raises(ConfigurationError, match="no '='"):
        apply_overrides({}, ["resotoworker.graph"], host)
    with pytest.raises(ConfigurationError, match="needs a section"):
        apply_overrides({}, ["graph=x"], host)
    with pytest.raises(ConfigurationError, match="bare"):  # a plugin without config has no section
        apply_overrides({}, ["bare.x=1"], host)


def test_list_values_split_on_commas(host: PluginHost) -> None:
    doc = apply_overrides({}, ["resotoworker.collector=aws, gcp,,example", "sample.accounts=one"], host)
    assert doc[WORKER_SECTION]["collector"] == ["aws", "gcp", "example"]
    assert doc["sample"]["accounts"] == ["one"]
    assert apply_overrides({}, ["sample.accounts="], host)["sample"]["accounts"] == []
    cfg = build_config(doc, host)
    assert cfg.worker.collector == ["aws", "gcp", "example"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("Yes", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("off", False),
    ],
)
def test_bool_values(host: PluginHost, raw: str, expected: bool) -> None:
    doc = apply_overrides({}, [f"resotoworker.cleanup={raw}", f"sample.endpoint.verify={raw}"], host)
    assert doc[WORKER_SECTION]["cleanup"] is expected
    assert doc["sample"]["endpoint"]["verify"] is expected
    cfg = build_config(doc, host)
    assert cfg.worker.cleanup is expected
    sample = cfg.for_cloud("sample")
    assert isinstance(sample, SampleConfig) and sample.endpoint.verify is expected


def test_nested_overrides_start_from_the_defaults(host: PluginHost) -> None:
    doc = apply_overrides({}, ["sample.endpoint.retries=5"], host)
    assert doc["sample"]["endpoint"] == {"url": "https://api.example", "retries": "5", "verify": True}
    sample = build_config(doc, host).for_cloud("sample")
    assert isinstance(sample, SampleConfig) and sample.endpoint.retries == 5
    # values the document holds are kept
    given = {"sample": {"endpoint": {"url": "https://mine"}}}
    doc = apply_overrides(given, ["sample.endpoint.retries=7"], host)
    assert doc["sample"]["endpoint"] == {"url": "https://mine", "retries": "7"}


def test_dict_fields_take_new_keys(host: PluginHost) -> None:
    doc = apply_overrides(
        {}, ["sample.extra_headers.X-Team=core", "resotoworker.files_in_home_dir.a/b.txt=hi"], host
    )
    assert doc["sample"]["extra_headers"] == {"X-Team": "core"}
    # everything after the field is one key: dict keys may hold dots
    assert doc[WORKER_SECTION]["files_in_home_dir"] == {"a/b.txt": "hi"}
    cfg = build_config(doc, host)
    assert cfg.worker.files_in_home_dir == {"a/b.txt": "hi"}
    sample = cfg.for_cloud("sample")
    assert isinstance(sample, SampleConfig) and sample.extra_headers == {"X-Team": "core"}


def test_null_clears_an_optional_value(host: PluginHost) -> None:
    doc = apply_overrides({"sample": {"region": "eu"}}, ["sample.region=null"], host)
    assert doc["sample"]["region"] is None
    doc = apply_overrides({}, ["sample.region=us-east-1"], host)
    assert doc["sample"]["region"] == "us-east-1"


def test_overrides_never_mutate_the_input(host: PluginHost) -> None:
    given: dict[str, Any] = {
        WORKER_SECTION: {"collector": ["aws"], "graph": "g"},
        "sample": {"endpoint": {"retries": 1}, "extra_headers": {"a": "b"}},
    }
    before = copy.deepcopy(given)
    doc = apply_overrides(
        given,
        [
            "resotoworker.collector=gcp",
            "resotoworker.graph=h",
            "sample.endpoint.retries=9",
            "sample.extra_headers.c=d",
        ],
        host,
    )
    assert given == before
    assert doc[WORKER_SECTION] == {"collector": ["gcp"], "graph": "h"}
    assert doc["sample"]["endpoint"]["retries"] == "9"
    assert doc["sample"]["extra_headers"] == {"a": "b", "c": "d"}


def test_a_null_section_is_treated_as_empty(host: PluginHost) -> None:
    doc = apply_overrides({"sample": None}, ["sample.limit=3"], host)
    assert doc["sample"] == {"limit": "3"}


# -- build_config -----------------------------------------------------------------------------


def test_errors_name_section_and_key_and_never_the_value(host: PluginHost) -> None:
    secret = "hunter2-" + "x" * 50  # too long for max_length=40
    with pytest.raises(ConfigurationError) as exc:
        build_config({"sample": {"token": secret}}, host)
    text = str(exc.value)
    assert "sample.token" in text
    assert "hunter2" not in text and secret not in repr(exc.value)

    with pytest.raises(ConfigurationError) as exc:
        build_config({"sample": {"limit": "not-a-number-zz"}}, host)
    assert "sample.limit" in str(exc.value) and "not-a-number-zz" not in str(exc.value)

    with pytest.raises(ConfigurationError) as exc:
        build_config({"sample": {"endpoint": {"retries": "many-zz"}}}, host)
    assert "sample.endpoint.retries" in str(exc.value) and "many-zz" not in str(exc.value)

    with pytest.raises(ConfigurationError) as exc:
        build_config({WORKER_SECTION: {"pool_size": 0}}, host)
    assert "resotoworker.pool_size" in str(exc.value)

    with pytest.raises(ConfigurationError, match="sample"):
        build_config({"sample": ["not", "an", "object"]}, host)


def test_missing_sections_get_defaults_and_unknown_ones_are_ignored(
    host: PluginHost, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        cfg = build_config({"unused": {"a": 1}}, host)
    assert cfg.worker == WorkerSection()
    assert cfg.for_cloud("sample") == SampleConfig()
    assert "unused" in caplog.text
    assert set(section_models(host)) == {WORKER_SECTION, "sample"}


def test_secrets_of_a_built_config_are_redacted_in_logs(host: PluginHost) -> None:
    secret = "tok-9f8e7d6c5b4a"
    cfg = build_config({"sample": {"token": secret}}, host)
    sample = cfg.for_cloud("sample")
    assert isinstance(sample, SampleConfig) and sample.token.get_secret_value() == secret
    assert secret not in redact(f"calling with {secret} now")


# -- environment placeholders -----------------------------------------------------------------


def test_env_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CFG_TEST_TOKEN", "abc")
    monkeypatch.setenv("CFG_TEST_REGION", "eu-1")
    monkeypatch.delenv("CFG_TEST_UNSET", raising=False)
    doc = {
        "sample": {
            "token": "$(CFG_TEST_TOKEN)",
            "region": "prefix-$(CFG_TEST_REGION)-$(CFG_TEST_UNSET)",
            "accounts": ["$(CFG_TEST_REGION)", "plain", "$NOT_A_PLACEHOLDER"],
            "endpoint": {"url": "$(CFG_TEST_UNSET)"},
            "limit": 3,
        }
    }
    before = copy.deepcopy(doc)
    resolved = resolve_env_placeholders(doc)
    assert doc == before
    assert resolved == {
        "sample": {
            "token": "abc",
            "region": "prefix-eu-1-",
            "accounts": ["eu-1", "plain", "$NOT_A_PLACEHOLDER"],
            "endpoint": {"url": None},
            "limit": 3,
        }
    }
