"""The answer's JSON schema (strict mode) and the validation every answer goes through.

The schema is sent to endpoints that support structured output; the same checks run on
every answer regardless, because JSON-mode endpoints (and some strict ones) do not enforce
it. Shape errors reject the answer; soft limits (tag count, stop-words) are normalised.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalog.ai.errors import AnswerError

if TYPE_CHECKING:
    from openai.types.shared_params import ResponseFormatJSONSchema

MIN_TAGS = 5
MAX_TAGS = 10
MAX_TITLE_WORDS = 12  # asked for 3-7; longer than this is not a title
MAX_DESCRIPTION_CHARS = 1200

# Strict mode: every property required, no additional properties, no unsupported keywords.
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "description": "A short evocative title of 3 to 7 words."},
        "description": {
            "type": "string",
            "description": "Two or three sentences describing the photo; also its alt text.",
        },
        "tags": {
            "type": "array",
            "items": {"type": "string"},
            "description": "5 to 10 single lowercase words about the subject, place and mood.",
        },
    },
    "required": ["title", "description", "tags"],
    "additionalProperties": False,
}

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
    """Check the shape exactly as the strict schema says, then normalise the values."""
    if not isinstance(data, dict):
        raise AnswerError("expected a JSON object")
    expected = set(ANSWER_SCHEMA["required"])
    if missing := expected - data.keys():
        raise AnswerError(f"missing {', '.join(sorted(missing))}")
    if extra := data.keys() - expected:
        raise AnswerError(f"unexpected {', '.join(sorted(extra))}")
    for key in ("title", "description"):
        if not isinstance(data[key], str):
            raise AnswerError(f"{key} is not a string")
    if not isinstance(data["tags"], list) or not all(isinstance(t, str) for t in data["tags"]):
        raise AnswerError("tags is not a list of strings")
    return Description(
        title=normalise_title(data["title"]),
        description=normalise_description(data["description"]),
        tags=normalise_tags(data["tags"]),
    )


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
