"""Runs the publisher off the UI thread: the dry-run plan, then the publish with progress.

The same calls as ``exiftree publish`` (``publisher.publish.publish`` against a target from
``publisher.targets``); this module only moves them to workers, turns the observer's calls
into Qt signals, and remembers the last successful publish in the catalog (setting
``last_publish``) so the dashboard can say when the site was last updated without opening
the target.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from catalog.catalog import Catalog
from catalog.jobs import Cancel
from catalog.notes import read_note, write_note
from catalog.settings import Settings
from desktop.context import DesktopContext
from desktop.workers import QtJobObserver

log = logging.getLogger(__name__)

LAST_PUBLISH_KEY = "last_publish"
LOCAL_CHOICE = ""  # the target choice meaning "the catalog's own site/ folder"


@dataclass(frozen=True)
class TargetChoice:
    """One entry of the dialog's target list: a saved target's name, or the local default."""

    name: str  # "" for the default local folder
    label: str


@dataclass(frozen=True)
class LastPublish:
    """What the dashboard shows: when, where to, and how much."""

    at: datetime
    target: str
    seq: int | None
    photos: int
    uploaded_bytes: int
    rolled_back: bool = False  # the owner put an older snapshot live again

    def line(self) -> str:
        when = self.at.astimezone().strftime("%-d %b %Y, %H:%M")
        if self.rolled_back:
            return f"Rolled back {when}: snapshot {self.seq} is live again on {self.target}"
        snapshot = f", snapshot {self.seq}" if self.seq is not None else ""
        return f"Last published {when} to {self.target}: {self.photos:,} photos{snapshot}"


def default_folder(catalog: Catalog) -> Path:
    """Where a publish goes with no target saved: the CLI's default too."""
    return catalog.root / "site"


def target_choices(catalog: Catalog, settings: Settings) -> list[TargetChoice]:
    """The saved targets first (the owner chose them), then the catalog's own folder."""
    choices = [
        TargetChoice(t.name, f"{t.name} — {t.bucket or t.folder or t.kind}")
        for t in settings.publish_targets
    ]
    choices.append(TargetChoice(LOCAL_CHOICE, f"Local folder — {default_folder(catalog)}"))
    return choices


def make_target(catalog: Catalog, settings: Settings, name: str) -> Any:
    """The publisher's Target for a choice (worker thread: S3 targets read the keyring)."""
    from publisher.targets import local_target, named_target

    if name == LOCAL_CHOICE:
        return local_target(default_folder(catalog))
    return named_target(settings, name)


def remember_publish(catalog: Catalog, target: Any, result: Any) -> LastPublish:
    """Store the last successful publish in the catalog's settings table."""
    photos = result.photos_on_site  # what the site shows: failed photos are not counted
    if photos is None and result.plan is not None:  # nothing written: the live snapshot's
        photos = len(result.plan.state.table("photos"))
    previous = read_last_publish(catalog)
    if photos is None:  # nothing had changed: the site still shows what it showed
        photos = previous.photos if previous else 0
    last = LastPublish(
        at=datetime.now(UTC),
        target=target.media_url or target.description,
        seq=result.seq if result.seq is not None else (previous.seq if previous else None),
        photos=photos,
        uploaded_bytes=result.uploaded_bytes,
    )
    _store(catalog, last)
    return last


def remember_rollback(catalog: Catalog, target: Any, live_seq: int) -> LastPublish:
    """After a rollback the dashboard names the snapshot that is live again."""
    previous = read_last_publish(catalog)
    last = LastPublish(
        at=datetime.now(UTC),
        target=target.media_url or target.description,
        seq=live_seq,
        photos=previous.photos if previous else 0,
        uploaded_bytes=0,
        rolled_back=True,
    )
    _store(catalog, last)
    return last


def _store(catalog: Catalog, last: LastPublish) -> None:
    value = json.dumps(
        {
            "at": last.at.isoformat(),
            "target": last.target,
            "seq": last.seq,
            "photos": last.photos,
            "uploaded_bytes": last.uploaded_bytes,
            "rolled_back": last.rolled_back,
        }
    )
    write_note(catalog, LAST_PUBLISH_KEY, value)


def _agreed(plan: Any, agreed_first_public: int) -> bool:
    """Yes, unless more photos would go public for the first time than the owner agreed to."""
    from publisher.errors import PublishNotConfirmed

    if len(plan.first_public) > agreed_first_public:
        raise PublishNotConfirmed(
            len(plan.first_public),
            "More photos were made public since the plan you agreed to: plan again, check "
            "the list, then publish.",
        )
    return True


def read_last_publish(catalog: Catalog) -> LastPublish | None:
    """The remembered last publish, or None (never published, or an unreadable value)."""
    stored = read_note(catalog, LAST_PUBLISH_KEY)
    if stored is None:
        return None
    try:
        data = json.loads(stored)
        return LastPublish(
            at=datetime.fromisoformat(data["at"]),
            target=str(data["target"]),
            seq=data.get("seq"),
            photos=int(data.get("photos") or 0),
            uploaded_bytes=int(data.get("uploaded_bytes") or 0),
            rolled_back=bool(data.get("rolled_back", False)),
        )
    except (ValueError, KeyError, TypeError):
        return None


class PublishController(QObject):
    """One plan or one publish at a time; its answers arrive as signals on the GUI thread."""

    plan_ready = Signal(object, object)  # Target, PublishResult (a dry run)
    run_started = Signal(object)  # the QtJobObserver of the publish that starts now
    published = Signal(object, object)  # Target, PublishResult
    rolled_back = Signal(int, int)  # the snapshot taken down, the one live again
    failed = Signal(object)  # the exception (PublishCancelled when the owner cancelled)

    def __init__(self, ctx: DesktopContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._cancel: Cancel | None = None
        self.busy = False

    def plan(self, name: str) -> None:
        """Compute what a publish to ``name`` would change (nothing is uploaded)."""
        catalog, settings = self._ctx.catalog, self._ctx.settings

        def job() -> tuple[Any, Any]:
            from publisher.publish import publish

            target = make_target(catalog, settings, name)
            return target, publish(catalog, target, settings=settings, dry_run=True)

        self._run(job, lambda pair: self.plan_ready.emit(*pair))

    def publish(self, name: str, workers: int | None = None, agreed_first_public: int = 0) -> None:
        """Publish for real, reporting progress through the observer of ``run_started``.

        The owner agreed to ``agreed_first_public`` photos going online for the first time
        (the plan they saw); if more would go now (made public since, elsewhere), the
        publisher stops before uploading anything and says so."""
        catalog, settings = self._ctx.catalog, self._ctx.settings
        observer, cancel = QtJobObserver(self), Cancel()
        self._cancel = cancel
        self.run_started.emit(observer)

        def job() -> tuple[Any, Any]:
            from publisher.publish import publish
            from publisher.tuning import DEFAULT_WORKERS

            target = make_target(catalog, settings, name)
            result = publish(
                catalog,
                target,
                settings=settings,
                workers=workers or DEFAULT_WORKERS,
                observer=observer,
                cancel=cancel,
                confirm=lambda plan: _agreed(plan, agreed_first_public),
            )
            try:
                remember_publish(catalog, target, result)
            except Exception:  # noqa: BLE001 - the site is published; only the note is lost
                log.exception("could not remember the last publish")
            return target, result

        self._run(job, lambda pair: self.published.emit(*pair))

    def roll_back(self, name: str) -> None:
        """Put the previous snapshot live again (its objects are still there)."""
        catalog, settings = self._ctx.catalog, self._ctx.settings

        def job() -> tuple[int, int]:
            from publisher.publish import roll_back

            target = make_target(catalog, settings, name)
            old, live = roll_back(target)
            try:
                remember_rollback(catalog, target, live)
            except Exception:  # noqa: BLE001 - the rollback is done; only the note is lost
                log.exception("could not remember the rollback")
            return old, live

        self._run(job, lambda pair: self.rolled_back.emit(*pair))

    def cancel(self) -> None:
        """Ask the running publish to stop; the live site stays the previous snapshot."""
        if self._cancel is not None:
            self._cancel.set()

    def _run(self, job: Any, on_done: Any) -> None:
        self.busy = True

        def done(value: Any) -> None:
            self.busy, self._cancel = False, None
            on_done(value)

        def failed(error: BaseException) -> None:
            self.busy, self._cancel = False, None
            self.failed.emit(error)

        self._ctx.tasks.run_job(job, done, failed)
