"""Fixtures that build the world: moto AWS, the table exactly as template.yaml defines it."""

from __future__ import annotations

import os

# Before anything creates a boto3 client: never reach real AWS from a test.
for _key, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "ReviewPulse",
    "POWERTOOLS_SERVICE_NAME": "reviewpulse",
}.items():
    os.environ[_key] = _value
os.environ.pop("AWS_ENDPOINT_URL", None)

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from reviewpulse.store import ReviewStore
from tests.local.template import load_template

REPO = Path(__file__).resolve().parent.parent
WRITE_OPERATIONS = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


def table_kwargs(logical_id: str = "ReviewsTable") -> dict[str, Any]:
    """create_table arguments for a table of template.yaml, so tests and the template never drift apart."""
    props = load_template(REPO / "template.yaml")["Resources"][logical_id]["Properties"]
    kwargs: dict[str, Any] = {
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props["BillingMode"],
    }
    if gsis := props.get("GlobalSecondaryIndexes"):
        kwargs["GlobalSecondaryIndexes"] = gsis
    if stream := props.get("StreamSpecification"):
        kwargs["StreamSpecification"] = {"StreamEnabled": True, **stream}
    return kwargs


@pytest.fixture
def aws() -> Iterator[None]:
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()  # Powertools caches secrets per process: one test's secret must not leak
    with mock_aws():
        yield
    parameters.clear_caches()


@pytest.fixture
def dynamodb(aws: None) -> Any:
    return boto3.client("dynamodb")


@pytest.fixture
def table_name(dynamodb: Any) -> str:
    dynamodb.create_table(TableName="reviews-test", **table_kwargs())
    return "reviews-test"


class WriteCounter:
    """Counts the DynamoDB write calls a client makes: all of them, and those that touch review items."""

    def __init__(self, client: Any) -> None:
        self.calls: Counter[str] = Counter()
        self.review_writes = 0
        client.meta.events.register("before-parameter-build.dynamodb.*", self._count)

    def _count(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name in WRITE_OPERATIONS:
            self.calls[model.name] += 1
            key = params.get("Item") or params.get("Key") or {}
            self.review_writes += str(key.get("sk", {}).get("S", "")).startswith("REV#")

    @property
    def total(self) -> int:
        return sum(self.calls.values())


@pytest.fixture
def writes(dynamodb: Any) -> WriteCounter:
    return WriteCounter(dynamodb)


@pytest.fixture
def store(dynamodb: Any, table_name: str) -> ReviewStore:
    return ReviewStore(dynamodb, table_name)


class FakeLambdaContext:
    """The parts of the Lambda context that Powertools and our handlers read."""

    function_name = "test-function"
    function_version = "$LATEST"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:test-function"
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    log_group_name = "/aws/lambda/test-function"
    log_stream_name = "2026/11/23/[$LATEST]abcdef"

    def __init__(self, timeout_s: float = 30) -> None:
        import time

        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        import time

        return max(0, int((self._deadline - time.monotonic()) * 1000))


def load_event(name: str) -> dict[str, Any]:
    import json

    return dict(json.loads((REPO / "events" / f"{name}.json").read_text()))


def load_function(name: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> Any:
    """Import functions/<name>/app.py afresh, with its environment, as a cold Lambda container would."""
    import importlib.util
    import sys

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    module_name = f"app_{name}"
    spec = importlib.util.spec_from_file_location(module_name, REPO / "functions" / name / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, module_name, module)
    spec.loader.exec_module(module)
    return module
