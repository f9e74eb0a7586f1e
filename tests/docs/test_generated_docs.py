"""The generated references in docs/reference/ match the code, and the check notices when they do not."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest
from pydantic import Field, SecretStr
from resoto_hookspecs import HOOK_NAMES, PluginConfig
from resotoworker import metrics
from resotoworker.cli import build_parser, env_name
from resotoworker.config import WorkerSection
from resotoworker.plugins import build_plugin_host
from support import ROOT


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "tools" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_docs"] = module
    spec.loader.exec_module(module)
    return module


gen_docs = _load_generator()


@pytest.fixture(scope="module")
def rendered() -> dict[Path, str]:
    result: dict[Path, str] = gen_docs.render_all()
    return result


def test_committed_references_are_up_to_date(rendered: dict[Path, str]) -> None:
    stale = gen_docs.stale(ROOT, rendered)
    assert stale == [], (
        f"stale generated docs {[str(p) for p in stale]}: run .venv/bin/python tools/gen_docs.py"
    )


def test_generation_is_deterministic(rendered: dict[Path, str]) -> None:
    assert gen_docs.render_all() == rendered
    for text in rendered.values():
        assert str(ROOT) not in text  # nothing machine-specific


def test_check_detects_an_edited_and_a_missing_file(tmp_path: Path, rendered: dict[Path, str]) -> None:
    assert sorted(gen_docs.write(tmp_path, rendered)) == sorted(rendered)
    assert gen_docs.stale(tmp_path, rendered) == []
    config = tmp_path / "docs" / "reference" / "config.md"
    config.write_text(config.read_text().replace("`10800`", "`10801`", 1))
    (tmp_path / "docs" / "reference" / "hooks.md").unlink()
    assert sorted(gen_docs.stale(tmp_path, rendered)) == [
        Path("docs/reference/config.md"),
        Path("docs/reference/hooks.md"),
    ]
    assert gen_docs.write(tmp_path, rendered) == [
        Path("docs/reference/config.md"),
        Path("docs/reference/hooks.md"),
    ]
    assert gen_docs.stale(tmp_path, rendered) == []


def test_check_command_exits_1_and_names_the_stale_file(tmp_path: Path, rendered: dict[Path, str]) -> None:
    gen_docs.write(tmp_path, rendered)
    metrics_md = tmp_path / "docs" / "reference" / "metrics.md"
    metrics_md.write_text(metrics_md.read_text() + "\nhand edit\n")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_docs.py"), "--check", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    stale_lines = [line for line in proc.stderr.splitlines() if line.startswith("stale:")]
    assert stale_lines == [
        "stale: docs/reference/metrics.md (regenerate with: .venv/bin/python tools/gen_docs.py)"
    ]
    assert metrics_md.read_text().endswith("hand edit\n")  # --check writes nothing


def test_config_reference_has_every_key_of_every_section(rendered: dict[Path, str]) -> None:
    text = rendered[Path("docs/reference/config.md")]
    host = build_plugin_host()
    sections: dict[str, type[PluginConfig] | type[WorkerSection]] = {"resotoworker": WorkerSection}
    for plugin in host.plugins.values():
        if (
            plugin.cloud is not None
            and plugin.cloud.config is not None
            and gen_docs.is_repository_plugin(plugin.dist)
        ):
            sections[plugin.cloud.name] = plugin.cloud.config
    assert len(sections) > 1, "no plugin section installed"
    for section, model in sections.items():
        assert f"\n## {section}\n" in text
        for name, info in model.model_fields.items():
            row = next((r for r in text.splitlines() if r.startswith(f"| `{section}.{name}` |")), None)
            assert row is not None, f"{section}.{name} missing"
            if info.description:
                assert " ".join(info.description.split())[:30] in row.replace("\\|", "|")
    for key in WorkerSection.restart_required:
        row = next(r for r in text.splitlines() if r.startswith(f"| `resotoworker.{key}` |"))
        assert "| yes |" in row


def test_secret_defaults_are_not_shown() -> None:
    class Demo(PluginConfig):
        restart_required: ClassVar[frozenset[str]] = frozenset({"token"})
        token: SecretStr = Field(default=SecretStr("s3cr3t-default"), description="The token.")
        tokens: list[SecretStr] = Field(default_factory=list, description="More tokens.")
        size: int = Field(default=3, ge=1, description="A size.")

    lines = "\n".join(gen_docs.config_section_lines("demo", Demo, Demo.restart_required))
    assert "s3cr3t" not in lines
    assert "| `demo.token` | secret string | (secret) | yes | The token. |" in lines
    assert "| `demo.tokens` | list of secret string | `[]` |  | More tokens. |" in lines
    assert "| `demo.size` | integer (≥ 1) | `3` |  | A size. |" in lines


def test_cli_reference_has_every_flag_with_its_environment_variable(rendered: dict[Path, str]) -> None:
    text = rendered[Path("docs/reference/cli.md")]
    parser = build_parser()
    for action in parser._actions:
        long = next((o for o in action.option_strings if o.startswith("--")), None)
        if long is None or long == "--help":
            continue
        row = next((r for r in text.splitlines() if f"`{long}" in r), None)
        assert row is not None, f"{long} missing"
        assert f"`{env_name(long)}`" in row
        assert "[env:" not in row


def test_metrics_reference_has_every_registered_metric(rendered: dict[Path, str]) -> None:
    text = rendered[Path("docs/reference/metrics.md")]
    families = list(metrics.REGISTRY.collect())
    assert families
    for family in families:
        assert f"`{family.name}" in text, family.name
        assert family.documentation in text


def test_hooks_reference_lists_every_hook_in_lifecycle_order(rendered: dict[Path, str]) -> None:
    text = rendered[Path("docs/reference/hooks.md")]
    positions = [text.index(f"\n## {name}\n") for name in HOOK_NAMES]
    assert positions == sorted(positions)
    collect = text[text.index("\n## collect\n") :]
    collect = collect[: collect.index("\n## ", 5)]
    assert "def collect(unit: CollectionUnit, config: PluginConfig | None" in collect
    assert (
        "- `builder`:" in collect
        and "**Raises**" in collect
        and "```python\nfrom resoto_hookspecs import hookimpl\n\n@hookimpl" in collect
    )
    plan = text[text.index("\n## plan_cleanup\n") :]
    assert "broadcast" in plan[: plan.index("\n## ", 5)]


THIRD_PARTY_PLUGIN = """\
from typing import Any, ClassVar

from pydantic import Field
from resoto_hookspecs import BaseAccount, BaseInstance, CloudInfo, CollectionUnit, PluginConfig, hookimpl


class ThirdPartyConfig(PluginConfig):
    endpoint: str = Field(default="https://api.thirdparty.invalid", description="Where the API lives.")


class ThirdPartyInstance(BaseInstance):
    kind: ClassVar[str] = "thirdpartydocs_instance"


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name="thirdpartydocs", config=ThirdPartyConfig)


@hookimpl
def resource_kinds() -> list[type[BaseInstance]]:
    return [ThirdPartyInstance]


@hookimpl
def collection_units() -> list[CollectionUnit]:
    return []


@hookimpl
def collect(unit: CollectionUnit) -> None:
    return None
"""


def test_a_third_party_plugin_in_the_environment_leaves_the_references_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered: dict[Path, str]
) -> None:
    """A plugin a user develops in the same virtualenv is loaded by the kernel, but not documented here."""
    (tmp_path / "thirdpartydocs_plugin.py").write_text(THIRD_PARTY_PLUGIN)
    dist_info = tmp_path / "resoto_plugin_thirdpartydocs-1.0.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: resoto-plugin-thirdpartydocs\nVersion: 1.0.0\n"
    )
    (dist_info / "entry_points.txt").write_text(
        textwrap.dedent(
            """\
            [resoto.plugins]
            thirdpartydocs = thirdpartydocs_plugin
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "thirdpartydocs_plugin", raising=False)
    host = build_plugin_host()
    plugin = host.plugins.get("thirdpartydocs")
    assert plugin is not None, host.problems  # the kernel sees it ...
    assert plugin.dist == "resoto-plugin-thirdpartydocs" and plugin.cloud is not None
    assert not gen_docs.is_repository_plugin(plugin.dist)
    again = gen_docs.render_all()  # ... the generated pages do not
    assert "thirdpartydocs" not in again[Path("docs/reference/config.md")]
    assert again == rendered
    assert gen_docs.stale(ROOT, again) == []
    sys.modules.pop("thirdpartydocs_plugin", None)


def test_the_repository_plugins_are_the_ones_in_plugins_dir() -> None:
    dists = gen_docs.repository_plugin_dists()
    assert {"resoto-plugin-aws", "resoto-plugin-gcp", "resoto-plugin-slack", "resoto-plugin-example"} <= dists
    assert gen_docs.is_repository_plugin("resoto_plugin_aws")  # normalized as pip does
    assert not gen_docs.is_repository_plugin(None)
