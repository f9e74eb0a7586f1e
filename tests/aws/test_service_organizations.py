"""Organizations root and units against moto: the tree with tags and edges, tag, delete in order;
an account outside any organization yields nothing and no skip."""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect, delete_order
from resoto_hookspecs import Location
from resoto_hookspecs.graph import node_id
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

CFG = AwsConfig(region=["us-east-1"], collect=["aws_organizational_*"])
GLOBAL = Location("aws", ACCOUNT, "global")


def seed() -> dict[str, str]:
    org = client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    org.tag_resource(ResourceId=root, Tags=[{"Key": "scope", "Value": "all"}])
    eng = org.create_organizational_unit(
        ParentId=root, Name="engineering", Tags=[{"Key": "team", "Value": "eng"}]
    )["OrganizationalUnit"]["Id"]
    web = org.create_organizational_unit(ParentId=eng, Name="web")["OrganizationalUnit"]["Id"]
    return {"root": root, "eng": eng, "web": web}


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_tree_is_collected_in_the_global_unit(moto: str) -> None:
    ids = seed()
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    assert not result.reporter.skips
    roots = result.by_id("aws_organizational_root")
    assert set(roots) == {ids["root"]}
    assert roots[ids["root"]]["tags"] == {"scope": "all"}
    units = result.by_id("aws_organizational_unit")
    assert set(units) == {ids["eng"], ids["web"]}
    assert units[ids["eng"]]["name"] == "engineering"
    assert units[ids["eng"]]["tags"] == {"team": "eng"}
    assert units[ids["web"]]["parent_id"] == ids["eng"]
    root_nid = result.nid("aws_organizational_root", ids["root"])
    eng_nid = result.nid("aws_organizational_unit", ids["eng"])
    web_nid = result.nid("aws_organizational_unit", ids["web"])
    assert root_nid == node_id("aws_organizational_root", "aws", ACCOUNT, "global", ids["root"])
    assert result.edge(root_nid, eng_nid)
    assert result.edge(eng_nid, web_nid)
    assert result.edge(eng_nid, web_nid, "delete")
    assert not result.edge(root_nid, web_nid)
    order = delete_order({eng_nid, web_nid}, result.sink.edges)
    assert order == [web_nid, eng_nid]


def test_no_organization_is_an_empty_answer(moto: str) -> None:
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    assert not result.reporter.skips
    assert result.by_id("aws_organizational_root") == {}


def test_tag_untag_and_delete(moto: str) -> None:
    ids = seed()
    result = collect(CFG)
    org = client("organizations")
    unit = resource(result, "aws_organizational_unit", ids["web"])
    PluginDriver(plugin, CFG).update_tag(resource=unit, location=GLOBAL, key="owner", value="ana")
    assert {t["Key"]: t["Value"] for t in org.list_tags_for_resource(ResourceId=ids["web"])["Tags"]} == {
        "owner": "ana"
    }
    PluginDriver(plugin, CFG).delete_tag(resource=unit, location=GLOBAL, key="owner")
    assert org.list_tags_for_resource(ResourceId=ids["web"])["Tags"] == []
    PluginDriver(plugin, CFG).delete_resource(resource=unit, location=GLOBAL)
    children = org.list_organizational_units_for_parent(ParentId=ids["eng"])["OrganizationalUnits"]
    assert children == []
    assert PluginDriver(plugin, CFG).check_resource(resource=unit, location=GLOBAL) is None
