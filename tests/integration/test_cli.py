"""`reviewpulse sources …` against moto: sources are data, managed without a redeploy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewpulse.cli import main
from reviewpulse.store import ReviewStore

FEED = json.dumps(
    {
        "url": "https://example.com/reviews.json",
        "format": "json",
        "items": "reviews",
        "fields": {"id": "id", "created_at": "date"},
    }
)


def run(dynamodb: Any, table_name: str, *args: str) -> int:
    return main(["--table", table_name, *args], client=dynamodb)


def test_a_source_is_added_listed_paused_resumed_and_removed(
    dynamodb: Any, table_name: str, store: ReviewStore, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ("sources", "add", "riga-feed", "--platform", "feed", "--business", "acme", "--location", "riga")
    assert run(dynamodb, table_name, *add, "--config", FEED, "--every", "30") == 0
    assert run(dynamodb, table_name, "sources", "list") == 0
    listing = capsys.readouterr().out
    assert "riga-feed" in listing and "acme/riga" in listing and "30m" in listing and " new " in listing

    assert run(dynamodb, table_name, "sources", "pause", "riga-feed") == 0
    assert store.get_source("riga-feed").paused
    assert run(dynamodb, table_name, "sources", "resume", "riga-feed") == 0
    assert not store.get_source("riga-feed").paused

    assert run(dynamodb, table_name, "sources", "remove", "riga-feed") == 0
    assert store.list_sources() == []


def test_bad_input_gets_a_clear_message_and_stores_nothing(
    dynamodb: Any, table_name: str, store: ReviewStore, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("sources", "add", "x1", "--business", "acme", "--location", "riga")
    assert run(dynamodb, table_name, *base, "--platform", "feed", "--config", "{not json") == 2
    assert "--config is not JSON" in capsys.readouterr().err
    assert run(dynamodb, table_name, *base, "--platform", "myspace") == 2
    assert "unknown platform 'myspace'" in capsys.readouterr().err
    assert (
        run(
            dynamodb,
            table_name,
            "sources",
            "add",
            "Bad Id!",
            "--platform",
            "feed",
            "--business",
            "a",
            "--location",
            "b",
            "--config",
            FEED,
        )
        == 2
    )
    assert "source_id" in capsys.readouterr().err
    assert run(dynamodb, table_name, *base, "--platform", "feed", "--config", '{"format": "json"}') == 2
    assert "invalid config: feed source x1" in capsys.readouterr().err
    assert run(dynamodb, table_name, "sources", "pause", "nope") == 2
    assert "source 'nope' not found" in capsys.readouterr().err
    assert store.list_sources() == []


def test_a_duplicate_id_is_refused_unless_replaced(
    dynamodb: Any, table_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ("sources", "add", "dup", "--platform", "feed", "--business", "acme", "--location", "riga", "--config", FEED)
    assert run(dynamodb, table_name, *add) == 0
    assert run(dynamodb, table_name, *add) == 2
    assert "already exists" in capsys.readouterr().err
    assert run(dynamodb, table_name, *add, "--replace") == 0


def test_one_platform_entity_is_read_by_one_source_only(
    dynamodb: Any, table_name: str, store: ReviewStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two sources on one feed would store every review twice and alert on it twice."""
    at = ("--platform", "feed", "--business", "acme", "--location", "riga")
    assert run(dynamodb, table_name, "sources", "add", "first", *at, "--config", FEED) == 0
    assert run(dynamodb, table_name, "sources", "add", "second", *at, "--config", FEED) == 2
    assert "'https://example.com/reviews.json' is already read by source 'first'" in capsys.readouterr().err
    assert [s.source_id for s in store.list_sources()] == ["first"]

    # Re-pointing the first source frees its old feed; removing a source frees its current one.
    other = json.dumps({**json.loads(FEED), "url": "https://example.com/other.json"})
    assert run(dynamodb, table_name, "sources", "add", "first", *at, "--config", other, "--replace") == 0
    assert run(dynamodb, table_name, "sources", "add", "second", *at, "--config", FEED) == 0
    assert run(dynamodb, table_name, "sources", "add", "third", *at, "--config", other) == 2
    assert "already read by source 'first'" in capsys.readouterr().err
    assert run(dynamodb, table_name, "sources", "remove", "first") == 0
    assert run(dynamodb, table_name, "sources", "add", "third", *at, "--config", other) == 0
    assert sorted(s.source_id for s in store.list_sources()) == ["second", "third"]


def test_a_replaced_source_keeps_its_claim_and_a_failed_add_stores_nothing(
    dynamodb: Any, table_name: str, store: ReviewStore
) -> None:
    at = ("--platform", "feed", "--business", "acme", "--location", "riga", "--config", FEED)
    assert run(dynamodb, table_name, "sources", "add", "kept", *at) == 0
    assert run(dynamodb, table_name, "sources", "add", "kept", *at, "--replace") == 0
    assert run(dynamodb, table_name, "sources", "add", "kept", *at) == 2  # the source exists: nothing changes
    claims = dynamodb.scan(
        TableName=table_name,
        FilterExpression="entity_type = :c",
        ExpressionAttributeValues={":c": {"S": "entity_claim"}},
    )["Items"]
    assert [(c["source_id"]["S"], c["entity"]["S"]) for c in claims] == [("kept", "https://example.com/reviews.json")]


def test_the_public_and_the_private_api_of_one_business_unit_are_one_entity(
    dynamodb: Any, table_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    at = ("--platform", "trustpilot", "--business", "acme", "--location", "riga", "--credentials", "ssm:/tp/key")
    public = json.dumps({"business_unit_id": "46d6a890000064000500e0c3"})
    private = json.dumps({"business_unit_id": "46d6a890000064000500e0c3", "api": "private"})
    assert run(dynamodb, table_name, "sources", "add", "tp-public", *at, "--config", public) == 0
    assert run(dynamodb, table_name, "sources", "add", "tp-private", *at, "--config", private) == 2
    assert "trustpilot '46d6a890000064000500e0c3' is already read by source 'tp-public'" in capsys.readouterr().err
