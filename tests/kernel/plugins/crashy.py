"""A test collector whose collect kills its own process for one account (``os._exit``)."""

from __future__ import annotations

import os

from resoto_hookspecs import CollectionUnit, GraphBuilder
from resoto_hookspecs.testing import fake_kinds, fake_plugin, fake_units

KINDS = Account, Instance = fake_kinds("crashy", __name__, "account", "instance")
UNITS = fake_units("crashy", Account, accounts=["good", "bad"])


def collect(unit: CollectionUnit, builder: GraphBuilder) -> None:
    for i in range(3):
        builder.add(Instance(id=f"{unit.account.id}-i{i}"))
    if unit.account.id == "bad":
        os._exit(3)  # after its nodes are spooled: none of them may be sent


fake_plugin("crashy", kinds=KINDS, units=UNITS, collect=collect, into=__name__)
