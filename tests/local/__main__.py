"""`make run`: reviewpulse on your machine, no AWS account and no Docker.

moto plays AWS (resources created from template.yaml), the functions run in-process from their own
folders, the template's events trigger them, and a sandbox review platform keeps publishing reviews.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from tests.local import state
from tests.local.console import Console
from tests.local.emulator import REGION, Deployment
from tests.local.outbox import Outbox
from tests.local.runtime import LocalFunction
from tests.local.sandbox import Sandbox, World
from tests.local.seed import make_sources_due, seed
from tests.local.stack import ROOT, LocalStack
from tests.local.triggers import ScheduleSpec, Wiring

EPILOG = """\
schedules:
  Every Schedule event of the template fires once at start, then at its own rate or every
  --fetch-every seconds, whichever is sooner (cron schedules: every --fetch-every seconds).
  Before each firing every local source is made due, so each firing fetches every source
  (on AWS each source keeps its own interval, one minute at least).

state:
  --reset (default)  start empty: fresh tables, a freshly seeded sandbox (same --seed, same history).
  --keep             on exit, write the DynamoDB items and the sandbox world to .local-state/; on the
                     next --keep run, put them back before anything runs. Queues and stream history are
                     not kept; stream consumers then start at LATEST so kept items are not processed twice.

local endpoints:
  moto      AWS_ENDPOINT_URL=http://127.0.0.1:PORT  (region eu-west-1, any credentials)
            e.g. .venv/bin/reviewpulse --table <ReviewsTable printed at start> sources list
  sandbox   Trustpilot API shape + a JSON/CSV/RSS feed; GET /sandbox/state shows what it published,
            POST /sandbox/publish|reply|edit makes something happen now
"""


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.local",
        description="Run reviewpulse locally: moto + template.yaml + in-process Lambdas + a sandbox review platform.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    keep = parser.add_mutually_exclusive_group()
    keep.add_argument("--reset", action="store_true", help="start from empty state (default)")
    keep.add_argument("--keep", action="store_true", help="restore state from .local-state/ and save it on exit")
    parser.add_argument(
        "--fetch-every",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="fire schedules at least this often (default 60)",
    )
    parser.add_argument("--port", type=int, default=5000, help="moto server port (default 5000; 0 = any free port)")
    parser.add_argument("--api-port", type=int, default=3000, help="API Gateway emulation port (default 3000)")
    parser.add_argument("--sandbox-port", type=int, default=8900, help="sandbox platform port (default 8900)")
    parser.add_argument(
        "--sandbox-every",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="the sandbox publishes, replies or edits this often (default 5; 0 = never)",
    )
    parser.add_argument("--seed", type=int, default=7, help="sandbox world seed (default 7)")
    parser.add_argument("--template", type=Path, default=ROOT / "template.yaml", help="SAM template")
    parser.add_argument(
        "--parameter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a template parameter, e.g. --parameter LogLevel=DEBUG (repeatable)",
    )
    parser.add_argument("--state-dir", type=Path, default=ROOT / ".local-state", help="where --keep saves state")
    parser.add_argument("-v", "--verbose", action="store_true", help="also show every log record and tracebacks")
    return parser.parse_args(argv)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    try:
        return run(parse(argv))
    except KeyboardInterrupt:  # Ctrl-C while starting up: nothing worth a traceback
        print("\ninterrupted while starting", file=sys.stderr)
        return 130


def run(args: argparse.Namespace) -> int:
    console = Console(verbose=args.verbose)
    started = time.monotonic()
    console.say(console.paint("reviewpulse local stack", "bold") + console.paint("  (Ctrl-C stops it)", "dim"))

    world = (state.load_world(args.state_dir) if args.keep else None) or World(seed=args.seed)
    try:
        sandbox = Sandbox(world, port=args.sandbox_port, tick_seconds=args.sandbox_every or None)
    except OSError as err:
        console.line("error", f"sandbox port {args.sandbox_port}: {err.strerror} (use --sandbox-port)")
        return 1
    stack = LocalStack(
        ROOT,
        args.template,
        moto_port=args.port,
        api_port=args.api_port,
        schedule_every=args.fetch_every,
        first_schedule_delay=2.0,
        parameters=dict(item.split("=", 1) for item in args.parameter if "=" in item),
    )
    stack.listen(console)
    try:
        stack.deploy()
    except OSError as err:
        console.line("error", f"moto port {args.port}: {err.strerror} (use --port)")
        sandbox.httpd.server_close()
        return 1
    deployment = stack.deployment
    table = deployment.physical.get("ReviewsTable", "")
    if args.keep:
        restored = state.restore(args.state_dir, deployment)
        if restored:
            stack.stream_start = "LATEST"
            console.line("stack", f"restored {restored} items from {args.state_dir}")
    sources = seed(stack.endpoint, table, sandbox) if table else []
    console.source_labels = {s.source_id: f"({s.business_id}/{s.location_id})" for s in sources}

    def before_schedule(_spec: ScheduleSpec) -> None:
        if table:
            make_sources_due(stack.endpoint, table)

    stack.before_schedule = before_schedule
    sandbox.on_happening(console.happening)
    sandbox.start()
    try:
        stack.start()
    except OSError as err:
        console.line("error", f"API port {args.api_port}: {err.strerror} (use --api-port)")
        sandbox.stop()
        return 1
    console.topic_labels = {
        arn: logical for logical, arn in deployment.physical.items() if arn.startswith("arn:aws:sns:")
    }
    outbox = Outbox(console.sent)
    outbox.start()
    _banner(console, stack, sandbox, sources, args, time.monotonic() - started)

    stopping = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    while not stopping.wait(0.5):
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the clean stop
    console.say()
    console.line("stack", "stopping…")
    sandbox.pause()  # the world stops moving, but answers the fetches still in flight
    stack.stop()
    outbox.stop()
    sandbox.stop()
    if args.keep:
        saved = state.save(args.state_dir, deployment, sandbox.world)
        console.line("stack", f"kept {saved} items and the sandbox world in {args.state_dir}")
    if stack.moto is not None:
        stack.moto.stop()
    console.line("stack", "stopped cleanly")
    return 0


def _describe_triggers(fn: LocalFunction, wiring: Wiring, d: Deployment) -> list[str]:
    kinds = [f"every {s.period:g} s ({s.expression})" for s in wiring.schedules if s.function is fn]
    for queue in wiring.queues:
        if queue.function is fn:
            kinds.append(f"SQS {d.logical_id_of(queue.queue_arn) or queue.queue_arn} (batch {queue.batch_size})")
    for stream in wiring.streams:
        if stream.function is fn:
            filtered = ", filtered" if stream.filters else ""
            kinds.append(f"stream of {d.logical_id_of(stream.stream_arn)} (batch {stream.batch_size}{filtered})")
    kinds += [f"{r.method} {r.resource}" for r in wiring.routes if r.function is fn]
    return kinds


def _banner(console: Console, stack: LocalStack, sandbox: Sandbox, sources: list, args: argparse.Namespace,
            seconds: float) -> None:  # fmt: skip
    d = stack.deployment
    triggers = stack.triggers
    rows = [
        ("moto (AWS)", f"{d.endpoint}  region {REGION}, stack {d.stack_name}"),
        ("sandbox", f"{sandbox.url}  Trustpilot API + feeds, something happens every {args.sandbox_every:g} s"),
    ]
    if triggers.api is not None:
        rows.append(("API", f"{triggers.api.url}  like `sam local start-api`"))
    else:
        rows.append(("API", "no Api/HttpApi events in the template yet"))
    console.section("Started", rows)
    for name in ("ReviewsTable", "FetchQueue", "FetchDeadLetterQueue"):
        if name in d.physical:
            console.say(f"  {name:<22}{console.paint(d.physical[name], 'dim')}")
    wiring = triggers.wiring
    fn_rows: list[tuple[str, str]] = []
    for fn in stack.runtime.functions.values():
        kinds = _describe_triggers(fn, wiring, d)
        fn_rows.append((fn.spec.logical_id, "; ".join(kinds) or "no trigger (invoke it yourself)"))
    console.section("Functions", fn_rows)
    if wiring.routes and triggers.api is not None:
        console.section("Routes", [(f"{r.method:<6} {triggers.api.url}{r.resource}", r.function.spec.logical_id)
                                   for r in wiring.routes])  # fmt: skip
    console.section("Sources", [(s.source_id, f"{s.platform} {s.config.get('api', s.config.get('format', ''))} "
                                 f"({s.business_id}/{s.location_id})") for s in sources])  # fmt: skip
    console.say(console.paint(f"Ready in {seconds:.1f} s. The first fetch runs in a few seconds.", "dim"))
    table = d.physical.get("ReviewsTable")
    if table:
        console.say(
            console.paint("Try: ", "dim")
            + f"AWS_ENDPOINT_URL={d.endpoint} AWS_DEFAULT_REGION={REGION} AWS_ACCESS_KEY_ID=local "
            f"AWS_SECRET_ACCESS_KEY=local .venv/bin/reviewpulse --table {table} sources list"
        )
    console.say()


if __name__ == "__main__":
    sys.exit(main())
