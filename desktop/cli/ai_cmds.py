"""``exiftree describe`` and ``exiftree approve``: AI titles, descriptions and tags."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from catalog.jobs import ItemOutcome, JobObserver
from desktop.cli.context import AppContext, pass_app

if TYPE_CHECKING:
    from catalog.ai import DescribeResult
    from catalog.settings import Settings

TAIL_POLL_S = 5.0

# catalog.ai (and the openai client under it) is imported inside the commands: it costs
# about a second, which every other command should not pay at start-up. So are the
# catalog's query and settings modules (SQLAlchemy), which --help does not need.


def _resolved(app: AppContext, photo_ids: tuple[str, ...]) -> list[str]:
    from catalog.query import resolve_ids

    with app.catalog.reading() as session:
        return resolve_ids(session, photo_ids)


class _EchoObserver(JobObserver):
    """Failures and refusals as they happen, on stderr; the summary comes at the end."""

    def item_finished(self, outcome: ItemOutcome) -> None:
        if outcome.status in ("failed", "refused"):
            click.echo(f"{outcome.key}: {outcome.reason}", err=True)


@click.command(name="describe")
@click.argument("photo_ids", nargs=-1)
@click.option("--missing", "selection", flag_value="missing", default=True,
              help="Photos never described (the default).")  # fmt: skip
@click.option("--all", "selection", flag_value="all",
              help="Every processed photo; cached answers cost nothing.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Estimate requests and tokens; send nothing.")
@click.option("--workers", type=click.IntRange(1, 64), help="Requests in flight at once.")
@click.option("--tail", is_flag=True, help="Keep watching for newly imported photos.")
@click.option("--base-url", help="OpenAI-compatible endpoint for this run ($OPENAI_BASE_URL).")
@click.option("--model", help="Model for this run.")
@pass_app
def describe_cmd(
    app: AppContext,
    photo_ids: tuple[str, ...],
    selection: str,
    dry_run: bool,
    workers: int | None,
    tail: bool,
    base_url: str | None,
    model: str | None,
) -> None:
    """Write AI titles, descriptions and tags; owner edits are never overwritten."""
    from catalog.ai import all_ids, missing_ids
    from catalog.settings import load_settings

    with app.catalog.reading() as session:
        settings = load_settings(session)
    options: dict[str, object] = {"workers": workers, "base_url": base_url, "model": model}
    if tail:
        _tail(app, settings, options)
        return
    if photo_ids:  # full ids or unique prefixes, as everywhere; an unknown one is an error
        ids = _resolved(app, photo_ids)
    else:
        ids = all_ids(app.catalog) if selection == "all" else missing_ids(app.catalog)
    result = _run(app, settings, ids, dry_run=dry_run, **options)
    if result.failed or result.refused:
        raise click.exceptions.Exit(1)


def _run(
    app: AppContext, settings: Settings, ids: Sequence[str], *, dry_run: bool, **options: object
) -> DescribeResult:
    from catalog.ai import describe

    result = describe(
        app.catalog,
        ids,
        settings=settings,
        observer=_EchoObserver(),
        dry_run=dry_run,
        # click's parsed options, named as describe()'s keyword arguments
        **options,  # type: ignore[arg-type]
    )
    click.echo(_summary(result))
    return result


def _tail(app: AppContext, settings: Settings, options: dict[str, object]) -> None:
    """Describe what is missing, then keep polling for new imports until interrupted."""
    from catalog.ai import missing_ids

    tried: set[str] = set()
    click.echo("Watching for new photos; Ctrl-C stops.", err=True)
    while True:
        ids = [i for i in missing_ids(app.catalog) if i not in tried]
        if ids:
            tried.update(ids)
            _run(app, settings, ids, dry_run=False, **options)
        else:
            time.sleep(TAIL_POLL_S)


def _summary(result: DescribeResult) -> str:
    if result.estimate is not None:
        e = result.estimate
        return (
            f"Dry run: {e.requests} requests for {e.photos} photos "
            f"({e.cached} already cached, free); about {e.input_tokens:,} input and "
            f"{e.output_tokens:,} output tokens. Nothing was sent."
        )
    parts = [
        f"{result.described} described",
        f"{result.cached} from cache",
        f"{result.failed} failed",
        f"{result.refused} refused",
    ]
    if result.skipped:
        parts.append(f"{result.skipped} skipped")
    tail = " (stopped early)" if result.cancelled else ""
    requests = f"{result.requests} request{'' if result.requests == 1 else 's'}"
    return f"{', '.join(parts)}; {requests}{tail}."


@click.command(name="approve")
@click.argument("photo_ids", nargs=-1)
@click.option("--all", "approve_all", is_flag=True, help="Every photo awaiting review.")
@pass_app
def approve_cmd(app: AppContext, photo_ids: tuple[str, ...], approve_all: bool) -> None:
    """Approve AI text awaiting review, so that it is published."""
    if not photo_ids and not approve_all:
        raise click.UsageError("give photo ids, or --all")
    from catalog.operations import approve_ai_text

    changes = approve_ai_text(app.catalog, None if approve_all else _resolved(app, photo_ids))
    click.echo(f"{len(changes.photo_ids)} photos approved.")


COMMANDS = [describe_cmd, approve_cmd]
