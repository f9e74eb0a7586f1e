"""A test collector whose only unit never returns (it ignores the cancel event on purpose)."""

from __future__ import annotations

import threading

from resoto_hookspecs import GraphBuilder
from resoto_hookspecs.testing import fake_kinds, fake_plugin, fake_units

RELEASE = threading.Event()  # tests set it when done, so the thread does not outlive them

KINDS = Account, Instance = fake_kinds("faulty_hang", __name__, "account", "instance")
UNITS = fake_units("faulty_hang", Account, accounts=["stuck"])


def collect(builder: GraphBuilder) -> None:
    builder.add(Instance(id="before-the-hang"))
    RELEASE.wait(600)


fake_plugin("faulty_hang", kinds=KINDS, units=UNITS, collect=collect, into=__name__)
