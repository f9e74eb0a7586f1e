"""The hook specifications are the plugin author's whole API: every one documented, typed, ordered."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

import pluggy
import pytest
from resoto_hookspecs import ENTRY_POINT_GROUP, HOOK_NAMES, PROJECT_NAME, ResotoSpecs, hookimpl, hookspec
from resoto_hookspecs import specs as specs_module

# The lifecycle phases the module documents, in order, and the order inside each phase.
PHASES: list[tuple[str, list[str]]] = [
    ("registration", ["cloud_info", "resource_kinds", "access_policy"]),
    ("collect", ["collection_units", "collect"]),
    ("cleanup", ["plan_cleanup", "pre_cleanup", "check_resource", "delete_resource"]),
    ("tags", ["update_tag", "delete_tag"]),
]
BROADCAST_HOOKS = {"plan_cleanup"}


def docstring_problems(fn: Callable[..., Any]) -> list[str]:
    """What the docstring of a hook spec lacks; an empty list means it is complete."""
    doc = inspect.getdoc(fn) or ""
    name = fn.__name__
    if not doc.strip():
        return [f"{name}: no docstring"]
    problems = []
    summary = doc.strip().splitlines()[0]
    if not summary.strip():
        problems.append(f"{name}: no summary line")
    for param in inspect.signature(fn).parameters:
        if param == "self":
            continue
        if f":param {param}:" not in doc:
            problems.append(f"{name}: no ':param {param}:' entry")
    if ":returns:" not in doc:
        problems.append(f"{name}: no ':returns:' entry")
    if "Called by" not in doc:
        problems.append(f"{name}: no 'Called by' line")
    if "Example::" not in doc:
        problems.append(f"{name}: no 'Example::' block")
    else:
        example = doc.split("Example::", 1)[1]
        if not any(line.startswith("    ") and line.strip() for line in example.splitlines()):
            problems.append(f"{name}: 'Example::' block is empty")
    return problems


def typing_problems(fn: Callable[..., Any]) -> list[str]:
    """Parameters (except ``self``) or a return without annotation, or annotations that do not resolve."""
    name = fn.__name__
    sig = inspect.signature(fn)
    problems = [
        f"{name}: parameter {p} is not annotated"
        for p, param in sig.parameters.items()
        if p != "self" and param.annotation is inspect.Parameter.empty
    ]
    if sig.return_annotation is inspect.Signature.empty:
        problems.append(f"{name}: return is not annotated")
    try:
        typing.get_type_hints(fn)
    except Exception as exc:  # a forward reference that does not resolve
        problems.append(f"{name}: annotations do not resolve: {exc}")
    return problems


def spec(name: str) -> Callable[..., Any]:
    fn = getattr(ResotoSpecs, name)
    assert callable(fn)
    return fn  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", HOOK_NAMES)
def test_every_hookspec_is_documented(name: str) -> None:
    assert docstring_problems(spec(name)) == []


@pytest.mark.parametrize("name", HOOK_NAMES)
def test_every_hookspec_is_fully_typed(name: str) -> None:
    assert typing_problems(spec(name)) == []


def test_checkers_find_what_is_missing() -> None:
    def half_documented(self, unit, config: int, builder: str) -> None:  # type: ignore[no-untyped-def]
        """Collect something.

        Called by: nobody.

        :param unit: The unit.
        :param builder: The builder.
        """

    problems = docstring_problems(half_documented)
    assert "half_documented: no ':param config:' entry" in problems
    assert "half_documented: no ':returns:' entry" in problems
    assert "half_documented: no 'Example::' block" in problems
    assert not any("param unit" in p or "param builder" in p or "self" in p for p in problems)
    assert len(problems) == 3

    def undocumented(x: int) -> int:
        return x

    assert docstring_problems(undocumented) == ["undocumented: no docstring"]

    def no_called_by(x: int) -> int:
        """Do x.

        :param x: An x.
        :returns: x.

        Example::

        """
        return x

    assert docstring_problems(no_called_by) == [
        "no_called_by: no 'Called by' line",
        "no_called_by: 'Example::' block is empty",
    ]
    assert typing_problems(half_documented) == [
        "half_documented: parameter unit is not annotated",
    ]

    def untyped_return(a: int):  # type: ignore[no-untyped-def]
        return a

    assert typing_problems(untyped_return) == ["untyped_return: return is not annotated"]

    def dangling(a: NoSuchType) -> None:  # type: ignore[name-defined]  # noqa: F821
        pass

    assert [p.split(":")[0:2] for p in typing_problems(dangling)] == [
        ["dangling", " annotations do not resolve"]
    ]


def test_hook_names_cover_exactly_the_registered_specs() -> None:
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(ResotoSpecs)
    registered = {name for name in vars(pm.hook) if not name.startswith("_")}
    assert registered == set(HOOK_NAMES)
    assert len(HOOK_NAMES) == len(set(HOOK_NAMES))
    documented = [h for _, hooks in PHASES for h in hooks]
    assert set(HOOK_NAMES) == set(documented), "a hook is missing from the documented lifecycle phases"


def test_hook_names_are_in_lifecycle_order() -> None:
    expected = [h for _, hooks in PHASES for h in hooks]
    assert list(HOOK_NAMES) == expected
    # the module's section comments appear in the same order as the phases, each before its hooks
    source = inspect.getsource(specs_module)
    positions = [source.index(f"# -- {phase} ") for phase, _ in PHASES]
    assert positions == sorted(positions)
    for (phase, hooks), start in zip(PHASES, positions, strict=True):
        for hook in hooks:
            at = source.index(f"def {hook}(")
            assert at > start, f"{hook} is defined before the '{phase}' section"
            later = [p for p in positions if p > start]
            assert not later or at < later[0], f"{hook} is defined outside the '{phase}' section"


def test_module_docstring_states_the_routing_and_firstresult_rule() -> None:
    doc = specs_module.__doc__ or ""
    assert "lifecycle order" in doc
    assert "``plan_cleanup`` is broadcast" in doc
    for name in HOOK_NAMES:
        opts = getattr(spec(name), f"{PROJECT_NAME}_spec")
        assert opts["firstresult"] is (name not in BROADCAST_HOOKS), name


def test_markers_use_project_resoto_and_group_resoto_plugins() -> None:
    assert PROJECT_NAME == "resoto"
    assert ENTRY_POINT_GROUP == "resoto.plugins"
    assert hookspec.project_name == "resoto"
    assert hookimpl.project_name == "resoto"
    for name in HOOK_NAMES:
        assert hasattr(spec(name), "resoto_spec"), f"{name} is not marked as a resoto hookspec"

    # an implementation marked for another project is not picked up by a resoto plugin manager
    class Foreign:
        @pluggy.HookimplMarker("other")
        def cloud_info(self) -> None:
            return None

    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(ResotoSpecs)
    pm.register(Foreign())
    assert pm.hook.cloud_info.get_hookimpls() == []


def test_action_hooks_take_the_unit_and_candidates_are_frozen() -> None:
    import dataclasses
    import inspect

    from resoto_hookspecs import BaseInstance, CleanupCandidate, Location, ResotoSpecs

    for hook in ("pre_cleanup", "check_resource", "delete_resource", "update_tag", "delete_tag"):
        assert "unit" in inspect.signature(getattr(ResotoSpecs, hook)).parameters, hook
    candidate = CleanupCandidate("n", BaseInstance(id="i"), Location("c"), desired={"clean": True})
    assert candidate.flagged and candidate.desired["clean"] is True
    with pytest.raises(dataclasses.FrozenInstanceError):
        candidate.protected = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        candidate.metadata["cleaned"] = True  # type: ignore[index]
