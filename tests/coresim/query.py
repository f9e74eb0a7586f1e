"""A small subset of the resotocore search language: what a worker (and a test) needs.

Grammar (case-sensitive keywords)::

    query      := [filter] [traversal]
    filter     := or_term
    or_term    := and_term ("or" and_term)*
    and_term   := not_term ("and" not_term)*
    not_term   := "not" not_term | primary
    primary    := "(" filter ")" | "all" | "is(" kind ("," kind)* ")" | path op value
    op         := "==" | "=" | "!=" | ">" | "<" | ">=" | "<=" | "~" | "!~" | "in" | "not in"
    value      := JSON literal | bare word (a string) | "[" value ("," value)* "]"
    traversal  := ("<-" | "-") [edge_type ("," edge_type)*] ["[" from [":" [to]] "]"] ("->" | "-")

Paths starting with `/` are absolute (`/desired.clean`); others are relative to the section the search
runs in (`section=reported`). `ancestors.<kind>.<section>.<prop>` resolves to the nearest ancestor (over
default edges) whose kind is, or inherits from, `<kind>`. A missing value compares as null.
A traversal `<-a,b[0:]->` adds every node reachable inbound or outbound over the listed edge types.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

EDGE_TYPES = ("default", "delete")


class QueryError(ValueError):
    """The query text can not be parsed."""


# --------------------------------------------------------------------------- AST
@dataclass(frozen=True)
class PathRef:
    absolute: bool
    parts: tuple[str, ...]

    def __str__(self) -> str:
        return ("/" if self.absolute else "") + ".".join(self.parts)


@dataclass(frozen=True)
class AllTerm:
    pass


@dataclass(frozen=True)
class IsTerm:
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Predicate:
    path: PathRef
    op: str
    value: Any


@dataclass(frozen=True)
class AndTerm:
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class OrTerm:
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class NotTerm:
    term: Term


Term = AllTerm | IsTerm | Predicate | AndTerm | OrTerm | NotTerm


@dataclass(frozen=True)
class Traversal:
    inbound: bool
    outbound: bool
    edge_types: tuple[str, ...]
    start: int
    until: int | None  # None: unbounded


@dataclass(frozen=True)
class Query:
    filter: Term
    traversal: Traversal | None


# --------------------------------------------------------------------------- parsing
_TRAVERSAL = re.compile(
    r"(?:^|\s)(?P<in><)?-(?P<types>[A-Za-z_]+(?:\s*,\s*[A-Za-z_]+)*)?"
    r"(?:\[\s*(?P<start>\d+)\s*(?::\s*(?P<until>\d*|\*)\s*)?\])?-(?P<out>>)?\s*$"
)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>==|!=|>=|<=|=~|!~|=|>|<|~)
      | (?P<punct>[()\[\],])
      | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=[\s()\[\],=!<>~]|$)
      | (?P<word>[^\s()\[\],"'=!<>~]+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Tok:
    kind: str  # str, op, punct, num, word
    text: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise QueryError(f"Can not parse query at position {pos}: {text[pos : pos + 30]!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append(_Tok(kind, match.group(kind), match.start(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, tokens: list[_Tok]) -> None:
        self.text = text
        self.tokens = tokens
        self.idx = 0

    def peek(self, offset: int = 0) -> _Tok | None:
        i = self.idx + offset
        return self.tokens[i] if i < len(self.tokens) else None

    def next(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise QueryError(f"Unexpected end of query: {self.text!r}")
        self.idx += 1
        return tok

    def is_word(self, word: str, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok is not None and tok.kind == "word" and tok.text == word

    def expect_punct(self, punct: str) -> None:
        tok = self.next()
        if tok.kind != "punct" or tok.text != punct:
            raise QueryError(f"Expected {punct!r} at position {tok.pos} but got {tok.text!r}")

    def parse(self) -> Term:
        term = self.parse_or()
        tok = self.peek()
        if tok is not None:
            raise QueryError(f"Unexpected {tok.text!r} at position {tok.pos}")
        return term

    def parse_or(self) -> Term:
        terms = [self.parse_and()]
        while self.is_word("or"):
            self.next()
            terms.append(self.parse_and())
        return terms[0] if len(terms) == 1 else OrTerm(tuple(terms))

    def parse_and(self) -> Term:
        terms = [self.parse_not()]
        while self.is_word("and"):
            self.next()
            terms.append(self.parse_not())
        return terms[0] if len(terms) == 1 else AndTerm(tuple(terms))

    def parse_not(self) -> Term:
        if self.is_word("not") and not self.is_word("in", 1):
            self.next()
            return NotTerm(self.parse_not())
        return self.parse_primary()

    def parse_primary(self) -> Term:
        tok = self.next()
        if tok.kind == "punct" and tok.text == "(":
            term = self.parse_or()
            self.expect_punct(")")
            return term
        if tok.kind != "word":
            raise QueryError(f"Expected a term at position {tok.pos} but got {tok.text!r}")
        if tok.text == "all":
            return AllTerm()
        nxt = self.peek()
        if tok.text == "is" and nxt is not None and nxt.kind == "punct" and nxt.text == "(":
            self.next()
            kinds = [self.parse_name()]
            while (p := self.peek()) is not None and p.kind == "punct" and p.text == ",":
                self.next()
                kinds.append(self.parse_name())
            self.expect_punct(")")
            return IsTerm(tuple(kinds))
        path = _parse_path(tok.text)
        op_tok = self.next()
        if op_tok.kind == "op":
            op = "==" if op_tok.text == "=" else op_tok.text
        elif op_tok.kind == "word" and op_tok.text == "in":
            op = "in"
        elif op_tok.kind == "word" and op_tok.text == "not" and self.is_word("in"):
            self.next()
            op = "not in"
        else:
            raise QueryError(
                f"Expected an operator after {tok.text!r} at position {op_tok.pos}, got {op_tok.text!r}"
            )
        value = self.parse_value()
        if op in ("in", "not in") and not isinstance(value, list):
            raise QueryError(f"Operator {op} needs a list value at position {op_tok.pos}")
        if op in ("~", "!~", "=~"):
            if not isinstance(value, str):
                raise QueryError(f"Operator {op} needs a string (regex) value")
            try:
                re.compile(value)
            except re.error as ex:
                raise QueryError(f"Invalid regex {value!r}: {ex}") from ex
            op = "~" if op == "=~" else op
        return Predicate(path, op, value)

    def parse_name(self) -> str:
        tok = self.next()
        if tok.kind == "word":
            return tok.text
        if tok.kind == "str":
            return str(_string_literal(tok.text))
        raise QueryError(f"Expected a kind name at position {tok.pos}, got {tok.text!r}")

    def parse_value(self) -> Any:
        tok = self.next()
        if tok.kind == "str":
            return _string_literal(tok.text)
        if tok.kind == "num":
            return json.loads(tok.text)
        if tok.kind == "word":
            return {"true": True, "false": False, "null": None}.get(tok.text, tok.text)
        if tok.kind == "punct" and tok.text == "[":
            values: list[Any] = []
            if (p := self.peek()) is not None and p.kind == "punct" and p.text == "]":
                self.next()
                return values
            values.append(self.parse_value())
            while True:
                sep = self.next()
                if sep.kind == "punct" and sep.text == "]":
                    return values
                if sep.kind != "punct" or sep.text != ",":
                    raise QueryError(f"Expected ',' or ']' at position {sep.pos}, got {sep.text!r}")
                values.append(self.parse_value())
        raise QueryError(f"Expected a value at position {tok.pos}, got {tok.text!r}")


def _string_literal(text: str) -> Any:
    if text.startswith("'"):
        text = '"' + text[1:-1].replace('"', '\\"') + '"'
    try:
        return json.loads(text)
    except ValueError as ex:
        raise QueryError(f"Invalid string literal {text}: {ex}") from ex


def _parse_path(text: str) -> PathRef:
    absolute = text.startswith("/")
    body = text[1:] if absolute else text
    parts = tuple(body.split("."))
    if not body or any(not p for p in parts):
        raise QueryError(f"Invalid property path {text!r}")
    return PathRef(absolute, parts)


def parse_query(text: str) -> Query:
    """Parse a query (raises QueryError)."""
    if not isinstance(text, str):
        raise QueryError("query must be a string")
    stripped = text.strip()
    if not stripped:
        raise QueryError("Empty query")
    traversal: Traversal | None = None
    match = _TRAVERSAL.search(stripped)
    if match and (match.group("in") or match.group("out")):
        types = tuple(t.strip() for t in (match.group("types") or "default").split(","))
        for edge_type in types:
            if edge_type not in EDGE_TYPES:
                raise QueryError(
                    f"Unknown edge type {edge_type!r} in traversal (known: {', '.join(EDGE_TYPES)})"
                )
        until: int | None = 1
        if match.group("start") is None:
            start = 1
        else:
            start = int(match.group("start"))
            raw_until = match.group("until")
            if raw_until is None:
                until = start
            elif raw_until in ("", "*"):
                until = None
            else:
                until = int(raw_until)
            if until is not None and until < start:
                raise QueryError(f"Invalid traversal range [{start}:{until}]")
        traversal = Traversal(bool(match.group("in")), bool(match.group("out")), types, start, until)
        stripped = stripped[: match.start()].strip()
    term: Term = AllTerm() if not stripped else _Parser(stripped, _tokenize(stripped)).parse()
    return Query(term, traversal)


# --------------------------------------------------------------------------- evaluation
class GraphLike(Protocol):
    def node_json(self, node_id: str) -> dict[str, Any] | None: ...

    def kind_is(self, kind: str, base: str) -> bool: ...

    def ancestor_json(self, node_id: str, kind: str) -> dict[str, Any] | None: ...

    def neighbours(self, node_id: str, edge_type: str, outbound: bool) -> Iterable[str]: ...


_MISSING = object()


def _walk(obj: Any, parts: Iterable[str]) -> Any:
    for part in parts:
        if isinstance(obj, dict) and part in obj:
            obj = obj[part]
        elif isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        else:
            return None
    return obj


def resolve_path(
    graph: GraphLike, node_id: str, node: dict[str, Any], path: PathRef, section: str | None
) -> Any:
    parts = path.parts
    if parts[0] == "ancestors" and len(parts) >= 2:
        ancestor = graph.ancestor_json(node_id, parts[1])
        return None if ancestor is None else _walk(ancestor, parts[2:])
    if not path.absolute and section:
        parts = (section, *parts)
    return _walk(node, parts)


def _same_type_family(a: Any, b: Any) -> bool:
    return isinstance(a, bool) == isinstance(b, bool)


def _equal(a: Any, b: Any) -> bool:
    return _same_type_family(a, b) and a == b


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    if op == "in":
        return any(_equal(left, v) for v in right)
    if op == "not in":
        return not any(_equal(left, v) for v in right)
    if op in ("~", "!~"):
        found = isinstance(left, str) and re.search(right, left) is not None
        return found if op == "~" else not found
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
    strings = isinstance(left, str) and isinstance(right, str)
    if not (numbers or strings):
        return False
    if op == ">":
        return bool(left > right)
    if op == "<":
        return bool(left < right)
    if op == ">=":
        return bool(left >= right)
    if op == "<=":
        return bool(left <= right)
    raise QueryError(f"Unknown operator {op}")


def matches(graph: GraphLike, node_id: str, node: dict[str, Any], term: Term, section: str | None) -> bool:
    if isinstance(term, AllTerm):
        return True
    if isinstance(term, IsTerm):
        kind = _walk(node, ("reported", "kind"))
        return isinstance(kind, str) and any(graph.kind_is(kind, k) for k in term.kinds)
    if isinstance(term, Predicate):
        return _compare(term.op, resolve_path(graph, node_id, node, term.path, section), term.value)
    if isinstance(term, AndTerm):
        return all(matches(graph, node_id, node, t, section) for t in term.terms)
    if isinstance(term, OrTerm):
        return any(matches(graph, node_id, node, t, section) for t in term.terms)
    if isinstance(term, NotTerm):
        return not matches(graph, node_id, node, term.term, section)
    raise QueryError(f"Unknown term {term!r}")


def _traverse(
    graph: GraphLike,
    start: str,
    traversal: Traversal,
    outbound: bool,
    nodes: set[str],
    edges: set[tuple[str, str, str]],
) -> None:
    """Breadth first from one start node, each vertex visited once (like a graph DB traversal)."""
    visited = {start}
    if traversal.start == 0:
        nodes.add(start)
    queue: deque[tuple[str, int]] = deque([(start, 0)])
    while queue:
        current, depth = queue.popleft()
        if traversal.until is not None and depth >= traversal.until:
            continue
        for edge_type in traversal.edge_types:
            for other in sorted(graph.neighbours(current, edge_type, outbound)):
                if other in visited:
                    continue
                visited.add(other)
                if depth + 1 >= traversal.start:
                    nodes.add(other)
                    edges.add((current, other, edge_type) if outbound else (other, current, edge_type))
                queue.append((other, depth + 1))


def execute(
    graph: GraphLike, query: Query, node_ids: Iterable[str], section: str | None = "reported"
) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Run a query: the ids of the result nodes (sorted) and the traversed edges (from, to, edge_type)."""
    matched: list[str] = []
    for node_id in node_ids:
        node = graph.node_json(node_id)
        if node is not None and matches(graph, node_id, node, query.filter, section):
            matched.append(node_id)
    if query.traversal is None:
        return sorted(matched), []
    nodes: set[str] = set()
    edges: set[tuple[str, str, str]] = set()
    for node_id in matched:
        if query.traversal.outbound:
            _traverse(graph, node_id, query.traversal, True, nodes, edges)
        if query.traversal.inbound:
            _traverse(graph, node_id, query.traversal, False, nodes, edges)
    return sorted(nodes), sorted(edges)
