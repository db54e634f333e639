"""Lambda functions of the template, run in-process the way the Lambda runtime would call them.

Each function gets its own module instance (`functions/<name>/app.py` loaded under a unique name), its
resolved environment (Globals + Environment, with Refs turned into moto's physical ids) while it is
imported and while it runs, its layers on sys.path, and a context whose remaining time counts down from
the template's Timeout. Invocations are serialized: `os.environ` is process-wide, and one at a time is
what keeps each function's environment its own.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.local.emulator import REGION, Deployment, aws_environment
from tests.local.template import ACCOUNT_ID, local_path

_INVOKE_LOCK = threading.RLock()
_current = threading.local()


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    name: str
    arn: str
    code_dir: Path
    handler: str
    timeout: int
    memory: int
    environment: dict[str, str]
    layer_dirs: tuple[Path, ...]


@dataclass
class Invocation:
    """The outcome of one invocation, as Lambda would report it."""

    function: str
    trigger: str
    request_id: str
    started: float
    event: Any = None
    duration: float = 0.0
    result: Any = None
    error: dict[str, Any] | None = None
    logs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None


Listener = Callable[[str, Any], None]  # (kind, payload): "log" → (Invocation, record), "invoked" → Invocation


class LambdaContext:
    """What the Lambda runtime passes as `context`."""

    def __init__(self, spec: FunctionSpec, request_id: str) -> None:
        self.function_name = spec.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = spec.arn
        self.memory_limit_in_mb = spec.memory
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{spec.name}"
        self.log_stream_name = f"local/[$LATEST]{request_id.replace('-', '')}"
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + spec.timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class _CaptureHandler(logging.Handler):
    """Takes the place of Powertools' stdout handler: JSON records go to the runtime that is invoking."""

    def __init__(self, formatter: logging.Formatter | None) -> None:
        super().__init__()
        if formatter is not None:
            self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        runtime: Runtime | None = getattr(_current, "runtime", None)
        try:
            text = self.format(record)
            try:
                payload = json.loads(text)
            except ValueError:
                payload = {"level": record.levelname, "message": text}
            if not isinstance(payload, dict):
                payload = {"level": record.levelname, "message": payload}
            if runtime is None:
                sys.stderr.write(text + "\n")
            else:
                runtime.log(payload)
        except Exception:
            self.handleError(record)


def capture_powertools_loggers() -> None:
    """Swap Powertools' stdout handlers for capturing ones (their formatter stays, so append_keys works)."""
    from aws_lambda_powertools.logging.formatter import BasePowertoolsFormatter

    for logger in list(logging.Logger.manager.loggerDict.values()):
        if not isinstance(logger, logging.Logger):
            continue
        for index, handler in enumerate(logger.handlers):
            if not isinstance(handler, _CaptureHandler) and isinstance(handler.formatter, BasePowertoolsFormatter):
                logger.handlers[index] = _CaptureHandler(handler.formatter)


class LocalFunction:
    def __init__(self, spec: FunctionSpec, runtime: Runtime) -> None:
        self.spec = spec
        self._runtime = runtime
        self._handler: Callable[[Any, Any], Any] | None = None
        self._module: ModuleType | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    def _environment(self, request_id: str | None = None) -> dict[str, str]:
        env = {
            **self._runtime.base_environment,
            "AWS_LAMBDA_FUNCTION_NAME": self.spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.spec.memory),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{self.spec.name}",
            "_HANDLER": self.spec.handler,
            "LAMBDA_TASK_ROOT": str(self.spec.code_dir),
            **self.spec.environment,
        }
        if request_id:
            env["_X_AMZN_TRACE_ID"] = f"Root=1-{int(time.time()):08x}-{request_id.replace('-', '')[:24]}"
        return env

    def load(self) -> Callable[[Any, Any], Any]:
        if self._handler is not None:
            return self._handler
        module_path, _, attribute = self.spec.handler.rpartition(".")
        file = self.spec.code_dir / (module_path.replace(".", "/") + ".py")
        unique = f"_local_lambda_{self._runtime.namespace}_{self.spec.logical_id}"
        with _INVOKE_LOCK, _patched_environ(self._environment()):
            for layer in self.spec.layer_dirs:
                if str(layer) not in sys.path:
                    sys.path.append(str(layer))
            sys.path.insert(0, str(self.spec.code_dir))
            previous_runtime = getattr(_current, "runtime", None)
            _current.runtime = self._runtime
            try:
                spec = importlib.util.spec_from_file_location(unique, file)
                if spec is None or spec.loader is None:
                    raise ImportError(f"cannot load {file}")
                module = importlib.util.module_from_spec(spec)
                sys.modules[unique] = module
                spec.loader.exec_module(module)
            finally:
                sys.path.remove(str(self.spec.code_dir))
                _current.runtime = previous_runtime
            capture_powertools_loggers()
        self._module = module
        self._handler = getattr(module, attribute)
        return self._handler

    def invoke(self, event: Any, trigger: str) -> Invocation:
        """Call the handler like Lambda: errors become an error payload, never an exception here."""
        request_id = str(uuid.uuid4())
        invocation = Invocation(self.name, trigger, request_id, started=time.time(), event=event)
        with _INVOKE_LOCK:
            previous = getattr(_current, "invocation", None), getattr(_current, "runtime", None)
            _current.invocation, _current.runtime = invocation, self._runtime
            start = time.monotonic()
            try:
                handler = self.load()
                capture_powertools_loggers()
                sys.path.insert(0, str(self.spec.code_dir))  # as in Lambda: lazy imports find siblings
                try:
                    with _patched_environ(self._environment(request_id)):
                        result = handler(event, LambdaContext(self.spec, request_id))
                finally:
                    sys.path.remove(str(self.spec.code_dir))
                invocation.result = json.loads(json.dumps(result, default=str)) if result is not None else None
                if time.monotonic() - start > self.spec.timeout:
                    invocation.error = {
                        "errorType": "Sandbox.Timedout",
                        "errorMessage": f"Task timed out after {self.spec.timeout:.2f} seconds",
                    }
            except Exception as exc:
                invocation.error = {
                    "errorType": type(exc).__name__,
                    "errorMessage": str(exc),
                    "stackTrace": traceback.format_exception(exc),
                }
            finally:
                invocation.duration = time.monotonic() - start
                capture_powertools_loggers()  # loggers created lazily by this invocation
                _current.invocation, _current.runtime = previous
        self._runtime.emit("invoked", invocation)
        return invocation


class _patched_environ:
    def __init__(self, env: dict[str, str]) -> None:
        self._env = env
        self._saved: dict[str, str] = {}

    def __enter__(self) -> None:
        self._saved = {key: os.environ[key] for key in self._env if key in os.environ}
        os.environ.update(self._env)

    def __exit__(self, *_: object) -> None:
        for key in self._env:
            if key in self._saved:
                os.environ[key] = self._saved[key]
            else:
                os.environ.pop(key, None)


class Runtime:
    """All functions of a deployment, loaded lazily, with listeners for their logs and outcomes."""

    def __init__(self, deployment: Deployment, extra_env: dict[str, str] | None = None) -> None:
        self.deployment = deployment
        self.namespace = "".join(ch if ch.isalnum() else "_" for ch in deployment.stack_name)
        self.base_environment = {
            **aws_environment(deployment.endpoint),
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
            "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon locally
            "POWERTOOLS_METRICS_DISABLED": "true",  # EMF blobs on stdout are noise locally
            **(extra_env or {}),
        }
        self.listeners: list[Listener] = []
        self.functions: dict[str, LocalFunction] = {}
        for logical, resource in deployment.of_type("AWS::Lambda::Function").items():
            spec = self._spec(logical, resource)
            self.functions[logical] = LocalFunction(spec, self)

    def _spec(self, logical: str, resource: dict[str, Any]) -> FunctionSpec:
        d = self.deployment
        props = resource.get("Properties", {})
        env = d.resolve(props.get("Environment", {}).get("Variables", {}))
        layers = []
        for layer in props.get("Layers", []):
            ref = layer.get("Ref") if isinstance(layer, dict) else None
            if ref and ref in d.resources:
                layers.append(local_path(d.resources[ref]["Properties"]["Content"], d.root))
        return FunctionSpec(
            logical_id=logical,
            name=d.function_name(logical),
            arn=d.get_att(logical, "Arn"),
            code_dir=local_path(props["Code"], d.root),
            handler=str(props["Handler"]),
            timeout=int(d.resolve(props.get("Timeout", 3))),
            memory=int(d.resolve(props.get("MemorySize", 128))),
            environment={key: _env_value(value) for key, value in env.items()},
            layer_dirs=tuple(layers),
        )

    def function(self, reference: str) -> LocalFunction:
        """By logical id, name, ARN, or a qualified name/ARN (alias or version: the same code locally)."""
        if reference in self.functions:
            return self.functions[reference]
        unqualified = {reference}
        if reference.startswith("arn:") and reference.count(":") == 7:
            unqualified.add(reference.rsplit(":", 1)[0])
        elif not reference.startswith("arn:") and ":" in reference:
            unqualified.add(reference.split(":", 1)[0])
        for fn in self.functions.values():
            if unqualified & {fn.name, fn.spec.arn}:
                return fn
        raise KeyError(reference)

    def emit(self, kind: str, payload: Any) -> None:
        for listener in list(self.listeners):
            try:
                listener(kind, payload)
            except Exception:  # noqa: S112 - a broken listener must not break invocations
                continue

    def log(self, record: dict[str, Any]) -> None:
        invocation: Invocation | None = getattr(_current, "invocation", None)
        if invocation is not None:
            invocation.logs.append(record)
        self.emit("log", (invocation, record))


def _env_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def lambda_arn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}"
