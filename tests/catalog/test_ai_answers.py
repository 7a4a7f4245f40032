"""What an answer must be, and what the prompt says: pure functions, no server."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from catalog.ai.errors import AnswerError
from catalog.ai.prompt import PhotoFacts, load_template, prompt_version, render
from catalog.ai.schema import MAX_TAGS, parse_answer


def test_tags_are_lowercased_stripped_deduplicated_and_capped() -> None:
    tags = ["Sea!", "sea", "  Old Town ", "the", "photo", "42"] + [f"w{i}" for i in range(12)]
    raw = {"title": ' "Quiet Harbour." ', "description": " Boats.  Gulls. ", "tags": tags}
    answer = parse_answer(json.dumps(raw))
    assert answer.title == "Quiet Harbour"
    assert answer.description == "Boats. Gulls."
    assert answer.tags[:3] == ("sea", "old-town", "w0")
    assert len(answer.tags) == MAX_TAGS


def test_a_json_mode_answer_in_a_code_fence_is_accepted() -> None:
    text = '```json\n{"title": "A B C", "description": "D.", "tags": ["x"]}\n```'
    assert parse_answer(text).tags == ("x",)


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("", "empty answer"),
        ("[1, 2]", "expected a JSON object"),
        ('{"title": "T", "description": "D", "tags": ["x"], "mood": "calm"}', "unexpected mood"),
        ('{"title": "T", "description": "D", "tags": "x, y"}', "tags is not a list of strings"),
        ('{"title": "  ", "description": "D", "tags": ["x"]}', "empty title"),
        ('{"title": "T", "description": "D", "tags": ["the", "!!"]}', "no usable tags"),
    ],
)
def test_answers_that_do_not_validate_are_errors(text: str, cause: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_answer(text)
    assert caught.value.cause == cause


def test_the_prompt_tells_what_the_catalog_knows() -> None:
    facts = PhotoFacts(
        camera="Fujifilm X-T4",
        date_taken=datetime(2023, 7, 14),
        city="Hobart",
        region="Tasmania",
        country_code="AU",
        latitude=-42.9,
    )
    text = render(load_template(), facts)
    assert "Fujifilm X-T4" in text and "July 2023" in text and "Hobart, Tasmania, AU" in text
    assert "Season: winter" in text  # July, southern hemisphere


def test_an_owner_template_with_stray_dollars_still_renders() -> None:
    template = "Price $5, camera $camera, unknown $nope"
    assert render(template, PhotoFacts()) == "Price $5, camera unknown, unknown $nope"
    assert prompt_version(template) != prompt_version(template + " ")
