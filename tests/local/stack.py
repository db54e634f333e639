"""The local stack in one object: moto + the template's resources + in-process functions + triggers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.local.emulator import Deployment, Emulator, MotoServer, restore_environment, use_moto
from tests.local.runtime import Listener, Runtime
from tests.local.triggers import ScheduleSpec, Triggers, build

ROOT = Path(__file__).resolve().parents[2]


class LocalStack:
    """`deploy()` creates resources (seed data now: no trigger runs yet), `start()` runs the triggers."""

    def __init__(
        self,
        root: Path = ROOT,
        template: Path | None = None,
        *,
        stack_name: str = "reviewpulse-local",
        moto_port: int = 0,
        api_port: int | None = 0,
        schedule_every: float | None = None,
        first_schedule_delay: float = 1.0,
        parameters: dict[str, str] | None = None,
        extra_env: dict[str, str] | None = None,
        sqs_wait_seconds: int = 1,
        stream_poll_interval: float = 0.25,
        before_schedule: Callable[[ScheduleSpec], None] | None = None,
    ) -> None:
        self.root = root
        self.template = template
        self.stack_name = stack_name
        self.moto_port = moto_port
        self.api_port = api_port
        self.schedule_every = schedule_every
        self.first_schedule_delay = first_schedule_delay
        self.parameters = parameters or {}
        self.extra_env = extra_env or {}
        self.sqs_wait_seconds = sqs_wait_seconds
        self.stream_poll_interval = stream_poll_interval
        self.before_schedule = before_schedule
        self.stream_start: str | None = None  # set to LATEST after restoring saved items
        self.listeners: list[Listener] = []
        self.moto: MotoServer | None = None
        self._deployment: Deployment | None = None
        self._runtime: Runtime | None = None
        self._triggers: Triggers | None = None
        self._previous_env: dict[str, str | None] = {}

    @property
    def deployment(self) -> Deployment:
        assert self._deployment is not None, "call deploy() first"
        return self._deployment

    @property
    def runtime(self) -> Runtime:
        assert self._runtime is not None, "call deploy() first"
        return self._runtime

    @property
    def triggers(self) -> Triggers:
        assert self._triggers is not None, "call start() first"
        return self._triggers

    @property
    def endpoint(self) -> str:
        return self.deployment.endpoint

    def deploy(self) -> LocalStack:
        """Create the resources and load the functions; triggers are built by `start()`."""
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request access log
        self.moto = MotoServer.shared(self.moto_port)
        self._previous_env = use_moto(self.moto.endpoint)
        _forget_powertools_clients()
        self._deployment = Emulator(
            self.root, self.moto.endpoint, self.template, self.stack_name, self.parameters
        ).deploy()
        self._runtime = Runtime(self._deployment, self.extra_env)
        self._runtime.listeners.extend(self.listeners)
        return self

    def start(self) -> LocalStack:
        if self._deployment is None:
            self.deploy()
        self._triggers = build(
            self.deployment,
            self.runtime,
            schedule_every=self.schedule_every,
            api_port=self.api_port,
            first_schedule_delay=self.first_schedule_delay,
            sqs_wait_seconds=self.sqs_wait_seconds,
            stream_poll_interval=self.stream_poll_interval,
            before_schedule=self.before_schedule,
            stream_start=self.stream_start,
        )
        self._triggers.start()
        return self

    def listen(self, listener: Listener) -> None:
        self.listeners.append(listener)
        if self._runtime is not None:
            self._runtime.listeners.append(listener)

    def stop(self) -> None:
        if self._triggers is not None:
            self._triggers.shutdown()
        restore_environment(self._previous_env)
        _forget_powertools_clients()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()

    def client(self, service: str) -> Any:
        from tests.local.emulator import client

        return client(service, self.endpoint)


def _forget_powertools_clients() -> None:
    """Powertools keeps one secrets/parameters client per process: drop it so it binds to this endpoint."""
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()  # clears the providers (and their boto3 clients), not only cached values
