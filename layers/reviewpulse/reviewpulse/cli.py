"""`reviewpulse sources add|list|pause|resume|remove`: manage sources without a redeploy.

Works against AWS (credentials and region from the usual AWS environment) and against the local stack
(`AWS_ENDPOINT_URL=http://127.0.0.1:5000`). The table comes from --table, $TABLE_NAME, or --stack's outputs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from reviewpulse.models import Schedule, Source
from reviewpulse.store import EntityTaken, ReviewStore, SourceNotFound

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

TABLE_OUTPUT = "ReviewsTableName"
_KEPT_ON_REPLACE = {
    "cursor",
    "next_due_at",
    "last_run_at",
    "last_success_at",
    "last_error",
    "last_error_at",
    "created_at",
}


class CliError(Exception):
    pass


def main(argv: Sequence[str] | None = None, client: DynamoDBClient | None = None) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    args = _parser().parse_args(argv)
    try:
        store = ReviewStore(client or _boto3().client("dynamodb"), _table_name(args))
        args.run(store, args)
    except (CliError, SourceNotFound, FileExistsError, EntityTaken) as err:
        message = f"source {err.args[0]!r} not found" if isinstance(err, SourceNotFound) else str(err)
        print(f"reviewpulse: {message}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as err:  # no region, no credentials, no such table or stack …
        print(f"reviewpulse: AWS said: {err}", file=sys.stderr)
        return 1
    return 0


def _boto3() -> Any:
    import boto3  # imported here so `--help` stays instant

    return boto3


def _table_name(args: argparse.Namespace) -> str:
    if args.table:
        return str(args.table)
    if args.stack:
        stacks = _boto3().client("cloudformation").describe_stacks(StackName=args.stack)["Stacks"]
        for output in stacks[0].get("Outputs", []):
            if output["OutputKey"] == TABLE_OUTPUT:
                return str(output["OutputValue"])
        raise CliError(f"stack {args.stack!r} has no {TABLE_OUTPUT} output")
    if name := os.environ.get("TABLE_NAME"):
        return name
    raise CliError("which table? pass --table NAME, --stack STACK, or set TABLE_NAME")


def _add(store: ReviewStore, args: argparse.Namespace) -> None:
    try:
        config = json.loads(args.config)
    except json.JSONDecodeError as err:
        raise CliError(f"--config is not JSON: {err.msg} at character {err.pos}") from err
    try:
        source = Source(
            source_id=args.source_id,
            business_id=args.business,
            location_id=args.location,
            platform=args.platform,
            config=config,
            credentials=args.credentials,
            schedule=Schedule(every_minutes=args.every),
        )
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise CliError(f"invalid source: {problems}") from err
    from reviewpulse.sources import adapter_for
    from reviewpulse.sources.errors import SourceError

    try:
        entity = adapter_for(source).entity  # validates the platform config before anything is stored
    except SourceError as err:
        raise CliError(f"invalid config: {err}") from err
    if args.replace:
        try:  # a replaced source keeps where it was and how it went: no re-backfill, no lost error
            kept = store.get_source(source.source_id).model_dump(include=_KEPT_ON_REPLACE)
            source = source.model_copy(update=kept)
        except SourceNotFound:
            pass
    store.put_source(source, entity=entity, overwrite=args.replace)
    print(f"added {source.source_id} ({source.platform}) for {source.business_id}/{source.location_id}")


def _list(store: ReviewStore, args: argparse.Namespace) -> None:
    invalid: list[str] = []
    sources = sorted(store.list_sources(invalid), key=lambda s: (s.business_id, s.location_id, s.source_id))
    if args.json:
        print(json.dumps([s.model_dump(mode="json") for s in sources], indent=2))
        return
    rows = [("SOURCE", "PLATFORM", "BUSINESS/LOCATION", "EVERY", "STATUS", "LAST SUCCESS", "LAST ERROR")]
    for s in sources:
        rows.append(
            (
                s.source_id,
                s.platform,
                f"{s.business_id}/{s.location_id}",
                f"{s.schedule.every_minutes}m",
                health(s),
                s.last_success_at.strftime("%Y-%m-%d %H:%M") if s.last_success_at else "never",
                (s.last_error or "")[:80],
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for source_id in invalid:
        print(f"INVALID  {source_id}: its stored item no longer validates; fix it with `sources add --replace`")


def health(source: Source) -> str:
    """One word an operator reads first: a failing source says so, and why, in `last_error`."""
    if source.paused:
        return "paused"
    if source.last_error:
        return "FAILING"
    return "ok" if source.last_success_at else "new"


def _pause(store: ReviewStore, args: argparse.Namespace) -> None:
    store.update_source(args.source_id, paused=True)
    print(f"paused {args.source_id}")


def _resume(store: ReviewStore, args: argparse.Namespace) -> None:
    store.update_source(args.source_id, paused=False, next_due_at=None)
    print(f"resumed {args.source_id}: fetched at the next schedule tick")


def _remove(store: ReviewStore, args: argparse.Namespace) -> None:
    store.delete_source(args.source_id)
    print(f"removed {args.source_id} (its stored reviews stay)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reviewpulse", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--table", help="DynamoDB table name (default: $TABLE_NAME)")
    parser.add_argument("--stack", help="read the table name from this CloudFormation stack's outputs")
    commands = parser.add_subparsers(dest="group", required=True)
    sources = commands.add_parser("sources", help="manage review sources").add_subparsers(dest="command", required=True)

    add = sources.add_parser("add", help="add a source (a platform entity of one location)")
    add.add_argument("source_id", help="your id for it: lower-case letters, digits, - and _")
    add.add_argument("--platform", required=True, help="trustpilot, feed, …")
    add.add_argument("--business", required=True)
    add.add_argument("--location", required=True)
    add.add_argument("--config", default="{}", help='platform settings as JSON, e.g. \'{"business_unit_id": "…"}\'')
    add.add_argument("--credentials", help="secretsmanager:<name> or ssm:<name> (never the secret itself)")
    add.add_argument("--every", type=int, default=60, help="minutes between fetches (default 60)")
    add.add_argument("--replace", action="store_true", help="overwrite a source with the same id")
    add.set_defaults(run=_add)

    listing = sources.add_parser("list", help="list sources with their health")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=_list)

    for name, run, text in (
        ("pause", _pause, "stop fetching a source"),
        ("resume", _resume, "fetch a paused source again"),
        ("remove", _remove, "delete a source"),
    ):
        command = sources.add_parser(name, help=text)
        command.add_argument("source_id")
        command.set_defaults(run=run)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
