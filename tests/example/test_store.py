"""The state store: file creation, memory mode, and concurrent writers from threads and processes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from resoto_plugin_example.inventory import default_inventory
from resoto_plugin_example.store import DeleteRefused, ExampleStore, RecordNotFound, seed_default


def test_missing_file_is_created_from_the_default_inventory(tmp_path: Path) -> None:
    path = tmp_path / "sub-state.json"
    store = ExampleStore(path)
    assert not path.exists()
    assert len(store.resources()) == 40
    assert json.loads(path.read_text()) == default_inventory()
    assert store.load() == default_inventory()


def test_default_inventory_is_deterministic() -> None:
    assert json.dumps(default_inventory()) == json.dumps(default_inventory())


def test_seed_default_shapes_and_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    store = ExampleStore(path)
    store.delete("example_network", "acc-1/us-west/net-1")
    seeded = seed_default(path, accounts=3, regions=1, networks=1, instances=5)
    assert [a["id"] for a in seeded.accounts()] == ["acc-1", "acc-2", "acc-3"]
    assert len(seeded.resources("example_instance")) == 15
    assert len(seeded.resources("example_volume")) == 18
    assert seeded.deleted_log() == []
    assert store.get("example_network", "acc-1/us-west/net-1") is not None  # the other view sees the reset


def test_memory_mode_leaves_no_file_and_is_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    mem = ExampleStore(None)
    mem.delete("example_volume", "acc-1/us-east/vol-4")
    assert ExampleStore("").get("example_volume", "acc-1/us-east/vol-4") is None
    assert [d["id"] for d in ExampleStore().deleted_log()] == ["acc-1/us-east/vol-4"]
    assert list(tmp_path.iterdir()) == []
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from resoto_plugin_example.store import ExampleStore as S;"
            "print(S(None).get('example_volume', 'acc-1/us-east/vol-4') is not None)",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "True"  # another process starts from its own default inventory


def test_reads_return_copies(store: ExampleStore) -> None:
    rec = store.resources("example_instance")[0]
    rec["tags"]["mutated"] = "locally"
    again = store.get("example_instance", rec["id"])
    assert again is not None and "mutated" not in again["tags"]


def test_failed_changes_leave_the_file_alone(store: ExampleStore, state_file: Path) -> None:
    before = state_file.read_bytes()
    with pytest.raises(RecordNotFound):
        store.update_tag("example_instance", "nope", "a", "b")
    store.set_fields("example_network", "acc-2/us-west/net-2", fail_delete=True)
    middle = state_file.read_bytes()
    assert middle != before
    with pytest.raises(DeleteRefused):
        store.delete("example_network", "acc-2/us-west/net-2")
    assert state_file.read_bytes() == middle
    assert [p.name for p in state_file.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_concurrent_writer_threads_lose_no_update(store: ExampleStore, state_file: Path) -> None:
    rid = "acc-1/us-west/inst-3"
    threads, per_thread = 8, 25
    errors: list[BaseException] = []
    stop = threading.Event()
    reads = 0

    def writer(n: int) -> None:
        try:
            own = ExampleStore(state_file)  # each thread its own store object, like separate hook calls
            for i in range(per_thread):
                own.update_tag("example_instance", rid, f"t{n}-{i}", str(i))
        except BaseException as e:
            errors.append(e)

    def reader() -> None:
        nonlocal reads
        try:
            while not stop.is_set():
                json.loads(state_file.read_bytes())  # never a torn file
                reads += 1
                stop.wait(0.002)
        except BaseException as e:
            errors.append(e)

    r = threading.Thread(target=reader)
    r.start()
    ws = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in ws:
        w.start()
    for w in ws:
        w.join(30)
    stop.set()
    r.join(30)
    assert errors == []
    assert reads > 0
    rec = ExampleStore(state_file).get("example_instance", rid)
    assert rec is not None
    written = {k for k in rec["tags"] if k.startswith("t")}
    assert written == {f"t{n}-{i}" for n in range(threads) for i in range(per_thread)}
    assert len(store.tag_log()) == threads * per_thread


WRITER = """
import sys
from resoto_plugin_example.store import ExampleStore
store = ExampleStore(sys.argv[1])
for i in range(int(sys.argv[3])):
    store.update_tag("example_volume", "acc-2/us-east/vol-2", f"{sys.argv[2]}-{i}", None)
"""


def test_concurrent_writer_processes_lose_no_update(store: ExampleStore, state_file: Path) -> None:
    count = 40
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(state_file), f"p{n}", str(count)])
        for n in range(3)
    ]
    assert [p.wait(60) for p in procs] == [0, 0, 0]
    rec = store.get("example_volume", "acc-2/us-east/vol-2")
    assert rec is not None
    assert {k for k in rec["tags"] if k[0] == "p"} == {f"p{n}-{i}" for n in range(3) for i in range(count)}
    assert len(store.tag_log()) == 3 * count
