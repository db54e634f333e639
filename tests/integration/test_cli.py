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
