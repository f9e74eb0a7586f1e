"""Bad input at the config loader: a stored config with wrong types or unknown keys.

At startup (no good config yet) the worker serves with the defaults of the bad keys and keeps the
good ones; on a reload it keeps its last good config. Either way it names the key in its log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import wait_for

pytestmark = pytest.mark.faults

not_an_int = st.one_of(
    st.text(min_size=1, max_size=10).filter(lambda t: not t.strip().lstrip("+-").isdigit()),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.none(), max_size=2),
)
not_a_list = st.one_of(
    st.integers(), st.dictionaries(st.text(max_size=3), st.integers(), min_size=1, max_size=2)
)
not_a_str = st.one_of(
    st.lists(st.text(max_size=3), max_size=2), st.dictionaries(st.text(max_size=3), st.none(), max_size=2)
)
# every known key with a value of the wrong type (never a valid one: files_in_home_dir, tempdir, ...
# must not become real values), plus unknown keys with anything in them
WRONG = {
    "resotoworker": {
        "timeout": not_an_int,
        "pool_size": not_an_int,
        "collector": not_a_list,
        "graph": not_a_str,
        "files_in_home_dir": st.lists(st.text(max_size=3), min_size=1, max_size=2),
        "tempdir": not_a_str,
    },
    "example": {"slow_seconds": not_an_int, "accounts": not_a_list, "state_file": not_a_str},
}


@st.composite
def broken_documents(draw: st.DrawFn, good: dict[str, Any]) -> dict[str, Any]:
    doc = {section: dict(values) for section, values in good.items()}
    section = draw(st.sampled_from(sorted(WRONG)))
    keys = draw(st.lists(st.sampled_from(sorted(WRONG[section])), min_size=1, max_size=3, unique=True))
    for key in keys:
        doc[section][key] = draw(WRONG[section][key])
    extra = draw(
        st.dictionaries(
            st.text(min_size=1, max_size=8).filter(lambda k: k not in WRONG[section]),
            st.integers() | st.text(max_size=5),
            max_size=2,
        )
    )
    doc[section].update(extra)
    if draw(st.booleans()):
        doc["no-such-section"] = {"x": 1}
    return doc


def test_bad_keys_in_the_stored_config_at_startup(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    worker = start_worker(
        "w1",
        config={
            "resotoworker": {"timeout": "soon", "pool_size": [2], "no_such_key": True},
            "example": {"slow_seconds": "slow", "accounts": ["acc-1"]},
        },
    )
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=60)["kind"] == "action_done"
    assert core.merge_count(task) == 1, "the good keys (example.accounts) apply"
    log = worker.log_text()
    for key in ("resotoworker.timeout", "resotoworker.pool_size", "example.slow_seconds", "no_such_key"):
        assert key in log


def test_a_broken_config_update_keeps_the_last_good_config(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    worker = start_worker("w1", config={"example": {"accounts": ["acc-1"]}})
    good = core.get_config("w1")
    assert good is not None

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(doc=broken_documents(good))
    def update(doc: dict[str, Any]) -> None:
        failed = worker.log_text().count("config reload failed")
        before = core.get_config_revision("w1")
        revision = core.set_config("w1", doc)
        if revision == before:
            return  # the same document again: the core sends no event
        # processed: either refused (logged once) or, where the document is still usable, applied
        wait_for(
            lambda: (
                worker.log_text().count("config reload failed") > failed
                or worker.info().get("config_revision") == revision
            ),
            timeout=60,
            what="the worker to process the config update",
        )

    update()
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=60)["kind"] == "action_done"
    assert core.merge_count(task) == 1, "the last good config (one account) still applies"
    assert worker.alive
