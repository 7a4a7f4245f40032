"""The API key reaches the endpoint and nowhere else: not logs, messages, or the catalog."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from catalog.ai import all_ids, describe, missing_ids
from catalog.catalog import Catalog
from catalog.credentials import set_secret
from desktop.cli import cli
from tests.catalog import ai_server as replies
from tests.catalog.ai_fixtures import FAST_RETRY, add_photo_with_thumb, ai_server, ai_settings
from tests.catalog.ai_server import FakeOpenAI
from tests.conftest import free_port
from tests.factories import make_settings

__all__ = ["ai_server"]

KEY = "sk-exiftree-test-7f3a9c1e5b2d4a6f8e0c"


def test_the_api_key_never_leaks(
    catalog: Catalog, ai_server: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    set_secret("openai_api_key", KEY)
    photos = [add_photo_with_thumb(catalog) for _ in range(3)]
    ai_server.queue(replies.UNAUTHORISED, replies.SERVER_ERROR)  # the 401 echoes the key back
    caplog.set_level(logging.DEBUG)

    result = describe(
        catalog,
        [p.id for p in photos],
        settings=ai_settings(ai_server),
        workers=1,
        retry=FAST_RETRY,
    )
    runner = CliRunner()
    ai_server.queue(replies.UNAUTHORISED)
    cli_run = runner.invoke(
        cli,
        ["--catalog", str(catalog.root), "describe", "--all", "--model", ai_server.model],
        env={"OPENAI_BASE_URL": ai_server.url},
    )

    assert ai_server.seen[0].authorization == f"Bearer {KEY}"  # it was used...
    assert result.failed == 1 and "Incorrect API key provided: ***" in result.outcomes[0].reason
    assert KEY not in caplog.text  # ...but never logged,
    assert all(KEY not in (o.reason or "") for o in result.outcomes)  # shown,
    assert "***" in cli_run.output and KEY not in cli_run.output
    catalog.close()
    for path in catalog.root.glob("catalog.sqlite*"):  # or stored (WAL included)
        assert KEY.encode() not in path.read_bytes()


def test_a_long_key_is_masked_before_the_reason_is_shortened(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    """Cut first, then masked, a key split at the cut would survive in part."""
    long_key = "sk-proj-" + "ABCDEFGHIJKLMNOP" * 16
    set_secret("openai_api_key", long_key)
    photo = add_photo_with_thumb(catalog)
    ai_server.queue(replies.UNAUTHORISED)

    result = describe(catalog, [photo.id], settings=ai_settings(ai_server), retry=FAST_RETRY)

    reason = result.outcomes[0].reason or ""
    assert "Incorrect API key provided: ***" in reason
    assert long_key[:20] not in reason


def test_credentials_in_the_endpoint_url_never_leak(
    catalog: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    token = "tok3n-SUPERSECRET-abcdef"
    url = f"http://user:{token}@127.0.0.1:{free_port()}/v1"  # nobody listens there
    photo = add_photo_with_thumb(catalog)
    caplog.set_level(logging.DEBUG)

    result = describe(
        catalog, [photo.id], settings=make_settings(ai_base_url=url, ai_model="m"),
        retry=FAST_RETRY,
    )  # fmt: skip

    reason = result.outcomes[0].reason or ""
    assert result.failed == 1 and "cannot reach http://127.0.0.1:" in reason
    assert token not in reason and token not in caplog.text
    catalog.close()
    for path in catalog.root.glob("catalog.sqlite*"):
        assert token.encode() not in path.read_bytes()


def test_private_photos_are_sent_only_when_the_owner_names_them(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    public = add_photo_with_thumb(catalog)
    private = add_photo_with_thumb(catalog, visibility="private")

    assert missing_ids(catalog) == [public.id] and all_ids(catalog) == [public.id]
    named = describe(catalog, [private.id], settings=ai_settings(ai_server), retry=FAST_RETRY)
    assert named.described == 1


def test_a_photo_in_a_privacy_zone_is_described_without_its_place(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photo = add_photo_with_thumb(
        catalog, city=("Haarlem", "North Holland", "NL"),
        exif={"gps_latitude": 52.38, "gps_longitude": 4.64},
    )  # fmt: skip
    settings = ai_settings(ai_server, privacy_zones=((52.39, 4.63, 3.0),))

    describe(catalog, [photo.id], settings=settings, retry=FAST_RETRY)

    assert "Haarlem" not in ai_server.seen[0].prompt and "NL" not in ai_server.seen[0].prompt
