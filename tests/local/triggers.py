"""The template's event sources, emulated: schedules, SQS and DynamoDB-stream mappings, API Gateway.

Everything is read from the translated template (AWS::Events::Rule / AWS::Scheduler::Schedule targets,
AWS::Lambda::EventSourceMapping, AWS::ApiGateway::RestApi bodies), so a function added to template.yaml
gets its triggers here with no extra wiring.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
import urllib.parse
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.local.emulator import REGION, Deployment, client
from tests.local.filters import compile_filters, matches_any
from tests.local.http_server import quiet_server
from tests.local.runtime import Invocation, LocalFunction, Runtime
from tests.local.template import ACCOUNT_ID

# ----------------------------------------------------------------------------------------------- schedules

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> float | None:
    """`rate(5 minutes)` → 300.0; cron and at() expressions → None."""
    match = _RATE.match(expression.strip())
    if not match:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).rstrip("s")]


@dataclass
class ScheduleSpec:
    name: str
    function: LocalFunction
    expression: str
    period: float  # local period, after --fetch-every
    input: Any = None


@dataclass
class SqsSpec:
    name: str
    function: LocalFunction
    queue_arn: str
    queue_url: str
    batch_size: int = 10
    report_failures: bool = False
    batching_window: float = 0.0
    filters: list[dict[str, Any]] = field(default_factory=list)
    enabled: bool = True


@dataclass
class StreamSpec:
    name: str
    function: LocalFunction
    stream_arn: str
    starting_position: str = "LATEST"
    batch_size: int = 100
    report_failures: bool = False
    max_retries: int = -1  # -1: until the record expires, as Lambda does
    bisect: bool = False
    on_failure: str | None = None  # destination ARN (SQS queue or SNS topic)
    filters: list[dict[str, Any]] = field(default_factory=list)
    enabled: bool = True


@dataclass
class Route:
    method: str  # upper-case, or "ANY"
    resource: str  # "/surveys/{token}"
    pattern: re.Pattern[str]
    function: LocalFunction
    api: str
    stage: str
    payload: str = "1.0"  # "2.0": an HTTP API (AWS::ApiGatewayV2) with the v2 event shape

    @property
    def specificity(self) -> tuple[int, int, int]:
        if self.resource == "$default":
            return (0, 0, 0)
        segments = self.resource.strip("/").split("/")
        literal = sum(1 for seg in segments if not seg.startswith("{"))
        return (1, 0 if "+}" in self.resource else 1, literal)


@dataclass
class Wiring:
    schedules: list[ScheduleSpec] = field(default_factory=list)
    queues: list[SqsSpec] = field(default_factory=list)
    streams: list[StreamSpec] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)


def wire(deployment: Deployment, runtime: Runtime, schedule_every: float | None = None) -> Wiring:
    """Every trigger the template declares, bound to the runtime's functions.

    `schedule_every`: each schedule fires at its own rate or every `schedule_every` seconds, whichever is
    sooner; cron/at schedules fire every `schedule_every` seconds (hourly without it).
    """
    wiring = Wiring()
    d = deployment
    for logical, res in d.of_type("AWS::Events::Rule").items():
        props = d.resolve(res.get("Properties", {}))
        if "ScheduleExpression" not in props or props.get("State", "ENABLED") == "DISABLED":
            continue
        for target in props.get("Targets", []):
            fn = _function_by_arn(runtime, target.get("Arn", ""))
            if fn is not None:
                period = _local_period(props["ScheduleExpression"], schedule_every)
                wiring.schedules.append(
                    ScheduleSpec(logical, fn, props["ScheduleExpression"], period, _input(target.get("Input")))
                )
    for logical, res in d.of_type("AWS::Scheduler::Schedule").items():
        props = d.resolve(res.get("Properties", {}))
        target = props.get("Target", {})
        fn = _function_by_arn(runtime, target.get("Arn", ""))
        if fn is not None and props.get("State", "ENABLED") != "DISABLED":
            period = _local_period(props["ScheduleExpression"], schedule_every)
            wiring.schedules.append(
                ScheduleSpec(logical, fn, props["ScheduleExpression"], period, _input(target.get("Input")))
            )
    for logical, res in d.of_type("AWS::Lambda::EventSourceMapping").items():
        props = d.resolve(res.get("Properties", {}))
        fn = runtime.function(props["FunctionName"])
        source = str(props["EventSourceArn"])
        enabled = str(props.get("Enabled", True)).lower() != "false"
        reports = "ReportBatchItemFailures" in props.get("FunctionResponseTypes", [])
        filters = compile_filters(props.get("FilterCriteria"))
        if source.startswith("arn:aws:sqs:"):
            queue_logical = d.logical_id_of(source)
            queue_url = d.ref(queue_logical) if queue_logical else _queue_url(d, source)
            wiring.queues.append(
                SqsSpec(
                    logical, fn, source, queue_url,
                    batch_size=int(props.get("BatchSize", 10)),
                    report_failures=reports,
                    batching_window=float(props.get("MaximumBatchingWindowInSeconds", 0)),
                    filters=filters, enabled=enabled,
                )
            )  # fmt: skip
        elif ":dynamodb:" in source and "/stream/" in source:
            on_failure = props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
            wiring.streams.append(
                StreamSpec(
                    logical, fn, source,
                    starting_position=str(props.get("StartingPosition", "LATEST")),
                    batch_size=int(props.get("BatchSize", 100)),
                    report_failures=reports,
                    max_retries=int(props.get("MaximumRetryAttempts", -1)),
                    bisect=str(props.get("BisectBatchOnFunctionError", False)).lower() == "true",
                    on_failure=on_failure, filters=filters, enabled=enabled,
                )
            )  # fmt: skip
    for logical, res in d.of_type("AWS::ApiGateway::RestApi").items():
        wiring.routes.extend(_routes(d, runtime, logical, res, "AWS::ApiGateway::Stage", "RestApiId", "Prod"))
    for logical, res in d.of_type("AWS::ApiGatewayV2::Api").items():
        wiring.routes.extend(_routes(d, runtime, logical, res, "AWS::ApiGatewayV2::Stage", "ApiId", "$default"))
    wiring.routes.sort(key=lambda route: route.specificity, reverse=True)
    return wiring


def _input(raw: Any) -> Any:
    if raw is None:
        return None
    return json.loads(raw) if isinstance(raw, str) else raw


def _local_period(expression: str, schedule_every: float | None) -> float:
    rate = rate_seconds(expression)
    if rate is None:
        return schedule_every or 3600.0
    return min(rate, schedule_every) if schedule_every else rate


def _function_by_arn(runtime: Runtime, arn: str) -> LocalFunction | None:
    try:
        return runtime.function(arn)
    except KeyError:
        return None


def _queue_url(d: Deployment, arn: str) -> str:
    return str(client("sqs", d.endpoint).get_queue_url(QueueName=arn.rsplit(":", 1)[-1])["QueueUrl"])


def _routes(
    d: Deployment, runtime: Runtime, logical: str, res: dict[str, Any], stage_type: str, api_key: str, stage: str
) -> list[Route]:
    """Routes from an API's inline OpenAPI body (SAM writes one for every Api/HttpApi event)."""
    body = res.get("Properties", {}).get("Body")
    if not isinstance(body, dict):
        return []
    for stage_res in d.of_type(stage_type).values():
        props = stage_res.get("Properties", {})
        if props.get(api_key) == {"Ref": logical}:
            stage = str(d.resolve(props.get("StageName", stage)))
    routes = []
    for path, methods in body.get("paths", {}).items():
        for method, operation in methods.items():
            integration = operation.get("x-amazon-apigateway-integration") if isinstance(operation, dict) else None
            if not integration or integration.get("type") != "aws_proxy":
                continue
            uri = str(d.resolve(integration.get("uri", "")))
            arn = uri.split("/functions/", 1)[-1].split("/invocations", 1)[0]
            fn = _function_by_arn(runtime, arn)
            if fn is None:
                continue
            name = "ANY" if method == "x-amazon-apigateway-any-method" else method.upper()
            payload = str(integration.get("payloadFormatVersion", "1.0"))
            pattern = re.compile(r"^/.*$") if path == "$default" else _path_regex(path)
            routes.append(Route(name, path, pattern, fn, logical, stage, payload))
    return routes


def _path_regex(resource: str) -> re.Pattern[str]:
    parts = []
    for segment in resource.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            parts.append(f"(?P<{_group(segment[1:-2])}>.+)")
        elif segment.startswith("{") and segment.endswith("}"):
            parts.append(f"(?P<{_group(segment[1:-1])}>[^/]+)")
        else:
            parts.append(re.escape(segment))
    return re.compile("^/" + "/".join(parts) + "/?$")


def _group(name: str) -> str:
    return "p_" + binascii.hexlify(name.encode()).decode()


# --------------------------------------------------------------------------------------------- pollers


class Trigger(threading.Thread):
    """A daemon thread that stops when `stop` is set."""

    def __init__(self, name: str, stop: threading.Event) -> None:
        super().__init__(name=name, daemon=True)
        self.stop = stop


class ScheduleTrigger(Trigger):
    def __init__(
        self,
        spec: ScheduleSpec,
        stop: threading.Event,
        first_delay: float = 1.0,
        before_fire: Callable[[ScheduleSpec], None] | None = None,
    ) -> None:
        super().__init__(f"schedule:{spec.name}", stop)
        self.spec = spec
        self.first_delay = first_delay
        self.before_fire = before_fire
        self.fired = 0

    def run(self) -> None:
        delay = self.first_delay
        while not self.stop.wait(delay):
            started = time.monotonic()
            self.fire()
            delay = max(0.0, self.spec.period - (time.monotonic() - started))

    def fire(self) -> Invocation:
        self.fired += 1
        if self.before_fire is not None:
            self.before_fire(self.spec)
        event = self.spec.input if self.spec.input is not None else scheduled_event(self.spec.name)
        return self.spec.function.invoke(event, trigger=f"schedule {self.spec.name}")


def scheduled_event(rule: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{rule}"],
        "detail": {},
    }


def _batch_failures(invocation: Invocation, ids: list[str], report_failures: bool) -> int | None:
    """Index of the first record to redo (None: the batch succeeded), as Lambda reads a response."""
    if invocation.failed:
        return 0
    if not report_failures:
        return None
    result = invocation.result
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return None
    failed = [item.get("itemIdentifier") if isinstance(item, dict) else None for item in result["batchItemFailures"]]
    if any(identifier not in ids for identifier in failed):
        return 0  # an empty or unknown identifier fails the whole batch
    return min(ids.index(str(identifier)) for identifier in failed)


class SqsPoller(Trigger):
    """Lambda's SQS poller: batches, partial-batch responses, redelivery after the visibility timeout."""

    def __init__(self, spec: SqsSpec, endpoint: str, stop: threading.Event, wait_seconds: int = 1) -> None:
        super().__init__(f"sqs:{spec.name}", stop)
        self.spec = spec
        self.sqs = client("sqs", endpoint)
        self.wait_seconds = wait_seconds

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.poll_once()
            except Exception:
                self.stop.wait(0.5)

    def _receive(self, count: int, wait: int) -> list[dict[str, Any]]:
        response = self.sqs.receive_message(
            QueueUrl=self.spec.queue_url,
            MaxNumberOfMessages=max(1, min(10, count)),
            WaitTimeSeconds=wait,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages: list[dict[str, Any]] = response.get("Messages", [])
        return messages

    def poll_once(self) -> Invocation | None:
        messages = self._receive(self.spec.batch_size, self.wait_seconds)
        deadline = time.monotonic() + self.spec.batching_window
        while messages and len(messages) < self.spec.batch_size:
            more = self._receive(self.spec.batch_size - len(messages), 0)
            if not more and time.monotonic() >= deadline:
                break
            messages.extend(more)
            if not more:
                self.stop.wait(0.1)
        if not messages:
            return None
        records = [self._record(message) for message in messages]
        kept = [record for record in records if matches_any(self.spec.filters, _sqs_filter_view(record))]
        dropped = [record for record in records if record not in kept]
        self._delete_records(dropped)  # Lambda deletes messages its filter rejects
        if not kept:
            return None
        invocation = self.spec.function.invoke({"Records": kept}, trigger=f"sqs {self.spec.name}")
        ids = [record["messageId"] for record in kept]
        first_failed = _batch_failures(invocation, ids, self.spec.report_failures)
        if first_failed is None:
            self._delete_records(kept)
        elif not invocation.failed:
            failed_ids = {item.get("itemIdentifier") for item in invocation.result["batchItemFailures"]}
            if failed_ids <= set(ids):  # otherwise Lambda treats the whole batch as failed
                self._delete_records([record for record in kept if record["messageId"] not in failed_ids])
        # failed messages stay in flight until their visibility timeout; the queue's redrive policy
        # moves them to the DLQ after maxReceiveCount receives
        return invocation

    def _delete_records(self, records: list[dict[str, Any]]) -> None:
        for start in range(0, len(records), 10):
            chunk = records[start : start + 10]
            if chunk:
                self.sqs.delete_message_batch(
                    QueueUrl=self.spec.queue_url,
                    Entries=[{"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(chunk)],
                )

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        attributes = {
            name: {
                "stringValue": value.get("StringValue"),
                "binaryValue": _b64(value["BinaryValue"]) if "BinaryValue" in value else None,
                "stringListValues": value.get("StringListValues", []),
                "binaryListValues": [_b64(item) for item in value.get("BinaryListValues", [])],
                "dataType": value.get("DataType"),
            }
            for name, value in message.get("MessageAttributes", {}).items()
        }
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message.get("Body", ""),
            "attributes": message.get("Attributes", {}),
            "messageAttributes": attributes,
            "md5OfBody": message.get("MD5OfBody"),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.spec.queue_arn,
            "awsRegion": REGION,
        }


def _sqs_filter_view(record: dict[str, Any]) -> dict[str, Any]:
    """Lambda filters SQS messages on the record with `body` parsed when it is JSON."""
    try:
        body = json.loads(record["body"])
    except ValueError:
        body = record["body"]
    return {**record, "body": body}


class StreamPoller(Trigger):
    """Lambda's DynamoDB-stream poller: filters, batches, retries, bisection, partial batch, OnFailure."""

    def __init__(
        self,
        spec: StreamSpec,
        endpoint: str,
        stop: threading.Event,
        poll_interval: float = 0.25,
        retry_delay: float = 0.2,
    ) -> None:
        super().__init__(f"stream:{spec.name}", stop)
        self.spec = spec
        self.endpoint = endpoint
        self.streams = client("dynamodbstreams", endpoint)
        self.poll_interval = poll_interval
        self.retry_delay = retry_delay
        self.ready = threading.Event()
        self.discarded: list[dict[str, Any]] = []  # batches sent to OnFailure (or dropped without one)
        self._iterators: dict[str, str] = {}

    def run(self) -> None:
        try:
            self._open_iterators()
        finally:
            self.ready.set()
        while not self.stop.is_set():
            try:
                got = self.poll_once()
            except Exception:
                got = 0
            if not got:
                self.stop.wait(self.poll_interval)

    def _open_iterators(self) -> None:
        description = self.streams.describe_stream(StreamArn=self.spec.stream_arn)["StreamDescription"]
        position = "TRIM_HORIZON" if self.spec.starting_position == "TRIM_HORIZON" else "LATEST"
        for shard in description.get("Shards", []):
            iterator = self.streams.get_shard_iterator(
                StreamArn=self.spec.stream_arn, ShardId=shard["ShardId"], ShardIteratorType=position
            )["ShardIterator"]
            self._iterators[shard["ShardId"]] = iterator

    def poll_once(self) -> int:
        """Read every shard once; returns how many records were read."""
        total = 0
        for shard_id, iterator in list(self._iterators.items()):
            response = self.streams.get_records(ShardIterator=iterator, Limit=1000)
            self._iterators[shard_id] = response["NextShardIterator"]
            records = [self._record(raw) for raw in response.get("Records", [])]
            total += len(records)
            kept = [record for record in records if matches_any(self.spec.filters, record)]
            for start in range(0, len(kept), self.spec.batch_size):
                self._deliver(shard_id, kept[start : start + self.spec.batch_size])
        return total

    def _deliver(self, shard_id: str, batch: list[dict[str, Any]]) -> None:
        pending: deque[tuple[list[dict[str, Any]], int]] = deque([(batch, 0)])
        while pending and not self.stop.is_set():
            records, attempts = pending.popleft()
            invocation = self.spec.function.invoke({"Records": records}, trigger=f"stream {self.spec.name}")
            ids = [record["dynamodb"]["SequenceNumber"] for record in records]
            first_failed = _batch_failures(invocation, ids, self.spec.report_failures)
            if first_failed is None:
                continue
            remaining = records[first_failed:]
            if invocation.failed and self.spec.bisect and len(remaining) > 1:
                half = len(remaining) // 2  # splitting does not count against the retry quota
                pending.appendleft((remaining[half:], attempts))
                pending.appendleft((remaining[:half], attempts))
                continue
            attempts += 1
            if 0 <= self.spec.max_retries < attempts:
                self._give_up(shard_id, remaining, invocation, attempts)
                continue
            self.stop.wait(min(self.retry_delay * attempts, 5.0))
            pending.appendleft((remaining, attempts))

    def _give_up(self, shard_id: str, records: list[dict[str, Any]], invocation: Invocation, attempts: int) -> None:
        seqs = [record["dynamodb"]["SequenceNumber"] for record in records]
        times = [record["dynamodb"]["ApproximateCreationDateTime"] for record in records]
        invocation_record = {
            "requestContext": {
                "requestId": invocation.request_id,
                "functionArn": self.spec.function.spec.arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": attempts,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": "Unhandled" if invocation.failed else "",
            },
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": seqs[0],
                "endSequenceNumber": seqs[-1],
                "approximateArrivalOfFirstRecord": _iso(times[0]),
                "approximateArrivalOfLastRecord": _iso(times[-1]),
                "batchSize": len(records),
                "streamArn": self.spec.stream_arn,
            },
        }
        self.discarded.append(invocation_record)
        destination = self.spec.on_failure
        if destination and destination.startswith("arn:aws:sqs:"):
            queue_url = client("sqs", self.endpoint).get_queue_url(QueueName=destination.rsplit(":", 1)[-1])
            client("sqs", self.endpoint).send_message(
                QueueUrl=queue_url["QueueUrl"], MessageBody=json.dumps(invocation_record)
            )
        elif destination and destination.startswith("arn:aws:sns:"):
            client("sns", self.endpoint).publish(TopicArn=destination, Message=json.dumps(invocation_record))
        self.spec.function._runtime.emit("discarded", (self.spec, invocation_record))

    def _record(self, raw: dict[str, Any]) -> dict[str, Any]:
        ddb = raw["dynamodb"]
        created = ddb.get("ApproximateCreationDateTime")
        epoch = created.timestamp() if isinstance(created, datetime) else float(created or time.time())
        body: dict[str, Any] = {
            "ApproximateCreationDateTime": int(epoch),
            "Keys": _jsonable(ddb.get("Keys", {})),
            "SequenceNumber": str(ddb["SequenceNumber"]),
            "SizeBytes": int(ddb.get("SizeBytes", 0)),
            "StreamViewType": ddb.get("StreamViewType"),
        }
        for image in ("NewImage", "OldImage"):
            if image in ddb:
                body[image] = _jsonable(ddb[image])
        return {
            "eventID": raw.get("eventID") or uuid.uuid4().hex,
            "eventName": raw["eventName"],
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": REGION,
            "dynamodb": body,
            "eventSourceARN": self.spec.stream_arn,
        }


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _b64(value: bytes | str) -> str:
    return base64.b64encode(value if isinstance(value, bytes) else value.encode()).decode()


def _jsonable(value: Any) -> Any:
    """boto3 gives binary attribute values as bytes; Lambda events carry them base64-encoded."""
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    return value


# ------------------------------------------------------------------------------------------------- API

_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded", "+json", "+xml")


class ApiServer:
    """`sam local start-api` without Docker: HTTP requests → API Gateway REST proxy events → handlers."""

    def __init__(self, routes: list[Route], runtime: Runtime, port: int = 3000, host: str = "127.0.0.1") -> None:
        self.routes = routes
        self.runtime = runtime
        methods = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
        self.httpd = quiet_server(host, port, self.handle, methods)
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="api", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            found = route.pattern.match(path)
            if found and route.method in (method, "ANY"):
                params = {
                    binascii.unhexlify(key[2:]).decode(): urllib.parse.unquote(value)
                    for key, value in found.groupdict().items()
                }
                return route, params
        return None

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        started = time.monotonic()
        parsed = urllib.parse.urlsplit(request.path)
        method = request.command
        found = self.match(method, parsed.path)
        if found is None:
            missing = b'{"message":"Missing Authentication Token"}'
            self._write(request, 403, {"Content-Type": "application/json"}, missing)
            self.runtime.emit("http", (method, request.path, 403, None, time.monotonic() - started))
            return
        route, params = found
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        if route.payload == "2.0":
            event = self.event_v2(route, method, parsed, params, request, raw)
        else:
            event = self.event(route, method, parsed, params, request, raw)
        invocation = route.function.invoke(event, trigger=f"api {method} {route.resource}")
        status, headers, body = self._response(invocation, route.payload)
        self._write(request, status, headers, body)
        self.runtime.emit("http", (method, request.path, status, invocation, time.monotonic() - started))

    def event(
        self,
        route: Route,
        method: str,
        parsed: urllib.parse.SplitResult,
        params: dict[str, str],
        request: BaseHTTPRequestHandler,
        raw: bytes,
    ) -> dict[str, Any]:
        headers: dict[str, str] = {}
        multi_headers: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            headers[name] = value
            multi_headers.setdefault(name, []).append(value)
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        body, encoded = _body(raw, request.headers.get("Content-Type", ""))
        now = datetime.now(UTC)
        return {
            "resource": route.resource,
            "path": parsed.path,
            "httpMethod": method,
            "headers": headers or None,
            "multiValueHeaders": multi_headers or None,
            "queryStringParameters": {key: values[-1] for key, values in query.items()} or None,
            "multiValueQueryStringParameters": query or None,
            "pathParameters": params or None,
            "stageVariables": None,
            "requestContext": {
                "accountId": ACCOUNT_ID,
                "apiId": route.api,
                "resourcePath": route.resource,
                "httpMethod": method,
                "path": f"/{route.stage}{parsed.path}",
                "stage": route.stage,
                "protocol": "HTTP/1.1",
                "requestId": str(uuid.uuid4()),
                "extendedRequestId": str(uuid.uuid4()),
                "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "requestTimeEpoch": int(now.timestamp() * 1000),
                "domainName": request.headers.get("Host", "127.0.0.1"),
                "identity": {
                    "sourceIp": request.client_address[0],
                    "userAgent": request.headers.get("User-Agent"),
                },
            },
            "body": body,
            "isBase64Encoded": encoded,
        }

    def event_v2(
        self,
        route: Route,
        method: str,
        parsed: urllib.parse.SplitResult,
        params: dict[str, str],
        request: BaseHTTPRequestHandler,
        raw: bytes,
    ) -> dict[str, Any]:
        """The HTTP API (payload format 2.0) event."""
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for name, value in request.headers.items():
            if name.lower() == "cookie":
                cookies.extend(part.strip() for part in value.split(";") if part.strip())
                continue
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        body, encoded = _body(raw, request.headers.get("Content-Type", ""))
        now = datetime.now(UTC)
        route_key = "$default" if route.resource == "$default" else f"{route.method} {route.resource}"
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route_key,
            "rawPath": parsed.path,
            "rawQueryString": parsed.query,
            "headers": headers,
            "requestContext": {
                "accountId": ACCOUNT_ID,
                "apiId": route.api,
                "domainName": request.headers.get("Host", "127.0.0.1"),
                "domainPrefix": route.api,
                "http": {
                    "method": method,
                    "path": parsed.path,
                    "protocol": "HTTP/1.1",
                    "sourceIp": request.client_address[0],
                    "userAgent": request.headers.get("User-Agent", ""),
                },
                "requestId": str(uuid.uuid4()),
                "routeKey": route_key,
                "stage": route.stage,
                "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "timeEpoch": int(now.timestamp() * 1000),
            },
            "isBase64Encoded": encoded,
        }
        if cookies:
            event["cookies"] = cookies
        if query:
            event["queryStringParameters"] = {key: ",".join(values) for key, values in query.items()}
        if params:
            event["pathParameters"] = params
        if body is not None:
            event["body"] = body
        return event

    @staticmethod
    def _response(invocation: Invocation, payload: str = "1.0") -> tuple[int, list[tuple[str, str]], bytes]:
        error = (502, [("Content-Type", "application/json")], b'{"message": "Internal server error"}')
        result = invocation.result
        if invocation.failed:
            return error
        if payload == "2.0" and not (isinstance(result, dict) and "statusCode" in result):
            # HTTP APIs accept a bare value: it becomes a 200 JSON body
            text = result if isinstance(result, str) else json.dumps(result)
            return 200, [("Content-Type", "application/json")], text.encode("utf-8")
        if not isinstance(result, dict) or "statusCode" not in result:
            return error
        headers = [(str(k), str(v)) for k, v in (result.get("headers") or {}).items()]
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers.extend((str(name), str(value)) for value in values)
        headers.extend(("Set-Cookie", str(cookie)) for cookie in result.get("cookies") or [])
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode("utf-8")
        return int(result["statusCode"]), headers, data

    @staticmethod
    def _write(
        request: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]] | dict[str, str], body: bytes
    ) -> None:
        pairs = list(headers.items()) if isinstance(headers, dict) else headers
        request.send_response(status)
        for name, value in pairs:
            if name.lower() != "content-length":
                request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)


def _body(raw: bytes, content_type: str) -> tuple[str | None, bool]:
    """Text bodies pass as text; anything else (or undecodable) is base64, as API Gateway sends binary."""
    if not raw:
        return None, False
    if any(marker in content_type for marker in _TEXT_TYPES) or not content_type:
        try:
            return raw.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(raw).decode(), True


# ------------------------------------------------------------------------------------------- all of it


@dataclass
class Triggers:
    wiring: Wiring
    threads: list[Trigger]
    api: ApiServer | None
    stop: threading.Event

    def start(self) -> None:
        for thread in self.threads:
            thread.start()
        for thread in self.threads:
            if isinstance(thread, StreamPoller):
                thread.ready.wait(5)
        if self.api is not None:
            self.api.start()

    def shutdown(self, timeout: float = 5.0) -> None:
        self.stop.set()
        if self.api is not None:
            self.api.stop()
        for thread in self.threads:
            if thread.is_alive():
                thread.join(timeout)


def build(
    deployment: Deployment,
    runtime: Runtime,
    *,
    schedule_every: float | None = None,
    api_port: int | None = 3000,
    first_schedule_delay: float = 1.0,
    sqs_wait_seconds: int = 1,
    stream_poll_interval: float = 0.25,
    before_schedule: Callable[[ScheduleSpec], None] | None = None,
    stream_start: str | None = None,
) -> Triggers:
    """All triggers, not started. `stream_start` overrides every stream's StartingPosition (e.g. LATEST
    after restoring saved state, so restored items are not delivered again)."""
    wiring = wire(deployment, runtime, schedule_every)
    if stream_start is not None:
        for stream in wiring.streams:
            stream.starting_position = stream_start
    stop = threading.Event()
    threads: list[Trigger] = []
    threads += [ScheduleTrigger(spec, stop, first_schedule_delay, before_schedule) for spec in wiring.schedules]
    threads += [SqsPoller(spec, deployment.endpoint, stop, sqs_wait_seconds) for spec in wiring.queues if spec.enabled]
    threads += [
        StreamPoller(spec, deployment.endpoint, stop, stream_poll_interval) for spec in wiring.streams if spec.enabled
    ]
    api = ApiServer(wiring.routes, runtime, api_port) if wiring.routes and api_port is not None else None
    return Triggers(wiring, threads, api, stop)
