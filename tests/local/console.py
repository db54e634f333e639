"""What the local stack prints: compact, one line per thing that happened, colored on a terminal."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterable
from typing import Any, TextIO

from tests.local.runtime import Invocation

_COLORS = {
    "dim": "2",
    "bold": "1",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}
_KIND_COLOR = {
    "fetch": "green",
    "sandbox": "dim",
    "schedule": "blue",
    "alert": "magenta",
    "survey": "cyan",
    "api": "cyan",
    "error": "red",
    "warn": "yellow",
    "stream": "blue",
    "log": "dim",
    "stack": "bold",
}


class Console:
    def __init__(self, stream: TextIO | None = None, color: bool | None = None, verbose: bool = False) -> None:
        self.stream = stream or sys.stdout
        if color is None:
            color = self.stream.isatty() and "NO_COLOR" not in os.environ
        self.color = color
        self.verbose = verbose
        self.source_labels: dict[str, str] = {}
        self.topic_labels: dict[str, str] = {}  # topic ARN → logical id
        self._lock = threading.Lock()

    # --- formatting ---

    def paint(self, text: str, *styles: str) -> str:
        if not self.color or not styles:
            return text
        codes = ";".join(_COLORS[s] for s in styles if s in _COLORS)
        return f"\033[{codes}m{text}\033[0m"

    def line(self, kind: str, text: str, *, at: float | None = None) -> None:
        stamp = time.strftime("%H:%M:%S", time.localtime(at or time.time()))
        color = _KIND_COLOR.get(kind, "")
        rendered = f"{self.paint(stamp, 'dim')}  {self.paint(f'{kind:<8}', color)} {text}"
        with self._lock:
            print(rendered, file=self.stream, flush=True)

    def say(self, text: str = "") -> None:
        with self._lock:
            print(text, file=self.stream, flush=True)

    def section(self, title: str, rows: Iterable[tuple[str, str]]) -> None:
        rows = list(rows)
        width = max((len(left) for left, _ in rows), default=0)
        self.say(self.paint(title, "bold"))
        for left, right in rows:
            self.say(f"  {left:<{width}}  {self.paint(right, 'dim') if right else ''}")

    # --- the runtime's events ---

    def __call__(self, kind: str, payload: Any) -> None:
        if kind == "log":
            invocation, record = payload
            self._log(invocation, record)
        elif kind == "invoked":
            self._invoked(payload)
        elif kind == "http":
            method, path, status, _invocation, seconds = payload
            color = "green" if status < 400 else "yellow" if status < 500 else "red"
            self.line("api", f"{method} {path} → {self.paint(str(status), color)}  {seconds * 1000:.0f} ms")
        elif kind == "discarded":
            spec, info = payload
            batch = info["DDBStreamBatchInfo"]
            self.line(
                "error",
                f"{spec.function.spec.logical_id}: gave up on {batch['batchSize']} stream record(s) "
                f"after {info['requestContext']['approximateInvokeCount']} tries → OnFailure destination",
            )

    def _log(self, invocation: Invocation | None, record: dict[str, Any]) -> None:
        message = str(record.get("message", ""))
        level = str(record.get("level", "INFO")).upper()
        if message == "fetch finished":
            self.fetch(record, invocation)
        elif "survey" in message.lower() and any("url" in key or "link" in key for key in record):
            self.line("survey", _summary(record))
        elif level in ("WARNING", "ERROR", "CRITICAL"):
            where = invocation.function.rsplit("-", 1)[-1] if invocation else ""
            self.line("warn" if level == "WARNING" else "error", f"{where}  {_summary(record)}")
        elif self.verbose:
            self.line("log", json.dumps(record, ensure_ascii=False, default=str))

    def fetch(self, record: dict[str, Any], invocation: Invocation | None) -> None:
        source = str(record.get("source_id", "?"))
        label = self.source_labels.get(source, "")
        counts = (
            f"new {self.paint(str(record.get('new', 0)), 'bold') if record.get('new') else 0} · "
            f"changed {self.paint(str(record.get('changed', 0)), 'bold') if record.get('changed') else 0} · "
            f"unchanged {record.get('unchanged', 0)}"
        )
        extras = []
        if record.get("skipped"):
            extras.append(f"skipped {record['skipped']}")
        if record.get("deleted"):
            extras.append(f"deleted {record['deleted']}")
        if record.get("more"):
            extras.append("more to read")
        elapsed = _duration(time.time() - invocation.started) if invocation else ""
        text = f"{source} {self.paint(label, 'dim')}  {counts}"
        if extras:
            text += "  (" + ", ".join(extras) + ")"
        text += f"  {self.paint(elapsed, 'dim')}"
        if record.get("error"):
            kind = record.get("error_kind") or "error"
            text += "  " + self.paint(f"{kind}: {record['error']}", "red")
        self.line("fetch", text)

    def _invoked(self, invocation: Invocation) -> None:
        if invocation.failed:
            error = invocation.error or {}
            self.line(
                "error",
                f"{_short(invocation.function)} ({invocation.trigger}) failed: "
                f"{error.get('errorType')}: {error.get('errorMessage')}",
            )
            if self.verbose:
                self.say("".join(error.get("stackTrace", [])))
        elif invocation.trigger.startswith("schedule"):
            result = invocation.result
            summary = _result_summary(result)
            self.line("schedule", f"{_short(invocation.function)}{'  ' + summary if summary else ''}")

    # --- what was sent to people (moto records it) ---

    def sent(self, item: Any) -> None:
        first_line = next((line for line in str(item.message).splitlines() if line.strip()), "")
        if len(first_line) > 90:
            first_line = first_line[:89] + "…"
        subject = f"“{item.subject}”  " if item.subject else ""
        if item.channel == "sns":
            to = self.topic_labels.get(item.to, item.to.rsplit(":", 1)[-1])
            self.line("alert", f"{self.paint(to, 'bold')}  {subject}{first_line}")
        elif item.channel == "sms":
            self.line("alert", f"SMS to {_mask(item.to)}  {first_line}")
        else:
            self.line("alert", f"email to {_mask(item.to)}  {subject}{first_line}")

    # --- the sandbox ---

    def happening(self, happening: Any, review: Any) -> None:
        stars = "★" * review.stars + "☆" * (5 - review.stars)
        if happening.kind == "edit" and happening.stars_before not in (None, review.stars):
            stars = "★" * happening.stars_before + "☆" * (5 - happening.stars_before) + " → " + stars
        title = review.title if len(review.title) <= 48 else review.title[:47] + "…"
        self.line(
            "sandbox", self.paint(f"{happening.kind:<5} {stars}  {review.language}  {review.unit:<10} “{title}”", "dim")
        )


def _short(function_name: str) -> str:
    """`reviewpulse-local-FetchSourceFunction` → `FetchSourceFunction`."""
    return function_name.rsplit("-", 1)[-1]


def _summary(record: dict[str, Any]) -> str:
    skip = {"level", "location", "timestamp", "service", "xray_trace_id", "cold_start", "function_name",
            "function_memory_size", "function_arn", "function_request_id", "sampling_rate", "message"}  # fmt: skip
    rest = {k: v for k, v in record.items() if k not in skip}
    details = " ".join(f"{k}={_compact(v)}" for k, v in rest.items())
    return f"{record.get('message', '')}  {details}".strip()


def _compact(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:79] + "…"


def _result_summary(result: Any) -> str:
    if isinstance(result, dict):
        parts = []
        for key, value in result.items():
            shown = len(value) if isinstance(value, (list, dict)) else value
            parts.append(f"{key} {shown}")
        return " · ".join(parts)
    return "" if result is None else _compact(result)


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def _mask(address: str) -> str:
    """Phone numbers and emails are personal data: show just enough to tell them apart."""
    parts = []
    for one in address.split(", "):
        if "@" in one:
            name, _, domain = one.partition("@")
            parts.append(f"{name[:1]}…@{domain}")
        else:
            parts.append(f"…{one[-4:]}" if len(one) > 4 else one)
    return ", ".join(parts)
