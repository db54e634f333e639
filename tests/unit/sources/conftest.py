"""Shared fixtures for the platform adapters: recorded pages, a mocked HTTP world, fake AWS, fake time."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from moto import mock_aws

from reviewpulse.models import Source
from reviewpulse.sources.base import Budget
from reviewpulse.sources.credentials import TokenCache
from reviewpulse.sources.http import PlatformHttp

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_json(name: str) -> Any:
    return json.loads(fixture_text(name))


class FakeClock:
    """Monotonic and wall time that move only when a test (or a fake sleep) says so."""

    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def read_json() -> Callable[[str], Any]:
    return fixture_json


@pytest.fixture
def read_text() -> Callable[[str], str]:
    return fixture_text


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def budget() -> Budget:
    return Budget(600)


@pytest.fixture
def budget_of(clock: FakeClock) -> Callable[[float], Budget]:
    """A budget that drains as the fake clock advances (e.g. through fake sleeps)."""
    return lambda seconds: Budget(seconds, clock=clock)


@pytest.fixture
def http(clock: FakeClock) -> PlatformHttp:
    """Real session and retry policy; sleeps are recorded instead of slept."""
    return PlatformHttp("trustpilot", backoff_factor=0, sleep=clock.sleep)


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def tokens(clock: FakeClock) -> TokenCache:
    return TokenCache(clock=clock)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Moto's Secrets Manager and SSM, with fake credentials so nothing can reach real AWS."""
    from aws_lambda_powertools.utilities import parameters

    for name, value in {
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    parameters.clear_caches()  # Powertools caches values and clients per container; a test is a new container
    with mock_aws():
        yield
    parameters.clear_caches()


@pytest.fixture
def make_source() -> Callable[..., Source]:
    def make(
        platform: str = "trustpilot", credentials: str | None = "secretsmanager:reviewpulse/tp", **config: Any
    ) -> Source:
        return Source(
            source_id=f"{platform}-main",
            business_id="acme",
            location_id="berlin",
            platform=platform,
            config=config,
            credentials=credentials,
        )

    return make
