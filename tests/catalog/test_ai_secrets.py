"""The API key reaches the endpoint and nowhere else: not logs, messages, or the catalog."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from catalog.ai import describe
from catalog.catalog import Catalog
from catalog.credentials import set_secret
from desktop.cli import cli
from tests.catalog import ai_server as replies
from tests.catalog.ai_fixtures import FAST_RETRY, add_photo_with_thumb, ai_server, ai_settings
from tests.catalog.ai_server import FakeOpenAI

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
