"""SQS fetch request → read one source's new pages → store new and changed reviews."""

from __future__ import annotations

from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from reviewpulse.ingest import fetch_requested_source
from reviewpulse.scheduling import FetchQueue, FetchRequest
from reviewpulse.settings import IngestSettings
from reviewpulse.store import ReviewStore

logger, metrics = Logger(), Metrics()
settings = IngestSettings.from_env()
store = ReviewStore(boto3.client("dynamodb"), settings.table_name)
queue = FetchQueue(boto3.client("sqs"), settings.fetch_queue_url)
processor = BatchProcessor(event_type=EventType.SQS)


def handle_record(record: SQSRecord, lambda_context: LambdaContext) -> None:
    # A malformed message raises here: it fails alone, is retried, then lands in the dead-letter queue.
    request = FetchRequest.from_json(record.body)
    logger.append_keys(source_id=request.source_id)
    report = fetch_requested_source(request, store, queue, lambda_context.get_remaining_time_in_millis())
    if report is None:
        return
    logger.info("fetch finished", extra=report.as_log())
    for name, value in (
        ("ReviewsNew", report.new),
        ("ReviewsChanged", report.changed),
        ("ReviewsUnchanged", report.unchanged),
        ("ReviewsSkipped", report.skipped),
        ("ReviewsDeleted", report.deleted),
    ):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    metrics.add_metric(name="FetchFailed" if report.error else "FetchSucceeded", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=handle_record, processor=processor, context=context)
