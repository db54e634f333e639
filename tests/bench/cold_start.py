"""Cold start per handler: import + init of functions/<name>/app.py in a fresh interpreter, as Lambda does."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUNS = 5

_TIMED = """
import time
started = time.perf_counter()
{code}
print((time.perf_counter() - started) * 1000)
"""

_LOAD_HANDLER = """
import importlib.util, sys
sys.path.insert(0, {layer!r})
spec = importlib.util.spec_from_file_location("app", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
"""

# What Lambda would set; the values only need to be well-formed, nothing is called at import.
_LAMBDA_ENV = {
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "TABLE_NAME": "reviewpulse-bench",
    "FETCH_QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/123456789012/fetch",
    "POWERTOOLS_SERVICE_NAME": "reviewpulse",
    "POWERTOOLS_METRICS_NAMESPACE": "ReviewPulse",
}


def _median_ms(code: str) -> float:
    env = {**os.environ, **_LAMBDA_ENV}
    env.pop("AWS_ENDPOINT_URL", None)
    samples = []
    for _ in range(RUNS):
        out = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", _TIMED.format(code=code)], env=env, capture_output=True, text=True, check=True
        )
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return round(statistics.median(samples), 1)


def handler_cold_starts() -> dict[str, float]:
    layer = str(REPO / "layers" / "reviewpulse")
    return {
        app.parent.name: _median_ms(_LOAD_HANDLER.format(layer=layer, path=str(app)))
        for app in sorted((REPO / "functions").glob("*/app.py"))
    }


def boto3_import_ms() -> float:
    return _median_ms("import boto3")
