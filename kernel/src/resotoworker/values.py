"""Spelled values an operator types: booleans in flags, environment variables and overrides."""

from __future__ import annotations

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})
BOOLEAN_WORDS = "true/false, yes/no, on/off or 1/0"


def parse_bool(value: str) -> bool:
    """``true``/``yes``/``on``/``1`` or ``false``/``no``/``off``/``0``, in any case; anything else
    raises :class:`ValueError` (a typo must never silently mean false: ``cleanup_dry_run=ture``)."""
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} is not a boolean (use {BOOLEAN_WORDS})")
