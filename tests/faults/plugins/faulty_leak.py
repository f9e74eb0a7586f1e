"""A test collector whose collect leaves a non-daemon thread running behind (a leaking SDK)."""

from __future__ import annotations

import threading

from resoto_hookspecs import GraphBuilder
from resoto_hookspecs.testing import fake_kinds, fake_plugin, fake_units

STOP = threading.Event()

KINDS = Account, Instance = fake_kinds("faulty_leak", __name__, "account", "instance")
UNITS = fake_units("faulty_leak", Account, accounts=["leaky"])


def collect(builder: GraphBuilder) -> None:
    builder.add(Instance(id="leaky-i0"))
    threading.Thread(target=STOP.wait, args=(3600,), name="leaked-by-faulty-leak", daemon=False).start()


fake_plugin("faulty_leak", kinds=KINDS, units=UNITS, collect=collect, into=__name__)
