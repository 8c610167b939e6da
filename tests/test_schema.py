"""The scenario schema: its documentation, its value types, and where its errors point."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from capacity.readers.yaml_loader import Located, load_yaml
from capacity.schema import docs, models
from capacity.schema.locate import locate, path_of
from capacity.schema.types import to_weeks


def test_the_documented_field_tables_are_generated_from_the_schema() -> None:
    text = docs.DOCUMENT.read_text(encoding="utf-8")
    assert text.count("<!-- fields: ") >= 9
    assert docs.render(text) == text, "run: python -m capacity.schema.docs"


def test_every_field_of_a_work_item_is_described_in_the_docs() -> None:
    text = docs.DOCUMENT.read_text(encoding="utf-8")
    for name, info in models.Work.model_fields.items():
        assert info.description, name
        assert f"| `{info.alias or name}` |" in text


@pytest.mark.parametrize(
    ("written", "low", "high"),
    [
        (0.4, "0.4", "0.4"),  # one value
        ([0.4, 0.5], "0.4", "0.5"),  # [low, high]
        ("0.4-0.5", "0.4", "0.5"),  # as the record writes it
        ({"value": [0.4, 0.5], "source": "para 14"}, "0.4", "0.5"),  # with its source
        ({"value": "40%", "assumption": "A guess"}, "0.4", "0.4"),  # a percentage
        ({"low": 0.4, "high": 0.5, "source": "para 14"}, "0.4", "0.5"),  # named ends
    ],
)
def test_every_spelling_of_a_load_is_accepted(written: object, low: str, high: str) -> None:
    item = models.Work.model_validate({"id": "x", "name": "X", "kind": "tender", "load": written})
    assert item.load.value == (Decimal(low), Decimal(high))


def test_a_duration_range_in_months_is_weeks() -> None:
    sourced = models.Sourced[models.WeeksRange].model_validate("8-9 months")
    assert sourced.value == (to_weeks("8 months"), to_weeks("9 months"))


def test_a_misspelt_key_is_refused_by_the_model() -> None:
    with pytest.raises(ValidationError, match="laod"):
        models.Work.model_validate({"id": "x", "name": "X", "kind": "tender", "laod": 0.5})


def _raw(tmp_path: Path) -> Located:
    path = tmp_path / "s.yaml"
    path.write_text(
        "work:\n"
        "  - id: bid\n"
        "    load: [0.6, 0.7]\n"
        "    post_award: {load: 0.5}\n"
        "options:\n"
        "  - id: grow\n"
        "    changes:\n"
        "      - add: {id: new, fte: 1}\n",
        encoding="utf-8",
    )
    return load_yaml(path)


def test_a_domain_key_path_is_found_in_the_file(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    assert path_of(raw, "work[bid].load") == ["work", 0, "load"]
    assert path_of(raw, "work[bid-award].load") == ["work", 0, "post_award", "load"]
    assert path_of(raw, "team[new].fte") == ["options", 0, "changes", 0, "add", "fte"]


def test_an_error_is_located_at_its_key_or_at_the_mapping_that_lacks_it(tmp_path: Path) -> None:
    raw = _raw(tmp_path)
    at_end = locate(raw, ["work", 0, "load", "value", 1], "too high")
    assert (at_end.line, at_end.place) == (3, "work[bid].load")
    missing = locate(raw, ["work", 0, "kind"], "missing 'kind'")
    assert (missing.line, missing.place) == (2, "work[bid]")
    added = locate(raw, path_of(raw, "team[new].fte"), "above 1")
    assert (added.line, added.place) == (8, "options[grow].changes[0].add.fte")
