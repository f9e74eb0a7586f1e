"""Command-line flags and their ``RESOTOWORKER_*`` environment variables (protocol §1.1, §1.2)."""

from __future__ import annotations

import argparse
import ssl
from typing import Any

import pytest
from resotoworker.cli import build_parser, env_name, parse_args
from resotoworker.tls import client_context

PARSER = build_parser()
ACTIONS = [
    a for a in PARSER._actions if any(o.startswith("--") for o in a.option_strings) and a.dest != "help"
]


def long(action: argparse.Action) -> str:
    return next(o for o in action.option_strings if o.startswith("--"))


def ids(actions: list[argparse.Action]) -> list[str]:
    return [long(a) for a in actions]


def sample(action: argparse.Action, which: int = 0) -> str:
    """A valid value for the flag that differs from its default (``which`` picks one of two)."""
    if action.choices:
        options = [str(c) for c in action.choices if c != action.default]
        return options[which % len(options)]
    if action.type is int:
        return str(7 + which)
    return f"value-{which}-for-{long(action).lstrip('-')}"


def converted(action: argparse.Action, raw: str) -> Any:
    return action.type(raw) if callable(action.type) else raw


FLAGS = [a for a in ACTIONS if a.nargs == 0]
LISTS = [a for a in ACTIONS if a.nargs not in (None, 0, "?")]
VALUES = [a for a in ACTIONS if a.nargs in (None, "?")]


def test_the_parser_has_the_flags_this_suite_knows_about() -> None:
    # every action falls in exactly one of the groups the tests below iterate over
    assert len(FLAGS) + len(LISTS) + len(VALUES) == len(ACTIONS)
    assert {"--resotocore-uri", "--psk", "--override", "--no-verify-certs", "--subscriber-id"} <= set(
        ids(ACTIONS)
    )


def test_env_names_follow_the_reference_rule() -> None:
    assert env_name("--resotocore-uri") == "RESOTOWORKER_RESOTOCORE_URI"
    assert env_name("--no-verify-certs") == "RESOTOWORKER_NO_VERIFY_CERTS"
    assert env_name("--override") == "RESOTOWORKER_OVERRIDE"
    for action in ACTIONS:
        name = env_name(long(action))
        assert name == "RESOTOWORKER_" + long(action)[2:].upper().replace("-", "_")
        # --help shows the variable next to the flag
        assert f"[env: {name}]" in (action.help or ""), long(action)


@pytest.mark.parametrize("action", VALUES, ids=ids(VALUES))
def test_every_value_flag_is_settable_by_env_and_the_flag_wins(action: argparse.Action) -> None:
    name = env_name(long(action))
    from_env = sample(action, 0)
    needs = {"RESOTOWORKER_COLLECT_ONCE": "true"} if action.dest == "output" else {}
    args = parse_args([], {name: from_env, **needs})
    assert getattr(args, action.dest) == converted(action, from_env)
    assert getattr(args, action.dest) != action.default
    explicit = sample(action, 1)
    if explicit == from_env:  # a flag with only two choices: the default is the other one
        explicit = str(action.default)
    args = parse_args([long(action), explicit], {name: from_env, **needs})
    assert getattr(args, action.dest) == converted(action, explicit)


@pytest.mark.parametrize("action", FLAGS, ids=ids(FLAGS))
@pytest.mark.parametrize(
    "raw", ["true", "TRUE", "True", "1", "yes", "YES", "Yes", " true ", "on", "ON", "On"]
)
def test_boolean_flags_accept_true_1_yes_on_in_any_case(action: argparse.Action, raw: str) -> None:
    args = parse_args([], {env_name(long(action)): raw})
    assert getattr(args, action.dest) is True


@pytest.mark.parametrize("action", FLAGS, ids=ids(FLAGS))
@pytest.mark.parametrize("raw", ["false", "FALSE", "0", "no", "No", "off", "OFF", " off ", "", " "])
def test_boolean_flags_are_false_for_false_0_no_off_and_empty(action: argparse.Action, raw: str) -> None:
    args = parse_args([], {env_name(long(action)): raw})
    assert getattr(args, action.dest) is False
    # the explicit flag still wins over a false environment value
    assert getattr(parse_args([long(action)], {env_name(long(action)): raw}), action.dest) is True


@pytest.mark.parametrize("action", FLAGS, ids=ids(FLAGS))
@pytest.mark.parametrize("raw", ["maybe", "ture", "y", "t", "enabled", "truthy", "11"])
def test_boolean_flags_refuse_anything_else_naming_variable_and_value(
    action: argparse.Action, raw: str, capsys: pytest.CaptureFixture[str]
) -> None:
    name = env_name(long(action))
    with pytest.raises(SystemExit) as exit_:
        parse_args([], {name: raw})
    assert exit_.value.code == 2
    assert f"resotoworker: error: {name}: {raw!r} is not a boolean" in capsys.readouterr().err


@pytest.mark.parametrize("action", LISTS, ids=ids(LISTS))
def test_list_flags_from_one_variable_split_on_spaces(action: argparse.Action) -> None:
    name = env_name(long(action))
    args = parse_args([], {name: "a.b=1 c.d=x,y  e.f=2"})
    assert getattr(args, action.dest) == ["a.b=1", "c.d=x,y", "e.f=2"]
    args = parse_args([long(action), "cli.value=1"], {name: "a.b=1 c.d=2"})
    assert getattr(args, action.dest) == ["cli.value=1"]


@pytest.mark.parametrize("action", LISTS, ids=ids(LISTS))
def test_list_flags_from_numbered_variables(action: argparse.Action) -> None:
    name = env_name(long(action))
    env = {
        f"{name}0": "a.b=with space",
        f"{name}3": "c.d=3",
        f"{name}254": "e.f=last",
        f"{name}255": "ignored",
    }
    args = parse_args([], env)
    assert getattr(args, action.dest) == ["a.b=with space", "c.d=3", "e.f=last"]
    # the single variable takes precedence over the numbered ones
    args = parse_args([], {**env, name: "x.y=1"})
    assert getattr(args, action.dest) == ["x.y=1"]


def test_override_from_the_environment() -> None:
    args = parse_args(
        [], {"RESOTOWORKER_OVERRIDE": "resotoworker.collector=example resotoworker.pool_size=2"}
    )
    assert args.override == ["resotoworker.collector=example", "resotoworker.pool_size=2"]
    args = parse_args(
        [], {"RESOTOWORKER_OVERRIDE0": "resotoworker.graph=g one", "RESOTOWORKER_OVERRIDE1": "x.y=z"}
    )
    assert args.override == ["resotoworker.graph=g one", "x.y=z"]


def test_defaults_as_the_protocol_says() -> None:
    args = parse_args([], {})
    assert args.subscriber_id == "resoto.worker"
    assert args.resotocore_uri == "https://localhost:8900"
    assert args.psk is None
    assert args.idle_timeout is None
    assert args.override == []
    assert (args.ca_cert, args.cert, args.cert_key, args.cert_key_pass) == (None, None, None, None)
    assert args.no_verify_certs is False
    assert (args.verbose, args.trace, args.quiet) == (False, False, False)


def test_unrelated_environment_is_ignored() -> None:
    env = {"RESOTOCORE_PSK": "x", "PSK": "y", "resotoworker_psk": "z", "RESOTOWORKER_PSKX": "w"}
    assert parse_args([], env).psk is None


def test_an_empty_psk_means_none() -> None:
    assert parse_args([], {"RESOTOWORKER_PSK": ""}).psk is None
    assert parse_args(["--psk", ""], {}).psk is None
    assert parse_args([], {"RESOTOWORKER_PSK": "s3cret"}).psk == "s3cret"


def test_no_verify_certs_true_turns_verification_off() -> None:
    # our deliberate deviation from the reference, where the variable's meaning was inverted
    args = parse_args([], {"RESOTOWORKER_NO_VERIFY_CERTS": "true"})
    assert args.no_verify_certs is True
    ctx = client_context(None, verify=not args.no_verify_certs)
    assert ctx.verify_mode == ssl.CERT_NONE and ctx.check_hostname is False

    args = parse_args([], {"RESOTOWORKER_NO_VERIFY_CERTS": "false"})
    ctx = client_context(None, verify=not args.no_verify_certs)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname is True


def test_an_int_flag_with_a_bad_env_value_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        parse_args([], {"RESOTOWORKER_READY_TIMEOUT": "soon"})
    assert exc.value.code == 2
    assert "RESOTOWORKER_READY_TIMEOUT" in capsys.readouterr().err


def test_a_choice_flag_with_a_bad_env_value_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args([], {"RESOTOWORKER_LOG_FORMAT": "xml"})
    assert "RESOTOWORKER_LOG_FORMAT" in capsys.readouterr().err


def test_mutually_exclusive_flags_from_env_are_an_error() -> None:
    with pytest.raises(SystemExit):
        parse_args([], {"RESOTOWORKER_VERBOSE": "true", "RESOTOWORKER_QUIET": "true"})


def test_a_bad_value_inside_a_nested_secret_is_never_shown() -> None:
    from pydantic import BaseModel, SecretStr
    from resotoworker.cli import check_document
    from resotoworker.errors import ConfigurationError

    class Credential(BaseModel):
        secret: SecretStr | None = None
        retries: int = 1

    class Section(BaseModel):
        cred: Credential = Credential()
        tokens: list[SecretStr] = []

    for doc in (
        {"s": {"cred": {"secret": 12345678, "retries": "x"}}},
        {"s": {"tokens": [{"not": "a-secret-x"}]}},
    ):
        with pytest.raises(ConfigurationError) as exc:
            check_document(doc, {"s": Section}, "--override")
        assert "12345678" not in str(exc.value) and "a-secret-x" not in str(exc.value)
        assert "s." in str(exc.value)
