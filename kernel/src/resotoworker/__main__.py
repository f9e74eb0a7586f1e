"""The ``resotoworker`` command."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from resotoworker.cli import parse_args
from resotoworker.config import build_config, defaults_document
from resotoworker.errors import WorkerError
from resotoworker.logs import register_secret, setup_logging
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


def print_policy(host: PluginHost, cloud: str, with_cleanup: bool) -> int:
    plugin = host.by_cloud(cloud)
    if plugin is None:
        print(f"resotoworker: no installed plugin collects {cloud!r}", file=sys.stderr)
        return 2
    if "access_policy" not in plugin.hooks:
        print(f"resotoworker: plugin {plugin.name} does not describe its access policy", file=sys.stderr)
        return 2
    config = build_config({}, host).for_cloud(cloud)
    policy = host.call(plugin.name, "access_policy", config=config, include_cleanup=with_cleanup)
    print(json.dumps(policy, indent=2))
    return 0


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
    host = build_plugin_host(
        enable=set(args.enable_plugins) or None, disable=set(args.disable_plugins), modules=args.plugin
    )
    if args.list_plugins:
        print(list_plugins(host))
        return 0
    if args.print_iam_policy:
        return print_policy(host, args.print_iam_policy, args.with_cleanup)
    if args.collect_once:
        from resotoworker.oneshot import collect_once, local_config
        from resotoworker.progress import TerminalFeedback

        config = local_config(host, args.config, args.override)
        feedback = TerminalFeedback(sys.stderr)
        report = asyncio.run(collect_once(host, config, Path(args.output) if args.output else None, feedback))
        feedback.close()
        print(report.summary())
        if args.output:
            print(f"graph written to {args.output}")
        return 1 if report.nothing_collected else 0
    from resotoworker.daemon import run_daemon

    return int(run_daemon(args, host))


def main(argv: Sequence[str] | None = None) -> None:
    try:
        code = run(argv)
    except WorkerError as exc:
        verbose = any(a in ("-v", "--verbose", "--trace") for a in (argv if argv is not None else sys.argv))
        log.error("%s", exc, exc_info=verbose)
        print(f"resotoworker: error: {exc}", file=sys.stderr)
        code = exc.exit_code
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()

__all__ = ["defaults_document", "main", "run"]
