"""``exiftree publish``: plan and publish with a progress bar; dry run, verify, rollback."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from catalog.jobs import Cancel, ItemOutcome, JobObserver
from catalog.jobs import Progress as JobProgress
from desktop.cli.context import AppContext, pass_app
from publisher.errors import PublishError, PublishNotConfirmed
from publisher.tuning import DEFAULT_WORKERS

if TYPE_CHECKING:  # the publisher (boto3, Pillow) and rich load only when publish runs
    from rich.progress import Progress

    from publisher.plan import PublishPlan
    from publisher.publish import PublishResult
    from publisher.targets import Target


class BarObserver(JobObserver):
    """Draws the publish's progress (photos, bytes, rate) with rich."""

    def __init__(self, bar: Progress) -> None:
        self.bar = bar
        self.task = bar.add_task("Uploading", total=None, sent="")
        self.lock = threading.Lock()

    def started(self, total: int | None) -> None:
        self.bar.update(self.task, total=total)

    def progressed(self, progress: JobProgress) -> None:
        from publisher.upload import UploadProgress

        with self.lock:
            sent = ""
            if isinstance(progress, UploadProgress):
                sent = f"{_mb(progress.bytes_done)} at {_mb(progress.rate_bytes_s)}/s"
            self.bar.update(self.task, completed=progress.done, sent=sent)

    def item_finished(self, outcome: ItemOutcome) -> None:
        if outcome.status == "failed":
            self.bar.console.print(f"[yellow]not published: {outcome.key} (why: see the end)")

    def message(self, text: str) -> None:
        self.bar.console.print(text)


def _target(app: AppContext, to: str | None, name: str | None, options: dict) -> Target:
    from catalog.settings import load_settings
    from publisher.targets import local_target, named_target, parse_destination

    if to and name:
        raise click.UsageError("give --to or --target, not both")
    if name:
        with app.catalog.reading() as session:
            return named_target(load_settings(session), name, options["workers"])
    if to is None:
        return local_target(app.catalog.root / "site")
    return parse_destination(
        to,
        endpoint_url=options["endpoint_url"],
        database_url=options["database_url"],
        media_url=options["media_url"],
        region=options["region"],
        workers=options["workers"],
        public_read=options["public_read"],
    )


def _confirmer(bar: Progress, yes: bool) -> Callable[[PublishPlan], bool]:
    """Asked by the publish, before any upload, when many photos would go online for the
    first time: ``--yes`` says yes; a terminal is asked; anything else refuses."""

    def confirm(plan: PublishPlan) -> bool:
        if yes:
            return True
        count = len(plan.first_public)
        if sys.stdin is None or not sys.stdin.isatty():
            raise PublishNotConfirmed(
                count,
                "There is no terminal to ask on: check them with `exiftree publish --dry-run`, "
                "then run again with --yes.",
            )
        bar.stop()
        ctrl_c = signal.signal(signal.SIGINT, signal.default_int_handler)  # a prompt: stop
        try:
            for line in plan.lines():
                click.echo(line)
            return click.confirm(f"Put {count} photos online for the first time?", default=False)
        finally:
            signal.signal(signal.SIGINT, ctrl_c)
            bar.start()

    return confirm


def _report(result: PublishResult, target: Target) -> None:
    if result.plan is None:
        click.echo("Nothing changed: the site is up to date.")
        return
    for line in result.plan.lines(failures=result.dry_run):  # the run names them at the end
        click.echo(line)
    if result.missing_found:
        click.echo(f"--verify: {len(result.missing_found)} object(s) were missing; re-uploaded")
    if result.damaged_found:
        click.echo(f"--verify: {len(result.damaged_found)} object(s) were damaged; re-uploaded")
    if result.dry_run:
        click.echo("Dry run: nothing was uploaded or changed.")
        return
    if result.seq is None:
        what = "the site is unchanged" if result.failed else "the site is up to date"
        click.echo(f"Nothing changed: {what}.")
    else:
        click.echo(
            f"Published snapshot {result.seq}: {result.uploaded_objects} object(s) uploaded "
            f"({result.uploaded_bytes / 1024:.0f} KiB), {result.rows_inserted} row(s) written, "
            f"{result.deleted_objects} old object(s) deleted."
        )
        if target.media_url is None:
            click.echo(f"Preview it with: exiftree serve --from {target.description}")
    if result.failed:  # never silently: name each file, say why and what to do, exit 1
        click.echo(f"{len(result.failed)} photo(s) could not be published:", err=True)
        for outcome in result.failed:
            click.echo(f"  {outcome.key}: {outcome.reason}", err=True)
        raise click.exceptions.Exit(1)


@click.command("publish")
@click.option("--to", "to", help="A folder, or s3://BUCKET (default: the catalog's site/ folder).")
@click.option("--target", "target_name", help="A publish target saved in the settings.")
@click.option("--endpoint-url", help="S3-compatible endpoint, e.g. https://fly.storage.tigris.dev")
@click.option("--media-url", help="Public base URL visitors load the images from.")
@click.option("--database-url", help="PostgreSQL URL of the snapshot (password: keyring/env).")
@click.option("--region", default="auto", show_default=True)
@click.option(
    "--public-read/--no-public-read",
    default=True,
    show_default=True,
    help="Upload with a public-read ACL (turn off for buckets public by policy, ACLs disabled).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=DEFAULT_WORKERS,
    show_default=True,
    help="Parallel uploads.",
)
@click.option("--dry-run", is_flag=True, help="Show the plan and the privacy audit only.")
@click.option("--verify", is_flag=True, help="Check the ledger against the bucket first.")
@click.option("--rollback", "do_rollback", is_flag=True, help="Put the previous snapshot live.")
@click.option("--force", is_flag=True, help="Re-render, re-upload and rewrite everything.")
@click.option("--with-originals", is_flag=True, help="Also publish 2400 px downloads.")
@click.option(
    "--yes",
    is_flag=True,
    help="Do not ask when more than 5 photos would go public for the first time (scripts).",
)
@pass_app
def publish_command(
    app: AppContext,
    to: str | None,
    target_name: str | None,
    dry_run: bool,
    verify: bool,
    do_rollback: bool,
    force: bool,
    with_originals: bool,
    yes: bool,
    **options: object,
) -> None:
    """Publish the public and unlisted photos to a folder or to S3 + PostgreSQL."""
    if to is None and target_name is None and not (dry_run or verify or do_rollback or force):
        from publisher.noop import folder_site_is_current  # sqlite3 only: no SQLAlchemy, boto3

        if folder_site_is_current(app.catalog.db_path, app.catalog.root / "site", with_originals):
            click.echo("Nothing changed: the site is up to date.")
            return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from publisher.publish import publish, roll_back

    try:
        target = _target(app, to, target_name, options)
        if do_rollback:
            old, live = roll_back(target)
            click.echo(f"Rolled back snapshot {old}; snapshot {live} is live again.")
            return
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[sent]}"),
            TimeRemainingColumn(),
        )
        cancel = Cancel()  # Ctrl-C asks the publish to stop between photos, as import does:
        # a KeyboardInterrupt landing inside a ledger transaction could leave it locked
        previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
        try:
            with Progress(*columns, transient=True) as bar:
                result = publish(
                    app.catalog,
                    target,
                    dry_run=dry_run,
                    verify=verify,
                    force=force,
                    with_originals=with_originals,
                    # click's parsed options are a dict of object; the option is an int
                    workers=int(options["workers"]),  # type: ignore[call-overload]
                    observer=BarObserver(bar),
                    cancel=cancel,
                    confirm=_confirmer(bar, yes),
                )
        finally:
            signal.signal(signal.SIGINT, previous)
    except PublishError as exc:
        raise click.ClickException(str(exc)) from exc
    _report(result, target)


def _mb(n: float) -> str:
    return f"{n / 1_048_576:.1f} MB"


COMMANDS = [publish_command]
