"""Drives the Slack plugin's hooks the way the kernel does, for tests against the fake."""

from __future__ import annotations

from dataclasses import dataclass, field

from resoto_hookspecs import CollectionUnit, GraphBuilder, MemorySink, RecordingReporter
from resoto_plugin_slack import plugin
from resoto_plugin_slack.config import SlackConfig

from fakes.slack.server import FakeSlack

TOKEN = "xoxb-1111-2222-S3cr3tT0kenValue"
OTHER_TOKEN = "xoxb-3333-4444-An0therS3cret"


@dataclass
class Collected:
    """The outcome of collection_units + collect over every unit."""

    units: list[CollectionUnit]
    reporter: RecordingReporter
    sinks: dict[str, MemorySink] = field(default_factory=dict)
    builders: dict[str, GraphBuilder] = field(default_factory=dict)
    failures: dict[str, BaseException] = field(default_factory=dict)

    def sink(self, unit_name: str | None = None) -> MemorySink:
        return self.sinks[unit_name or self.units[0].name]

    def messages(self) -> list[str]:
        r = self.reporter
        return r.infos + [e[0] for e in r.errors] + [s[0] for s in r.skips]


def run_collect(config: SlackConfig) -> Collected:
    """Drive the hooks as the kernel does: units first, then collect each into its own sink."""
    reporter = RecordingReporter()
    result = Collected(
        units=list(plugin.collection_units(config=config, reporter=reporter)), reporter=reporter
    )
    for unit in result.units:
        sink = MemorySink()
        builder = GraphBuilder(unit, sink, reporter)
        result.sinks[unit.name] = sink
        result.builders[unit.name] = builder
        try:
            plugin.collect(unit=unit, config=config, builder=builder, reporter=reporter)
        except Exception as e:  # the kernel isolates a failed unit; so do we
            result.failures[unit.name] = e
    return result


def config_for(server: FakeSlack, **kwargs: object) -> SlackConfig:
    """A config with TOKEN pointed at the fake; ``kwargs`` override or add keys."""
    return SlackConfig.model_validate({"bot_token": TOKEN, "base_url": server.base_url, **kwargs})
