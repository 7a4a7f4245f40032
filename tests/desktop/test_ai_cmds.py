"""``exiftree describe`` and ``exiftree approve`` end to end, against the local endpoint."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from catalog.catalog import Catalog
from catalog.models import Photo
from catalog.settings import load_settings, save_settings
from desktop.cli import cli, main
from tests.catalog.ai_fixtures import add_photo_with_thumb, ai_server
from tests.catalog.ai_server import FakeOpenAI

__all__ = ["ai_server"]


def _invoke(catalog: Catalog, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--catalog", str(catalog.root), *args], env=env)


def _titles(catalog: Catalog) -> list[str | None]:
    with catalog.reading() as session:
        return sorted(p.title or "" for p in session.query(Photo))


def test_describe_missing_then_all_pays_once(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    for _ in range(3):
        add_photo_with_thumb(catalog)
    args = ("--base-url", ai_server.url, "--model", ai_server.model, "--workers", "2")

    first = _invoke(catalog, "describe", *args)
    again = _invoke(catalog, "describe", "--all", *args)

    assert first.exit_code == 0, first.output
    assert "3 described, 0 from cache, 0 failed, 0 refused; 3 requests." in first.output
    assert "0 described, 3 from cache" in again.output and "0 requests" in again.output
    assert ai_server.count == 3
    assert set(_titles(catalog)) == {"Morning Light Over the Old Harbour"}


def test_describe_honours_openai_base_url_and_the_settings_model(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    photo = add_photo_with_thumb(catalog)
    with catalog.writing() as session:
        save_settings(session, load_settings(session).replace(ai_model=ai_server.model))

    result = _invoke(catalog, "describe", photo.id, env={"OPENAI_BASE_URL": ai_server.url})

    assert result.exit_code == 0, result.output
    assert ai_server.count == 1


def test_dry_run_prints_the_estimate_and_sends_nothing(
    catalog: Catalog, ai_server: FakeOpenAI
) -> None:
    for _ in range(2):
        add_photo_with_thumb(catalog)

    result = _invoke(catalog, "describe", "--dry-run", "--base-url", ai_server.url)

    assert result.exit_code == 0, result.output
    assert "Dry run: 2 requests for 2 photos (0 already cached, free)" in result.output
    assert ai_server.count == 0


def test_failures_are_listed_and_exit_non_zero(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    photo = add_photo_with_thumb(catalog)
    ai_server.queue("invalid_json")

    result = _invoke(catalog, "describe", "--base-url", ai_server.url, "--model", ai_server.model)

    assert result.exit_code == 1
    assert f"{photo.id}: invalid answer: not JSON" in result.output


def test_approve_all_pending(catalog: Catalog, ai_server: FakeOpenAI) -> None:
    for _ in range(2):
        add_photo_with_thumb(catalog)
    with catalog.writing() as session:
        save_settings(session, load_settings(session).replace(ai_review_required=True))
    _invoke(catalog, "describe", "--base-url", ai_server.url, "--model", ai_server.model)

    result = _invoke(catalog, "approve", "--all")

    assert "2 photos approved." in result.output
    with catalog.reading() as session:
        assert {p.ai_review for p in session.query(Photo)} == {"approved"}


def test_describe_takes_id_prefixes_and_refuses_unknown_ids(
    catalog: Catalog, ai_server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = add_photo_with_thumb(catalog)
    args = ("--base-url", ai_server.url, "--model", ai_server.model)

    described = _invoke(catalog, "describe", photo.id[:8], *args)
    unknown = main(["--catalog", str(catalog.root), "describe", "no-such-photo", *args])

    assert "1 described" in described.output, described.output
    assert unknown != 0 and "no photo 'no-such-photo'" in capsys.readouterr().err
    assert ai_server.count == 1


def test_approve_needs_ids_or_all(catalog: Catalog) -> None:
    result = _invoke(catalog, "approve")
    assert result.exit_code == 2 and "give photo ids, or --all" in result.output


def test_no_key_for_openai_is_a_clear_error(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for var in ("OPENAI_API_KEY", "EXIFTREE_OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    add_photo_with_thumb(catalog)

    code = main(["--catalog", str(catalog.root), "describe"])

    assert code == 2
    assert "error: no AI endpoint is set up" in capsys.readouterr().err
