"""Discovery: organisations, folders (recursively) and projects per credential, then the units."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from google.api_core.retry import Retry
from resoto_hookspecs import CollectionUnit, ExpectedError, Reporter

from resoto_plugin_gcp.clients import Clients
from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.errors import error_code, is_forbidden, is_service_disabled, make_retry, short_message
from resoto_plugin_gcp.links import GLOBAL
from resoto_plugin_gcp.payload import HierarchyNode, HierarchyPayload, UnitPayload
from resoto_plugin_gcp.resources import GcpFolder, GcpOrganization, GcpProject, GcpRegion
from resoto_plugin_gcp.shared import new_run

log = logging.getLogger(__name__)

CLOUD = "gcp"
SYSTEM_PREFIXES = ("sys-",)


@dataclass
class FoundProject:
    project_id: str
    number: str
    display_name: str
    parent: str
    state: str
    labels: dict[str, str]
    credential_index: int
    ctime: object = None


@dataclass
class Discovery:
    """Everything one credential can see."""

    nodes: dict[str, HierarchyNode] = field(default_factory=dict)
    projects: dict[str, FoundProject] = field(default_factory=dict)


def _qualify(value: str, prefix: str) -> str:
    return value if value.startswith(prefix + "/") else f"{prefix}/{value}"


def is_system_project(project_id: str) -> bool:
    return project_id.startswith(SYSTEM_PREFIXES)


class Discoverer:
    def __init__(self, config: GcpConfig, reporter: Reporter) -> None:
        self.config = config
        self.reporter = reporter
        self.retry: Retry = make_retry(config)

    def _count(self, op: str, exc: BaseException | None = None) -> None:
        self.reporter.api_call("resourcemanager", op, error=error_code(exc) if exc else None)

    def discover(self, index: int, clients: Clients) -> Discovery:
        found = Discovery()
        roots: list[str] = [_qualify(o, "organizations") for o in self.config.organization]
        roots += [_qualify(f, "folders") for f in self.config.folder]
        restricted = bool(roots)
        if not restricted:
            try:
                for org in clients.organizations.search_organizations(request={}, retry=self.retry):
                    found.nodes[org.name] = HierarchyNode(
                        org.name, org.display_name or org.name, None, org.state.name if org.state else None
                    )
                    roots.append(org.name)
                self._count("organizations.search")
            except Exception as e:
                self._count("organizations.search", e)
                self._report(f"cannot search organisations with credential {index}", e)
        else:
            for root in roots:
                if root.startswith("organizations/"):
                    found.nodes[root] = HierarchyNode(root, root, None)
                else:
                    self._read_folder(clients, root, found)
        for root in roots:
            self._walk(clients, root, found, index)
        if not restricted:
            # projects visible outside any organisation the credential can read
            try:
                for p in clients.projects.search_projects(request={}, retry=self.retry):
                    self._add_project(found, p, index)
                self._count("projects.search")
            except Exception as e:
                self._count("projects.search", e)
                self._report(f"cannot search projects with credential {index}", e)
        return found

    def _read_folder(self, clients: Clients, name: str, found: Discovery) -> None:
        try:
            f = clients.folders.get_folder(name=name, retry=self.retry)
            self._count("folders.get")
            found.nodes[f.name] = HierarchyNode(f.name, f.display_name or f.name, f.parent, f.state.name)
        except Exception as e:
            self._count("folders.get", e)
            self._report(f"cannot read {name}", e)

    def _walk(self, clients: Clients, parent: str, found: Discovery, index: int) -> None:
        """Projects below ``parent``, then its folders, recursively (breadth first, no recursion limit)."""
        queue = [parent]
        while queue:
            current = queue.pop(0)
            try:
                for p in clients.projects.list_projects(request={"parent": current}, retry=self.retry):
                    self._add_project(found, p, index)
                self._count("projects.list")
            except Exception as e:
                self._count("projects.list", e)
                self._report(f"cannot list projects of {current}", e)
            try:
                for f in clients.folders.list_folders(request={"parent": current}, retry=self.retry):
                    if f.name in found.nodes and found.nodes[f.name].parent == f.parent:
                        continue
                    found.nodes[f.name] = HierarchyNode(
                        f.name, f.display_name or f.name, f.parent, f.state.name
                    )
                    queue.append(f.name)
                self._count("folders.list")
            except Exception as e:
                self._count("folders.list", e)
                self._report(f"cannot list folders of {current}", e)

    def _add_project(self, found: Discovery, p: object, index: int) -> None:
        pid: str = p.project_id  # type: ignore[attr-defined]
        state = p.state.name  # type: ignore[attr-defined]
        if not pid or pid in found.projects or state != "ACTIVE":
            return
        found.projects[pid] = FoundProject(
            project_id=pid,
            number=p.name.split("/", 1)[-1],  # type: ignore[attr-defined]
            display_name=p.display_name or pid,  # type: ignore[attr-defined]
            parent=p.parent,  # type: ignore[attr-defined]
            state=state,
            labels=dict(p.labels),  # type: ignore[attr-defined]
            credential_index=index,
            ctime=p.create_time,  # type: ignore[attr-defined]
        )

    def _report(self, what: str, exc: BaseException) -> None:
        if is_forbidden(exc) or is_service_disabled(exc):
            self.reporter.skip(f"{what}: {short_message(exc)}", service="resourcemanager", complete=False)
        else:
            self.reporter.error(
                f"{what}: {type(exc).__name__}: {short_message(exc)}", service="resourcemanager"
            )

    def selected(self, project_id: str) -> bool:
        if project_id in self.config.project_deny:
            return False
        if self.config.project and project_id not in self.config.project:
            return False
        return (
            self.config.include_system_projects
            or bool(self.config.project)
            or not is_system_project(project_id)
        )

    def regions(self, clients: Clients, project: str) -> tuple[list[GcpRegion], set[str]]:
        """The project's regions (``UP`` or not), and the services found disabled on the way."""
        client = clients.compute("Regions")
        try:
            regions = [
                GcpRegion(
                    id=r.name,
                    name=r.name,
                    link=r.self_link,
                    gcp_id=str(r.id),
                    status=r.status,
                    description=r.description,
                )
                for r in client.list(
                    request={"project": project, "max_results": self.config.page_size}, retry=self.retry
                )
            ]
            self.reporter.api_call("compute", "regions.list")
            return regions, set()
        except Exception as e:
            self.reporter.api_call("compute", "regions.list", error=error_code(e))
            if is_service_disabled(e):
                return [], {"compute"}
            if is_forbidden(e):
                self.reporter.skip(
                    f"cannot list regions of project {project}: {short_message(e)}",
                    service="compute",
                    complete=False,
                )
                return [], set()
            raise


def ancestry(parent: str, nodes: dict[str, HierarchyNode]) -> list[str]:
    """The chain of hierarchy names above a project, outermost first."""
    chain: list[str] = []
    seen: set[str] = set()
    current: str | None = parent
    while current and current not in seen:
        seen.add(current)
        chain.append(current)
        node = nodes.get(current)
        current = node.parent if node else None
    return list(reversed(chain))


def known_chain(name: str, nodes: dict[str, HierarchyNode]) -> list[str]:
    """:func:`ancestry` restricted to the nodes the credentials could read."""
    return [n for n in ancestry(name, nodes) if n in nodes]


def hierarchy_units(
    projects: list[FoundProject], nodes: dict[str, HierarchyNode], config: GcpConfig
) -> Iterator[CollectionUnit]:
    """One unit per tree (an organisation, or the outermost readable folder) above the projects.

    Organisations and folders are shared by the projects below them, so no project owns them: each
    tree is its own merge, directly below the cloud, with its own replace. Its folders hang below
    their parents; each collected project hangs below its folder through a reference (a deferred
    edge the core resolves, since the project is another merge).
    """
    if not (config.wants(GcpOrganization.kind) or config.wants(GcpFolder.kind)):
        return
    trees: dict[str, list[FoundProject]] = {}
    for p in sorted(projects, key=lambda p: p.project_id):
        chain = known_chain(p.parent, nodes)
        if chain:
            trees.setdefault(chain[0], []).append(p)
    for root, below in sorted(trees.items()):
        members = [n for n in nodes.values() if n.name != root and known_chain(n.name, nodes)[0] == root]
        members.sort(key=lambda n: (len(known_chain(n.name, nodes)), n.name))
        payload = HierarchyPayload(
            credential_index=below[0].credential_index,
            nodes=tuple(members),
            projects=tuple((p.project_id, p.parent) for p in below),
        )
        yield CollectionUnit(CLOUD, hierarchy_resource(nodes[root]), None, root, payload)


def hierarchy_resource(node: HierarchyNode) -> GcpOrganization | GcpFolder:
    if node.is_organization:
        return GcpOrganization(id=node.name, name=node.display_name, state=node.state)
    return GcpFolder(id=node.name, name=node.display_name, parent=node.parent, state=node.state)


def project_account(p: FoundProject, nodes: dict[str, HierarchyNode]) -> GcpProject:
    chain = ancestry(p.parent, nodes)
    org = next((n for n in chain if n.startswith("organizations/")), None)
    return GcpProject(
        id=p.project_id,
        name=p.display_name,
        project_number=p.number,
        parent=p.parent,
        organization=org,
        folder_path=[n for n in chain if n.startswith("folders/")],
        state=p.state,
        tags=dict(p.labels),
        ctime=p.ctime,  # type: ignore[arg-type]
    )


def collection_units(config: GcpConfig, reporter: Reporter) -> Iterator[CollectionUnit]:
    discoverer = Discoverer(config, reporter)
    nodes: dict[str, HierarchyNode] = {}
    projects: dict[str, FoundProject] = {}
    clients_by_index: dict[int, Clients] = {}
    for index, _ in enumerate(config.service_account):
        clients = Clients(config, index)
        clients_by_index[index] = clients
        found = discoverer.discover(index, clients)
        for name, node in found.nodes.items():
            nodes.setdefault(name, node)
        for pid, p in found.projects.items():
            if discoverer.selected(pid):
                projects.setdefault(pid, p)
    if not projects:
        raise ExpectedError("no GCP project is visible to the configured credentials", complete=False)
    chosen = sorted(projects.values(), key=lambda p: p.project_id)
    run_id = new_run()

    def regions_of(p: FoundProject) -> tuple[list[GcpRegion], set[str]]:
        return discoverer.regions(clients_by_index[p.credential_index], p.project_id)

    with ThreadPoolExecutor(
        max_workers=max(1, config.project_pool_size), thread_name_prefix="gcp-discover"
    ) as pool:
        region_lists = list(pool.map(regions_of, chosen))
    for p, (regions, disabled) in zip(chosen, region_lists, strict=True):
        account = project_account(p, nodes)
        known = frozenset(r.id for r in regions)
        selected = [r for r in regions if not config.region or r.id in config.region]
        unit_regions = frozenset({GLOBAL} | {r.id for r in selected})

        base = UnitPayload(
            project=p.project_id,
            credential_index=p.credential_index,
            run_id=run_id,
            region=GLOBAL,
            unit_regions=unit_regions,
            known_regions=known,
            disabled_services=frozenset(disabled),
            catalogue_project=chosen[0].project_id,
        )
        global_region = GcpRegion(id=GLOBAL, name=GLOBAL)
        yield CollectionUnit(CLOUD, account, global_region, f"{p.project_id}/{GLOBAL}", base)
        for region in selected:
            payload = replace(base, region=region.id)
            yield CollectionUnit(CLOUD, account, region, f"{p.project_id}/{region.id}", payload)
    yield from hierarchy_units(chosen, nodes, config)
