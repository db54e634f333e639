"""The local stack's default sources: the sandbox's two Trustpilot business units and its feed."""

from __future__ import annotations

import json
from typing import Any

from reviewpulse.models import Schedule, Source
from tests.local.emulator import client
from tests.local.sandbox import API_KEY, API_SECRET, Sandbox, feed_source_config

TRUSTPILOT_SECRET = "reviewpulse/local/trustpilot"


def default_sources(sandbox: Sandbox) -> list[Source]:
    units = sandbox.world.units
    credentials = f"secretsmanager:{TRUSTPILOT_SECRET}"
    every = Schedule(every_minutes=1)
    return [
        Source(
            source_id="trustpilot-public",
            business_id="acme",
            location_id="stockholm",
            platform="trustpilot",
            config={"business_unit_id": units["stockholm"].id, "api": "public", "api_base": sandbox.url},
            credentials=credentials,
            schedule=every,
        ),
        Source(
            source_id="trustpilot-private",
            business_id="acme",
            location_id="copenhagen",
            platform="trustpilot",
            config={"business_unit_id": units["copenhagen"].id, "api": "private", "api_base": sandbox.url},
            credentials=credentials,
            schedule=every,
        ),
        Source(
            source_id="feed-riga",
            business_id="acme",
            location_id="riga",
            platform="feed",
            config=feed_source_config(sandbox.url, "riga"),
            schedule=every,
        ),
    ]


def store_secret(endpoint: str, name: str, value: dict[str, Any]) -> None:
    secrets = client("secretsmanager", endpoint)
    try:
        secrets.create_secret(Name=name, SecretString=json.dumps(value))
    except secrets.exceptions.ResourceExistsException:
        secrets.put_secret_value(SecretId=name, SecretString=json.dumps(value))


def save_source(endpoint: str, table: str, source: Source) -> None:
    """The one place that persists a source: through the product's own store.

    A source kept from an earlier run (`--keep`) keeps its cursor; only its config and credentials follow.
    """
    from reviewpulse.sources import adapter_for
    from reviewpulse.store import ReviewStore

    store = ReviewStore(client("dynamodb", endpoint), table)
    try:
        store.put_source(source, entity=adapter_for(source).entity)
    except FileExistsError:
        store.update_source(source.source_id, config=source.config, credentials=source.credentials)


def seed(endpoint: str, table: str, sandbox: Sandbox) -> list[Source]:
    store_secret(endpoint, TRUSTPILOT_SECRET, {"api_key": API_KEY, "api_secret": API_SECRET})
    sources = default_sources(sandbox)
    for source in sources:
        save_source(endpoint, table, source)
    return sources


def make_sources_due(endpoint: str, table: str) -> None:
    """Locally every source is fetched whenever the fetch schedule fires (AWS: each source's own interval)."""
    from reviewpulse.store import ReviewStore

    store = ReviewStore(client("dynamodb", endpoint), table)
    for source in store.list_sources():
        if source.next_due_at is not None:
            store.update_source(source.source_id, next_due_at=None)
