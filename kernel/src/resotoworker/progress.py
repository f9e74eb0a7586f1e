"""Progress display for the one-shot mode: live lines on a terminal, plain lines otherwise."""

from __future__ import annotations

import logging
import time
from typing import Any, TextIO

log = logging.getLogger(__name__)


class TerminalFeedback:
    """Shows per cloud and account how many units are done, with elapsed time."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self._last: dict[str, str] = {}
        self._printed_live = False

    def info(self, level: str, message: str) -> None:
        if level == "error":
            self._write(f"error: {message}")
        # other levels are already in the log

    def progress(self, tree: dict[str, Any]) -> None:
        cloud = tree.get("name", "?")
        accounts: dict[str, list[int]] = {}
        for part in tree.get("parts", []):
            account = (part.get("path") or ["-"])[0]
            done_total = accounts.setdefault(account, [0, 0])
            done_total[0] += 1 if part.get("current") == part.get("total") else 0
            done_total[1] += 1
        elapsed = time.monotonic() - self.started
        for account, (done, total) in sorted(accounts.items()):
            line = f"{cloud}/{account}: {done}/{total} units done"
            if self._last.get(f"{cloud}/{account}") == line:
                continue
            self._last[f"{cloud}/{account}"] = line
            self._write(f"[{elapsed:6.1f}s] {line}", live=self.tty)

    def _write(self, text: str, live: bool = False) -> None:
        if live:
            self.stream.write("\r\x1b[2K" + text)
            self._printed_live = True
        else:
            if self._printed_live:
                self.stream.write("\n")
                self._printed_live = False
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._printed_live:
            self.stream.write("\n")
            self.stream.flush()
