"""AI descriptions against a real local OpenAI-compatible server, driven by the real client."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import delete

from catalog.ai import approve, describe, missing_ids
from catalog.ai.errors import AiConfigError
from catalog.catalog import Catalog
from catalog.edits import add_tags, remove_tags
from catalog.jobs import Cancel, ItemOutcome, JobObserver
from catalog.models import Photo
from catalog.search import search_ids
from tests.catalog import ai_server as replies
from tests.catalog.ai_fixtures import FAST_RETRY, add_photo_with_thumb, ai_server, ai_settings
from tests.catalog.ai_server import FakeOpenAI
from tests.conftest import free_port

__all__ = ["ai_server"]  # the fixture, imported for pytest


class _Stored:
    """A photo as read back after the run, with its (tag, source) pairs sorted."""

    def __init__(self, photo: Photo) -> None:
        self.__dict__.update({c.key: getattr(photo, c.key) for c in Photo.__table__.columns})
        self.tag_pairs = sorted((link.tag.name, link.source) for link in photo.tags)


def _photo(catalog: Catalog, photo_id: str) -> _Stored:
    with catalog.reading() as session:
        photo = session.get(Photo, photo_id)
        assert photo is not None
        return _Stored(photo)


def _run(catalog: Catalog, server: FakeOpenAI, ids: list[str], **kwargs: object):  # noqa: ANN202
    settings = kwargs.pop("settings", None) or ai_settings(server)
    options = {"retry": FAST_RETRY, "workers": 1, **kwargs}
    return describe(catalog, ids, settings=settings, **options)  # type: ignore[arg-type]


def test_a_valid_answer_is_normalised_and_written_with_its_provenance(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photo = add_photo_with_thumb(catalog, lens="Nikkor 50mm f/1.8", city=("Porto", "", "PT"))

    result = _run(catalog, ai_server, [photo.id])

    assert (result.described, result.failed, result.requests) == (1, 0, 1)
    stored = _photo(catalog, photo.id)
    assert stored.title == "Morning Light Over the Old Harbour"
    assert stored.description.startswith("Fishing boats rest")
    assert [name for name, _ in stored.tag_pairs] == sorted(
        ["harbour", "boats", "morning", "sea", "light", "gulls"]
    )
    assert {source for _, source in stored.tag_pairs} == {"ai"}
    assert (stored.title_source, stored.description_source) == ("ai", "ai")
    assert stored.ai_model == ai_server.model
    assert stored.ai_prompt_version and stored.ai_described_at is not None
    assert stored.ai_error is None and stored.ai_review is None
    prompt = ai_server.seen[0].prompt
    assert "Nikon D70" in prompt and "Porto, PT" in prompt and "winter" in prompt


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (replies.INVALID_JSON, "invalid answer: not JSON"),
        (replies.SCHEMA_VIOLATION, "invalid answer: missing description"),
    ],
)
def test_an_invalid_answer_fails_that_photo_only(
    catalog: Catalog, ai_server: FakeOpenAI, reply: str, reason: str
) -> None:
    bad = add_photo_with_thumb(catalog, title="Kept as it was")
    good = add_photo_with_thumb(catalog)
    ai_server.queue(reply)

    result = _run(catalog, ai_server, [bad.id, good.id])

    assert (result.failed, result.described) == (1, 1)
    stored = _photo(catalog, bad.id)
    assert stored.ai_error.startswith(reason)
    assert stored.title == "Kept as it was" and stored.tag_pairs == []
    assert stored.ai_described_at is None  # still "missing": a later run tries again
    assert missing_ids(catalog) == [bad.id]
    assert _photo(catalog, good.id).title == "Morning Light Over the Old Harbour"


def test_a_refusal_is_recorded_as_such_and_not_paid_for_again(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photo = add_photo_with_thumb(catalog)
    ai_server.queue(replies.REFUSAL)

    first = _run(catalog, ai_server, [photo.id])
    second = _run(catalog, ai_server, [photo.id])

    assert first.refused == 1 and second.refused == 1
    assert ai_server.count == 1
    stored = _photo(catalog, photo.id)
    assert stored.ai_error == "refused: I'm sorry, I can't help with describing this image."
    assert stored.title is None


def test_429_waits_as_long_as_retry_after_says(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    photo = add_photo_with_thumb(catalog)
    ai_server.retry_after = "0.4"
    ai_server.queue(replies.RATE_LIMIT)

    result = _run(catalog, ai_server, [photo.id])

    assert (result.described, result.requests) == (1, 2)
    first, second = ai_server.seen
    assert second.at - first.at >= 0.4


def test_429_without_retry_after_backs_off_and_succeeds(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photo = add_photo_with_thumb(catalog)
    ai_server.queue(replies.RATE_LIMIT_BARE, replies.RATE_LIMIT_BARE)
    retry = replace(FAST_RETRY, base_delay_s=0.1, max_delay_s=1.0)

    result = _run(catalog, ai_server, [photo.id], retry=retry)

    assert (result.described, result.requests) == (1, 3)
    first, second, third = (r.at for r in ai_server.seen)
    assert second - first >= 0.05  # 0.1 s with jitter of up to half
    assert third - second >= 0.1  # doubled: 0.2 s with jitter


def test_a_transient_500_is_retried(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    photo = add_photo_with_thumb(catalog)
    ai_server.queue(replies.SERVER_ERROR)

    result = _run(catalog, ai_server, [photo.id])

    assert (result.described, result.requests) == (1, 2)


def test_a_lasting_500_is_recorded_after_bounded_retries_and_resumed_later(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photo = add_photo_with_thumb(catalog)
    ai_server.default = replies.SERVER_ERROR

    result = _run(catalog, ai_server, [photo.id])

    assert result.failed == 1 and ai_server.count == FAST_RETRY.max_attempts
    reason = _photo(catalog, photo.id).ai_error
    assert reason == "HTTP 500: the model fell over (after 3 attempts)"
    ai_server.default = replies.VALID
    assert _run(catalog, ai_server, missing_ids(catalog)).described == 1
    assert _photo(catalog, photo.id).ai_error is None


def test_an_answer_slower_than_the_timeout_is_recorded(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photo = add_photo_with_thumb(catalog)
    ai_server.default, ai_server.slow_s = replies.SLOW, 1.5
    settings = ai_settings(ai_server, ai_timeout_s=0.3)

    result = _run(
        catalog, ai_server, [photo.id], settings=settings, retry=replace(FAST_RETRY, max_attempts=2)
    )

    assert result.failed == 1 and result.requests == 2
    assert _photo(catalog, photo.id).ai_error == "timed out after 0.3 s (after 2 attempts)"


def test_an_unreachable_endpoint_is_recorded(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    photo = add_photo_with_thumb(catalog)
    nowhere = f"http://127.0.0.1:{free_port()}/v1"

    result = _run(catalog, ai_server, [photo.id], base_url=nowhere)

    assert result.failed == 1
    assert _photo(catalog, photo.id).ai_error.startswith(f"cannot reach {nowhere}")


def test_endpoints_without_structured_output_get_json_mode(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photos = [add_photo_with_thumb(catalog) for _ in range(2)]
    ai_server.default = replies.NO_SCHEMA_SUPPORT

    result = _run(catalog, ai_server, [p.id for p in photos])

    assert result.described == 2
    assert [r.response_format for r in ai_server.seen] == [
        "json_schema",
        "json_object",
        "json_object",
    ]
    assert "JSON object" in ai_server.seen[-1].prompt


def test_owner_edits_survive_re_describing(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    photo = add_photo_with_thumb(
        catalog, title="Grandma's Boat", title_source="owner", tags=["family"]
    )
    _run(catalog, ai_server, [photo.id])
    ai_server.answer = {
        "title": "A Brand New Title Here",
        "description": "A new description. Second sentence.",
        "tags": ["family", "dusk", "pier", "water", "calm"],
    }
    settings = ai_settings(ai_server, ai_prompt="Describe this photo as JSON.\n$context")

    _run(catalog, ai_server, [photo.id], settings=settings)

    stored = _photo(catalog, photo.id)
    assert ai_server.count == 2
    assert (stored.title, stored.title_source) == ("Grandma's Boat", "owner")
    assert (stored.description, stored.description_source) == (
        "A new description. Second sentence.",
        "ai",
    )
    assert stored.tag_pairs == [
        ("calm", "ai"),
        ("dusk", "ai"),
        ("family", "owner"),
        ("pier", "ai"),
        ("water", "ai"),
    ]


def test_a_tag_the_owner_took_off_never_comes_back(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    photo = add_photo_with_thumb(catalog)
    _run(catalog, ai_server, [photo.id])
    remove_tags(catalog, [photo.id], ["gulls"])

    _run(catalog, ai_server, [photo.id])  # the same answer again (from the cache)

    assert "gulls" not in [name for name, _ in _photo(catalog, photo.id).tag_pairs]
    add_tags(catalog, [photo.id], ["gulls"])  # given back by the owner: the owner's now
    assert ("gulls", "owner") in _photo(catalog, photo.id).tag_pairs


def test_tags_with_no_letter_or_digit_are_dropped(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    photo = add_photo_with_thumb(catalog)
    ai_server.answer = {**replies.DEFAULT_ANSWER, "tags": ["🌊", "☀️", "sea", "!!"]}

    _run(catalog, ai_server, [photo.id])

    assert _photo(catalog, photo.id).tag_pairs == [("sea", "ai")]


def test_a_cached_result_costs_no_request(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    photo = add_photo_with_thumb(catalog)
    _run(catalog, ai_server, [photo.id])
    with catalog.writing() as session:  # the same file imported again as a new row
        session.execute(delete(Photo).where(Photo.id == photo.id))
    again = add_photo_with_thumb(catalog, content_hash=photo.content_hash, source_path="/moved.jpg")

    result = _run(catalog, ai_server, [again.id])
    rerun = _run(catalog, ai_server, [again.id])

    assert ai_server.count == 1
    assert (result.cached, result.requests, rerun.cached, rerun.requests) == (1, 0, 1, 0)
    assert _photo(catalog, again.id).title == "Morning Light Over the Old Harbour"


def test_review_mode_keeps_ai_text_pending_until_approved(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photos = [add_photo_with_thumb(catalog) for _ in range(3)]
    settings = ai_settings(ai_server, ai_review_required=True)

    _run(catalog, ai_server, [p.id for p in photos], settings=settings)
    assert {_photo(catalog, p.id).ai_review for p in photos} == {"pending"}

    assert approve(catalog, [photos[0].id]) == [photos[0].id]
    assert sorted(approve(catalog)) == sorted(p.id for p in photos[1:])
    _run(catalog, ai_server, [p.id for p in photos], settings=settings)  # cached, unchanged
    assert {_photo(catalog, p.id).ai_review for p in photos} == {"approved"}


class _StopAfterFirst(JobObserver):
    def __init__(self, cancel: Cancel) -> None:
        self.cancel = cancel

    def item_finished(self, outcome: ItemOutcome) -> None:
        self.cancel.set()


def test_a_stopped_run_resumes_with_only_what_is_missing(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photos = [add_photo_with_thumb(catalog) for _ in range(6)]
    cancel = Cancel()

    stopped = _run(
        catalog, ai_server, [p.id for p in photos], cancel=cancel, observer=_StopAfterFirst(cancel)
    )
    left = missing_ids(catalog)
    resumed = _run(catalog, ai_server, left)

    assert stopped.cancelled and 1 <= stopped.described < 6
    assert len(left) == 6 - stopped.described
    assert resumed.described == len(left) and missing_ids(catalog) == []
    assert ai_server.count == 6


def test_the_pool_never_exceeds_its_concurrency_limit(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photos = [add_photo_with_thumb(catalog) for _ in range(10)]
    ai_server.latency_s = 0.3

    result = _run(catalog, ai_server, [p.id for p in photos], workers=3)

    assert result.described == 10
    assert 1 < ai_server.max_in_flight <= 3


def test_a_photo_without_thumbnail_fails_without_a_request(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    from tests.factories import add_photo

    photo = add_photo(catalog)

    result = _run(catalog, ai_server, [photo.id])

    assert result.failed == 1 and ai_server.count == 0
    assert "no readable cached thumbnail" in _photo(catalog, photo.id).ai_error


def test_a_dry_run_estimates_and_sends_nothing(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    done = add_photo_with_thumb(catalog)
    _run(catalog, ai_server, [done.id])
    todo = [add_photo_with_thumb(catalog) for _ in range(3)]
    settings = ai_settings(ai_server, ai_base_url=None)  # OpenAI's endpoint, and no key

    result = _run(
        catalog, ai_server, [done.id] + [p.id for p in todo], settings=settings, dry_run=True
    )

    assert ai_server.count == 1
    assert result.estimate is not None
    assert (result.estimate.requests, result.estimate.cached) == (3, 1)
    assert result.estimate.input_tokens > 3 * 100 and result.estimate.output_tokens > 0
    assert all(_photo(catalog, p.id).title is None for p in todo)


def test_openai_without_a_key_stops_before_spending(
    catalog: Catalog, ai_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("OPENAI_API_KEY", "EXIFTREE_OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    photo = add_photo_with_thumb(catalog)

    with pytest.raises(AiConfigError, match="OPENAI_API_KEY"):
        _run(catalog, ai_server, [photo.id], settings=ai_settings(ai_server, ai_base_url=None))


def test_ai_text_and_tags_are_searchable(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    photo = add_photo_with_thumb(catalog)
    add_photo_with_thumb(catalog)  # not described: must not match

    _run(catalog, ai_server, [photo.id])

    with catalog.reading() as session:
        assert search_ids(session, "gulls") == [photo.id]
        assert search_ids(session, "harbour morning") == [photo.id]


def test_stopping_ends_a_long_retry_wait_and_records_nothing(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photo = add_photo_with_thumb(catalog)
    ai_server.default, ai_server.retry_after = replies.RATE_LIMIT, "60"
    cancel = Cancel()
    threading.Timer(0.3, cancel.set).start()

    result = _run(catalog, ai_server, [photo.id], cancel=cancel)

    assert result.cancelled and result.skipped == 1 and ai_server.count == 1
    assert result.outcomes[0].reason == "cancelled"
    assert _photo(catalog, photo.id).ai_error is None
    assert missing_ids(catalog) == [photo.id]


def test_text_of_unknown_origin_counts_as_the_owners(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photo = add_photo_with_thumb(catalog, description="Written before AI existed.")

    _run(catalog, ai_server, [photo.id])

    stored = _photo(catalog, photo.id)
    assert stored.description == "Written before AI existed."
    assert stored.title == "Morning Light Over the Old Harbour"


def test_unknown_and_rejected_photos_are_skipped_without_a_request(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    rejected = add_photo_with_thumb(catalog, status="rejected")

    result = _run(catalog, ai_server, ["no-such-id", rejected.id])

    assert result.skipped == 2 and ai_server.count == 0
    assert sorted(o.reason for o in result.outcomes) == ["no such photo", "photo is rejected"]
