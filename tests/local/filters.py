"""Lambda event filtering (FilterCriteria): the EventBridge-pattern subset Lambda supports for SQS/streams.

Supported: exact values (strings, numbers, booleans, null), `prefix`, `suffix`, `equals-ignore-case`,
`anything-but` (value, list, or `{"prefix": …}`/`{"suffix": …}`), `exists`, `numeric` ranges, and `$or`.
Several filters in one FilterCriteria are OR-ed; keys inside one pattern are AND-ed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

_MISSING = object()


def compile_filters(filter_criteria: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """`{"Filters": [{"Pattern": "<json>"}]}` → the parsed patterns (an empty list lets everything through)."""
    patterns: list[dict[str, Any]] = []
    for item in (filter_criteria or {}).get("Filters", []) or []:
        pattern = item.get("Pattern")
        parsed = json.loads(pattern) if isinstance(pattern, str) else pattern
        if not isinstance(parsed, dict):
            raise ValueError(f"filter pattern must be a JSON object: {pattern!r}")
        patterns.append(parsed)
    return patterns


def matches_any(patterns: Iterable[Mapping[str, Any]], event: Mapping[str, Any]) -> bool:
    patterns = list(patterns)
    return not patterns or any(matches(pattern, event) for pattern in patterns)


def matches(pattern: Mapping[str, Any], event: Any) -> bool:
    for key, expected in pattern.items():
        if key == "$or":
            if not any(matches(alternative, event) for alternative in expected):
                return False
            continue
        actual = event.get(key, _MISSING) if isinstance(event, Mapping) else _MISSING
        if isinstance(expected, Mapping):
            if actual is _MISSING or not matches(expected, actual):
                return False
        elif isinstance(expected, list):
            if not _matches_value(expected, actual):
                return False
        else:
            raise ValueError(f"filter values must be lists or objects, got {expected!r} for {key!r}")
    return True


def _matches_value(rules: list[Any], actual: Any) -> bool:
    for rule in rules:
        if isinstance(rule, Mapping) and "exists" in rule:
            if bool(rule["exists"]) == (actual is not _MISSING):
                return True
            continue
        if actual is _MISSING:
            continue
        values = actual if isinstance(actual, list) else [actual]
        if any(_matches_rule(rule, value) for value in values):
            return True
    return False


def _matches_rule(rule: Any, value: Any) -> bool:
    if not isinstance(rule, Mapping):
        if isinstance(rule, bool) or isinstance(value, bool):
            return rule is value
        if isinstance(rule, (int, float)) and isinstance(value, (int, float)):
            return float(rule) == float(value)
        return bool(rule == value)
    if "prefix" in rule:
        return isinstance(value, str) and value.startswith(str(rule["prefix"]))
    if "suffix" in rule:
        return isinstance(value, str) and value.endswith(str(rule["suffix"]))
    if "equals-ignore-case" in rule:
        return isinstance(value, str) and value.lower() == str(rule["equals-ignore-case"]).lower()
    if "anything-but" in rule:
        excluded = rule["anything-but"]
        if isinstance(excluded, Mapping):
            return not _matches_rule(excluded, value)
        excluded_values = excluded if isinstance(excluded, list) else [excluded]
        return not any(_matches_rule(item, value) for item in excluded_values)
    if "numeric" in rule:
        return _numeric(rule["numeric"], value)
    raise ValueError(f"unsupported filter rule {dict(rule)!r}")


def _numeric(conditions: list[Any], value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    checks = {
        "=": number.__eq__,
        "<": number.__lt__,
        "<=": number.__le__,
        ">": number.__gt__,
        ">=": number.__ge__,
    }
    for index in range(0, len(conditions), 2):
        operator, operand = conditions[index], float(conditions[index + 1])
        if not checks[operator](operand):
            return False
    return True
