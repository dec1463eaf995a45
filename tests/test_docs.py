"""The documentation is generated from the code or checked against it: the README's tables,
the descriptions of every message field and setting, and the paths the docs name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest
from pydantic import BaseModel

from streams.commands.schema_export import MESSAGE_MODELS
from streams.core.steps import STEPS
from streams.errors import ERROR_TYPES
from streams.models import ErrorType
from streams.settings import README_PATH, Settings, render_readme

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "architecture.md"]
#: A path in backticks under one of the repository's top folders (globs allowed).
_PATH = re.compile(r"`((?:streams|tests|docs|benchmarks|tools)/[^`\s]*)`")


def test_docs_readme_tables_are_current() -> None:
    text = README_PATH.read_text(encoding="utf-8")
    assert render_readme(text) == text, "regenerate with `python -m streams.settings --readme`"


def test_docs_readme_without_a_marker_is_an_error() -> None:
    text = README_PATH.read_text(encoding="utf-8").replace("<!-- end settings-table -->", "")
    with pytest.raises(ValueError, match="settings-table"):
        render_readme(text)


def test_docs_error_types_describe_every_dead_letter_type_in_order() -> None:
    assert tuple(ERROR_TYPES) == get_args(ErrorType)
    assert all(text.strip() for text in ERROR_TYPES.values())


def _models(model: type[BaseModel]) -> list[type[BaseModel]]:
    found = [model]
    for info in model.model_fields.values():
        for arg in (info.annotation, *get_args(info.annotation)):
            for inner in (arg, *get_args(arg)):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    found += [m for m in _models(inner) if m not in found]
    return found


@pytest.mark.parametrize("stem", sorted(MESSAGE_MODELS))
def test_docs_every_message_model_and_field_is_described(stem: str) -> None:
    for model in _models(MESSAGE_MODELS[stem]):
        assert model.__doc__, f"{model.__name__} has no docstring"
        missing = [n for n, info in model.model_fields.items() if not info.description]
        assert not missing, f"{model.__name__} fields without a description: {missing}"


def test_docs_every_setting_is_described() -> None:
    missing = [n for n, info in Settings.model_fields.items() if not info.description]
    assert not missing, f"settings without a description: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_name_only_paths_that_exist(doc: Path) -> None:
    named = set(_PATH.findall(doc.read_text(encoding="utf-8")))
    assert named, f"{doc.name} names no paths (is the pattern still right?)"
    missing = sorted(p for p in named if not any(ROOT.glob(p.rstrip("/"))))
    assert not missing, f"{doc.name} names paths that do not exist: {missing}"


def test_docs_architecture_lists_the_steps_in_pipeline_order() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("| step | stage | fills |", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert listed == [step.name for step in STEPS], "update the step table of docs/architecture.md"
