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
    with mock_aws():
        yield


@pytest.fixture
def dynamodb(aws: None) -> Any:
    return boto3.client("dynamodb")


@pytest.fixture
def table_name(dynamodb: Any) -> str:
    dynamodb.create_table(TableName="reviews-test", **table_kwargs())
    return "reviews-test"


class WriteCounter:
    """Counts DynamoDB write calls a client makes, by operation."""

    def __init__(self, client: Any) -> None:
        self.calls: Counter[str] = Counter()
        client.meta.events.register("before-call.dynamodb.*", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        if model.name in WRITE_OPERATIONS:
            self.calls[model.name] += 1

    @property
    def total(self) -> int:
        return sum(self.calls.values())


@pytest.fixture
def writes(dynamodb: Any) -> WriteCounter:
    return WriteCounter(dynamodb)


@pytest.fixture
def store(dynamodb: Any, table_name: str) -> ReviewStore:
    return ReviewStore(dynamodb, table_name)
