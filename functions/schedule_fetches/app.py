"""EventBridge schedule → one queue message per due source."""

from __future__ import annotations

from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from reviewpulse.models import utcnow
from reviewpulse.scheduling import FetchQueue, enqueue_due_sources
from reviewpulse.settings import IngestSettings
from reviewpulse.store import ReviewStore

logger, metrics = Logger(), Metrics()
settings = IngestSettings.from_env()
store = ReviewStore(boto3.client("dynamodb"), settings.table_name)
queue = FetchQueue(boto3.client("sqs"), settings.fetch_queue_url)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    queued = enqueue_due_sources(store, queue, utcnow())
    metrics.add_metric(name="SourcesQueued", unit=MetricUnit.Count, value=len(queued))
    return {"queued": queued}
