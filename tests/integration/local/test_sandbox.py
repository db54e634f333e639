"""The sandbox platform speaks Trustpilot's reviews API and a generic feed, and its world moves."""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.local.sandbox import API_KEY, API_SECRET, Sandbox, World
from tests.local.sandbox.texts import TEXTS


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(World(seed=5, history=30), port=0, tick_seconds=None) as running:
        yield running


def call(
    url: str, *, headers: dict[str, str] | None = None, data: bytes | None = None
) -> tuple[int, dict[str, str], Any]:
    method = "POST" if data is not None else "GET"
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - local sandbox
            raw, status, got_headers = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, got_headers = error.read(), error.code, dict(error.headers)
    content_type = got_headers.get("Content-Type", "")
    return status, got_headers, json.loads(raw) if raw and "json" in content_type else raw


def reviews_url(sandbox: Sandbox, unit: str, private: bool = False, **params: Any) -> str:
    scope = "/v1/private" if private else "/v1"
    query = urllib.parse.urlencode(params)
    return f"{sandbox.url}{scope}/business-units/{sandbox.world.units[unit].id}/reviews?{query}"


def token(sandbox: Sandbox) -> str:
    basic = base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
    status, _, body = call(
        f"{sandbox.url}/v1/oauth/oauth-business-users-for-applications/accesstoken",
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
        data=b"grant_type=client_credentials",
    )
    assert status == 200
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == "359999"
    return str(body["access_token"])


def test_the_public_api_needs_the_api_key_in_a_header_or_the_query(sandbox: Sandbox) -> None:
    assert call(reviews_url(sandbox, "stockholm"))[0] == 401
    assert call(reviews_url(sandbox, "stockholm"), headers={"apikey": "wrong"})[0] == 401
    assert call(reviews_url(sandbox, "stockholm"), headers={"apikey": API_KEY})[0] == 200
    assert call(reviews_url(sandbox, "stockholm", apikey=API_KEY))[0] == 200


def test_reviews_have_trustpilots_shape_and_the_private_api_adds_private_fields(sandbox: Sandbox) -> None:
    _, _, public = call(reviews_url(sandbox, "stockholm", perPage=5), headers={"apikey": API_KEY})
    review = public["reviews"][0]
    assert re.fullmatch(r"[0-9a-f]{24}", review["id"])
    assert {"consumer", "businessUnit", "stars", "title", "text", "language", "createdAt", "updatedAt",
            "experiencedAt", "companyReply", "isVerified", "reviewVerificationLevel", "numberOfLikes",
            "status"} <= set(review)  # fmt: skip
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", review["createdAt"])
    assert "referralEmail" not in review
    assert {"href", "method", "rel"} == set(public["links"][0])

    assert call(reviews_url(sandbox, "stockholm", private=True))[0] == 401
    _, _, private = call(
        reviews_url(sandbox, "stockholm", private=True, perPage=5),
        headers={"Authorization": f"Bearer {token(sandbox)}"},
    )
    assert {"referenceId", "referralEmail", "tags", "location"} <= set(private["reviews"][0])


def test_a_wrong_api_secret_mints_no_token(sandbox: Sandbox) -> None:
    basic = base64.b64encode(f"{API_KEY}:nope".encode()).decode()
    status, _, _ = call(
        f"{sandbox.url}/v1/oauth/oauth-business-users-for-applications/accesstoken",
        headers={"Authorization": f"Basic {basic}"},
        data=b"grant_type=client_credentials",
    )
    assert status == 401


def test_pages_order_and_start_date_filter(sandbox: Sandbox) -> None:
    headers = {"apikey": API_KEY}
    pages = [
        call(reviews_url(sandbox, "stockholm", page=p, perPage=12, orderBy="createdat.asc"), headers=headers)[2]
        for p in (1, 2, 3, 4)
    ]
    sizes = [len(page["reviews"]) for page in pages]
    assert sizes == [12, 12, 6, 0]  # past the last page: an empty list
    created = [r["createdAt"] for page in pages for r in page["reviews"]]
    assert created == sorted(created)
    newest_first = call(reviews_url(sandbox, "stockholm", perPage=100), headers=headers)[2]["reviews"]
    assert [r["createdAt"] for r in newest_first] == sorted(created, reverse=True)

    middle = created[15]
    start = middle.rstrip("Z")
    since = call(reviews_url(sandbox, "stockholm", perPage=100, startDateTime=start), headers=headers)[2]
    assert all(r["createdAt"] >= middle for r in since["reviews"])
    assert len(since["reviews"]) == len([c for c in created if c >= middle])
    assert call(reviews_url(sandbox, "stockholm", perPage=101), headers=headers)[0] == 400


def test_the_world_publishes_negative_reviews_edits_with_a_better_rating_and_replies() -> None:
    world = World(seed=1, history=10)
    for _ in range(60):
        world.tick()
    kinds = {h.kind for h in world.published()}
    assert kinds == {"new", "reply", "edit"}
    new = [world.find(h.review_id) for h in world.published("new")]
    assert any(r.stars <= 2 for r in new)
    assert any(r.stars >= 4 for r in new)
    upgrades = [h for h in world.published("edit") if h.stars_before is not None and h.stars_before <= 2]
    assert upgrades
    upgraded = world.find(upgrades[0].review_id)
    assert upgraded.stars == 4
    assert upgraded.reply is not None
    assert upgraded.updated_at is not None


def test_the_world_is_deterministic_for_a_seed_and_speaks_many_languages() -> None:
    def story(seed: int) -> list[tuple[str, str, int]]:
        world = World(seed=seed, history=20)
        for _ in range(30):
            world.tick()
        return [(h.kind, h.title, h.stars_after) for h in world.published()]

    assert story(3) == story(3)
    assert story(3) != story(4)
    languages = {r.language for r in World(seed=2, history=60).all_reviews()}
    assert {"en", "sv", "da", "ru", "lv", "tl"} <= languages
    assert {"en", "sv", "da", "ru", "lv", "tl"} <= set(TEXTS)


def test_the_feed_is_json_csv_and_rss_with_an_etag(sandbox: Sandbox) -> None:
    status, headers, body = call(f"{sandbox.url}/feeds/riga.json")
    assert status == 200
    items = body["data"]["reviews"]
    assert len(items) == 30
    assert {"id", "headline", "body", "score", "posted_at", "reviewer", "owner_response", "lang"} <= set(items[0])
    assert call(f"{sandbox.url}/feeds/riga.json", headers={"If-None-Match": headers["ETag"]})[0] == 304
    sandbox.world.publish("riga")
    assert call(f"{sandbox.url}/feeds/riga.json", headers={"If-None-Match": headers["ETag"]})[0] == 200
    assert call(f"{sandbox.url}/feeds/riga.csv")[2].decode().startswith("id,headline,body,score")
    assert b"<rss" in call(f"{sandbox.url}/feeds/riga.rss")[2]


def test_control_endpoints_show_and_make_happenings(sandbox: Sandbox) -> None:
    status, _, made = call(f"{sandbox.url}/sandbox/publish?unit=copenhagen&stars=1", data=b"")
    assert status == 200
    _, _, state = call(f"{sandbox.url}/sandbox/state")
    assert state["happenings"][-1]["review_id"] == made["id"]
    assert sandbox.world.find(made["id"]).stars == 1


def test_a_kept_world_comes_back_identical() -> None:
    world = World(seed=9, history=5)
    for _ in range(10):
        world.tick()
    again = World.load(json.loads(json.dumps(world.dump())))
    assert [r.id for r in again.all_reviews()] == [r.id for r in world.all_reviews()]
    assert again.tick() is not None
    assert world.tick() is not None
    assert again.all_reviews()[-1].id == world.all_reviews()[-1].id  # the same next step
