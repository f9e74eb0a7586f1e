"""The ``resotoworker`` command."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from resotoworker.cli import check_document, check_override_keys, parse_args
from resotoworker.collect_report import CollectReport
from resotoworker.config import (
    WorkerConfig,
    apply_overrides,
    build_config,
    defaults_document,
    resolve_env_placeholders,
    section_models,
)
from resotoworker.errors import ConfigurationError, TlsError, WorkerError
from resotoworker.logs import redact, register_secret, setup_logging
from resotoworker.plugins import PluginHost, build_plugin_host

log = logging.getLogger("resotoworker")


def list_plugins(host: PluginHost) -> str:
    lines = []
    for plugin in host.plugins.values():
        origin = f"{plugin.dist} {plugin.version}" if plugin.dist else "(module)"
        section = plugin.cloud.name if plugin.cloud and plugin.cloud.config else "-"
        lines.append(f"{plugin.name}  {origin}")
        lines.append(f"    cloud: {plugin.cloud.name if plugin.cloud else '-'}   config section: {section}")
        if plugin.cloud and plugin.cloud.description:
            lines.append(f"    {plugin.cloud.description}")
        lines.append(f"    hooks: {', '.join(plugin.hooks)}")
        lines.append(f"    kinds: {len(plugin.kinds)}")
    for problem in host.problems:
        lines.append(f"BROKEN {problem}")
    if not lines:
        lines.append("no plugins installed (pip install resoto-plugin-<cloud>)")
    return "\n".join(lines)


def check_plugin_names(host: PluginHost, enable: Sequence[str], disable: Sequence[str]) -> None:
    """Exit 2 on an ``--enable-plugins`` name that is not installed; warn on such a ``--disable-plugins`` name."""
    installed = ", ".join(host.discovered) or "none"
    unknown = [name for name in enable if name not in host.discovered]
    if unknown:
        raise ConfigurationError(
            f"--enable-plugins: no installed plugin is named {', '.join(unknown)}",
            hint=f"installed plugins: {installed}",
        )
    for name in disable:
        if name not in host.discovered:
            log.warning("--disable-plugins: no installed plugin is named %s (installed: %s)", name, installed)


def print_policy(host: PluginHost, cloud: str, with_cleanup: bool) -> int:
    plugin = host.by_cloud(cloud)
    if plugin is None:
        clouds = sorted(p.cloud.name for p in host.plugins.values() if p.cloud)
        raise ConfigurationError(
            f"no installed plugin collects {cloud!r}",
            hint=f"installed clouds: {', '.join(clouds) or 'none'}",
        )
    if "access_policy" not in plugin.hooks:
        raise ConfigurationError(f"plugin {plugin.name} does not describe its access policy")
    config = build_config({}, host).for_cloud(cloud)
    policy = host.hooks(plugin.name).access_policy(config=config, include_cleanup=with_cleanup)
    print(json.dumps(policy, indent=2))
    return 0


def check_overrides(host: PluginHost, overrides: list[str]) -> None:
    """Fail fast (exit 2) on an override that cannot work, before anything else starts."""
    models = section_models(host)
    check_override_keys(overrides, models)
    document = apply_overrides(defaults_document(host), overrides, host)
    check_document(document, models, "--override")


def one_shot_config(host: PluginHost, path: str | None, overrides: list[str]) -> WorkerConfig:
    from resotoworker.oneshot import load_document, local_config

    models = section_models(host)
    check_override_keys(overrides, models)
    if path:
        check_document(resolve_env_placeholders(load_document(path)), models, f"the config file {path}")
    check_overrides(host, overrides)
    return local_config(host, path, overrides)


def nothing_collected(report: CollectReport) -> WorkerError:
    """One line that says why a one-shot collect produced nothing, and what to look at."""
    problems = report.plugin_errors + report.account_errors + report.errors + report.skips
    if not report.units and not problems:
        return WorkerError(
            "nothing was collected: no collector plugin is installed or configured",
            hint="see --list-plugins and resotoworker.collector",
        )
    first = "; ".join(problems[:3]) if problems else "every collection unit failed"
    more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
    return WorkerError(
        f"nothing was collected: {first}{more}",
        hint="check the credentials and config of the cloud named here (--list-plugins shows broken "
        "plugins); --verbose shows details",
    )


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging(
        verbose=args.verbose,
        quiet=args.quiet,
        trace=args.trace,
        text=True if args.log_format == "text" else None,
    )
    register_secret(args.psk)
    register_secret(args.cert_key_pass)
    wanted = _one_shot_collectors(args) if args.collect_once and not args.enable_plugins else None
    host = build_plugin_host(
        enable=set(args.enable_plugins) or wanted, disable=set(args.disable_plugins), modules=args.plugin
    )
    if wanted and not wanted <= {p.cloud.name for p in host.collectors() if p.cloud}:
        # a plugin's entry point is not named after its cloud: load them all after all
        host = build_plugin_host(disable=set(args.disable_plugins), modules=args.plugin)
    check_plugin_names(host, args.enable_plugins, args.disable_plugins)
    if args.list_plugins:
        print(list_plugins(host))
        return 0
    if args.print_iam_policy:
        return print_policy(host, args.print_iam_policy, args.with_cleanup)
    if args.collect_once:
        from resotoworker.oneshot import collect_once
        from resotoworker.progress import TerminalFeedback

        config = one_shot_config(host, args.config, args.override)
        feedback = TerminalFeedback(sys.stdout)
        report = asyncio.run(collect_once(host, config, Path(args.output) if args.output else None, feedback))
        feedback.close()
        print(report.summary())
        if report.nothing_collected:
            raise nothing_collected(report)
        if args.output:
            print(f"graph written to {args.output}")
        if args.strict and report.withheld:
            kinds = len({(f.cloud, f.kind) for f in report.withheld})
            _say(f"--strict: {kinds} kind(s) could not be read and were left out (see the summary)")
            return STRICT_EXIT
        return 0
    check_overrides(host, args.override)
    from resotoworker.daemon import run_daemon

    return int(run_daemon(args, host))


STRICT_EXIT = 3
"""``--collect-once --strict``: collected, but some kind was denied or failed."""


def _one_shot_collectors(args: argparse.Namespace) -> set[str] | None:
    """The collectors a one-shot run asks for, so only their plugins are imported (faster, leaner).

    Entry points are conventionally named after their cloud; the caller falls back to loading every
    plugin when that does not hold.
    """
    from resotoworker.oneshot import load_document

    try:
        doc = load_document(args.config)
    except WorkerError:
        return None  # the real load reports the problem
    section = doc.get("resotoworker")
    wanted = section.get("collector") if isinstance(section, dict) else None
    for item in args.override:
        if item.startswith("resotoworker.collector="):
            wanted = [v.strip() for v in item.split("=", 1)[1].split(",") if v.strip()]
    if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
        return None
    modules = {m.rsplit(".", 1)[-1] for m in args.plugin}  # --plugin modules always load
    return set(wanted) | modules if wanted else None


def _say(message: str) -> None:
    print(f"resotoworker: error: {redact(message)}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    """The console script: one line on stderr for an error an operator can fix, a traceback only
    with ``--verbose`` (or ``--trace``)."""
    from resotoworker.tuning import tune_process

    tune_process()
    try:
        code = run(argv)
    except WorkerError as exc:
        if isinstance(exc, TlsError) and exc.hint is None:
            exc.hint = "check --psk, or trust the core's CA with --ca-cert"
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s", exc, exc_info=True)
        _say(str(exc))
        code = exc.exit_code
    except OSError as exc:  # a file the operator named cannot be read or written
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s", exc, exc_info=True)
        where = f" {exc.filename}" if exc.filename else ""
        _say(f"cannot use{where}: {exc.strerror or exc}")
        code = 1
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()

__all__ = ["defaults_document", "main", "run"]
