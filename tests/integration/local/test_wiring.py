"""The local stack runs a template's functions from the template's own event definitions."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from tests.integration.local.conftest import Recorder, wait_for
from tests.local.stack import LocalStack


def test_a_schedule_fires_its_function_with_a_scheduled_event(stack: LocalStack, recorder: Recorder) -> None:
    ticks = wait_for(lambda: len(recorder.of("TickFunction")) >= 2 and recorder.of("TickFunction"))
    first = ticks[0]
    assert not first.failed, first.error
    assert first.result["source"] == "aws.events"
    assert 0 < first.result["remaining_ms"] <= 10_000  # counts down from the template's Timeout


def test_handler_logs_are_captured_with_resolved_env_and_the_layer(stack: LocalStack, recorder: Recorder) -> None:
    record = wait_for(lambda: next((log for log in recorder.logs if log.get("message") == "tick"), None))
    assert record["table"] == stack.deployment.physical["Table"]
    assert record["greeting"] == "hello from the layer"
    assert record["service"] == "wiring"


def test_sqs_partial_batch_failure_redelivers_only_the_failed_message_then_dead_letters_it(
    stack: LocalStack, recorder: Recorder
) -> None:
    sqs = stack.client("sqs")
    queue = stack.deployment.physical["WorkQueue"]
    dlq = stack.deployment.physical["WorkDeadLetterQueue"]
    sqs.send_message_batch(
        QueueUrl=queue,
        Entries=[
            {"Id": "1", "MessageBody": "ok-1"},
            {"Id": "2", "MessageBody": "please fail"},
            {"Id": "3", "MessageBody": "ok-2"},
        ],
    )

    def bodies_seen() -> list[str]:
        return [r["body"] for inv in recorder.of("WorkerFunction") for r in inv.event["Records"]]

    wait_for(lambda: bodies_seen().count("please fail") >= 2, timeout=15)
    dead = wait_for(lambda: sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1).get("Messages"), timeout=15)
    assert [m["Body"] for m in dead] == ["please fail"]
    assert bodies_seen().count("ok-1") == 1
    assert bodies_seen().count("ok-2") == 1
    assert bodies_seen().count("please fail") == 2  # maxReceiveCount
    record = next(r for inv in recorder.of("WorkerFunction") for r in inv.event["Records"])
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == stack.deployment.attributes[("WorkQueue", "Arn")]


def _stream_records(recorder: Recorder) -> list[dict[str, Any]]:
    return [r for inv in recorder.of("StreamFunction") for r in inv.event["Records"]]


def test_stream_consumer_gets_insert_and_modify_with_both_images_and_filter_drops_others(
    stack: LocalStack, recorder: Recorder
) -> None:
    ddb = stack.client("dynamodb")
    table = stack.deployment.physical["Table"]
    ddb.put_item(TableName=table, Item={"pk": {"S": "B#1"}, "sk": {"S": "REVIEW#a"}, "text": {"S": "v1"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "B#1"}, "sk": {"S": "SOURCE#x"}, "text": {"S": "v1"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "B#1"}, "sk": {"S": "REVIEW#a"}, "text": {"S": "v2"}})

    def for_a() -> list[dict[str, Any]]:
        return [r for r in _stream_records(recorder) if r["dynamodb"]["Keys"]["sk"]["S"] == "REVIEW#a"]

    records = wait_for(lambda: len(for_a()) >= 2 and for_a())
    insert, modify = records
    assert insert["eventName"] == "INSERT"
    assert insert["dynamodb"]["NewImage"]["text"] == {"S": "v1"}
    assert "OldImage" not in insert["dynamodb"]
    assert modify["eventName"] == "MODIFY"
    assert modify["dynamodb"]["OldImage"]["text"] == {"S": "v1"}
    assert modify["dynamodb"]["NewImage"]["text"] == {"S": "v2"}
    assert modify["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert modify["eventSource"] == "aws:dynamodb"
    assert modify["eventSourceARN"] == stack.deployment.attributes[("Table", "StreamArn")]
    assert int(modify["dynamodb"]["SequenceNumber"]) > int(insert["dynamodb"]["SequenceNumber"])
    assert not [r for r in _stream_records(recorder) if r["dynamodb"]["Keys"]["sk"]["S"].startswith("SOURCE#")]


def test_a_failing_stream_record_is_retried_then_sent_to_the_on_failure_queue(
    stack: LocalStack, recorder: Recorder
) -> None:
    ddb, sqs = stack.client("dynamodb"), stack.client("sqs")
    table = stack.deployment.physical["Table"]
    failures = stack.deployment.physical["StreamFailureQueue"]
    ddb.put_item(TableName=table, Item={"pk": {"S": "B#2"}, "sk": {"S": "REVIEW#fine"}, "text": {"S": "ok"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "B#2"}, "sk": {"S": "REVIEW#bad"}, "text": {"S": "boom"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "B#2"}, "sk": {"S": "REVIEW#after"}, "text": {"S": "ok"}})

    messages = wait_for(lambda: sqs.receive_message(QueueUrl=failures, WaitTimeSeconds=1).get("Messages"))
    info = json.loads(messages[0]["Body"])
    assert info["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert info["DDBStreamBatchInfo"]["batchSize"] == 1  # bisected down to the one bad record
    assert info["DDBStreamBatchInfo"]["streamArn"] == stack.deployment.attributes[("Table", "StreamArn")]

    def invoked_with(sk: str) -> int:
        return sum(1 for r in _stream_records(recorder) if r["dynamodb"]["Keys"]["sk"]["S"] == sk)

    wait_for(lambda: invoked_with("REVIEW#after") >= 1)
    assert invoked_with("REVIEW#bad") >= 2  # first try + MaximumRetryAttempts: 1 (plus bisection)
    assert invoked_with("REVIEW#fine") >= 1


def test_a_partial_stream_batch_failure_is_retried_from_the_failed_record(
    stack: LocalStack, recorder: Recorder
) -> None:
    ddb = stack.client("dynamodb")
    table = stack.deployment.physical["Table"]
    ddb.put_item(TableName=table, Item={"pk": {"S": "B#3"}, "sk": {"S": "REVIEW#p"}, "text": {"S": "partial"}})

    def tries() -> int:
        return sum(1 for r in _stream_records(recorder) if r["dynamodb"]["Keys"]["sk"]["S"] == "REVIEW#p")

    wait_for(lambda: tries() >= 2)
    assert tries() == 2  # the first delivery + one retry, then OnFailure


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_an_api_route_returns_the_handlers_status_headers_and_body_with_path_params(stack: LocalStack) -> None:
    api = stack.triggers.api
    assert api is not None
    status, headers, body = _get(f"{api.url}/items/a%20b?x=1&x=2&y=z")
    assert status == 200
    assert headers["X-Item"] == "a b"
    payload = json.loads(body)
    assert payload == {
        "item": "a b",
        "q": {"x": "2", "y": "z"},
        "multi": {"x": ["1", "2"], "y": ["z"]},
        "resource": "/items/{item_id}",
        "stage": "Prod",
    }


def test_api_binary_bodies_arrive_base64_encoded_and_errors_are_502(stack: LocalStack) -> None:
    api = stack.triggers.api
    assert api is not None
    request = urllib.request.Request(  # noqa: S310 - local test server
        f"{api.url}/items", data=b"\x00\xff", method="POST", headers={"Content-Type": "application/octet-stream"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - local test server
        assert response.status == 201
        assert json.loads(response.read()) == {"got": "00ff", "encoded": True}
    assert _get(f"{api.url}/items/crash")[0] == 502
    assert _get(f"{api.url}/nowhere")[0] == 403


def test_an_http_api_route_gets_a_v2_event_and_a_bare_result_becomes_json(stack: LocalStack) -> None:
    api = stack.triggers.api
    assert api is not None
    status, _, body = _get(f"{api.url}/v2/things/t1?a=1&a=2")
    assert status == 200
    assert json.loads(body) == {
        "version": "2.0",
        "route": "GET /v2/things/{thing_id}",
        "thing": "t1",
        "q": {"a": "1,2"},
    }


def test_ttl_from_the_template_is_applied(stack: LocalStack) -> None:
    ttl = stack.client("dynamodb").describe_time_to_live(TableName=stack.deployment.physical["Table"])
    assert ttl["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}


def test_kept_state_puts_items_back_by_logical_table(stack: LocalStack, tmp_path: Any) -> None:
    from tests.local import state
    from tests.local.sandbox import World

    ddb = stack.client("dynamodb")
    table = stack.deployment.physical["Table"]
    item = {"pk": {"S": "KEEP"}, "sk": {"S": "ME"}, "blob": {"B": b"\x00\x01"}}
    ddb.put_item(TableName=table, Item=item)
    world = World(seed=1, history=2)
    assert state.save(tmp_path, stack.deployment, world) >= 1
    ddb.delete_item(TableName=table, Key={"pk": {"S": "KEEP"}, "sk": {"S": "ME"}})

    state.restore(tmp_path, stack.deployment)
    again = ddb.get_item(TableName=table, Key={"pk": {"S": "KEEP"}, "sk": {"S": "ME"}})["Item"]
    assert again["blob"] == {"B": b"\x00\x01"}
    kept = state.load_world(tmp_path)
    assert kept is not None
    assert [r.id for r in kept.all_reviews()] == [r.id for r in world.all_reviews()]


def test_the_console_turns_a_fetch_record_into_one_line() -> None:
    import io

    from tests.local.console import Console

    out = io.StringIO()
    console = Console(out, color=False)
    console.source_labels = {"trustpilot-public": "(acme/stockholm)"}
    console("log", (None, {"message": "fetch finished", "source_id": "trustpilot-public", "new": 3,
                           "changed": 1, "unchanged": 47, "skipped": 0, "pages": 1}))  # fmt: skip
    line = out.getvalue()
    assert "fetch    trustpilot-public (acme/stockholm)  new 3 · changed 1 · unchanged 47" in line


def test_what_moto_cloudformation_skips_is_created_and_alerts_reach_the_outbox(stack: LocalStack) -> None:
    from tests.local.outbox import Outbox, Sent

    topic = stack.deployment.physical["AlertTopic"]
    sns = stack.client("sns")
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("email", "oncall@example.com")]
    secret = stack.client("secretsmanager").get_secret_value(SecretId=stack.deployment.physical["ApiKeySecret"])
    assert set(json.loads(secret["SecretString"])) == {"user", "password"}
    env = stack.runtime.function("TickFunction").spec.environment
    assert env["ALERT_TOPIC_ARN"] == topic
    assert env["SECRET_ARN"] == stack.deployment.physical["ApiKeySecret"]

    seen: list[Sent] = []
    outbox = Outbox(seen.append)
    sns.publish(TopicArn=topic, Subject="1★ review", Message="Rude staff, never again\nmore")
    outbox.poll()
    assert [(s.channel, s.to, s.subject) for s in seen] == [("sns", topic, "1★ review")]
