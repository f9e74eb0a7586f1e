"""Helpers for the AWS plugin tests: run a collection into a MemorySink, topological delete order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from resoto_hookspecs import GraphBuilder, MemorySink, RecordingReporter
from resoto_hookspecs.graph import node_id
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig

ACCOUNT = "123456789012"
NO_MOTO = [
    "aws_backup_recovery_point",
    "aws_backup_job",
    "aws_backup_copy_job",
    "aws_backup_restore_job",
    "aws_backup_protected_resource",
    "aws_backup_framework",
    "aws_backup_legal_hold",
    "aws_backup_restore_testing_plan",
    "aws_bedrock_foundation_model",
    "aws_bedrock_guardrail",
    "aws_bedrock_evaluation_job",
    "aws_bedrock_provisioned_model_throughput",
    "aws_bedrock_agent_flow",
    "aws_bedrock_agent_flow_version",
    "aws_bedrock_agent_prompt",
    "aws_q_business_application",
    "aws_q_business_indice",
    "aws_q_business_data_source",
    "aws_q_business_data_source_sync_job",
    "aws_q_business_document",
    "aws_q_business_conversation",
    "aws_q_business_message",
    "aws_q_business_plugin",
    "aws_q_business_retriever",
    "aws_q_business_web_experience",
    "aws_q_apps",
    "aws_q_apps_library_item",
    "aws_ec2_reserved_instances",
    "aws_dynamodb_global_table",
    "aws_ecs_capacity_provider",
    "aws_ssm_instance",
    "aws_glacier_vault",
    "aws_cloudfront_cache_policy",
    "aws_cloudfront_origin_request_policy",
    "aws_cloudfront_response_headers_policy",
    "aws_cloudfront_field_level_encryption_config",
    "aws_cloudfront_field_level_encryption_profile",
    "aws_cloudfront_realtime_log_config",
    "aws_service_quota",
    "aws_s3_account_settings",  # S3 Control puts the account id in the host: <account>.127.0.0.1
    "aws_athena_work_group",  # rest-json since botocore 1.44; moto serves only the old JSON-RPC (404)
    "aws_athena_data_catalog",
    "aws_cloudfront_streaming_distribution",  # HTTP fake: test_service_fake_legacy.py
    "aws_glacier_job",  # below aws_glacier_vault; HTTP fake: test_service_fake_legacy.py
    "aws_ssm_resource_compliance",  # HTTP fake: test_service_fake_legacy.py
    "aws_docdb_cluster",  # moto's RDS refuses the docdb engine; HTTP fake: test_service_fake_new.py
    "aws_apprunner_service",  # no App Runner in moto; HTTP fake: test_service_fake_new.py
    "aws_sagemaker_algorithm",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_app",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_artifact",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_code_repository",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_edge_packaging_job",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_image",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_inference_recommendations_job",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_labeling_job",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_project",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_user_profile",  # HTTP fake: test_service_sagemaker_fake.py
    "aws_sagemaker_workteam",  # HTTP fake: test_service_sagemaker_fake.py
]
"""Kinds whose list call moto does not implement (it answers HTTP 500): covered by the model check only.

Collections against moto still collect them (the default config: the plugin reports them as
failed kinds, as it would a real account's broken API); tests only skip asserting on them
(:func:`unexpected_reports`).

Also: ECS ``DescribeCapacityProviders`` without names fails in moto, and moto has no Glacier vault tags
(404), so those kinds' list/enrich calls cannot run against it; their delete/tag calls are tested alone.
moto has no CloudFront policies, field-level encryption or real-time log configs (404) and no
``ListServiceQuotas`` (500). Athena is read from a botocore-model-driven HTTP fake instead
(``tests/fakes/aws``, see ``test_service_athena.py``).
moto serves AWS Backup's vaults, plans and report plans only (the rest 404): those kinds are read from
an HTTP fake of the Backup API in ``test_service_backup.py``. Likewise Bedrock (moto: custom models and
customization jobs) and Agents for Bedrock (moto: agents and knowledge bases), ``test_service_bedrock.py``.
moto has no Amazon Q Business or Q Apps at all (``test_service_qbusiness.py``).
"""


def moto_gaps() -> set[str]:
    """:data:`NO_MOTO` and the kinds computed from them (they cannot be read either)."""
    from resoto_plugin_aws.registry import all_kinds

    kinds = all_kinds()
    gaps = set(NO_MOTO)
    changed = True
    while changed:
        changed = False
        for name, kind in kinds.items():
            deps = ((kind.parent,) if kind.parent else ()) + kind.after
            if name not in gaps and any(d in gaps for d in deps):
                gaps.add(name)
                changed = True
    return gaps


def unexpected_reports(
    reporter: RecordingReporter,
) -> tuple[list[tuple[str, str | None, str | None]], list[tuple[str, str | None, str | None, bool]]]:
    """The errors and skips a collection against moto reported about anything but :func:`moto_gaps`."""
    gaps = moto_gaps()
    errors = [e for e in reporter.errors if e[1] not in gaps]
    skips = [s for s in reporter.skips if s[1] not in gaps]
    return errors, skips


@dataclass
class Collected:
    sink: MemorySink
    reporter: RecordingReporter
    units: list[Any]
    failures: dict[str, BaseException] = field(default_factory=dict)

    def nodes(self, kind: str) -> dict[str, dict[str, Any]]:
        """Node id -> node of one kind."""
        return {nid: n for nid, n in self.sink.nodes.items() if n["reported"]["kind"] == kind}

    def by_id(self, kind: str) -> dict[str, dict[str, Any]]:
        return {n["reported"]["id"]: n["reported"] for n in self.nodes(kind).values()}

    def resource(self, kind: str, rid: str) -> Any:
        """The collected resource, rebuilt as its model object (what the core hands back for actions)."""
        from resoto_plugin_aws.registry import kind_of

        reported = dict(self.by_id(kind)[rid])
        reported.pop("kind")
        found = kind_of(kind)
        assert found is not None, kind
        return found.cls.model_validate(reported)

    def nid(self, kind: str, rid: str) -> str:
        for nid, n in self.nodes(kind).items():
            if n["reported"]["id"] == rid:
                return nid
        raise KeyError(f"{kind} {rid} not collected")

    def edge(self, a: str, b: str, edge_type: str = "default") -> bool:
        return (a, b, edge_type) in set(self.sink.edges)

    def region_ids(self) -> set[str]:
        out = set()
        for u in self.units:
            out.add(node_id("aws_region", "aws", u.account.id, u.region.id, u.region.id))
            out.add(node_id("aws_account", "aws", u.account.id, None, u.account.id))
        return out


def client(service: str, region: str = "us-east-1") -> Any:
    import boto3

    return boto3.client(service, region_name=region)


def collect(config: AwsConfig, reporter: RecordingReporter | None = None) -> Collected:
    rep = reporter or RecordingReporter()
    units = list(plugin.collection_units(config=config, reporter=rep))
    result = Collected(MemorySink(), rep, units)
    for unit in units:
        builder = GraphBuilder(unit, result.sink, rep)
        try:
            plugin.collect(unit=unit, config=config, builder=builder, reporter=rep)
        except Exception as e:
            result.failures[unit.name] = e
    return result


def delete_order(nodes: set[str], edges: list[tuple[str, str, str]]) -> list[str]:
    """The order the kernel deletes in: for ``A -delete-> B`` B comes before A."""
    before: dict[str, set[str]] = defaultdict(set)
    for a, b, et in edges:
        if et == "delete" and a in nodes and b in nodes:
            before[a].add(b)
    order: list[str] = []
    done: set[str] = set()
    pending = set(nodes)
    while pending:
        ready = sorted(n for n in pending if before[n] <= done)
        assert ready, "delete edges form a cycle"
        for n in ready:
            order.append(n)
            done.add(n)
            pending.discard(n)
    return order


def as_resource(result: Collected, kind: str, rid: str) -> Any:
    """The collected resource of ``kind`` with id ``rid``, rebuilt as its resource class (to act on)."""
    from resoto_plugin_aws.registry import kind_of

    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None, kind
    return found.cls.model_validate(reported)


def canned_fakes(*services: str) -> Iterator[dict[str, Any]]:
    """Canned-answer fakes of rest-json services moto does not serve (``fakes.aws.canned``), reached by
    the plugin's clients (its client cache is cleared on the way in and out). For a pytest fixture."""
    from fakes.aws.canned import serving
    from resoto_plugin_aws.sessions import SESSIONS

    yield from serving(*services, on_change=SESSIONS.clear)
