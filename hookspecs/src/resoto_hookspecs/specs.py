"""The hook specifications: everything the kernel asks of a plugin, in lifecycle order.

A plugin is a module (or a module-level object) registered under the entry-point group
``resoto.plugins`` that implements some of these hooks with ``@hookimpl``. It needs to implement
only what it supports: a collector implements ``cloud_info``, ``resource_kinds``,
``collection_units`` and ``collect``; cleanup and tagging add the hooks after them; a pure cleanup
policy implements only ``plan_cleanup``.

How the kernel calls hooks. ``plan_cleanup`` is broadcast to every plugin. Every other hook is
routed to one plugin: the kernel calls it on the plugin that owns the resource's or unit's cloud
only, so an implementation never has to check whether a call is meant for it. All of these are
``firstresult`` hooks: the one implementation's return value is the result.

Threads. ``cloud_info`` and ``resource_kinds`` run on the kernel's event-loop thread at startup
and must not do I/O. Every other hook runs in a worker thread (or, with ``fork_process``, in a
child process), so blocking SDK calls are fine there; several calls run at once, so
implementations must be thread-safe.

Arguments. Pluggy passes an implementation only the arguments it names, so an implementation
declares just what it uses (a 0.1 plugin without the action hooks' ``unit`` keeps working). The
``config`` argument is always an instance of the plugin's own config class
(``cloud_info().config``), validated by the kernel, or ``None`` when the plugin declares none:
annotate it with that class (``config: AwsConfig``) instead of re-deriving it.

Errors. Raise :mod:`resoto_hookspecs.errors` exceptions to say what went wrong (``AccessDenied``,
``NotAvailable``, ``NotSupported``, ``ResourceGone``); anything else counts as an unexpected
failure and is isolated to the unit or resource at hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from resoto_hookspecs.context import (
    CleanupCandidate,
    CleanupFlag,
    CloudInfo,
    CollectionUnit,
    Location,
    PluginConfig,
    Reporter,
)
from resoto_hookspecs.graph import GraphBuilder
from resoto_hookspecs.markers import hookspec
from resoto_hookspecs.resources import BaseResource


class ResotoSpecs:
    """The hook specifications of resotoworker, registered by the kernel's plugin manager."""

    # -- registration -------------------------------------------------------------------------

    @hookspec(firstresult=True)
    def cloud_info(self) -> CloudInfo:
        """Say which cloud this plugin collects and what its config section looks like.

        Called by: the kernel's plugin manager, once at startup, on the event-loop thread.
        Must be fast and must not do I/O.

        :returns: The plugin's :class:`~resoto_hookspecs.context.CloudInfo`. Its ``name`` is the
            cloud's id, the tag-task filter and the config section name.
        :raises: Nothing; an exception here marks the plugin as broken and it is not loaded.

        Example::

            @hookimpl
            def cloud_info() -> CloudInfo:
                return CloudInfo(name="example", config=ExampleConfig, description="A synthetic cloud")
        """
        raise NotImplementedError

    @hookspec(firstresult=True)
    def resource_kinds(self) -> Sequence[type[BaseResource]]:
        """List every resource class the plugin may produce, for the model sent to the core.

        Called by: the kernel at startup (model export, tag-task decoding, ``--list-plugins``),
        on the event-loop thread. Must be fast and must not do I/O.

        :returns: The concrete resource classes, including the plugin's account and region classes.
            Their base kinds are added by the kernel.
        :raises: Nothing; an exception here marks the plugin as broken.

        Example::

            @hookimpl
            def resource_kinds() -> list[type[BaseResource]]:
                return [ExampleAccount, ExampleRegion, ExampleInstance, ExampleVolume]
        """
        raise NotImplementedError

    @hookspec(firstresult=True)
    def access_policy(self, config: PluginConfig | None, include_cleanup: bool) -> dict[str, Any] | None:
        """Describe the least-privilege access the plugin needs, as the cloud's policy document.

        Called by: ``resotoworker --print-iam-policy <cloud> [--with-cleanup]``, on the main thread.

        :param config: The plugin's config section (defaults when no config was given), or ``None``.
        :param include_cleanup: Include what cleanup (``pre_cleanup``, ``delete_resource``) and
            tagging (``update_tag``, ``delete_tag``) need, not only collection.
        :returns: A JSON-serialisable policy document (for AWS: an IAM policy), or ``None``.
        :raises: Nothing expected.

        Example::

            @hookimpl
            def access_policy(config, include_cleanup):
                actions = sorted(COLLECT_ACTIONS | (CLEANUP_ACTIONS if include_cleanup else set()))
                return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
        """
        raise NotImplementedError

    # -- collect ------------------------------------------------------------------------------

    @hookspec(firstresult=True)
    def collection_units(self, config: PluginConfig | None, reporter: Reporter) -> Iterable[CollectionUnit]:
        """Split the work of one collect into independently schedulable units.

        Typical units are account × region, plus one unit per account for its global resources.
        Discovery that needs the cloud (listing accounts of an organisation, enabled regions)
        happens here.

        Called by: the kernel's collect engine at the start of every collect, in a worker thread.

        :param config: The plugin's config section (an instance of ``cloud_info().config``), or
            ``None`` when the plugin has no config model.
        :param reporter: Reports problems of the discovery itself (an account that cannot be
            assumed is reported here and left out, rather than failing the whole plugin).
        :returns: The units, in any order. Unit names must be unique and stable across runs.
        :raises ExpectedError: Nothing can be collected, quietly (e.g. no credentials configured).

        Example::

            @hookimpl
            def collection_units(config, reporter):
                for account in discover_accounts(config):
                    for region in account.regions:
                        yield CollectionUnit("example", account, region, f"{account.id}/{region.id}")
        """
        raise NotImplementedError

    @hookspec(firstresult=True)
    def collect(
        self, unit: CollectionUnit, config: PluginConfig | None, builder: GraphBuilder, reporter: Reporter
    ) -> None:
        """Collect one unit: stream its resources and edges into the graph builder.

        Add every resource with ``builder.add(resource, parent=...)`` as soon as it is read, and
        connect resources with ``builder.add_edge(a, b, EdgeType.delete)`` where ``a`` can only be
        deleted after ``b``. Resources of other units of the same account can be referenced by
        ``builder.node_id(kind, id, region=...)``.

        Called by: the kernel's collect engine, in a worker thread (or a child process with
        ``fork_process``); many units run at once. The kernel enforces a per-unit timeout.

        :param unit: The unit to collect, as returned by ``collection_units``.
        :param config: The plugin's config section, or ``None``.
        :param builder: Where nodes and edges go. Resources without a parent hang below the unit's
            region (or account).
        :param reporter: Reports skips, errors that lost part of the data, and API calls.
        :returns: Nothing. Returning normally means the unit is complete, so the core may replace
            its old data with what was sent.
        :raises AccessDenied: The unit could not be read; the core keeps its old data, quietly.
        :raises NotAvailable: There is nothing to collect here (service or region not enabled).
        :raises Exception: Anything else fails the unit: reported, old data kept, others go on.

        Example::

            @hookimpl
            def collect(unit, config, builder, reporter):
                for net in api.networks(unit.region.id):
                    network = builder.add(ExampleNetwork(id=net["id"], tags=net["tags"]))
        """
        raise NotImplementedError

    # -- cleanup ------------------------------------------------------------------------------

    @hookspec
    def plan_cleanup(
        self, candidates: Sequence[CleanupCandidate], config: PluginConfig | None, reporter: Reporter
    ) -> Iterable[CleanupFlag] | None:
        """Act as a cleanup policy: choose resources to flag for cleanup.

        When any installed plugin implements this hook, the worker subscribes to the core's
        ``cleanup_plan`` step. It fetches the resources the core holds for the worker's own
        accounts, passes them here, and flags the chosen ones with ``desired.clean = true``.
        Protected resources are never flagged, whatever a policy returns.

        Called by: the kernel's cleanup planner, broadcast to every plugin that implements it, in
        a worker thread.

        :param candidates: The resources the core holds for this worker's clouds and accounts.
        :param config: This plugin's own config section, or ``None``.
        :param reporter: Reports problems.
        :returns: The flags to set, or ``None`` when the plugin has nothing to say.
        :raises Exception: The policy failed; reported, no node is flagged by it.

        Example::

            @hookimpl
            def plan_cleanup(candidates, config, reporter):
                now = datetime.now(UTC)
                for c in candidates:
                    if (exp := parse_time(c.resource.tags.get("expires"))) and exp < now:
                        yield CleanupFlag(c.node_id, "expired", f"expires {exp:%Y-%m-%d} is past")
        """
        raise NotImplementedError

    @hookspec(firstresult=True)
    def pre_cleanup(
        self,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        unit: CollectionUnit | None,
    ) -> None:
        """Prepare a resource for deletion: detach, release, revoke, empty.

        Called by: the kernel's cleanup, for every resource it is about to delete (never in a dry
        run), before any ``delete_resource`` call of the run, in a cleanup pool thread.

        :param resource: The resource as the core holds it (its plugin's class).
        :param location: Its cloud, account, region and zone; credentials come from ``unit`` and
            ``config``, never from the core.
        :param config: The plugin's config section, or ``None``.
        :param unit: The collection unit of the resource's account (and region, when one was
            collected): the same object, payload included, that ``collect`` got for it, so the
            hook reaches the account with the credentials that found the resource. The kernel
            remembers the last unit of every account and, before the first collect, asks
            ``collection_units`` once; ``None`` when no unit serves the account. Optional: an
            implementation that does not declare ``unit`` does not get it.
        :returns: Nothing.
        :raises ResourceGone: The resource no longer exists (the cleanup skips it and reports it).
        :raises Exception: Preparation failed: the resource is not deleted and its dependents are
            reported as blocked.

        Example::

            @hookimpl
            def pre_cleanup(resource, location, config: AwsConfig, unit):
                if isinstance(resource, AwsEc2Volume) and resource.volume_status == "in-use":
                    ec2(unit, location).detach_volume(VolumeId=resource.id)
        """
        raise NotImplementedError

    @hookspec(firstresult=True)
    def check_resource(
        self,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        unit: CollectionUnit | None,
    ) -> BaseResource | None:
        """Re-read a resource right before it is deleted, so a changed resource is not touched.

        The kernel compares the answer with what the core held: a resource that is gone, or that
        now carries the configured protection tag, is skipped and reported. A plugin that does not
        implement this hook gets no re-check.

        Called by: the kernel's cleanup, right before ``delete_resource``, in a cleanup pool thread.

        :param resource: The resource as the core holds it.
        :param location: Its cloud, account, region and zone.
        :param config: The plugin's config section, or ``None``.
        :param unit: The collection unit of the resource's account (see ``pre_cleanup``), or ``None``.
        :returns: The resource as the cloud has it now (at least ``id`` and ``tags``), or ``None``
            when it no longer exists.
        :raises Exception: The check failed; the resource is not deleted.

        Example::

            @hookimpl
            def check_resource(resource, location, config):
                found = api.get(resource.id)
                return type(resource)(id=found["id"], tags=found["tags"]) if found else None
        """
        raise NotImplementedError

    @hookspec(firstresult=True)
    def delete_resource(
        self,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        unit: CollectionUnit | None,
    ) -> None:
        """Delete one resource in the cloud.

        The kernel calls it in dependency order: when ``A -delete-> B``, B is deleted first, and A
        is not attempted when B failed.

        Called by: the kernel's cleanup, in a cleanup pool thread; independent resources are
        deleted in parallel (``cleanup_pool_size``).

        :param resource: The resource as the core holds it.
        :param location: Its cloud, account, region and zone.
        :param config: The plugin's config section, or ``None``.
        :param unit: The collection unit of the resource's account (see ``pre_cleanup``), or ``None``.
        :returns: Nothing; returning normally means it is deleted (or deletion was accepted).
        :raises NotSupported: This kind cannot be deleted.
        :raises ResourceGone: It was already gone (reported as skipped, not as a failure).
        :raises Exception: Deletion failed; reported, dependents blocked.

        Example::

            @hookimpl
            def delete_resource(resource, location, config):
                api.delete(resource.kind, resource.id)
        """
        raise NotImplementedError

    # -- tags ---------------------------------------------------------------------------------

    @hookspec(firstresult=True)
    def update_tag(
        self,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        key: str,
        value: str | None,
        unit: CollectionUnit | None,
    ) -> None:
        """Set a tag (or label) on a resource in the cloud.

        Called by: the kernel's task handler for a ``tag`` task whose ``update`` holds ``key``,
        in a worker thread. The kernel then returns the node with the new tag to the core.

        :param resource: The resource as the core holds it.
        :param location: Its cloud, account, region and zone.
        :param config: The plugin's config section, or ``None``.
        :param key: The tag key.
        :param value: The value, or ``None`` for a key-only tag (where the cloud has them).
        :param unit: The collection unit of the resource's account (see ``pre_cleanup``), or ``None``.
        :returns: Nothing.
        :raises NotSupported: This kind has no tags.
        :raises ResourceGone: The resource no longer exists.

        Example::

            @hookimpl
            def update_tag(resource, location, config: AwsConfig, key, value, unit):
                ec2(unit, location).create_tags(Resources=[resource.id], Tags=[{"Key": key, "Value": value or ""}])
        """
        raise NotImplementedError

    @hookspec(firstresult=True)
    def delete_tag(
        self,
        resource: BaseResource,
        location: Location,
        config: PluginConfig | None,
        key: str,
        unit: CollectionUnit | None,
    ) -> None:
        """Remove a tag (or label) from a resource in the cloud.

        Called by: the kernel's task handler for a ``tag`` task whose ``delete`` lists ``key``, in
        a worker thread.

        :param resource: The resource as the core holds it.
        :param location: Its cloud, account, region and zone.
        :param config: The plugin's config section, or ``None``.
        :param key: The tag key to remove.
        :param unit: The collection unit of the resource's account (see ``pre_cleanup``), or ``None``.
        :returns: Nothing.
        :raises NotSupported: This kind has no tags.
        :raises ResourceGone: The resource no longer exists.

        Example::

            @hookimpl
            def delete_tag(resource, location, config: AwsConfig, key, unit):
                ec2(unit, location).delete_tags(Resources=[resource.id], Tags=[{"Key": key}])
        """
        raise NotImplementedError


HOOK_NAMES: tuple[str, ...] = tuple(
    name for name, fn in vars(ResotoSpecs).items() if callable(fn) and not name.startswith("_")
)
"""Every hook name, in lifecycle order."""
