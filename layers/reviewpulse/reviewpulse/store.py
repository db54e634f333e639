"""The only module that knows the table's keys.

One table holds every entity (see README "Table design"):

    entity   pk                    sk                gsi1pk            gsi1sk
    source   SOURCE#<source_id>    SOURCE            SOURCES           <business>#<location>#<source_id>
    review   SRC#<source_id>       REV#<review_id>   BIZ#<business>    <created_at>#<source_id>#<review_id>
    claim    ENTITY#<platform>#<sha256 of the platform entity>   ENTITY

Every item carries `entity_type`, which the stream's FilterCriteria matches so the classifier sees reviews only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError
from pydantic import ValidationError

from reviewpulse.models import Review, ReviewStatus, Source, WriteOutcome, iso, utcnow

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

logger = Logger(child=True)
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
_BATCH_GET_LIMIT = 100

REVIEW_ENTITY = "review"
SOURCE_ENTITY = "source"
CLAIM_ENTITY = "entity_claim"


class SourceNotFound(LookupError):
    pass


class EntityTaken(Exception):
    """Another source already reads this platform entity: a second one would store and alert its reviews twice."""


class LeaseLost(RuntimeError):
    """Another worker holds the source now (our lease expired): stop writing its cursor."""


def source_key(source_id: str) -> dict[str, str]:
    return {"pk": f"SOURCE#{source_id}", "sk": "SOURCE"}


def claim_key(platform: str, entity: str) -> dict[str, str]:
    """Which source reads a platform entity. Hashed: a feed URL may be longer than a key may be."""
    return _claim(f"ENTITY#{platform}#{hashlib.sha256(entity.encode()).hexdigest()}")


def review_key(source_id: str, review_id: str) -> dict[str, str]:
    return {"pk": f"SRC#{source_id}", "sk": f"REV#{review_id}"}


def to_dynamo(item: Mapping[str, Any]) -> dict[str, Any]:
    """Python values → DynamoDB attribute values (floats become Decimals, None attributes are dropped)."""
    return {k: _serializer.serialize(_decimals(v)) for k, v in item.items() if v is not None}


def from_dynamo(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def as_stored(value: Any) -> Any:
    """What a value reads back as after a round trip through the table (None in maps dropped, floats exact)."""
    return _plain(_decimals(value))


def _decimals(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(int(value)) if value.is_integer() else Decimal(str(value))
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_plain(v) for v in value]
    return value


def review_from_item(item: Mapping[str, Any]) -> Review:
    """A stored review (plain values, e.g. a deserialized stream image) back into the model."""
    return Review.model_validate({k: v for k, v in item.items() if k in Review.model_fields})


@dataclass
class UpsertReport:
    outcomes: dict[WriteOutcome, int] = field(default_factory=lambda: dict.fromkeys(WriteOutcome, 0))

    def count(self, outcome: WriteOutcome) -> None:
        self.outcomes[outcome] += 1


class ReviewStore:
    """Reviews and sources in the one table. Writes only what changed: an unchanged review costs no write."""

    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._db = client
        self.table_name = table_name

    # --- sources -------------------------------------------------------------------------------------

    def put_source(self, source: Source, *, entity: str, overwrite: bool = False) -> None:
        """Store a source together with its claim on the platform entity it reads (`ReviewSource.entity`),
        in one transaction: FileExistsError if the source exists (unless `overwrite`), EntityTaken if another
        source reads the entity. Replacing a source that read another entity gives that entity up."""
        claim = claim_key(source.platform, entity)
        item = {
            **source_key(source.source_id),
            "entity_type": SOURCE_ENTITY,
            "gsi1pk": "SOURCES",
            "gsi1sk": f"{source.business_id}#{source.location_id}#{source.source_id}",
            "entity_claim": claim["pk"],
            **source.model_dump(mode="json"),
        }
        put = {"TableName": self.table_name, "Item": to_dynamo(item)}
        if not overwrite:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        claim_item = {**claim, "entity_type": CLAIM_ENTITY, "platform": source.platform, "entity": entity}
        actions: list[dict[str, Any]] = [
            {"Put": put},
            {"Put": self._owned({"Item": to_dynamo({**claim_item, "source_id": source.source_id})}, source.source_id)},
        ]
        previous = self._claim_of(source.source_id) if overwrite else None
        if previous and previous != claim["pk"]:
            actions.append({"Delete": self._owned({"Key": to_dynamo(_claim(previous))}, source.source_id)})
        failed = self._transact(actions)
        if failed is None:
            return
        if failed == 0:
            raise FileExistsError(f"source {source.source_id!r} already exists")
        owner = self._db.get_item(TableName=self.table_name, Key=to_dynamo(claim), ConsistentRead=True)
        taken_by = from_dynamo(owner.get("Item", {})).get("source_id", "another source")
        raise EntityTaken(
            f"{source.platform} {entity!r} is already read by source {taken_by!r}: one source per platform "
            "entity, or its reviews would be stored and alerted twice"
        )

    def get_source(self, source_id: str) -> Source:
        got = self._db.get_item(TableName=self.table_name, Key=to_dynamo(source_key(source_id)), ConsistentRead=True)
        if "Item" not in got:
            raise SourceNotFound(source_id)
        return Source.model_validate(from_dynamo(got["Item"]))

    def list_sources(self, invalid: list[str] | None = None) -> list[Source]:
        """Every valid source; an item that no longer validates is logged (and its pk added to `invalid`)
        instead of stopping the fetches of all the others."""
        sources: list[Source] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "SOURCES"}},
        }
        while True:
            page = self._db.query(**kwargs)
            for raw in page.get("Items", []):
                item = from_dynamo(raw)
                try:
                    sources.append(Source.model_validate(item))
                except ValidationError as err:
                    logger.warning("invalid source item skipped", extra={"pk": item.get("pk"), "errors": err.errors()})
                    if invalid is not None:
                        invalid.append(str(item.get("pk", "?")).removeprefix("SOURCE#"))
            if "LastEvaluatedKey" not in page:
                return sources
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def update_source(self, source_id: str, expect: Mapping[str, Any] | None = None, **values: Any) -> None:
        """Set (or, with None, remove) attributes of an existing source.

        `expect` names attributes that must still hold these values (a lease, a claim); if one does not,
        LeaseLost is raised and nothing is written.
        """
        names = {f"#{k}": k for k in {**values, **(expect or {})}}
        removes = [f"#{k}" for k, v in values.items() if v is None]
        sets = [f"#{k} = :{k}" for k, v in values.items() if v is not None]
        clauses = [("SET " + ", ".join(sets)) if sets else "", ("REMOVE " + ", ".join(removes)) if removes else ""]
        attr_values = {f":{k}": _serializer.serialize(as_dynamo_value(v)) for k, v in values.items() if v is not None}
        attr_values |= {f":expect_{k}": _serializer.serialize(as_dynamo_value(v)) for k, v in (expect or {}).items()}
        condition = " AND ".join(["attribute_exists(pk)", *(f"#{k} = :expect_{k}" for k in expect or {})])
        kwargs: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": to_dynamo(source_key(source_id)),
            "UpdateExpression": " ".join(c for c in clauses if c),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
        }
        if attr_values:
            kwargs["ExpressionAttributeValues"] = attr_values
        if not _written(self._db.update_item, **kwargs):
            raise LeaseLost(source_id) if expect else SourceNotFound(source_id)

    def acquire_lease(self, source_id: str, lease_id: str, until: datetime, now: datetime) -> bool:
        """Take the source for one worker until `until`; False while another worker's lease is running."""
        return _written(
            self._db.update_item,
            TableName=self.table_name,
            Key=to_dynamo(source_key(source_id)),
            UpdateExpression="SET lease_id = :id, lease_until = :until",
            ConditionExpression="attribute_exists(pk) AND (attribute_not_exists(lease_until) OR lease_until < :now)",
            ExpressionAttributeValues={
                ":id": {"S": lease_id},
                ":until": {"S": iso(until)},
                ":now": {"S": iso(now)},
            },
        )

    def release_lease(self, source_id: str, lease_id: str) -> None:
        # Nothing written when the lease expired and another worker took it, or the source was removed.
        _written(
            self._db.update_item,
            TableName=self.table_name,
            Key=to_dynamo(source_key(source_id)),
            UpdateExpression="REMOVE lease_id, lease_until",
            ConditionExpression="lease_id = :id",
            ExpressionAttributeValues={":id": {"S": lease_id}},
        )

    def claim_due_source(self, source: Source, now: datetime) -> datetime | None:
        """Move a due source's next_due_at forward and return it; None if another fan-out claimed it first."""
        next_due = now + timedelta(minutes=source.schedule.every_minutes)
        previous = iso(source.next_due_at) if source.next_due_at else None
        condition = "attribute_not_exists(next_due_at)" if previous is None else "next_due_at = :prev"
        claimed = _written(
            self._db.update_item,
            TableName=self.table_name,
            Key=to_dynamo(source_key(source.source_id)),
            UpdateExpression="SET next_due_at = :next",
            ConditionExpression=f"attribute_exists(pk) AND {condition}",
            ExpressionAttributeValues={
                ":next": {"S": iso(next_due)},
                **({":prev": {"S": previous}} if previous else {}),
            },
        )
        return next_due if claimed else None

    def delete_source(self, source_id: str) -> None:
        """Delete a source and give up its claim on the platform entity, in one transaction."""
        actions: list[dict[str, Any]] = [
            {
                "Delete": {
                    "TableName": self.table_name,
                    "Key": to_dynamo(source_key(source_id)),
                    "ConditionExpression": "attribute_exists(pk)",
                }
            }
        ]
        if claim := self._claim_of(source_id):
            actions.append({"Delete": self._owned({"Key": to_dynamo(_claim(claim))}, source_id)})
        if self._transact(actions) is not None:
            raise SourceNotFound(source_id)

    def _claim_of(self, source_id: str) -> str | None:
        got = self._db.get_item(
            TableName=self.table_name,
            Key=to_dynamo(source_key(source_id)),
            ProjectionExpression="entity_claim",
            ConsistentRead=True,
        )
        return got.get("Item", {}).get("entity_claim", {}).get("S")

    def _owned(self, request: dict[str, Any], source_id: str) -> dict[str, Any]:
        """A transaction step on a claim that is free or already this source's: never another source's."""
        return {
            "TableName": self.table_name,
            "ConditionExpression": "attribute_not_exists(pk) OR source_id = :owner",
            "ExpressionAttributeValues": {":owner": {"S": source_id}},
            **request,
        }

    def _transact(self, actions: list[dict[str, Any]]) -> int | None:
        """Run the steps all or none; the index of the first step whose condition failed, None on success."""
        try:
            self._db.transact_write_items(TransactItems=actions)  # type: ignore[arg-type]
        except ClientError as err:
            if _code(err) != "TransactionCanceledException":
                raise
            reasons = err.response.get("CancellationReasons", [])
            for index, reason in enumerate(reasons):
                if reason.get("Code") == "ConditionalCheckFailed":
                    return int(index)
            raise
        return None

    # --- reviews -------------------------------------------------------------------------------------

    def stored_versions(self, source_id: str, review_ids: Iterable[str]) -> dict[str, tuple[str, int, str]]:
        """review_id → (content_hash, version, first_seen_at) for the ids already stored. Reads, never writes."""
        ids = list(dict.fromkeys(review_ids))
        found: dict[str, tuple[str, int, str]] = {}
        for start in range(0, len(ids), _BATCH_GET_LIMIT):
            keys: list[dict[str, Any]] = [
                to_dynamo(review_key(source_id, rid)) for rid in ids[start : start + _BATCH_GET_LIMIT]
            ]
            request: dict[str, Any] = {
                self.table_name: {
                    "Keys": keys,
                    "ProjectionExpression": "review_id, content_hash, version, first_seen_at",
                    "ConsistentRead": True,
                }
            }
            while request:
                got = self._db.batch_get_item(RequestItems=request)
                for raw in got["Responses"].get(self.table_name, []):
                    item = from_dynamo(raw)
                    found[item["review_id"]] = (
                        item["content_hash"],
                        int(item["version"]),
                        item["first_seen_at"],
                    )
                request = got.get("UnprocessedKeys") or {}
        return found

    def upsert_reviews(self, source: Source, reviews: Iterable[Review], now: datetime | None = None) -> UpsertReport:
        """Store new reviews and new versions of changed ones; the stream then carries old and new images."""
        now = now or utcnow()
        batch = {r.review_id: r for r in reviews}  # a platform listing one id twice stores it once
        report = UpsertReport()
        stored = self.stored_versions(source.source_id, batch)
        for review_id, review in batch.items():
            digest = review.content_hash()
            previous = stored.get(review_id)
            if previous and previous[0] == digest:
                report.count(WriteOutcome.UNCHANGED)
                continue
            outcome = self._write_review(source, review, digest, previous, now)
            report.count(outcome)
        return report

    def _write_review(
        self,
        source: Source,
        review: Review,
        digest: str,
        previous: tuple[str, int, str] | None,
        now: datetime,
    ) -> WriteOutcome:
        version = previous[1] + 1 if previous else 1
        item = {
            **review_key(source.source_id, review.review_id),
            "entity_type": REVIEW_ENTITY,
            "gsi1pk": f"BIZ#{source.business_id}",
            "gsi1sk": f"{iso(review.created_at)}#{source.source_id}#{review.review_id}",
            "source_id": source.source_id,
            "business_id": source.business_id,
            "location_id": source.location_id,
            **review.model_dump(mode="json"),
            "content_hash": digest,
            "version": version,
            "first_seen_at": previous[2] if previous else iso(now),
            "changed_at": iso(now),
        }
        # The version condition makes a concurrent writer lose cleanly instead of overwriting a newer version.
        request: dict[str, Any] = {"TableName": self.table_name, "Item": to_dynamo(item)}
        if previous:
            request["ConditionExpression"] = "version = :v"
            request["ExpressionAttributeValues"] = {":v": {"N": str(previous[1])}}
        else:
            request["ConditionExpression"] = "attribute_not_exists(pk)"
        if not _written(self._db.put_item, **request):
            # Someone stored another version meanwhile (only possible past an expired lease). Theirs stands:
            # overwriting it could put older content back; the next fetch compares again.
            logger.warning("review changed concurrently; left as stored", extra={"review_id": review.review_id})
            return WriteOutcome.UNCHANGED
        return WriteOutcome.CHANGED if previous else WriteOutcome.NEW

    def mark_missing_deleted(self, source: Source, live_ids: set[str], now: datetime | None = None) -> int:
        """For snapshot feeds: stored reviews the platform no longer lists become a DELETED version.

        An empty snapshot deletes nothing: a feed that answers 200 with no items is far more often broken
        than emptied, and wrongly deleting every review would be loud and hard to undo.
        """
        if not live_ids:
            logger.warning("empty snapshot ignored", extra={"source_id": source.source_id})
            return 0
        deleted = 0
        for item in self.reviews_of(source.source_id):
            review = review_from_item(item)
            if review.review_id in live_ids or review.status is ReviewStatus.DELETED:
                continue
            gone = review.model_copy(update={"status": ReviewStatus.DELETED})
            outcome = self._write_review(
                source,
                gone,
                gone.content_hash(),
                (item["content_hash"], int(item["version"]), item["first_seen_at"]),
                now or utcnow(),
            )
            deleted += outcome is WriteOutcome.CHANGED
        return deleted

    def reviews_of(self, source_id: str) -> Iterator[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "pk = :p AND begins_with(sk, :r)",
            "ExpressionAttributeValues": {":p": {"S": f"SRC#{source_id}"}, ":r": {"S": "REV#"}},
        }
        while True:
            page = self._db.query(**kwargs)
            yield from (from_dynamo(i) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def as_dynamo_value(value: Any) -> Any:
    """A Python value ready for TypeSerializer: times as our ISO text, models as JSON, floats as Decimals."""
    if isinstance(value, datetime):
        return iso(value)
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json")
    return _decimals(value)


def _written(write: Callable[..., Any], **request: Any) -> bool:
    """Make a conditional write; False, with nothing written, when its condition does not hold."""
    try:
        write(**request)
    except ClientError as err:
        if _code(err) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _claim(pk: str) -> dict[str, str]:
    return {"pk": pk, "sk": "ENTITY"}


def _code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))
