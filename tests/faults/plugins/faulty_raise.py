"""A test collector whose unit ``bad/r1`` raises in the middle of its collect (``good/r1`` works)."""

from __future__ import annotations

from resoto_hookspecs import CollectionUnit, GraphBuilder
from resoto_hookspecs.testing import fake_kinds, fake_plugin, fake_units

KINDS = Account, Region, Instance = fake_kinds("faulty_raise", __name__)
UNITS = fake_units("faulty_raise", Account, Region, accounts=["good", "bad"], regions=["r1"])


def collect(unit: CollectionUnit, builder: GraphBuilder) -> None:
    for i in range(3):
        builder.add(Instance(id=f"{unit.account.id}-i{i}"))
    if unit.account.id == "bad":
        raise ZeroDivisionError("the plugin has a bug")


fake_plugin("faulty_raise", kinds=KINDS, units=UNITS, collect=collect, into=__name__)
