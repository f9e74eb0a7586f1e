"""Every README and doc of the repository links only to what the repository holds.

* every relative link (``[text](path)``, ``[text](path#anchor)``, ``[text](#anchor)``) resolves to a
  file or folder inside the repository, and an anchor into a markdown file names one of its headings;
* no doc names a file outside the repository (``../shared``, ``shared/...``, ``/work/...``), because a
  user's clone has none of them;
* every Python snippet parses and imports what it uses: in hand-written pages every name is imported
  or defined in the snippet; in the generated hook reference (sketches of a plugin's own code) at
  least every name of ``resoto_hookspecs`` and of the standard library is.
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import resoto_hookspecs
from support import ROOT

SKIP_DIRS = {".venv", "venv", "build", "dist", "out", "node_modules", "__pycache__"}
GENERATED_HOOKS = Path("docs/reference/hooks.md")


def markdown_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.md"):
        rel = path.relative_to(ROOT)
        if any(
            part in SKIP_DIRS or part.startswith(".") or part.endswith(".egg-info") for part in rel.parts[:-1]
        ):
            continue
        found.append(rel)
    return sorted(found)


FILES = markdown_files()
FENCE = re.compile(r"^(\s*)(```+|~~~+)(.*)$")
INLINE_CODE = re.compile(r"`+[^`]*`+")
LINK = re.compile(
    r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|!\[[^\]]*\]\(\s*([^)\s]+)\s*\)"
)
REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(\S+)")
OUTSIDE = re.compile(r"(?<![\w./-])(?:\.\./)+shared\b|(?<![\w-])shared/|/work/")


@dataclass(frozen=True)
class Snippet:
    file: Path
    line: int
    lang: str
    code: str


def split(text: str) -> tuple[list[tuple[int, str]], list[Snippet]]:
    """The prose lines (outside fences) with their numbers, and the fenced snippets."""
    prose: list[tuple[int, str]] = []
    snippets: list[Snippet] = []
    fence: str | None = None
    lang, start, body = "", 0, []
    for number, line in enumerate(text.splitlines(), 1):
        m = FENCE.match(line)
        if fence is None and m:
            fence, lang, start, body = m.group(2), m.group(3).strip().split(" ")[0].lower(), number, []
        elif fence is not None and m and m.group(2).startswith(fence) and not m.group(3).strip():
            snippets.append(Snippet(Path(), start, lang, "\n".join(body)))
            fence = None
        elif fence is not None:
            body.append(line)
        else:
            prose.append((number, line))
    return prose, snippets


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip())  # a link in a heading: its text
    text = text.lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    prose, _ = split(path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    result = set()
    for _, line in prose:
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        result.add(base if n == 0 else f"{base}-{n}")
    result.update(re.findall(r'<a\s+(?:name|id)="([^"]+)"', path.read_text(encoding="utf-8")))
    return result


def links(rel: Path) -> list[tuple[int, str]]:
    prose, _ = split((ROOT / rel).read_text(encoding="utf-8"))
    found = []
    for number, line in prose:
        line = INLINE_CODE.sub("", line)
        for m in LINK.finditer(line):
            found.append((number, m.group(1) or m.group(2)))
        m = REFERENCE_DEF.match(line)
        if m:
            found.append((number, m.group(1)))
    return found


def test_the_docs_are_found() -> None:
    names = {str(p) for p in FILES}
    assert {
        "README.md",
        "docs/operator-guide.md",
        "docs/plugin-author-guide.md",
        "tests/coresim/README.md",
    } <= names
    assert not any(name.startswith(".venv") for name in names)


@pytest.mark.parametrize("rel", FILES, ids=str)
def test_every_relative_link_resolves_inside_the_repository(rel: Path) -> None:
    problems = []
    for number, target in links(rel):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:, ...
            continue
        where, _, anchor = target.partition("#")
        dest = (ROOT / rel).parent / where if where else ROOT / rel
        resolved = dest.resolve()
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{rel}:{number}: {target} points outside the repository")
        elif not resolved.exists():
            problems.append(f"{rel}:{number}: {target} does not exist")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            problems.append(f"{rel}:{number}: {target}: no heading with the anchor #{anchor}")
    assert problems == []


@pytest.mark.parametrize("rel", FILES, ids=str)
def test_no_doc_names_a_file_outside_the_repository(rel: Path) -> None:
    hits = [
        f"{rel}:{number}: {line.strip()}"
        for number, line in enumerate((ROOT / rel).read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert hits == []


def test_the_outside_check_catches_what_it_should() -> None:
    for bad in ("see ../shared/protocol.md", "(`shared/protocol.md`)", "in /work/shared/reference-model/"):
        assert OUTSIDE.search(bad), bad
    for fine in ("a shared cache", "share/doc", "tests/fixtures/reference-model/", "the shared NO_MOTO list"):
        assert not OUTSIDE.search(fine), fine


def test_the_link_check_catches_a_broken_link(tmp_path: Path) -> None:
    doc = "# Title\n\n## A `code` heading: yes\n\n[ok](#a-code-heading-yes) [bad](#nope) `[no](x.md)`\n"
    assert "a-code-heading-yes" in anchors(_write(tmp_path / "d.md", doc))
    assert [t for _, t in _links_of(doc)] == ["#a-code-heading-yes", "#nope"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _links_of(text: str) -> list[tuple[int, str]]:
    prose, _ = split(text)
    return [
        (n, m.group(1) or m.group(2)) for n, line in prose for m in LINK.finditer(INLINE_CODE.sub("", line))
    ]


# ---------------------------------------------------------------------------------------------
# snippets


def python_snippets() -> list[Snippet]:
    result = []
    for rel in FILES:
        _, snippets = split((ROOT / rel).read_text(encoding="utf-8"))
        result += [Snippet(rel, s.line, s.lang, s.code) for s in snippets if s.lang in ("python", "py")]
    return result


SNIPPETS = python_snippets()


def unresolved_names(code: str) -> set[str]:
    """Names a snippet reads but neither imports, defines, assigns nor gets from builtins."""
    tree = ast.parse(code)
    bound: set[str] = set(dir(builtins))
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store | ast.Del) else used).add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return used - bound


def is_signature_line(code: str) -> bool:
    """The generated reference shows each hook's signature alone (``def f(...) -> T`` without a body)."""
    return code.startswith("def ") and "\n" not in code.strip() and not code.rstrip().endswith(":")


def test_there_are_snippets_to_check() -> None:
    assert len(SNIPPETS) >= 10
    assert any(s.file == Path("docs/plugin-author-guide.md") for s in SNIPPETS)


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: f"{s.file}:{s.line}")
def test_every_python_snippet_shows_its_imports(snippet: Snippet) -> None:
    if is_signature_line(snippet.code):
        return
    missing = unresolved_names(snippet.code)
    if snippet.file == GENERATED_HOOKS:
        library = set(resoto_hookspecs.__all__) | set(sys.stdlib_module_names) | {"UTC", "Any", "ClassVar"}
        missing &= library
    assert missing == set(), f"{snippet.file}:{snippet.line} uses {sorted(missing)} without importing them"


def test_the_import_check_catches_a_missing_import() -> None:
    assert unresolved_names("from x import a\n\ndef f(b):\n    return a(b, c)\n") == {"c"}
    assert unresolved_names("import os.path\nprint(os.sep, len([i for i in range(3)]))") == set()


# ---------------------------------------------------------------------------------------------
# install commands

OWN_DIST = re.compile(r"(?<![\w/.-])(resotoworker|resoto-hookspecs|resoto-plugin-[a-z0-9-]+)(?![\w/.-])")


def install_problems(command: str) -> list[str]:
    """Why a shell line would install one of this project's names from an index, if it would."""
    if not re.search(r"\bpip3?\s+install\b", command) or "--find-links" in command:
        return []
    words = command.split("#", 1)[0].split()
    after = words[next(i for i, w in enumerate(words) if w == "install") + 1 :]
    named = [
        w for w in after if not w.startswith("-") and OWN_DIST.fullmatch(w.split("==")[0].split(">=")[0])
    ]
    return (
        [f"{command.strip()}: installs {', '.join(named)} from an index (PyPI has Resoto 3.x there)"]
        if named
        else []
    )


def test_no_snippet_installs_this_project_from_an_index() -> None:
    problems = []
    for rel in FILES:
        _, snippets = split((ROOT / rel).read_text(encoding="utf-8"))
        for s in snippets:
            if s.lang in ("bash", "sh", "shell", "console", ""):
                problems += [
                    f"{rel}:{s.line}: {p}" for line in s.code.splitlines() for p in install_problems(line)
                ]
    assert problems == []


def test_the_install_check_catches_a_plain_install() -> None:
    assert install_problems("pip install resotoworker resoto-plugin-aws")
    assert install_problems("python -m pip install -U resoto-plugin-gcp  # upgrade")
    assert not install_problems("pip install --no-index --find-links dist resotoworker resoto-plugin-aws")
    assert not install_problems("pip install -e plugins/example")
    assert not install_problems("pip install twine")
