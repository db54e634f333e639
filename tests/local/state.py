"""`--keep`: the local stack's state between runs, as plain files in `.local-state/`.

moto keeps everything in memory; on exit we write every DynamoDB table's items and the sandbox world, and
on the next start we put them back before any trigger runs. Queues, topics and stream history are not
kept (a fetch request in flight is simply made again); stream consumers start at LATEST after a restore
so restored items are not processed twice.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from tests.local.emulator import Deployment, client
from tests.local.sandbox import World

TABLES_FILE = "tables.json"
WORLD_FILE = "sandbox.json"


def save(directory: Path, deployment: Deployment, world: World) -> int:
    """Writes the tables and the world; returns how many items were saved."""
    directory.mkdir(parents=True, exist_ok=True)
    ddb = client("dynamodb", deployment.endpoint)
    tables: dict[str, list[dict[str, Any]]] = {}
    for logical in deployment.of_type("AWS::DynamoDB::Table"):
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"TableName": deployment.physical[logical]}
        while True:
            page = ddb.scan(**kwargs)
            items.extend(_encode(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        tables[logical] = items
    (directory / TABLES_FILE).write_text(json.dumps(tables, ensure_ascii=False))
    (directory / WORLD_FILE).write_text(json.dumps(world.dump(), ensure_ascii=False))
    return sum(len(items) for items in tables.values())


def load_world(directory: Path) -> World | None:
    path = directory / WORLD_FILE
    return World.load(json.loads(path.read_text())) if path.exists() else None


def restore(directory: Path, deployment: Deployment) -> int:
    """Puts saved items back (by logical table id: physical names change between runs)."""
    path = directory / TABLES_FILE
    if not path.exists():
        return 0
    ddb = client("dynamodb", deployment.endpoint)
    restored = 0
    for logical, items in json.loads(path.read_text()).items():
        if logical not in deployment.physical:
            continue
        table = deployment.physical[logical]
        for start in range(0, len(items), 25):
            chunk = [{"PutRequest": {"Item": _decode(item)}} for item in items[start : start + 25]]
            request: dict[str, Any] = {table: chunk}
            while request:
                request = ddb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
        restored += len(items)
    return restored


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {"__b64__": base64.b64encode(bytes(value)).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b64__"}:
            return base64.b64decode(value["__b64__"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value
