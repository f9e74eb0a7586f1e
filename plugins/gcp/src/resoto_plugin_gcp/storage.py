"""Cloud Storage buckets: collect, empty, delete, labels (JSON API via google-cloud-storage)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.api_core import exceptions as gexc
from google.api_core.retry import Retry
from google.cloud import storage  # type: ignore[attr-defined]
from resoto_hookspecs import ResourceGone

from resoto_plugin_gcp.context import UnitContext
from resoto_plugin_gcp.links import region_of_location
from resoto_plugin_gcp.resources import GcpBucket
from resoto_plugin_gcp.resources_more import GcpObject

SERVICE = "storage"


def _loader(ctx: UnitContext) -> Any:
    def load() -> Iterator[tuple[str, Any]]:
        client = ctx.clients.storage(ctx.project)
        iterator = client.list_buckets(page_size=ctx.config.page_size, retry=ctx.retry)
        try:
            for page in iterator.pages:
                ctx.count(SERVICE, "buckets.list")
                for bucket in page:
                    yield region_of_location(bucket.location, set(ctx.payload.known_regions)), bucket
        except Exception as e:
            ctx.count(SERVICE, "buckets.list", e)
            raise

    return load


def bucket_resource(bucket: storage.Bucket) -> GcpBucket:
    return GcpBucket(
        id=bucket.name,
        name=bucket.name,
        link=bucket.self_link,
        gcp_id=bucket.id,
        tags=dict(bucket.labels or {}),
        ctime=bucket.time_created,
        mtime=bucket.updated,
        location=bucket.location,
        location_type=bucket.location_type,
        storage_class=bucket.storage_class,
        versioning_enabled=bucket.versioning_enabled,
        metageneration=str(bucket.metageneration) if bucket.metageneration is not None else None,
    )


def collect_buckets(ctx: UnitContext) -> None:
    if not ctx.config.wants(GcpBucket.kind):
        return
    filed = ctx.file_region(ctx.region)
    for bucket in ctx.items(SERVICE, GcpBucket.kind, _loader(ctx), kind=GcpBucket.kind):
        this = ctx.builder.add(bucket_resource(bucket), region=filed)
        collect_objects(ctx, bucket.name, this, filed)


def collect_objects(ctx: UnitContext, bucket: str, parent: str, filed: str | None) -> None:
    """Up to ``max_objects_per_bucket`` objects (current versions) of a bucket, below the bucket."""
    limit = ctx.config.max_objects_per_bucket
    if limit <= 0 or not ctx.config.wants(GcpObject.kind):
        return
    client = ctx.clients.storage(ctx.project)
    try:
        iterator = client.list_blobs(
            bucket, max_results=limit, page_size=ctx.config.page_size, retry=ctx.retry
        )
        blobs = []
        for page in iterator.pages:
            ctx.count(SERVICE, "objects.list")
            blobs.extend(page)
    except Exception as e:
        ctx.count(SERVICE, "objects.list", e)
        ctx.report_error(SERVICE, f"objects of bucket {bucket}", e, kind=GcpObject.kind)
        return
    for blob in blobs:
        this = ctx.builder.add(
            GcpObject(
                id=f"{bucket}/{blob.name}",
                name=blob.name,
                link=blob.self_link,
                gcp_id=blob.id,
                ctime=blob.time_created,
                mtime=blob.updated,
                bucket=bucket,
                size=blob.size,
                content_type=blob.content_type,
                storage_class=blob.storage_class,
                generation=str(blob.generation) if blob.generation is not None else None,
            ),
            region=filed,
        )
        ctx.link(this, parent, owner=True, delete="this_first")


def delete_object(client: storage.Client, object_id: str, retry: Retry) -> None:
    bucket, _, name = object_id.partition("/")
    try:
        client.bucket(bucket).blob(name).delete(retry=retry)
    except gexc.NotFound:
        raise ResourceGone(f"object {object_id} no longer exists") from None


def _bucket(client: storage.Client, name: str, retry: Retry) -> storage.Bucket:
    try:
        return client.get_bucket(name, retry=retry)
    except gexc.NotFound:
        raise ResourceGone(f"bucket {name} no longer exists") from None


def get_bucket(client: storage.Client, name: str, retry: Retry) -> GcpBucket:
    return bucket_resource(_bucket(client, name, retry))


def empty_bucket(client: storage.Client, name: str, retry: Retry) -> int:
    """Delete every object (all versions) of a bucket. Returns how many were deleted."""
    bucket = _bucket(client, name, retry)
    deleted = 0
    for blob in client.list_blobs(bucket, versions=True, retry=retry):
        try:
            blob.delete(retry=retry)
        except gexc.NotFound:
            pass
        deleted += 1
    return deleted


def delete_bucket(client: storage.Client, name: str, retry: Retry) -> None:
    empty_bucket(client, name, retry)
    try:
        client.bucket(name).delete(retry=retry)
    except gexc.NotFound:
        raise ResourceGone(f"bucket {name} no longer exists") from None


def set_bucket_label(client: storage.Client, name: str, key: str, value: str | None, retry: Retry) -> None:
    """Set (``value`` not None) or remove a label with a PATCH guarded by the bucket's metageneration."""
    bucket = _bucket(client, name, retry)
    labels = dict(bucket.labels or {})
    if value is None:
        if key not in labels:
            return
        labels.pop(key)
    else:
        labels[key] = value
    bucket.labels = labels
    try:
        bucket.patch(if_metageneration_match=bucket.metageneration, retry=retry)
    except gexc.NotFound:
        raise ResourceGone(f"bucket {name} no longer exists") from None
