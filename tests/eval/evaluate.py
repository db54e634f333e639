"""Measure the built-in classifier on labelled reviews, text only (the rating is hidden).

Usage (from anywhere): `.venv/bin/python tests/eval/evaluate.py`. Reads every `<lang>.jsonl` in `EVAL_DIR`
(default `<repo>/../shared/eval/dev`), writes `build/eval.json` and prints a table. VADER scores the English
rows in the same run for comparison. Set `EVAL_LANG_HINT=1` to pass each file's language as a hint instead
of detecting it. reviews_per_s is steady state on one core: lexicons are loaded before the clock starts.
Macro-F1 averages over the classes the language's gold labels contain (sv and pl have no neutral class),
the same way for VADER.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "layers" / "reviewpulse"))

from reviewpulse.classify import (  # noqa: E402
    RatingScale,
    ReviewText,
    classify,
    lexicon,
    rating_band,
)
from reviewpulse.classify.language import SUPPORTED  # noqa: E402

LABELS = ("negative", "neutral", "positive")
VADER_THRESHOLD = 0.05  # VADER's own convention for its compound score


def eval_dir() -> Path:
    raw = os.environ.get("EVAL_DIR")
    if not raw:
        return (ROOT.parent / "shared" / "eval" / "dev").resolve()
    path = Path(raw)
    if path.is_absolute():
        return path
    return (Path.cwd() / path).resolve() if (Path.cwd() / path).is_dir() else (ROOT / path).resolve()


def metrics(gold: list[str], pred: list[str]) -> dict[str, Any]:
    classes = [c for c in LABELS if c in set(gold)]
    f1s: list[float] = []
    out: dict[str, Any] = {"n": len(gold)}
    for c in LABELS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if c in classes:
            f1s.append(f1)
        if c == "negative":
            out.update(neg_precision=precision, neg_recall=recall, neg_f1=f1)
    out["macro_f1"] = sum(f1s) / len(f1s) if f1s else 0.0
    confusion = Counter(zip(gold, pred, strict=True))
    out["confusion"] = {g: {p: confusion[(g, p)] for p in LABELS} for g in LABELS if g in classes}
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def vader_scores(rows: list[dict[str, Any]]) -> list[str]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    out: list[str] = []
    for row in rows:
        compound = analyzer.polarity_scores(row["text"])["compound"]
        out.append(
            "positive" if compound >= VADER_THRESHOLD else "negative" if compound <= -VADER_THRESHOLD else "neutral"
        )
    return out


def main() -> int:
    directory = eval_dir()
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        print(f"no <lang>.jsonl files in {directory}", file=sys.stderr)
        return 0
    use_hint = os.environ.get("EVAL_LANG_HINT") == "1"
    report: dict[str, Any] = {"eval_dir": str(directory), "language_hint": use_hint, "languages": {}}
    # Throughput is steady-state: lexicons are parsed once per container (cold start is measured apart).
    for code in SUPPORTED:
        lexicon.load(code)
        lexicon.stopwords(code)
    classify(ReviewText(text="warm up"))
    elapsed = 0.0
    total = 0
    rated = on_band = 0
    english: tuple[list[dict[str, Any]], list[str]] | None = None
    for path in files:
        lang = path.stem
        rows = load(path)
        reviews = [ReviewText(text=r["text"], language_hint=lang if use_hint else None) for r in rows]
        start = time.perf_counter()
        results = [classify(rv) for rv in reviews]
        elapsed += time.perf_counter() - start
        total += len(rows)
        pred = [c.sentiment.polarity.value for c in results]
        gold = [r["label"] for r in rows]
        m = metrics(gold, pred)
        m["lang_detected_share"] = round(sum(1 for c in results if c.language.code == lang) / len(rows), 4)
        report["languages"][lang] = m
        if lang == "en":
            english = (rows, pred)
        # With the rating shown, polarity must be the rating's band on every row (stars 1-5 here).
        for row in rows:
            if row.get("rating") is not None:
                rating = RatingScale(value=row["rating"])
                shown = classify(ReviewText(text=row["text"], rating=rating))
                rated += 1
                on_band += shown.sentiment.polarity == rating_band(rating)
    langs = report["languages"]
    for key in ("macro_f1", "neg_precision", "neg_recall", "neg_f1"):
        report[f"mean_{key}"] = round(sum(m[key] for m in langs.values()) / len(langs), 4)
    report["min_neg_f1"] = min(m["neg_f1"] for m in langs.values())
    report["reviews_per_s"] = round(total / elapsed) if elapsed else 0
    report["with_rating"] = {"rows": rated, "polarity_on_rating_band": on_band}
    if english is not None:
        rows, pred = english
        gold = [r["label"] for r in rows]
        vader = vader_scores(rows)
        report["vader"] = {k: v for k, v in metrics(gold, vader).items() if k != "confusion"}
        by_source: dict[str, Any] = {}
        for source in sorted({r["source"] for r in rows}):
            idx = [i for i, r in enumerate(rows) if r["source"] == source]
            by_source[source] = {
                "builtin": metrics([gold[i] for i in idx], [pred[i] for i in idx]),
                "vader": metrics([gold[i] for i in idx], [vader[i] for i in idx]),
            }
        report["en_by_source"] = by_source
    out = ROOT / "build" / "eval.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(report)
    print(f"\nwritten {out.relative_to(ROOT)}")
    return 0


def print_table(report: dict[str, Any]) -> None:
    print(
        f"eval dir: {report['eval_dir']}  (text only; language {'hinted' if report['language_hint'] else 'detected'})"
    )
    head = (
        f"{'lang':<8}{'n':>5}{'macroF1':>9}{'negP':>7}{'negR':>7}{'negF1':>7}{'lang ok':>9}"
        "  confusion gold->pred (neg/neu/pos)"
    )
    print(head)
    print("-" * len(head))
    for lang, m in report["languages"].items():
        conf = "  ".join(f"{g[:3]}:{'/'.join(str(m['confusion'][g][p]) for p in LABELS)}" for g in m["confusion"])
        print(
            f"{lang:<8}{m['n']:>5}{m['macro_f1']:>9.3f}{m['neg_precision']:>7.3f}{m['neg_recall']:>7.3f}"
            f"{m['neg_f1']:>7.3f}{m['lang_detected_share']:>9.2f}  {conf}"
        )
    print("-" * len(head))
    print(
        f"{'mean':<8}{'':>5}{report['mean_macro_f1']:>9.3f}{report['mean_neg_precision']:>7.3f}"
        f"{report['mean_neg_recall']:>7.3f}{report['mean_neg_f1']:>7.3f}   (min negF1 {report['min_neg_f1']:.3f})"
    )
    if "vader" in report:
        v = report["vader"]
        print(
            f"{'vader en':<8}{v['n']:>5}{v['macro_f1']:>9.3f}{v['neg_precision']:>7.3f}{v['neg_recall']:>7.3f}"
            f"{v['neg_f1']:>7.3f}"
        )
        for source, s in report["en_by_source"].items():
            b, vv = s["builtin"], s["vader"]
            print(
                f"  en {source}: n={b['n']} builtin macroF1 {b['macro_f1']:.3f} negF1 {b['neg_f1']:.3f}"
                f" | vader macroF1 {vv['macro_f1']:.3f} negF1 {vv['neg_f1']:.3f}"
            )
    print(f"reviews/s (one core): {report['reviews_per_s']}")
    on_band, rated = report["with_rating"]["polarity_on_rating_band"], report["with_rating"]["rows"]
    print(f"with the rating shown: polarity on the rating's band in {on_band} of {rated} rows")


if __name__ == "__main__":
    sys.exit(main())
