"""Command-line flags, each also settable by a ``RESOTOWORKER_`` environment variable.

The environment variable of ``--some-flag`` is ``RESOTOWORKER_SOME_FLAG``; its value replaces the
flag's default, and a flag given on the command line wins. Booleans take ``true/false``,
``yes/no``, ``on/off`` or ``1/0`` (any case; empty is unset); any other value exits 2 naming it.
List flags (``--override``) take ``RESOTOWORKER_OVERRIDE`` split on spaces, or
``RESOTOWORKER_OVERRIDE0`` … ``RESOTOWORKER_OVERRIDE254``, one item each.

Unlike the reference worker, ``RESOTOWORKER_NO_VERIFY_CERTS=true`` means what it says: TLS
verification is turned off.
"""

from __future__ import annotations

import argparse
import difflib
import os
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, SecretBytes, SecretStr, ValidationError

from resotoworker.errors import ConfigurationError
from resotoworker.values import parse_bool

ENV_PREFIX = "RESOTOWORKER_"


def env_name(option: str) -> str:
    return ENV_PREFIX + option.lstrip("-").replace("-", "_").upper()


EPILOG = """\
Every flag can also be set by the environment variable shown next to it; a flag given on the
command line wins.

examples:
  resotoworker --resotocore-uri https://resotocore:8900 --psk "$PSK"
  resotoworker --collect-once --override resotoworker.collector=example --output graph.ndjson
  resotoworker --print-iam-policy aws --with-cleanup

exit codes:
  0    done
  1    the core was not ready within --ready-timeout, TLS setup failed, --idle-timeout
       passed, a one-shot collect collected nothing, or a named file cannot be used
  2    a flag, environment variable, config value or override cannot be used
  3    --collect-once --strict: something was collected, but at least one kind could not be
       read (denied or failed) and was left out; without --strict that exits 0
  130  interrupted

docs: docs/operator-guide.md, docs/reference/cli.md, docs/reference/config.md
"""


def build_parser(*, decorate: bool = True) -> argparse.ArgumentParser:
    """The ``resotoworker`` argument parser.

    :param decorate: Append each flag's default and environment variable to its help (for
        ``--help``); without it the help is the bare text (for the generated reference).
    """
    parser = argparse.ArgumentParser(
        prog="resotoworker",
        description="Collects cloud resources into a resotocore graph and cleans them up.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    core = parser.add_argument_group("connection to resotocore")
    core.add_argument(
        "--resotocore-uri", default="https://localhost:8900", metavar="URI", help="URI of the core"
    )
    core.add_argument(
        "--subscriber-id",
        default="resoto.worker",
        metavar="ID",
        help="ID of this worker; also the id of its config in the core. Give every worker its own",
    )
    core.add_argument(
        "--psk",
        default=None,
        metavar="KEY",
        help="Pre-shared key of the core (the core's --psk); without it no token is sent",
    )
    core.add_argument(
        "--ready-timeout",
        type=int,
        default=300,
        metavar="SECONDS",
        help="Seconds to wait for the core at startup before exiting with 1",
    )
    core.add_argument(
        "--idle-timeout",
        type=int,
        default=None,
        metavar="SECONDS",
        help="Exit with 1 when no collect action arrived within this many seconds",
    )

    tls = parser.add_argument_group("TLS (when --resotocore-uri is https)")
    tls.add_argument(
        "--ca-cert",
        default=None,
        metavar="FILE",
        help="CA certificate (PEM) to verify the core with; default: the core's own CA, fetched from "
        "/ca/cert and accepted only if its PSK-signed fingerprint matches",
    )
    tls.add_argument(
        "--no-verify-certs",
        action="store_true",
        default=False,
        help="Do not verify the core's TLS certificate (insecure)",
    )
    tls.add_argument(
        "--cert",
        default=None,
        metavar="FILE",
        help="Certificate (PEM) of the worker's web server; default: one signed by the core's CA",
    )
    tls.add_argument("--cert-key", default=None, metavar="FILE", help="Private key (PEM) of --cert")
    tls.add_argument("--cert-key-pass", default=None, metavar="PASSPHRASE", help="Passphrase of --cert-key")

    cfg = parser.add_argument_group("configuration")
    cfg.add_argument(
        "--override",
        nargs="+",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="Set config values locally, never stored in the core; lists are comma-separated "
        "(resotoworker.collector=aws,gcp)",
    )
    cfg.add_argument(
        "--config",
        default=None,
        metavar="FILE",
        help="Config document (JSON, or YAML with PyYAML) for --collect-once",
    )

    once = parser.add_argument_group("one-shot mode (no core needed)")
    once.add_argument(
        "--collect-once",
        action="store_true",
        default=False,
        help="Collect once, write all that could be read to --output, print a summary (with the kinds "
        "that could not be read), exit 0 when anything was collected",
    )
    once.add_argument(
        "--strict",
        action="store_true",
        default=False,
        help="With --collect-once: exit 3 when any kind was left out because it was denied or failed",
    )
    once.add_argument(
        "--output",
        default=None,
        metavar="PATH",
        help="Graph output: a file, or a directory (existing, or ending in /) for one file per account",
    )

    plugins = parser.add_argument_group("plugins")
    plugins.add_argument(
        "--enable-plugins",
        nargs="+",
        default=[],
        metavar="NAME",
        help="Load only these plugins (default: every installed one)",
    )
    plugins.add_argument(
        "--disable-plugins", nargs="+", default=[], metavar="NAME", help="Never load these plugins"
    )
    plugins.add_argument(
        "--plugin",
        nargs="+",
        default=[],
        metavar="MODULE",
        help="Also load these plugin modules (dotted names), e.g. one not installed as a distribution",
    )

    info = parser.add_argument_group("print and exit")
    info.add_argument(
        "--list-plugins",
        action="store_true",
        default=False,
        help="List the installed plugins (and broken ones) and exit",
    )
    info.add_argument(
        "--print-iam-policy",
        default=None,
        metavar="CLOUD",
        help="Print the least-privilege access policy of a cloud's plugin and exit",
    )
    info.add_argument(
        "--with-cleanup",
        action="store_true",
        default=False,
        help="With --print-iam-policy: include what cleanup and tagging need",
    )

    logs = parser.add_argument_group("logging")
    level = logs.add_mutually_exclusive_group()
    level.add_argument(
        "--verbose", "-v", action="store_true", default=False, help="Debug logging; errors with traceback"
    )
    level.add_argument("--trace", action="store_true", default=False, help="Trace logging (very verbose)")
    level.add_argument("--quiet", action="store_true", default=False, help="Only warnings and errors")
    logs.add_argument(
        "--log-format",
        choices=["json", "text"],
        default="json",
        help="Log line format: one JSON object per line, or text (also: RESOTO_LOG_TEXT=true)",
    )

    if decorate:
        for action in parser._actions:
            long = long_option(action)
            if long and long != "--help":
                action.help = f"{action.help}{default_note(action)} [env: {env_name(long)}]"
    return parser


def long_option(action: argparse.Action) -> str | None:
    return next((o for o in action.option_strings if o.startswith("--")), None)


def default_note(action: argparse.Action) -> str:
    """`` (default: X)`` for flags whose default says something."""
    if action.nargs == 0 or action.default in (None, [], "", argparse.SUPPRESS):
        return ""
    return f" (default: {action.default})"


def apply_environment(parser: argparse.ArgumentParser, environ: Mapping[str, str]) -> None:
    """Turn ``RESOTOWORKER_*`` variables into parser defaults."""
    for action in parser._actions:
        long = long_option(action)
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
            if not environ[name].strip():
                continue  # set but empty: as if unset
            try:
                value = parse_bool(environ[name])
            except ValueError as exc:
                parser.error(f"{name}: {exc}")
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
    for action in parser._actions:  # values that came from the environment skip argparse's own checks
        value = getattr(args, action.dest, None) if action.dest != argparse.SUPPRESS else None
        if action.choices is not None and value is not None and value not in action.choices:
            long = next((o for o in action.option_strings if o.startswith("--")), action.dest)
            parser.error(f"{env_name(long)}={value!r}: choose from {', '.join(map(str, action.choices))}")
    levels = [name for name in ("verbose", "trace", "quiet") if getattr(args, name, False)]
    if len(levels) > 1:
        parser.error(
            "--"
            + " and --".join(levels)
            + " exclude each other (check the RESOTOWORKER_* environment variables)"
        )
    if args.ready_timeout <= 0:
        parser.error(f"--ready-timeout {args.ready_timeout}: give a number of seconds above 0")
    if args.output is not None and not args.collect_once:
        parser.error("--output needs --collect-once (the daemon sends the graph to the core)")
    if args.psk == "":
        args.psk = None
    return args


# -- checking what the operator gave ----------------------------------------------------------


def check_override_keys(overrides: Sequence[str], models: Mapping[str, type[BaseModel]]) -> None:
    """Raise :class:`ConfigurationError` for the first override whose section or key is unknown.

    The message names the key and what was probably meant; values are checked later, with the
    whole document.
    """
    for item in overrides:
        if "=" not in item:
            raise ConfigurationError(
                f"--override {item!r} has no value", hint="write it as section.key=value"
            )
        path = item.split("=", 1)[0].strip()
        parts = path.split(".")
        if len(parts) < 2 or not all(parts):
            raise ConfigurationError(
                f"--override key {path!r} needs a section and a key",
                hint="write it as section.key=value, e.g. resotoworker.pool_size=4",
            )
        section, key = parts[0], parts[1]
        model = models.get(section)
        if model is None:
            guess = difflib.get_close_matches(section, list(models), n=1)
            maybe = f"did you mean {guess[0]}? " if guess else ""
            raise ConfigurationError(
                f"unknown config section {section!r} in --override {path}",
                hint=f"{maybe}known sections: {', '.join(models)}",
            )
        if key not in model.model_fields:
            raise _unknown_key(section, key, model, "--override")


def _unknown_key(path: str, key: str, model: type[BaseModel], where: str) -> ConfigurationError:
    """``unknown config key 'path.key' in <where>``, with the closest key or the list of keys."""
    guess = difflib.get_close_matches(key, list(model.model_fields), n=1, cutoff=0.6)
    if guess:
        hint = f"did you mean {path}.{guess[0]}? every key: docs/reference/config.md"
    else:
        hint = f"keys of {path}: {', '.join(model.model_fields)}"
    return ConfigurationError(f"unknown config key '{path}.{key}' in {where}", hint=hint)


def _check_keys(raw: Mapping[str, Any], model: type[BaseModel], path: str, source: str) -> None:
    """Raise for the first key of ``raw`` (and of nested sections) that ``model`` does not have."""
    for key, value in raw.items():
        info = model.model_fields.get(key)
        if info is None:
            raise _unknown_key(path, str(key), model, source)
        inner = _model_of(info.annotation)
        if inner is not None and isinstance(value, Mapping):
            _check_keys(value, inner, f"{path}.{key}", source)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model class of a field typed ``Model`` or ``Model | None``, else ``None``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    tp = args[0] if union and len(args) == 1 else annotation
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def check_document(document: Mapping[str, Any], models: Mapping[str, type[BaseModel]], source: str) -> None:
    """Validate every known section of ``document``; raise naming the first bad key and ``source``.

    A key a known section does not have is an error too (a misspelled ``colector`` must not mean
    "collect every cloud"); a section no installed plugin defines is left to the caller.

    :param source: Where the values came from, for the hint (``--override``, ``config file x.json``).
    """
    for section, model in models.items():
        raw = document.get(section)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise ConfigurationError(
                f"config section {section!r} must be an object of keys, not {type(raw).__name__}",
                hint=f"fix it in {source}",
            )
        _check_keys(raw, model, section, source)
        try:
            model.model_validate(raw)
        except ValidationError as exc:
            raise _bad_value(section, model, exc, source) from None


def _bad_value(section: str, model: type[BaseModel], exc: ValidationError, source: str) -> ConfigurationError:
    err = exc.errors(include_url=False)[0]
    loc = [str(p) for p in err.get("loc", ())]
    key = ".".join([section, *loc])
    info = model.model_fields.get(loc[0]) if loc else None
    secret = info is None or _holds_secret(info.annotation)
    shown = "" if secret or "input" not in err else f"={_short(err['input'])}"
    return ConfigurationError(
        f"bad config value {key}{shown}: {err.get('msg', 'invalid')}",
        hint=f"fix it in {source}; keys and types: docs/reference/config.md",
    )


def _holds_secret(annotation: Any, seen: frozenset[int] = frozenset()) -> bool:
    """Whether a field's type is or contains a secret anywhere (nested models, lists, dicts)."""
    if id(annotation) in seen:
        return False
    seen = seen | {id(annotation)}
    if isinstance(annotation, type):
        if issubclass(annotation, SecretStr | SecretBytes):
            return True
        if issubclass(annotation, BaseModel):
            return any(_holds_secret(f.annotation, seen) for f in annotation.model_fields.values())
    return any(_holds_secret(arg, seen) for arg in typing.get_args(annotation))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
