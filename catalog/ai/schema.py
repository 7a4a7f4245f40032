"""The answer's shape (a pydantic model), its JSON schema, and the validation every answer
goes through.

The schema, generated from the model, is sent to endpoints that support structured output;
the model checks every answer regardless, because JSON-mode endpoints (and some strict
ones) do not enforce it. Shape errors reject the answer with a short cause; soft limits (tag
count, stop-words) are normalised.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from catalog.ai.errors import AnswerError

if TYPE_CHECKING:
    from openai.types.shared_params import ResponseFormatJSONSchema

MIN_TAGS = 5
MAX_TAGS = 10
MAX_TITLE_WORDS = 12  # asked for 3-7; longer than this is not a title
MAX_DESCRIPTION_CHARS = 1200


# What the model must answer (no docstring: it would become the schema's description).
# Strict mode's rules hold: every field required (no defaults), nothing else allowed, and
# no coercion (a number is not a title).
class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: str = Field(description="A short evocative title of 3 to 7 words.")
    description: str = Field(
        description="Two or three sentences describing the photo; also its alt text."
    )
    tags: list[str] = Field(
        description="5 to 10 single lowercase words about the subject, place and mood."
    )


ANSWER_SCHEMA: dict[str, Any] = Answer.model_json_schema()

RESPONSE_FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {"name": "photo_description", "strict": True, "schema": ANSWER_SCHEMA},
}

# fmt: off
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it",
    "its", "of", "on", "or", "the", "this", "to", "with",
    "photo", "photograph", "image", "picture",  # true of every photo: says nothing
})
# fmt: on

_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}“”‘’«»…–—]")


@dataclass(frozen=True)
class Description:
    """A validated, normalised answer, ready to be written to a photo."""

    title: str
    description: str
    tags: tuple[str, ...]

    def to_json(self) -> str:
        return json.dumps(
            {"title": self.title, "description": self.description, "tags": list(self.tags)}
        )


def parse_answer(text: str | None) -> Description:
    """Validate the model's JSON text; raises AnswerError naming what is wrong."""
    if not text or not text.strip():
        raise AnswerError("empty answer")
    try:
        data = json.loads(_strip_code_fence(text))
    except json.JSONDecodeError as exc:
        raise AnswerError(f"not JSON ({exc.msg} at character {exc.pos})") from None
    return validate(data)


def validate(data: Any) -> Description:
    """Check the shape with :class:`Answer`, then normalise the values."""
    try:
        answer = Answer.model_validate(data)
    except ValidationError as exc:
        raise AnswerError(_cause(exc)) from None
    return Description(
        title=normalise_title(answer.title),
        description=normalise_description(answer.description),
        tags=normalise_tags(answer.tags),
    )


def _cause(error: ValidationError) -> str:
    """pydantic's errors as one short cause, the most basic problem first."""
    problems = error.errors()
    fields = {kind: sorted(str(p["loc"][0]) for p in problems if p["type"] == kind and p["loc"])
              for kind in ("missing", "extra_forbidden")}  # fmt: skip
    if any(not p["loc"] for p in problems):
        return "expected a JSON object"
    if fields["missing"]:
        return f"missing {', '.join(fields['missing'])}"
    if fields["extra_forbidden"]:
        return f"unexpected {', '.join(fields['extra_forbidden'])}"
    wrong = str(problems[0]["loc"][0])
    return "tags is not a list of strings" if wrong == "tags" else f"{wrong} is not a string"


def normalise_title(raw: str) -> str:
    title = " ".join(raw.split()).strip(" \"'“”‘’")
    title = title.rstrip(".")
    if not title:
        raise AnswerError("empty title")
    if len(title.split()) > MAX_TITLE_WORDS:
        raise AnswerError(f"title has more than {MAX_TITLE_WORDS} words")
    return title


def normalise_description(raw: str) -> str:
    text = " ".join(raw.split())
    if not text:
        raise AnswerError("empty description")
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise AnswerError(f"description longer than {MAX_DESCRIPTION_CHARS} characters")
    return text


_WORD = re.compile(r"[^\W_]")  # a letter or digit, in any script


def normalise_tags(raw: list[str]) -> tuple[str, ...]:
    """Lowercase single words, punctuation stripped, no stop-words or repeats, at most 10."""
    tags: list[str] = []
    for item in raw:
        word = "-".join(_PUNCTUATION.sub(" ", item.lower()).split())
        if (
            _WORD.search(word)  # an emoji alone would make a tag with no name in its URL
            and word not in STOP_WORDS
            and word not in tags
            and not word.isdigit()
        ):
            tags.append(word)
    if not tags:
        raise AnswerError("no usable tags")
    return tuple(tags[:MAX_TAGS])


def _strip_code_fence(text: str) -> str:
    """JSON-mode models sometimes wrap the object in a Markdown fence."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.strip("`")
        stripped = stripped.removeprefix("json").strip()
    return stripped
