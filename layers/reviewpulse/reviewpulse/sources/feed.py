"""Any JSON, CSV or RSS/Atom feed of reviews, read by URL through a field mapping.

A feed has no paging and no history: each run reads the whole document once. A conditional GET
(ETag / Last-Modified) makes an unchanged feed cost one 304 and no writes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from aws_lambda_powertools import Logger
from defusedxml.ElementTree import fromstring as parse_untrusted_xml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reviewpulse.models import Rating, Reply, Review, Source
from reviewpulse.sources.base import Budget, Capabilities, Page, ReviewSource
from reviewpulse.sources.credentials import read_secret
from reviewpulse.sources.errors import MalformedResponse, SourceConfigError
from reviewpulse.sources.http import PlatformHttp

logger = Logger(child=True)

# RSS 2.0 items carry these tags; a mapping only needs to name what differs (Atom needs its own).
RSS_DEFAULT_FIELDS = {
    "id": "guid",
    "title": "title",
    "text": "description",
    "created_at": "pubDate",
    "author": "author",
    "url": "link",
}
_ATOM_ENTRY = "{http://www.w3.org/2005/Atom}entry"
_EPOCH_MS_THRESHOLD = 10**12


class FieldMap(BaseModel):
    """Our field → where it is in one item: a dotted path (JSON, RSS) or a column name (CSV)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    text: str | None = None
    title: str | None = None
    rating: str | None = None
    created_at: str | None = None
    author: str | None = None
    reply: str | None = None
    url: str | None = None
    language: str | None = None


class RatingScaleConfig(BaseModel):
    worst: float = 1
    best: float = 5


class FeedConfig(BaseModel):
    model_config = ConfigDict(extra="ignore")

    url: str = Field(pattern=r"^https?://")
    format: Literal["json", "csv", "rss"]
    items: str = ""
    fields: FieldMap = Field(default_factory=FieldMap)
    rating_scale: RatingScaleConfig = Field(default_factory=RatingScaleConfig)
    snapshot: bool = False


class FeedAdapter(ReviewSource):
    platform = "feed"
    gives = Capabilities(history=False, replies=True, edits=True, deletions=True)

    def __init__(self, source: Source, *, http: PlatformHttp | None = None) -> None:
        super().__init__(source)
        try:
            self.config = FeedConfig.model_validate(source.config)
        except ValidationError as exc:
            locations = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})
            raise SourceConfigError(f"feed source {source.source_id}: {', '.join(locations)}") from exc
        mapped = self.config.fields.model_dump(exclude_none=True)
        self.fields = {**RSS_DEFAULT_FIELDS, **mapped} if self.config.format == "rss" else mapped
        if "created_at" not in self.fields:
            raise SourceConfigError(f"feed source {source.source_id}: fields.created_at is required")
        self.http = http or PlatformHttp(self.platform)

    @property
    def entity(self) -> str:
        return self.config.url

    def fetch(self, cursor: dict[str, Any], budget: Budget) -> Iterator[Page]:
        if budget.exhausted():
            return
        headers = dict(self._auth_headers())
        if cursor.get("etag"):
            headers["If-None-Match"] = str(cursor["etag"])
        if cursor.get("last_modified"):
            headers["If-Modified-Since"] = str(cursor["last_modified"])
        response = self.http.get_text(self.config.url, headers=headers, budget=budget)
        if response.not_modified or response.text is None:
            yield Page(reviews=[], cursor=dict(cursor))  # unchanged since last run: nothing to store
            return
        items = self._items(response.text)
        reviews: list[Review] = []
        skipped = 0
        for index, item in enumerate(items):
            try:
                reviews.append(self._review(item))
            except (ValidationError, ValueError, TypeError) as exc:
                skipped += 1
                logger.warning(
                    "skipped an invalid feed item",
                    source=self.source.source_id,
                    item_index=index,
                    reason=type(exc).__name__,
                )
        yield Page(
            reviews=reviews,
            cursor={"etag": response.etag, "last_modified": response.last_modified},
            skipped=skipped,
            # a skipped item is still live on the feed: claiming a complete set would delete it
            complete_snapshot=self.config.snapshot and skipped == 0,
        )

    def _auth_headers(self) -> Mapping[str, str]:
        """Optional secret `{"headers": {...}}` for feeds behind a token; most feeds are public."""
        if not self.source.credentials:
            return {}
        headers = read_secret(self.source.credentials).get("headers", {})
        if not isinstance(headers, dict):
            raise SourceConfigError("feed secret 'headers' must be an object of header → value")
        return {str(k): str(v) for k, v in headers.items()}

    # --- documents → items ---

    def _items(self, text: str) -> list[Any]:
        match self.config.format:
            case "json":
                return self._json_items(text)
            case "csv":
                return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
            case "rss":
                return _xml_items(text)

    def _json_items(self, text: str) -> list[Any]:
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise MalformedResponse(f"feed {self.source.source_id} is not valid JSON") from exc
        items = _lookup(document, self.config.items) if self.config.items else document
        if not isinstance(items, list):
            where = repr(self.config.items) if self.config.items else "the top level"
            raise MalformedResponse(f"feed {self.source.source_id} has no list at {where}")
        return items

    # --- one item → Review ---

    def _value(self, item: Any, field: str) -> Any:
        path = self.fields.get(field)
        if path is None:
            return None
        if self.config.format == "csv":  # column names may contain dots: never split them
            value = item.get(path) if isinstance(item, dict) else None
        else:
            value = _lookup(item, path)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def _review(self, item: Any) -> Review:
        created = _parse_datetime(self._value(item, "created_at"))
        text = _text(self._value(item, "text")) or ""
        author = _text(self._value(item, "author"))
        review_id = _text(self._value(item, "id")) if "id" in self.fields else None
        if review_id is None:
            if "id" in self.fields:
                raise ValueError("item has no id at the mapped path")
            # No id in this feed: derive one from what identifies a review. Stable across runs as long
            # as author, date and text stay the same; an edited text therefore reads as a new review.
            basis = "\x1f".join([author or "", created.isoformat(), text])
            review_id = "h-" + hashlib.sha256(basis.encode()).hexdigest()[:24]
        rating_value = self._value(item, "rating")
        reply_text = _text(self._value(item, "reply"))
        return Review(
            platform=self.platform,
            review_id=review_id,
            rating=self._rating(rating_value) if rating_value is not None else None,
            title=_text(self._value(item, "title")),
            text=text,
            language=_text(self._value(item, "language")),
            author_name=author,
            created_at=created,
            reply=Reply(text=reply_text) if reply_text else None,
            url=_text(self._value(item, "url")),
        )

    def _rating(self, raw: Any) -> Rating:
        value = float(str(raw).replace(",", ".")) if not isinstance(raw, (int, float)) else float(raw)
        scale = self.config.rating_scale
        low, high = sorted((scale.worst, scale.best))
        if not low <= value <= high:
            raise ValueError("rating outside the configured scale")
        return Rating(value=value, worst=scale.worst, best=scale.best)


def _lookup(document: Any, path: str) -> Any:
    """Follow a dotted path through objects (and list indexes: `reviews.0.text`)."""
    current = document
    for part in path.split("."):
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _parse_datetime(value: Any) -> datetime:
    """ISO-8601, RFC-822 (RSS pubDate) or epoch seconds (ms when that large); UTC when no zone."""
    if value is None or isinstance(value, bool):
        raise ValueError("no date")
    if isinstance(value, (int, float)) or (isinstance(value, str) and _is_number(value)):
        number = float(value)
        return datetime.fromtimestamp(number / 1000 if number > _EPOCH_MS_THRESHOLD else number, UTC)
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError("unreadable date") from exc
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _xml_items(text: str) -> list[dict[str, Any]]:
    """RSS <item>s or Atom <entry>s as nested dicts keyed by local tag name (namespaces dropped)."""
    try:
        # XML from the internet is untrusted: defusedxml refuses entity expansion and external entities
        root = parse_untrusted_xml(text.encode())
    except defusedxml.DefusedXmlException as exc:
        raise MalformedResponse(f"feed XML uses forbidden constructs ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise MalformedResponse("feed is not well-formed XML") from exc
    entries = list(root.iter("item")) or list(root.iter(_ATOM_ENTRY))
    return [_element_record(entry) for entry in entries]


def _element_record(element: Element) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for child in element:
        name = child.tag.rsplit("}", 1)[-1]
        if name in record:  # repeated tags (several <link>s, categories): the first one wins
            continue
        if len(child):
            record[name] = _element_record(child)
        elif child.text and child.text.strip():
            record[name] = child.text.strip()
        elif "href" in child.attrib:  # Atom <link href="…"/>
            record[name] = child.attrib["href"]
    return record
