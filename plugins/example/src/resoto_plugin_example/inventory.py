"""The example cloud's built-in inventory: deterministic, so runs and tests can rely on it.

The document layout (also the layout of the JSON state file)::

    {
      "format": 1,
      "accounts": [{"id": "acc-1", "name": ..., "tags": {...}, "ctime": ...,
                    "regions": [{"id": "us-west", "name": ..., "tags": {...}, "ctime": ...}]}],
      "resources": {"example_instance": {"acc-1/us-west/inst-1": {record}, ...}, ...},
      "deleted": [{"kind": ..., "id": ..., "account": ..., "region": ..., "at": ...}],
      "tag_log": [{"op": "update" | "delete", "kind": ..., "id": ..., "key": ..., "value": ..., "at": ...}]
    }

A record holds ``kind``, ``id``, ``account``, ``region`` and the model's fields (``name``, ``tags``,
``ctime``, ``instance_status``, ...). Links are fields too: an instance's ``network_id``, a
volume's ``attached_to``. Ids are unique in the whole cloud (``acc-1/us-west/inst-1``), so a kind and
an id are enough to find a record. Test aids live in records as well: ``"fail_delete": true`` makes
the cloud refuse to delete that resource.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

FORMAT = 1
"""Version of the document layout."""

REGION_NAMES = ("us-west", "us-east", "eu-central", "eu-north", "ap-south", "ap-east")
"""Region ids in the order accounts get them."""

EXPIRED = "2020-01-01T00:00:00Z"
"""The ``expires`` tag of the first instance of every region: long past."""

NOT_EXPIRED = "2099-01-01T00:00:00Z"
"""The ``expires`` tag of the second instance of every region: far in the future."""

BASE_TIME = datetime(2023, 1, 1, tzinfo=UTC)

RESOURCE_KIND_ORDER = ("example_network", "example_instance", "example_volume", "example_custom_resource")


def _time(minutes: int) -> str:
    return (BASE_TIME + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def empty_document() -> dict[str, Any]:
    """A document without accounts."""
    return {
        "format": FORMAT,
        "accounts": [],
        "resources": {kind: {} for kind in RESOURCE_KIND_ORDER},
        "deleted": [],
        "tag_log": [],
    }


def _add(
    doc: dict[str, Any], clock: Iterator[int], kind: str, place: tuple[str, str], short: str, **fields: Any
) -> dict[str, Any]:
    """Add one record below ``place`` (account id, region id) and return it."""
    account_id, region_id = place
    rid = f"{account_id}/{region_id}/{short}"
    rec = {
        "kind": kind,
        "id": rid,
        "name": short,
        "account": account_id,
        "region": region_id,
        "ctime": _time(next(clock)),
        **fields,
    }
    doc["resources"][kind][rid] = rec
    return rec


def default_inventory(
    accounts: int = 2, regions: int = 2, networks: int = 2, instances: int = 3
) -> dict[str, Any]:
    """The default document: ``accounts`` × ``regions``, each region holding the same shape.

    Per region: ``networks`` networks; ``instances`` instances spread over the networks round-robin,
    each with one attached volume; one unattached volume; one custom resource (not taggable, not
    deletable). Every taggable resource has ``Name``, ``owner`` and ``env`` tags; ``inst-1`` of every
    region also has an ``expires`` tag in the past (:data:`EXPIRED`), ``inst-2`` one in the future
    (:data:`NOT_EXPIRED`).
    """
    if not 1 <= regions <= len(REGION_NAMES):
        raise ValueError(f"regions must be between 1 and {len(REGION_NAMES)}")
    if accounts < 1 or networks < 1 or instances < 0:
        raise ValueError("need at least one account and one network, and no negative counts")
    doc = empty_document()
    clock = itertools.count()
    for a in range(1, accounts + 1):
        account_id = f"acc-{a}"
        owner, env = f"team-{a}", ("prod" if a == 1 else "dev")
        region_records: list[dict[str, Any]] = [
            {"id": r, "name": r, "tags": {"env": env}, "ctime": _time(next(clock))}
            for r in REGION_NAMES[:regions]
        ]
        doc["accounts"].append(
            {
                "id": account_id,
                "name": f"Example Account {a}",
                "tags": {"owner": owner, "env": env},
                "ctime": _time(next(clock)),
                "regions": region_records,
            }
        )
        for region in region_records:
            place = (account_id, region["id"])

            def tags(name: str, owner: str = owner, env: str = env) -> dict[str, str | None]:
                return {"Name": name, "owner": owner, "env": env}

            nets = [
                _add(
                    doc,
                    clock,
                    "example_network",
                    place,
                    f"net-{n}",
                    tags=tags(f"{region['id']}-net-{n}"),
                    cidr_block=f"10.{a}.{n}.0/24",
                )
                for n in range(1, networks + 1)
            ]
            for i in range(1, instances + 1):
                inst_tags = tags(f"{region['id']}-vm-{i}")
                if i == 1:
                    inst_tags["expires"] = EXPIRED
                elif i == 2:
                    inst_tags["expires"] = NOT_EXPIRED
                small = i % 2 == 1
                inst = _add(
                    doc,
                    clock,
                    "example_instance",
                    place,
                    f"inst-{i}",
                    tags=inst_tags,
                    network_id=nets[(i - 1) % networks]["id"],
                    instance_type="example.small" if small else "example.large",
                    instance_cores=2 if small else 8,
                    instance_memory=4 if small else 32,
                    instance_status="running",
                )
                _add(
                    doc,
                    clock,
                    "example_volume",
                    place,
                    f"vol-{i}",
                    tags=tags(f"{region['id']}-vm-{i}-root"),
                    attached_to=inst["id"],
                    volume_size=20 * i,
                    volume_type="ssd",
                    volume_status="in-use",
                )
            _add(
                doc,
                clock,
                "example_volume",
                place,
                f"vol-{instances + 1}",
                tags=tags(f"{region['id']}-spare"),
                volume_size=100,
                volume_type="hdd",
                volume_status="available",
            )
            _add(
                doc,
                clock,
                "example_custom_resource",
                place,
                "custom-1",
                tags={},
                custom_value=f"{account_id}:{region['id']}",
            )
    return doc
