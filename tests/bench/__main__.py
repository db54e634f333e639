"""`make bench`: ingest throughput, writes per unchanged review, cold starts → build/bench.json."""

from __future__ import annotations

import json
import platform
from pathlib import Path

from tests.bench.cold_start import boto3_import_ms, handler_cold_starts
from tests.bench.ingest import measure

OUT = Path(__file__).resolve().parents[2] / "build" / "bench.json"


def main() -> None:
    ingest = measure()
    figures = {
        "ingest_reviews_per_s": round(ingest.reviews / ingest.seconds, 1),
        "ingest_reviews": ingest.reviews,
        "ingest_seconds": round(ingest.seconds, 2),
        "ingest_invocations": ingest.invocations,
        "writes_per_new_review": round(ingest.review_writes_first_pass / max(1, ingest.reviews), 3),
        "writes_per_unchanged_review": round(ingest.review_writes_second_pass / max(1, ingest.unchanged_reviews), 3),
        "bookkeeping_writes_per_unchanged_run": ingest.other_writes_second_pass,
        "cold_start_ms": handler_cold_starts(),
        "boto3_import_ms": boto3_import_ms(),
        "machine": f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}",
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    print(f"written {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")


if __name__ == "__main__":
    main()
