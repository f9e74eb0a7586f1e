"""The declarative kind definitions every service module is made of.

A :class:`Kind` says how one AWS kind is listed (:class:`Call`), how a listed item becomes a
resource (``id``, ``name``, ``tags``, ``ctime``, ``fields``), which extra calls enrich an item
(:class:`Enrich`), how it is connected to other kinds (:class:`Link`), and how it is re-read
(``get``), deleted (:class:`Delete`) and tagged (:class:`Tagging`).

Paths are a small subset of JMESPath that the botocore-model test can check against the service
model: dotted keys, ``[]`` to flatten a list and ``[N]`` to index one, e.g.
``Reservations[].Instances[]`` or ``Placement.AvailabilityZone``. A path that starts with ``_``
reads what an :class:`Enrich` stored under that key; ``_arn`` holds the ARN built from a
:attr:`Kind.arn` template, so an enrichment can pass it (tags calls that want the ARN). Resource-side arguments of delete and tag
calls name attributes of the resource: ``id``, ``arn``, ``name``, or a field; ``[id]`` wraps the
value in a one-element list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import jmespath

from resoto_plugin_aws.resources import AwsResource

Json = dict[str, Any]

TAGGING_API = "resourcegroupstaggingapi"
"""The botocore name of the Resource Groups Tagging API (:attr:`Enrich.tagging_api`)."""


@dataclass(frozen=True)
class Call:
    """One (paginated) API call whose answer holds a list of items.

    :param op: The botocore operation name (``DescribeInstances``).
    :param result: Path from one response page to the items.
    :param args: Constant arguments.
    :param page_size: Page size to ask for (the paginator's limit key, e.g. ``MaxResults``).
    :param item_args: For calls made per parent item: argument name -> path into the parent item.
    :param gone: Error codes that mean "not found" (used when the call re-reads one resource).
    :param wrap: The result is a list of scalars (e.g. queue URLs): wrap each as ``{wrap: value}``.
    """

    op: str
    result: str
    args: Mapping[str, Any] = field(default_factory=dict)
    page_size: int | None = None
    item_args: Mapping[str, str] = field(default_factory=dict)
    gone: tuple[str, ...] = ()
    wrap: str | None = None


@dataclass(frozen=True)
class Enrich:
    """An extra call per item (or per batch of items) whose answer is stored in the item.

    :param op: The botocore operation name.
    :param args: Argument name -> path into the item. With ``batch`` the argument gets a list.
    :param result: Path into the response.
    :param into: The key the result is stored under in the item (starts with ``_``).
    :param batch: Items per call (0: one call per item).
    :param match: With ``batch``: path in each result entry that equals ``key`` of its item.
    :param key: With ``batch``: path into the item matched against ``match``.
    :param ignore: Error codes that mean "nothing there" (e.g. ``NoSuchTagSet``): stored as ``None``.
    :param const: Constant arguments.
    :param when: A predicate on the item; items where it is false are not enriched.
    :param tagging_api: For a tags enrichment (``into`` is the kind's ``tags`` path): the service
        namespace of the kind's ARNs (``sqs``, ``cloudwatch``). A collection then reads the tags of
        all such kinds of its unit with one paged ``tag:GetResources`` call (the Resource Groups
        Tagging API) and makes this call per item only for a kind of which that answer names no
        item: the API may not serve the service there, the ARNs may be written differently, or no
        item is tagged. Re-reading one resource always makes this call.
    """

    op: str
    args: Mapping[str, str]
    result: str
    into: str
    batch: int = 0
    match: str | None = None
    key: str | None = None
    ignore: tuple[str, ...] = ()
    const: Mapping[str, Any] = field(default_factory=dict)
    when: Callable[[Json], bool] | None = None
    tagging_api: str | None = None


@dataclass(frozen=True)
class Link:
    """An edge to another kind, found from the item's own data.

    :param kind: The other kind's name.
    :param path: Path into the item giving the other's id (or a list of ids), or a function of the item.
    :param default: ``in``: other -> this; ``out``: this -> other; ``None``: no default edge.
    :param delete: ``in``: other -delete-> this (this is deleted first); ``out``: this -delete-> other.
    :param to_id: Turns the value found into the other's id (e.g. an ARN into a name).
    :param global_: The other kind lives in the ``global`` region.
    :param region: Path into the item (or a function of it) giving the other's region, when it may
        live in another region (a cross-region VPC peering); empty: this unit's region.
    :param account: Path (or function) giving the other's account id, when it may live in another
        account; empty: this account. An edge to another account or region is sent as a deferred
        edge the core resolves (``GraphBuilder.ref``).
    :param when: A predicate on the item; the link applies only where it holds.
    """

    kind: str
    path: str | Callable[[Json], Any]
    default: Literal["in", "out"] | None = "in"
    delete: Literal["in", "out"] | None = None
    to_id: Callable[[str], str | None] | None = None
    global_: bool = False
    when: Callable[[Json], bool] | None = None
    region: str | Callable[[Json], Any] | None = None
    account: str | Callable[[Json], Any] | None = None


@dataclass(frozen=True)
class Delete:
    """The call that deletes one resource.

    :param op: The botocore operation name.
    :param args: Argument name -> resource attribute (``id``, ``arn``, ``[id]``, a field name).
    :param const: Constant arguments.
    :param gone: Error codes that mean the resource is already gone.
    """

    op: str
    args: Mapping[str, str]
    const: Mapping[str, Any] = field(default_factory=dict)
    gone: tuple[str, ...] = ()


TagFormat = Literal["list", "map", "kms", "lower"]


@dataclass(frozen=True)
class Tagging:
    """The calls that set and remove one tag.

    :param tag_op: Operation that adds or overwrites tags.
    :param untag_op: Operation that removes tags.
    :param target: Argument name -> resource attribute that names the resource.
    :param tags_arg: Argument of ``tag_op`` holding the tags.
    :param fmt: ``list`` (``[{"Key", "Value"}]``), ``map`` (``{key: value}``), ``kms`` (``TagKey``/``TagValue``),
        ``lower`` (``[{"key", "value"}]``).
    :param keys_arg: Argument of ``untag_op`` holding the keys.
    :param keys_fmt: ``keys`` (``["k"]``) or ``list`` (``[{"Key": "k"}]``).
    :param const: Constant arguments of both calls.
    :param gone: Error codes that mean the resource is gone.
    """

    tag_op: str
    untag_op: str
    target: Mapping[str, str]
    tags_arg: str = "Tags"
    fmt: TagFormat = "list"
    keys_arg: str = "TagKeys"
    keys_fmt: Literal["keys", "list"] = "keys"
    const: Mapping[str, Any] = field(default_factory=dict)
    gone: tuple[str, ...] = ()


@dataclass(frozen=True)
class TagsAt:
    """Where an item carries its tags: a list of key/value entries or a map."""

    path: str
    fmt: TagFormat = "list"


class Api(Protocol):
    """What a hand-written part of a definition may call: the API of one account and region.

    Every call goes through the (account, region, service) limiter and is counted; the plugin
    passes a :class:`resoto_plugin_aws.calls.ApiContext`, for collection and for cleanup and
    tagging alike. ``call`` takes ``service`` and ``op`` positionally, so an operation may have
    arguments with those names (ECS ``DeleteService`` has ``service``).
    """

    @property
    def account(self) -> str: ...

    @property
    def region(self) -> str:
        """The unit's or the resource's region (``global`` for global kinds)."""

    @property
    def partition(self) -> str: ...

    def call(self, service: str, op: str, /, **args: Any) -> Json:
        """One API call (``op`` is the botocore operation name, ``DescribeInstances``)."""

    def pages(
        self, service: str, op: str, args: Mapping[str, Any], page_size: int | None = None
    ) -> Iterator[Json]:
        """The answer pages of a (possibly paginated) call."""

    def list_items(self, service: str, call: Call, extra: Mapping[str, Any] | None = None) -> list[Json]:
        """The items a list call finds over all its pages (``call.result`` of each page)."""


class UnitApi(Api, Protocol):
    """What an ``items`` function of a definition gets: the :class:`Api` of the collection unit,
    plus the raw items of the kinds it reads (``parent``, ``after``)."""

    def items(self, kind: str) -> list[Json]:
        """The raw items of a kind listed before in this unit."""


ItemsFn = Callable[[UnitApi], Iterable[Json]]
ActionFn = Callable[[Api, AwsResource], None]


@dataclass(frozen=True)
class Kind:
    """Everything the plugin knows about one AWS kind.

    :param cls: The resource class (its ``kind`` is the kind name).
    :param service: The botocore service name (``ec2``).
    :param list: The list call, or ``None`` when ``items`` produces the items.
    :param id: Path to the id.
    :param name: Path to the name (default: the ``Name`` tag, else the id).
    :param tags: Where the item's tags are.
    :param ctime: Path to the creation time.
    :param arn: Path to the ARN, or a template with ``{partition}``, ``{region}``, ``{account}``,
        ``{id}`` and ``{name}``.
    :param fields: Resource field -> path into the item, or a function of the item.
    :param enrich: Extra calls per item.
    :param links: Edges to other kinds.
    :param parent: A kind whose items this kind is listed per (``list.item_args`` read the parent item).
        Such resources hang below their parent item rather than the region; each item keeps the
        arguments it was listed with under ``_args`` (``_args.applicationId``).
    :param after: Kinds whose items must be listed first (read them with ``ctx.items(kind)``).
    :param items: A function producing the raw items instead of ``list``.
    :param skip: A predicate on the raw item: ``True`` leaves it out (e.g. AWS-managed entries).
    :param prepare: Adds computed keys (starting with ``_``) to each raw item right after listing.
    :param global_: Collected once per account in the ``global`` unit.
    :param get: Re-reads one resource (``item_args`` read resource attributes, like ``Delete.args``).
    :param delete: How to delete it (``None``: not deletable).
    :param tagging: How to tag it (``None``: no tags, or ``tag_fn`` does it).
    :param pre_cleanup: Detach/release/revoke/empty before deletion.
    :param delete_fn: Hand-written deletion when ``delete`` cannot say it.
    :param tag_fn: Hand-written tagging (``value is None`` with ``untag=True`` removes).
    :param iam: Extra IAM actions the collection needs beyond the calls named here.
    :param cleanup_iam: Extra IAM actions ``pre_cleanup``/``delete_fn`` need.
    :param tag_iam: Extra IAM actions ``tag_fn`` needs.
    """

    cls: type[AwsResource]
    service: str
    list: Call | None
    id: str
    name: str | None = None
    tags: TagsAt | None = None
    ctime: str | None = None
    arn: str | None = None
    fields: Mapping[str, str | Callable[[Json], Any]] = field(default_factory=dict)
    enrich: tuple[Enrich, ...] = ()
    links: tuple[Link, ...] = ()
    parent: str | None = None
    after: tuple[str, ...] = ()
    items: ItemsFn | None = None
    skip: Callable[[Json], bool] | None = None
    prepare: Callable[[Json], None] | None = None
    global_: bool = False
    get: Call | None = None
    delete: Delete | None = None
    tagging: Tagging | None = None
    pre_cleanup: ActionFn | None = None
    delete_fn: ActionFn | None = None
    tag_fn: Callable[..., None] | None = None
    iam: tuple[str, ...] = ()
    cleanup_iam: tuple[str, ...] = ()
    tag_iam: tuple[str, ...] = ()

    @property
    def name_(self) -> str:
        return self.cls.kind


_compiled: dict[str, Any] = {}


def search(path: str, data: Any) -> Any:
    """Evaluate a path against data (compiled once per path)."""
    expr = _compiled.get(path)
    if expr is None:
        expr = _compiled[path] = jmespath.compile(path)
    return expr.search(data)


def resource_value(resource: Any, ref: str) -> Any:
    """Resolve a resource-side argument: ``id``, ``arn``, a field name, or ``[id]`` for a one-element list."""
    if ref.startswith("[") and ref.endswith("]"):
        return [resource_value(resource, ref[1:-1])]
    return getattr(resource, ref)


def arn_name(arn: str) -> str | None:
    """The last path segment of an ARN (``arn:aws:iam::1:role/a/b`` -> ``b``)."""
    return arn.rsplit("/", 1)[-1] if arn else None


def arn_last(arn: str) -> str | None:
    """The last ``:``-separated part of an ARN."""
    return arn.rsplit(":", 1)[-1] if arn else None


def as_text(path: str) -> Callable[[Json], str | None]:
    """A field function: the value at ``path`` as a string (timestamps as ISO text), or ``None``."""

    def read(item: Json) -> str | None:
        value = search(path, item)
        if value is None:
            return None
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    return read
