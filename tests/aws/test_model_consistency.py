"""Every property name has one kind across the AWS model, as a core's model requires.

A core indexes properties by path: ``multi_az`` cannot be a boolean on one kind and a string on
another. New kinds must map such fields to the kind the existing ones use (or pick another name).
"""

from __future__ import annotations

from kernel.test_model_compat import path_conflicts
from resotoworker.plugins import build_plugin_host


def test_property_names_have_one_kind_across_the_aws_model() -> None:
    host = build_plugin_host(enable={"aws"})
    assert "aws" in host.plugins, host.problems
    assert path_conflicts(host.model(["aws"])) == []
