"""Reading reviews from any JSON, CSV or RSS/Atom feed through a field mapping."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import responses

from reviewpulse.models import Rating, Source
from reviewpulse.sources.base import Budget, Page
from reviewpulse.sources.errors import MalformedResponse, SourceConfigError
from reviewpulse.sources.feed import FeedAdapter
from reviewpulse.sources.http import PlatformHttp

URL = "https://reviews.example.com/export"

JSON_FIELDS = {
    "id": "review_id",
    "rating": "score",
    "title": "headline",
    "text": "body",
    "language": "lang",
    "created_at": "posted",
    "author": "author.name",
    "reply": "owner_response.text",
    "url": "permalink",
}
CSV_FIELDS = {
    "id": "Review ID",
    "rating": "Stars",
    "text": "Comment",
    "created_at": "Date",
    "author": "Customer name",
    "reply": "Reply",
}


@pytest.fixture
def feed(make_source: Callable[..., Source], http: PlatformHttp) -> Callable[..., FeedAdapter]:
    def build(format: str, **config: Any) -> FeedAdapter:
        return FeedAdapter(make_source("feed", credentials=None, url=URL, format=format, **config), http=http)

    return build


def serve(api: responses.RequestsMock, read_text: Callable[[str], str], name: str, **kwargs: Any) -> None:
    api.get(URL, body=read_text(f"feeds/{name}").encode(), **kwargs)


def only_page(adapter: FeedAdapter, budget: Budget, cursor: dict[str, Any] | None = None) -> Page:
    (page,) = adapter.fetch(cursor or {}, budget)
    return page


def test_a_json_feed_is_mapped_through_dotted_paths(api, read_text, feed, budget) -> None:
    serve(api, read_text, "reviews.json", content_type="application/json")
    adapter = feed("json", items="data.reviews", fields=JSON_FIELDS, rating_scale={"worst": 0, "best": 10})

    page = only_page(adapter, budget)

    first, second, third = page.reviews
    assert first.review_id == "r-1001"
    assert first.rating == Rating(value=9, worst=0, best=10)
    assert (first.title, first.language, first.author_name) == ("Great stay", "en", "Lena W.")
    assert first.reply is not None and first.reply.text == "Thank you Lena, see you again!"
    assert first.url == "https://reviews.example.com/r-1001"
    assert first.created_at == datetime(2025, 4, 28, 16, 22, tzinfo=UTC)
    assert second.created_at == datetime(2025, 4, 28, 9, 0, tzinfo=UTC)  # epoch seconds
    assert second.reply is None
    assert third.created_at == datetime(2025, 4, 30, tzinfo=UTC)  # a bare date
    assert "lena@example.org" not in json.dumps([r.model_dump(mode="json") for r in page.reviews])
    assert page.skipped == 0 and not page.complete_snapshot


def test_a_csv_export_is_mapped_by_column_name(api, read_text, feed, budget) -> None:
    serve(api, read_text, "reviews.csv", content_type="text/csv")

    page = only_page(feed("csv", fields=CSV_FIELDS), budget)

    assert [r.review_id for r in page.reviews] == ["c-1", "c-2", "c-3"]
    assert page.reviews[0].reply is not None and page.reviews[0].reply.text == "Gracias Ana!"
    assert page.reviews[1].text == 'Slow checkout; the "express" lane was closed'
    assert page.reviews[1].reply is None
    assert page.reviews[2].author_name == "João P."  # UTF-8 even without a charset in Content-Type
    assert page.reviews[2].created_at == datetime(2025, 4, 3, 12, 0, tzinfo=UTC)


def test_an_rss_feed_reads_the_standard_tags_and_mapped_extensions(api, read_text, feed, budget) -> None:
    serve(api, read_text, "reviews.rss", content_type="application/rss+xml")
    fields = {"author": "creator", "rating": "rating", "language": "language", "reply": "reply"}

    page = only_page(feed("rss", fields=fields), budget)

    first, second = page.reviews
    assert (first.review_id, first.title, first.author_name) == ("rss-501", "Lovely flat white", "Tom H.")
    assert first.text == "Best coffee on the street, cosy seats."
    assert first.created_at == datetime(2025, 4, 29, 6, 15, tzinfo=UTC)  # RFC-822 with an offset
    assert first.url == "https://reviews.example.com/cafe/rss-501"
    assert first.rating == Rating(value=5, worst=1, best=5)
    assert second.language == "de"
    assert second.reply is not None and second.reply.text.startswith("Das tut uns leid")


def test_an_atom_feed_is_read_with_its_own_mapping(api, read_text, feed, budget) -> None:
    serve(api, read_text, "reviews.atom", content_type="application/atom+xml")
    fields = {"id": "id", "text": "content", "created_at": "updated", "author": "author.name", "url": "link"}

    (review,) = only_page(feed("rss", fields=fields), budget).reviews

    assert review.review_id == "urn:review:a-1"
    assert review.author_name == "Eva K."
    assert review.url == "https://shop.example.com/reviews/a-1"
    assert review.created_at == datetime(2025, 4, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["billion_laughs.rss", "external_entity.rss"])
def test_an_rss_feed_with_entity_tricks_is_refused(api, read_text, feed, budget, name: str) -> None:
    serve(api, read_text, name, content_type="application/rss+xml")

    with pytest.raises(MalformedResponse, match="forbidden"):
        only_page(feed("rss"), budget)


def test_broken_xml_is_malformed(api, feed, budget) -> None:
    api.get(URL, body="<rss><channel><item>", content_type="application/rss+xml")

    with pytest.raises(MalformedResponse, match="not well-formed"):
        only_page(feed("rss"), budget)


def test_a_feed_without_ids_gets_stable_ids_from_author_date_and_text(api, read_text, feed, budget) -> None:
    serve(api, read_text, "reviews.json", content_type="application/json")
    serve(api, read_text, "reviews.json", content_type="application/json")
    fields = {k: v for k, v in JSON_FIELDS.items() if k != "id"}
    adapter = feed("json", items="data.reviews", fields=fields, rating_scale={"worst": 0, "best": 10})

    first_run = [r.review_id for r in only_page(adapter, budget).reviews]
    second_run = [r.review_id for r in only_page(adapter, budget).reviews]

    assert first_run == second_run
    assert len(set(first_run)) == 3
    assert all(i.startswith("h-") for i in first_run)


def test_items_that_do_not_fit_the_mapping_are_skipped_and_counted(api, feed, budget) -> None:
    api.get(
        URL,
        json=[
            {"id": "ok-1", "date": "2025-04-01T10:00:00Z", "stars": 4, "text": "Fine."},
            {"date": "2025-04-01T11:00:00Z", "stars": 2, "text": "no id"},
            {"id": "bad-date", "date": "yesterday", "stars": 2},
            {"id": "bad-rating", "date": "2025-04-01T12:00:00Z", "stars": 11},
            "not an object",
        ],
    )
    adapter = feed("json", fields={"id": "id", "created_at": "date", "rating": "stars", "text": "text"}, snapshot=True)

    page = only_page(adapter, budget)

    assert [r.review_id for r in page.reviews] == ["ok-1"]
    assert page.skipped == 4
    assert not page.complete_snapshot  # skipped items are still live: they must not read as deleted


def test_a_snapshot_feed_says_its_page_is_the_whole_live_set(api, read_text, feed, budget) -> None:
    serve(api, read_text, "reviews.csv", content_type="text/csv")

    page = only_page(feed("csv", fields=CSV_FIELDS, snapshot=True), budget)

    assert page.complete_snapshot
    assert FeedAdapter.gives.deletions and not FeedAdapter.gives.history


def test_an_unchanged_feed_costs_one_empty_page(api, read_text, feed, budget) -> None:
    serve(
        api,
        read_text,
        "reviews.csv",
        content_type="text/csv",
        headers={"ETag": '"v1"', "Last-Modified": "Wed, 30 Apr 2025 14:00:00 GMT"},
    )
    adapter = feed("csv", fields=CSV_FIELDS, snapshot=True)

    first = only_page(adapter, budget)
    api.replace(responses.GET, URL, status=304, headers={"ETag": '"v1"'})
    second = only_page(adapter, budget, cursor=first.cursor)

    assert first.cursor == {"etag": '"v1"', "last_modified": "Wed, 30 Apr 2025 14:00:00 GMT"}
    assert api.calls[1].request.headers["If-None-Match"] == '"v1"'
    assert api.calls[1].request.headers["If-Modified-Since"] == "Wed, 30 Apr 2025 14:00:00 GMT"
    assert second == Page(reviews=[], cursor=first.cursor)  # not a snapshot: nothing reads as deleted


@pytest.mark.parametrize(
    ("body", "items"),
    [("{not json", ""), ('{"data": {"reviews": {"id": 1}}}', "data.reviews"), ('{"data": []}', "")],
)
def test_a_json_feed_without_a_list_where_mapped_is_malformed(api, feed, budget, body: str, items: str) -> None:
    api.get(URL, body=body, content_type="application/json")

    with pytest.raises(MalformedResponse):
        only_page(feed("json", items=items, fields={"id": "id", "created_at": "date"}), budget)


def test_a_feed_behind_a_token_sends_the_headers_from_its_secret(
    api, read_text, make_source, http, budget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewpulse.sources.feed.read_secret", lambda ref: {"headers": {"Authorization": "Token t-1"}})
    serve(api, read_text, "reviews.csv", content_type="text/csv")
    source = make_source("feed", credentials="ssm:/reviewpulse/feed", url=URL, format="csv", fields=CSV_FIELDS)

    only_page(FeedAdapter(source, http=http), budget)

    assert api.calls[0].request.headers["Authorization"] == "Token t-1"


@pytest.mark.parametrize(
    "config",
    [
        {"url": URL, "format": "xml", "fields": {"created_at": "d"}},
        {"url": "file:///etc/passwd", "format": "json", "fields": {"created_at": "d"}},
        {"url": URL, "format": "json", "fields": {"id": "id"}},
        {"url": URL, "format": "json", "fields": {"created_at": "d", "stars": "s"}},
    ],
    ids=["unknown format", "not http", "no date mapping", "unknown field"],
)
def test_a_feed_with_a_broken_configuration_is_refused_up_front(make_source, config: dict[str, Any]) -> None:
    with pytest.raises(SourceConfigError):
        FeedAdapter(make_source("feed", credentials=None, **config))
