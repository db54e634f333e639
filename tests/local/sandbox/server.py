"""The sandbox review platform over HTTP: Trustpilot's reviews API (public + private/OAuth) and a feed.

POST /v1/oauth/oauth-business-users-for-applications/accesstoken   Basic api_key:api_secret
GET  /v1/business-units/{buId}/reviews            apikey header or ?apikey=
GET  /v1/private/business-units/{buId}/reviews    Authorization: Bearer <token>
GET  /v1/business-units/find?name=<domain>        apikey
GET  /feeds/{name}.json | .csv | .rss             ETag / If-None-Match → 304
GET  /sandbox/state                               what the sandbox has published
POST /sandbox/publish | /sandbox/reply | /sandbox/edit   make something happen now
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from xml.sax.saxutils import escape

from tests.local.http_server import quiet_server
from tests.local.sandbox.world import Happening, SandboxReview, World, tp_time

API_KEY = "sandbox-api-key"
API_SECRET = "sandbox-api-secret"
TOKEN_LIFETIME = "359999"

_REVIEWS = re.compile(r"^/v1(?P<private>/private)?/business-units/(?P<bu>[A-Za-z0-9_-]+)/reviews/?$")
_FEED = re.compile(r"^/feeds/(?P<name>[a-z0-9-]+)\.(?P<format>json|csv|rss)$")


class Sandbox:
    """The server, its world, and a ticker that makes the world move every `tick_seconds`."""

    def __init__(
        self,
        world: World | None = None,
        port: int = 8900,
        host: str = "127.0.0.1",
        tick_seconds: float | None = 5.0,
    ) -> None:
        self.world = world or World()
        self.tick_seconds = tick_seconds
        self.tokens: dict[str, float] = {}  # token → expiry (monotonic)
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status), for tests
        self.httpd = quiet_server(host, port, self._handle, methods=("GET", "POST"))
        self.port = self.httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._stop = threading.Event()
        self._paused = threading.Event()
        self._threads = [
            threading.Thread(target=self.httpd.serve_forever, name="sandbox-http", daemon=True),
            threading.Thread(target=self._tick_forever, name="sandbox-ticker", daemon=True),
        ]

    # --- lifecycle ---

    def start(self) -> Sandbox:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(2)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()

    def _tick_forever(self) -> None:
        if not self.tick_seconds:
            return
        while not self._stop.wait(self.tick_seconds):
            if not self._paused.is_set():
                self.world.tick()

    def pause(self) -> None:
        """The world stops moving (the API keeps answering)."""
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    def on_happening(self, listener: Callable[[Happening, SandboxReview], None]) -> None:
        self.world.listeners.append(listener)

    # --- HTTP ---

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parsed = urllib.parse.urlsplit(request.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        try:
            status, headers, payload = self._route(request, parsed.path, query, body)
        except Exception as exc:
            status, headers, payload = 500, {"Content-Type": "application/json"}, _json({"message": str(exc)})
        self.requests.append((request.command, parsed.path, status))
        request.send_response(status)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    def _route(
        self, request: BaseHTTPRequestHandler, path: str, query: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        method = request.command
        if method == "POST" and path == "/v1/oauth/oauth-business-users-for-applications/accesstoken":
            return self._token(request, body)
        if method == "GET" and (match := _REVIEWS.match(path)):
            private = bool(match.group("private"))
            denied = self._check_auth(request, query, private)
            if denied:
                return denied
            return self._reviews(match.group("bu"), query, private)
        if method == "GET" and path == "/v1/business-units/find":
            denied = self._check_auth(request, query, private=False)
            if denied:
                return denied
            for unit in self.world.units.values():
                if unit.identifying_name == query.get("name"):
                    return _ok(
                        {
                            "id": unit.id,
                            "displayName": unit.display_name,
                            "name": {"identifying": unit.identifying_name},
                        }
                    )
            return 404, _JSON, _json({"message": "Not found"})
        if method == "GET" and (match := _FEED.match(path)):
            return self._feed(request, match.group("name"), match.group("format"))
        if path.startswith("/sandbox/"):
            return self._control(method, path, query)
        if method == "GET" and path == "/":
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, (__doc__ or "").encode()
        return 404, _JSON, _json({"message": "Not found"})

    # --- Trustpilot ---

    def _token(self, request: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        auth = request.headers.get("Authorization", "")
        try:
            key, _, secret = base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            key, secret = "", ""
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()}
        if not auth.startswith("Basic ") or (key, secret) != (API_KEY, API_SECRET):
            return 401, _JSON, _json({"error": "invalid_client", "error_description": "Client authentication failed"})
        if form.get("grant_type") not in ("client_credentials", "password"):
            return 400, _JSON, _json({"error": "unsupported_grant_type"})
        token = secrets.token_urlsafe(24)
        self.tokens[token] = time.monotonic() + float(TOKEN_LIFETIME)
        return _ok(
            {
                "access_token": token,
                "expires_in": TOKEN_LIFETIME,
                "token_type": "Bearer",
                "issued_at": str(int(time.time() * 1000)),
                "application_name": "reviewpulse-local",
                "client_id": API_KEY,
                "refresh_token": "",
                "refresh_token_expires_in": "0",
                "refresh_count": "0",
                "status": "approved",
            }
        )

    def _check_auth(
        self, request: BaseHTTPRequestHandler, query: dict[str, str], private: bool
    ) -> tuple[int, dict[str, str], bytes] | None:
        if private:
            auth = request.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""
            if self.tokens.get(token, 0) > time.monotonic():
                return None
            fault = {
                "fault": {"faultstring": "Invalid access token", "detail": {"errorcode": "oauth.v2.InvalidAccessToken"}}
            }
            return 401, _JSON, _json(fault)
        if (request.headers.get("apikey") or query.get("apikey")) == API_KEY:
            return None
        fault = {"fault": {"faultstring": "Invalid ApiKey", "detail": {"errorcode": "oauth.v2.InvalidApiKey"}}}
        return 401, _JSON, _json(fault)

    def _reviews(self, bu_id: str, query: dict[str, str], private: bool) -> tuple[int, dict[str, str], bytes]:
        unit = next((u for u in self.world.units.values() if u.id == bu_id), None)
        if unit is None:
            return 404, _JSON, _json({"message": "Business unit not found"})
        try:
            page = int(query.get("page", "1"))
            per_page = int(query.get("perPage", "20"))
        except ValueError:
            return 400, _JSON, _json({"message": "page and perPage must be integers"})
        if page < 1 or not 1 <= per_page <= 100:
            return 400, _JSON, _json({"message": "page must be ≥ 1 and perPage within 1–100"})
        if page > 1000:
            return 400, _JSON, _json({"message": "Bad request", "details": "Pagination limit exceeded."})
        order = query.get("orderBy", "createdat.desc")
        if order not in ("createdat.asc", "createdat.desc", "stars.asc", "stars.desc"):
            return 400, _JSON, _json({"message": f"orderBy {order!r} is not supported"})
        with self.world.lock:
            reviews = list(self.world.all_reviews(unit.key))
            if start := query.get("startDateTime"):
                try:
                    since = _tp_datetime(start)
                except ValueError:
                    return 400, _JSON, _json({"message": "startDateTime must be YYYY-MM-DDTHH:MM:SS"})
                reviews = [r for r in reviews if r.created_at >= since]
            if stars := query.get("stars"):
                wanted = {int(s) for s in stars.split(",") if s.strip().isdigit()}
                reviews = [r for r in reviews if r.stars in wanted]
            field, _, direction = order.partition(".")
            reviews.sort(
                key=lambda r: (r.created_at, r.id) if field == "createdat" else (r.stars, r.created_at),
                reverse=direction == "desc",
            )
            chosen = reviews[(page - 1) * per_page : page * per_page]
            items = [r.to_trustpilot(unit, private) for r in chosen]
        scope = "/v1/private" if private else "/v1"
        base = f"{self.url}{scope}/business-units/{unit.id}/reviews"
        links = []
        if page * per_page < len(reviews):
            links.append({"href": f"{base}?page={page + 1}&perPage={per_page}", "method": "GET", "rel": "next-page"})
        if page > 1:
            links.append({"href": f"{base}?page={page - 1}&perPage={per_page}", "method": "GET", "rel": "prev-page"})
        return _ok({"links": links, "reviews": items})

    # --- the generic feed ---

    def _feed(self, request: BaseHTTPRequestHandler, name: str, fmt: str) -> tuple[int, dict[str, str], bytes]:
        unit = self.world.units.get(name)
        if unit is None or unit.kind != "feed":
            return 404, _JSON, _json({"message": f"no feed named {name!r}"})
        items = [r.to_feed() for r in self.world.all_reviews(unit.key)]
        if fmt == "json":
            payload = _json({"data": {"business": unit.display_name, "reviews": items}})
            content_type = "application/json"
        elif fmt == "csv":
            payload = _csv(items)
            content_type = "text/csv; charset=utf-8"
        else:
            payload = _rss(unit.display_name, self.world.all_reviews(unit.key))
            content_type = "application/rss+xml; charset=utf-8"
        etag = '"' + hashlib.sha256(payload).hexdigest()[:20] + '"'
        headers = {"Content-Type": content_type, "ETag": etag, "Cache-Control": "no-cache"}
        if request.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, headers, payload

    # --- test / demo control ---

    def _control(self, method: str, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        world = self.world
        if method == "GET" and path == "/sandbox/state":
            return _ok(
                {
                    "units": {
                        u.key: {"id": u.id, "kind": u.kind, "name": u.display_name} for u in world.units.values()
                    },
                    "reviews": {key: len(world.all_reviews(key)) for key in world.units},
                    "happenings": [h.as_dict() for h in world.published()],
                }
            )
        if method == "POST" and path == "/sandbox/publish":
            choice: dict[str, Any] = {}
            if "stars" in query:
                choice["stars"] = int(query["stars"])
            for key in ("topic", "language"):
                if key in query:
                    choice[key] = query[key]
            review = world.publish(query.get("unit"), **choice)
            return _ok({"id": review.id, "unit": review.unit})
        if method == "POST" and path in ("/sandbox/reply", "/sandbox/edit"):
            action = world.reply if path.endswith("reply") else world.edit
            changed = action(query.get("id"))
            if changed is None:
                return 409, _JSON, _json({"message": "nothing to change right now"})
            return _ok({"id": changed.id, "stars": changed.stars})
        return 404, _JSON, _json({"message": "Not found"})


_JSON = {"Content-Type": "application/json"}


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _ok(value: Any) -> tuple[int, dict[str, str], bytes]:
    return 200, _JSON, _json(value)


def _tp_datetime(text: str) -> datetime:
    """Trustpilot's `startDateTime`: `YYYY-MM-DDTHH:MM:SS` (UTC), or just a date (midnight)."""
    text = text.rstrip("Z")
    parsed = datetime.fromisoformat(text if "T" in text else f"{text}T00:00:00")
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _csv(items: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=["id", "headline", "body", "score", "posted_at", "reviewer", "owner_response", "lang"]
    )
    writer.writeheader()
    for item in items:
        writer.writerow(
            {
                **{k: item[k] for k in ("id", "headline", "body", "score", "posted_at", "lang")},
                "reviewer": item["reviewer"]["name"],
                "owner_response": item["owner_response"] or "",
            }
        )
    return out.getvalue().encode("utf-8")


def _rss(title: str, reviews: list[SandboxReview]) -> bytes:
    items = "".join(
        "<item>"
        f'<guid isPermaLink="false">{r.id}</guid><title>{escape(r.title)}</title>'
        f"<description>{escape(r.text)}</description><author>{escape(r.author)}</author>"
        f"<pubDate>{format_datetime(r.created_at)}</pubDate>"
        f"<link>https://reviews.acme.example/r/{r.id}</link>"
        "</item>"
        for r in reviews
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>https://reviews.acme.example/</link><description>Reviews</description>{items}</channel></rss>"
    ).encode()


def feed_source_config(base_url: str, name: str = "riga") -> dict[str, Any]:
    """How a `feed` source reads this sandbox's JSON feed (the mapping a deployer would write)."""
    return {
        "url": f"{base_url}/feeds/{name}.json",
        "format": "json",
        "items": "data.reviews",
        "fields": {
            "id": "id",
            "title": "headline",
            "text": "body",
            "rating": "score",
            "created_at": "posted_at",
            "author": "reviewer.name",
            "reply": "owner_response",
            "url": "permalink",
            "language": "lang",
        },
        "rating_scale": {"worst": 1, "best": 10},
    }


__all__ = ["API_KEY", "API_SECRET", "Sandbox", "feed_source_config", "tp_time"]
