"""Command-line flags, each also settable by a ``RESOTOWORKER_`` environment variable.

The environment variable of ``--some-flag`` is ``RESOTOWORKER_SOME_FLAG``; its value replaces the
flag's default, and a flag given on the command line wins. Booleans are true for ``true``, ``1``
or ``yes`` (any case). List flags (``--override``) take ``RESOTOWORKER_OVERRIDE`` split on spaces, or
``RESOTOWORKER_OVERRIDE0`` … ``RESOTOWORKER_OVERRIDE254``, one item each.

Unlike the reference worker, ``RESOTOWORKER_NO_VERIFY_CERTS=true`` means what it says: TLS
verification is turned off.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from typing import Any

ENV_PREFIX = "RESOTOWORKER_"


def env_name(option: str) -> str:
    return ENV_PREFIX + option.lstrip("-").replace("-", "_").upper()


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resotoworker",
        description="Collects cloud resources into a resotocore graph and cleans them up.",
        epilog="Every flag can also be set by the environment variable shown next to it; a flag given on the "
        "command line wins. Docs: docs/operator-guide.md",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    core = parser.add_argument_group("connection to resotocore")
    core.add_argument("--resotocore-uri", default="https://localhost:8900", help="URI of the core")
    core.add_argument(
        "--subscriber-id", default="resoto.worker", help="ID of this worker (also its config id)"
    )
    core.add_argument("--psk", default=None, help="Pre-shared key to authenticate with the core")
    core.add_argument(
        "--idle-timeout", type=int, default=None, help="Exit with 1 when no collect arrived in N seconds"
    )
    core.add_argument(
        "--ready-timeout",
        type=int,
        default=300,
        help="Seconds to wait for the core at startup before exiting with 1",
    )

    tls = parser.add_argument_group("TLS")
    tls.add_argument("--ca-cert", default=None, help="CA certificate file to verify the core with")
    tls.add_argument("--cert", default=None, help="Certificate file for the worker's web server")
    tls.add_argument("--cert-key", default=None, help="Private key file of --cert")
    tls.add_argument("--cert-key-pass", default=None, help="Passphrase of --cert-key")
    tls.add_argument(
        "--no-verify-certs",
        action="store_true",
        default=False,
        help="Do not verify the core's TLS certificate",
    )

    cfg = parser.add_argument_group("configuration")
    cfg.add_argument(
        "--override",
        nargs="+",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="Override config values locally (never stored in the core)",
    )
    cfg.add_argument(
        "--config", default=None, metavar="FILE", help="Config document (JSON) for --collect-once"
    )

    once = parser.add_argument_group("one-shot mode (no core needed)")
    once.add_argument(
        "--collect-once", action="store_true", default=False, help="Collect once, write the graph, exit"
    )
    once.add_argument(
        "--output",
        default=None,
        metavar="PATH",
        help="Graph output: a file, or a directory for one file per account",
    )

    plugins = parser.add_argument_group("plugins")
    plugins.add_argument(
        "--list-plugins", action="store_true", default=False, help="List installed plugins and exit"
    )
    plugins.add_argument(
        "--plugin", nargs="+", default=[], metavar="MODULE", help="Also load these plugin modules"
    )
    plugins.add_argument(
        "--enable-plugins",
        nargs="+",
        default=[],
        metavar="NAME",
        help="Load only these plugins (default: all)",
    )
    plugins.add_argument(
        "--disable-plugins", nargs="+", default=[], metavar="NAME", help="Never load these plugins"
    )
    plugins.add_argument(
        "--print-iam-policy", default=None, metavar="CLOUD", help="Print the access policy and exit"
    )
    plugins.add_argument(
        "--with-cleanup",
        action="store_true",
        default=False,
        help="With --print-iam-policy: include cleanup and tagging",
    )

    logs = parser.add_argument_group("logging")
    level = logs.add_mutually_exclusive_group()
    level.add_argument("--verbose", "-v", action="store_true", default=False, help="Debug logging")
    level.add_argument("--trace", action="store_true", default=False, help="Trace logging")
    level.add_argument("--quiet", action="store_true", default=False, help="Only warnings and errors")
    logs.add_argument("--log-format", choices=["json", "text"], default="json", help="Log line format")

    for action in parser._actions:
        long = next((o for o in action.option_strings if o.startswith("--")), None)
        if long and long != "--help":
            action.help = f"{action.help} [env: {env_name(long)}]"
    return parser


def apply_environment(parser: argparse.ArgumentParser, environ: Mapping[str, str]) -> None:
    """Turn ``RESOTOWORKER_*`` variables into parser defaults."""
    for action in parser._actions:
        long = next((o for o in action.option_strings if o.startswith("--")), None)
        if not long or action.default == argparse.SUPPRESS:
            continue
        name = env_name(long)
        value: Any
        if action.nargs not in (None, 0, "?"):
            if name in environ:
                value = [v for v in environ[name].split(" ") if v]
            else:
                value = [environ[f"{name}{i}"] for i in range(255) if f"{name}{i}" in environ]
                if not value:
                    continue
        elif name not in environ:
            continue
        elif action.nargs == 0:
            value = _truthy(environ[name])
        else:
            raw = environ[name]
            if action.type is not None and callable(action.type):
                try:
                    value = action.type(raw)
                except (TypeError, ValueError):
                    parser.error(f"{name}={raw!r} is not a valid value for {long}")
            else:
                value = raw
        action.default = value


def parse_args(
    argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None
) -> argparse.Namespace:
    parser = build_parser()
    apply_environment(parser, os.environ if environ is None else environ)
    args = parser.parse_args(argv)
    if args.psk == "":
        args.psk = None
    return args
