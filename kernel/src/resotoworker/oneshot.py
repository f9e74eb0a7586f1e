"""One-shot mode: the collect engine without a core (``resotoworker --collect-once``).

The config comes from a local document (``--config FILE``, the same shape as the core's config
document) plus ``--override``; the graph goes to ``--output``: a file holding every account's merge
stream one after the other, or a directory with one file per account. The streams are the same
bytes the daemon sends to the core's merge endpoint.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

from resotoworker.collect import CollectEngine
from resotoworker.collect_report import CollectReport
from resotoworker.config import WorkerConfig, apply_overrides, build_config, resolve_env_placeholders
from resotoworker.errors import ConfigurationError, WorkerError
from resotoworker.feedback import Feedback
from resotoworker.plugins import PluginHost
from resotoworker.spool import AccountOutput

log = logging.getLogger(__name__)


def load_document(path: str | None) -> dict[str, Any]:
    """Read a config document from a JSON (or, with PyYAML installed, YAML) file."""
    if not path:
        return {}
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        if file.suffix in (".yaml", ".yml"):
            import yaml  # type: ignore[import-untyped]

            doc = yaml.safe_load(text)
        else:
            doc = json.loads(text)
    except ImportError:
        raise ConfigurationError("YAML config files need PyYAML installed; use JSON instead") from None
    except Exception as exc:
        raise ConfigurationError(f"config file {path} is not valid: {exc}") from None
    if not isinstance(doc, dict):
        raise ConfigurationError(f"config file {path} must hold an object of sections")
    return doc


def local_config(host: PluginHost, path: str | None, overrides: list[str]) -> WorkerConfig:
    doc = resolve_env_placeholders(load_document(path))
    doc = apply_overrides(doc, overrides, host)
    return build_config(doc, host)


class FileSender:
    """Writes each account's stream to one file (concatenated) or to a directory."""

    def __init__(self, output: Path | None) -> None:
        self.output = output
        self.as_dir = output is not None and (output.is_dir() or str(output).endswith("/"))
        self._lock = asyncio.Lock()
        self.files: list[Path] = []
        if output is not None:
            _check_directories(output, output if self.as_dir else output.parent)
        if output is not None and not self.as_dir:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(b"")
        elif output is not None:
            output.mkdir(parents=True, exist_ok=True)

    async def __call__(self, account: AccountOutput) -> None:
        output = self.output
        if output is None:
            return
        async with self._lock:
            await asyncio.to_thread(self._write, output, account)

    def _write(self, output: Path, account: AccountOutput) -> None:
        if self.as_dir:
            name = "".join(
                c if c.isalnum() or c in "-_." else "_" for c in f"{account.cloud}-{account.account_id}"
            )
            target = output / f"{name}.ndjson"
            mode = "wb"
        else:
            target = output
            mode = "ab"
        with open(target, mode) as dst:
            for chunk in account.chunks(1 << 20):
                dst.write(chunk)
        self.files.append(target)


def _check_directories(output: Path, directory: Path) -> None:
    """Raise naming the path when a file stands where ``--output`` needs a directory."""
    for path in (directory, *directory.parents):
        if path.exists() or path.is_symlink():
            if not path.is_dir():
                raise WorkerError(
                    f"cannot use --output {output}: {path} is not a directory",
                    hint="name a path below a directory",
                )
            return


async def collect_once(
    host: PluginHost, config: WorkerConfig, output: Path | None, feedback: Feedback | None = None
) -> CollectReport:
    sender = FileSender(output)
    engine = CollectEngine(host, config, send=sender, feedback=feedback, task_id="oneshot")
    return await engine.run()
