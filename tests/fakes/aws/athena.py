"""Athena (rest-json since botocore 1.44) as an in-memory backend of :class:`RestJsonFake`.

State per (region, name); ARNs are derived like AWS derives them. Every account starts with the
``primary`` work group and the built-in ``AwsDataCatalog``, as in AWS.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from fakes.aws.restjson import AwsError, RestJsonFake

ACCOUNT = "123456789012"
REGION = "us-east-1"


class AthenaBackend:
    def __init__(self, account: str = ACCOUNT, region: str = REGION) -> None:
        self.account, self.region = account, region
        self.lock = threading.Lock()
        now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        self.work_groups: dict[str, dict[str, Any]] = {
            "primary": {"Name": "primary", "State": "ENABLED", "Configuration": {}, "CreationTime": now}
        }
        self.catalogs: dict[str, dict[str, Any]] = {
            "AwsDataCatalog": {
                "Name": "AwsDataCatalog",
                "Type": "GLUE",
                "Parameters": {"catalog-id": account},
            }
        }
        self.tags: dict[str, dict[str, str]] = {}

    def arn(self, what: str, name: str) -> str:
        return f"arn:aws:athena:{self.region}:{self.account}:{what}/{name}"

    def fake(self) -> RestJsonFake:
        return RestJsonFake(
            "athena",
            {
                "CreateWorkGroup": self.create_work_group,
                "GetWorkGroup": self.get_work_group,
                "ListWorkGroups": self.list_work_groups,
                "DeleteWorkGroup": self.delete_work_group,
                "CreateDataCatalog": self.create_data_catalog,
                "GetDataCatalog": self.get_data_catalog,
                "ListDataCatalogs": self.list_data_catalogs,
                "DeleteDataCatalog": self.delete_data_catalog,
                "ListTagsForResource": self.list_tags,
                "TagResource": self.tag,
                "UntagResource": self.untag,
            },
        )

    # -- work groups ------------------------------------------------------------------------------

    def create_work_group(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if p["Name"] in self.work_groups:
                raise AwsError("InvalidRequestException", f"WorkGroup {p['Name']} is already created")
            self.work_groups[p["Name"]] = {
                "Name": p["Name"],
                "State": "ENABLED",
                "Configuration": p.get("Configuration") or {},
                "CreationTime": datetime.now(UTC),
                **({"Description": p["Description"]} if "Description" in p else {}),
            }
            self._set_tags(self.arn("workgroup", p["Name"]), p.get("Tags") or [])
        return {}

    def _work_group(self, name: str) -> dict[str, Any]:
        if name not in self.work_groups:
            raise AwsError("InvalidRequestException", f"WorkGroup {name} is not found.")
        return self.work_groups[name]

    def get_work_group(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            return {"WorkGroup": dict(self._work_group(p["WorkGroup"]))}

    def list_work_groups(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            names = sorted(self.work_groups)
        start = int(p.get("NextToken") or 0)
        size = int(p.get("MaxResults") or 50)
        page = names[start : start + size]
        summaries = []
        for name in page:
            wg = self.work_groups[name]
            engine = (wg["Configuration"].get("EngineVersion") or {}).get("SelectedEngineVersion", "AUTO")
            summaries.append(
                {
                    "Name": name,
                    "State": wg["State"],
                    "CreationTime": wg["CreationTime"],
                    "EngineVersion": {
                        "SelectedEngineVersion": engine,
                        "EffectiveEngineVersion": "Athena engine version 3",
                    },
                    **({"Description": wg["Description"]} if "Description" in wg else {}),
                }
            )
        out: dict[str, Any] = {"WorkGroups": summaries}
        if start + size < len(names):
            out["NextToken"] = str(start + size)
        return out

    def delete_work_group(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self._work_group(p["WorkGroup"])
            if p["WorkGroup"] == "primary":
                raise AwsError("InvalidRequestException", "The primary workgroup cannot be deleted.")
            del self.work_groups[p["WorkGroup"]]
            self.tags.pop(self.arn("workgroup", p["WorkGroup"]), None)
        return {}

    # -- data catalogs ----------------------------------------------------------------------------

    def create_data_catalog(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if p["Name"] in self.catalogs:
                raise AwsError("InvalidRequestException", f"DataCatalog {p['Name']} already exists")
            self.catalogs[p["Name"]] = {
                k: p[k] for k in ("Name", "Type", "Description", "Parameters") if k in p
            } | {"Status": "CREATE_COMPLETE"}
            self._set_tags(self.arn("datacatalog", p["Name"]), p.get("Tags") or [])
        return {"DataCatalog": dict(self.catalogs[p["Name"]])}

    def _catalog(self, name: str) -> dict[str, Any]:
        if name not in self.catalogs:
            raise AwsError("InvalidRequestException", f"DataCatalog {name} was not found")
        return self.catalogs[name]

    def get_data_catalog(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            return {"DataCatalog": dict(self._catalog(p["Name"]))}

    def list_data_catalogs(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            return {
                "DataCatalogsSummary": [
                    {
                        "CatalogName": c["Name"],
                        "Type": c["Type"],
                        **({"Status": c["Status"]} if "Status" in c else {}),
                    }
                    for c in self.catalogs.values()
                ]
            }

    def delete_data_catalog(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            catalog = dict(self._catalog(p["Name"]))
            del self.catalogs[p["Name"]]
            self.tags.pop(self.arn("datacatalog", p["Name"]), None)
        return {"DataCatalog": catalog | {"Status": "DELETE_COMPLETE"}}

    # -- tags -------------------------------------------------------------------------------------

    def _resource_tags(self, arn: str) -> dict[str, str]:
        kind, _, name = arn.rpartition(":")[2].partition("/")
        table = {"workgroup": self.work_groups, "datacatalog": self.catalogs}.get(kind)
        if table is None or name not in table:
            raise AwsError("ResourceNotFoundException", f"{arn} was not found")
        return self.tags.setdefault(arn, {})

    def _set_tags(self, arn: str, tags: list[dict[str, str]]) -> None:
        self.tags.setdefault(arn, {}).update({t["Key"]: t["Value"] for t in tags})

    def list_tags(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            tags = self._resource_tags(p["ResourceARN"])
            return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}

    def tag(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self._resource_tags(p["ResourceARN"]).update({t["Key"]: t["Value"] for t in p["Tags"]})
        return {}

    def untag(self, p: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            tags = self._resource_tags(p["ResourceARN"])
            for key in p.get("TagKeys") or []:
                tags.pop(key, None)
        return {}
