"""Lambda FilterCriteria: the pattern subset Lambda applies to stream and SQS records."""

from __future__ import annotations

import pytest

from tests.local.filters import compile_filters, matches, matches_any

RECORD = {
    "eventName": "MODIFY",
    "dynamodb": {
        "Keys": {"pk": {"S": "SRC#a"}, "sk": {"S": "REV#1"}},
        "NewImage": {"entity_type": {"S": "review"}, "stars": {"N": "2"}, "tags": {"L": []}},
    },
}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"eventName": ["INSERT", "MODIFY"]}, True),
        ({"eventName": ["REMOVE"]}, False),
        ({"dynamodb": {"NewImage": {"entity_type": {"S": ["review"]}}}}, True),
        ({"dynamodb": {"Keys": {"sk": {"S": [{"prefix": "REV#"}]}}}}, True),
        ({"dynamodb": {"Keys": {"sk": {"S": [{"prefix": "SOURCE"}]}}}}, False),
        ({"dynamodb": {"Keys": {"pk": {"S": [{"suffix": "#a"}]}}}}, True),
        ({"eventName": [{"anything-but": ["REMOVE"]}]}, True),
        ({"eventName": [{"anything-but": {"prefix": "MOD"}}]}, False),
        ({"dynamodb": {"OldImage": [{"exists": False}]}}, True),
        ({"dynamodb": {"NewImage": [{"exists": True}]}}, True),
        ({"dynamodb": {"NewImage": {"stars": {"N": [{"numeric": ["<=", 2]}]}}}}, True),
        ({"dynamodb": {"NewImage": {"stars": {"N": [{"numeric": [">", 2, "<", 5]}]}}}}, False),
        ({"eventName": [{"equals-ignore-case": "modify"}]}, True),
        ({"$or": [{"eventName": ["INSERT"]}, {"dynamodb": {"NewImage": {"stars": {"N": ["2"]}}}}]}, True),
        ({"dynamodb": {"Missing": {"S": ["x"]}}}, False),
    ],
)
def test_patterns(pattern: dict, expected: bool) -> None:
    assert matches(pattern, RECORD) is expected


def test_filters_are_ored_and_no_filters_let_everything_through() -> None:
    filters = compile_filters(
        {"Filters": [{"Pattern": '{"eventName": ["INSERT"]}'}, {"Pattern": '{"eventName": ["MODIFY"]}'}]}
    )
    assert matches_any(filters, RECORD)
    assert matches_any(compile_filters(None), RECORD)
    assert not matches_any(compile_filters({"Filters": [{"Pattern": '{"eventName": ["REMOVE"]}'}]}), RECORD)
