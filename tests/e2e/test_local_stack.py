"""The whole local stack from the real template.yaml: the sandbox publishes, the loop ingests."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from reviewpulse.store import review_key
from tests.local.sandbox import Sandbox, World
from tests.local.seed import make_sources_due, seed
from tests.local.stack import ROOT, LocalStack

pytestmark = pytest.mark.e2e

SOURCE_OF_UNIT = {"stockholm": "trustpilot-public", "copenhagen": "trustpilot-private", "riga": "feed-riga"}


def wait_for(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(World(seed=11, history=8), port=0, tick_seconds=0.3) as running:
        yield running


@pytest.fixture(scope="module")
def stack(sandbox: Sandbox) -> Iterator[LocalStack]:
    local = LocalStack(
        ROOT,
        stack_name=f"e2e-{int(time.time() * 1000) % 10**8}",
        api_port=0,
        schedule_every=1.0,
        first_schedule_delay=0.2,
        stream_poll_interval=0.1,
    )
    local.deploy()
    table = local.deployment.physical["ReviewsTable"]
    seed(local.endpoint, table, sandbox)
    local.before_schedule = lambda _spec: make_sources_due(local.endpoint, table)
    local.start()
    yield local
    local.stop()


def stored_copies(stack: LocalStack) -> Counter[tuple[str, str]]:
    """(source_id, review_id) → how many review items the table holds for it."""
    ddb = stack.client("dynamodb")
    copies: Counter[tuple[str, str]] = Counter()
    kwargs: dict[str, Any] = {"TableName": stack.deployment.physical["ReviewsTable"]}
    while True:
        page = ddb.scan(**kwargs)
        for item in page["Items"]:
            if item.get("entity_type", {}).get("S") == "review":
                copies[(item["source_id"]["S"], item["review_id"]["S"])] += 1
        if "LastEvaluatedKey" not in page:
            return copies
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def get_review(stack: LocalStack, source_id: str, review_id: str) -> dict[str, Any] | None:
    key = {k: {"S": v} for k, v in review_key(source_id, review_id).items()}
    got = stack.client("dynamodb").get_item(
        TableName=stack.deployment.physical["ReviewsTable"], Key=key, ConsistentRead=True
    )
    item: dict[str, Any] | None = got.get("Item")
    return item


def stream_records(stack: LocalStack) -> list[dict[str, Any]]:
    streams = stack.client("dynamodbstreams")
    arn = stack.deployment.attributes[("ReviewsTable", "StreamArn")]
    records: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while True:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            records.extend(page["Records"])
            if not page["Records"]:
                break
            iterator = page["NextShardIterator"]
    return records


def test_published_reviews_land_once_and_an_edit_is_a_modify_with_both_images(
    stack: LocalStack, sandbox: Sandbox
) -> None:
    world = sandbox.world
    wait_for(lambda: len(world.published("new")) >= 6, 30, "the sandbox to publish six new reviews")

    # An unhappy customer, an owner reply, and the rating going up: the edit the product must see.
    complaint = world.publish("stockholm", stars=2, negative=True)
    wait_for(lambda: get_review(stack, "trustpilot-public", complaint.id), 30, "the complaint to be stored")
    world.edit(complaint.id)
    assert world.find(complaint.id).stars == 4

    def upgraded() -> bool:
        item = get_review(stack, "trustpilot-public", complaint.id)
        return bool(item) and item["rating"]["M"]["value"]["N"] == "4"  # type: ignore[index]

    wait_for(upgraded, 30, "the edit to be stored")

    sandbox.pause()
    published = {(SOURCE_OF_UNIT[h.unit], h.review_id) for h in world.published("new")}
    wait_for(lambda: published <= set(stored_copies(stack)), 30, "every published review to be stored")

    copies = stored_copies(stack)
    assert {key: copies[key] for key in published} == dict.fromkeys(published, 1)
    assert len(copies) == sum(len(world.all_reviews(unit)) for unit in world.units)  # history too, once each

    modifies = [
        r
        for r in stream_records(stack)
        if r["eventName"] == "MODIFY" and r["dynamodb"]["Keys"]["sk"]["S"] == f"REV#{complaint.id}"
    ]
    assert modifies, "the edit produced no MODIFY stream record"
    upgrade = next(r for r in modifies if r["dynamodb"]["NewImage"]["rating"]["M"]["value"]["N"] == "4")
    assert upgrade["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert upgrade["dynamodb"]["OldImage"]["rating"]["M"]["value"]["N"] == "2"
    assert upgrade["dynamodb"]["NewImage"]["reply"]["M"]["text"]["S"]
    assert upgrade["dynamodb"]["NewImage"]["text"]["S"] != upgrade["dynamodb"]["OldImage"]["text"]["S"]


def test_fetch_outcomes_are_logged_for_the_console(stack: LocalStack) -> None:
    logs: list[dict[str, Any]] = []
    stack.listen(lambda kind, payload: logs.append(payload[1]) if kind == "log" else None)
    make_sources_due(stack.endpoint, stack.deployment.physical["ReviewsTable"])
    finished = wait_for(
        lambda: [r for r in logs if r.get("message") == "fetch finished"], 20, "a 'fetch finished' log record"
    )
    # `error` is there only when the fetch failed (Powertools drops keys whose value is None)
    assert {"source_id", "platform", "new", "changed", "unchanged", "skipped", "pages"} <= set(finished[0])
    assert not any(record.get("error") for record in finished)


def test_make_run_shows_fetches_and_stops_cleanly_on_ctrl_c(tmp_path: Any) -> None:
    import os
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "tests.local", "--port", "0", "--api-port", "0", "--sandbox-port", "0",
               "--fetch-every", "1", "--sandbox-every", "0.3"]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - our own module
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if sum(bool(re.match(r"\d\d:\d\d:\d\d  fetch ", seen)) for seen in lines) >= 6:
            break
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=20)
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert "stopped cleanly" in output
    assert re.search(r"fetch +trustpilot-public \(acme/stockholm\) +new \d+ · changed \d+ · unchanged \d+", output)
    assert re.search(r"fetch +trustpilot-private \(acme/copenhagen\) +new \d+", output)
    assert re.search(r"fetch +feed-riga \(acme/riga\) +new \d+", output)
    assert "Error" not in output  # no failed fetch, not even while stopping
    assert "FetchSourceFunction      SQS FetchQueue (batch 1)" in output
