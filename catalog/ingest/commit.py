"""Stages 8-10 in the parent: place, rules, and one atomic commit per photo.

:class:`PhotoWriter` turns each worker result into catalog rows and an :class:`ItemOutcome`.
It decides between new photo, refreshed photo, moved file, identical copy and failure, using
the :class:`KnownFiles` index it keeps current. Photos with GPS are geocoded in batches
(``reverse_geocoder`` is fast per batch, slow per call), then committed one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from catalog.catalog import Catalog
from catalog.ingest.duplicates import NearDuplicateIndex
from catalog.ingest.faults import BUSY_SENTENCE, ImportStopped, is_busy, plain, storage_fault
from catalog.ingest.known import KnownFiles
from catalog.ingest.store import (
    Decision,
    failed_hash,
    known_row,
    move_photo,
    save_failure,
    save_photo,
    take_write_lock,
    write_thumbnails,
)
from catalog.ingest.tasks import AlreadyKnown, Failed, FileResult, FileStat, Processed
from catalog.jobs import ItemOutcome
from catalog.models import Photo, Status
from catalog.places import Place, named_place, parse_gps, reverse_geocode
from catalog.rules import RuleSet
from catalog.settings import Settings

WRITE_ATTEMPTS = 6  # each waits up to the busy timeout for another writer: ~1 minute in all
RACE_REASON = "another import saved this file at the same moment; the next import checks it"


class PhotoWriter:
    """The only writer during an import (the parent process)."""

    def __init__(
        self,
        catalog: Catalog,
        settings: Settings,
        rules: RuleSet,
        known: KnownFiles,
        near: NearDuplicateIndex,
        force: bool = False,
    ) -> None:
        self.catalog, self.settings, self.rules = catalog, settings, rules
        self.known, self.near, self.force = known, near, force

    def write(self, result: FileResult, place: Place | None = None) -> ItemOutcome:
        """Commit one result. A file's own problem becomes its failure, never the batch's;
        the catalog's disk failing raises :class:`ImportStopped`; another writer holding
        the catalog is waited for."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                return self._write_once(result, place)
            except IntegrityError:  # another writer got there first after all: look again
                if attempt == WRITE_ATTEMPTS:
                    return ItemOutcome(result.file.path, "failed", RACE_REASON)
            except (OSError, DBAPIError) as exc:
                if (fault := storage_fault(exc, self.catalog.root)) is not None:
                    raise fault from exc
                if not is_busy(exc):
                    return self._failure(result.file, f"could not be saved: {plain(exc)}")
                if attempt == WRITE_ATTEMPTS:
                    raise ImportStopped(BUSY_SENTENCE) from exc
            except Exception as exc:  # noqa: BLE001 - one file's problem, reported as such
                return self._failure(result.file, f"could not be saved: {plain(exc)}")
        raise AssertionError("unreachable")  # pragma: no cover

    def _write_once(self, result: FileResult, place: Place | None) -> ItemOutcome:
        if isinstance(result, Failed):
            if result.transient:  # not remembered: the next import reads the file again
                return ItemOutcome(result.file.path, "failed", result.reason)
            return self._failure(result.file, result.reason)
        if isinstance(result, AlreadyKnown):
            return self._known_content(result)
        return self._processed(result, place)

    def write_geocoded(self, results: Sequence[Processed]) -> list[ItemOutcome]:
        """Geocode the batch in one query, then commit each photo on its own."""
        coords = [gps_of(r)[:2] for r in results]
        try:
            places: list[Place | None] = list(reverse_geocode(coords))  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - no city is better than no photo
            places = [None] * len(results)
        return [self.write(r, p) for r, p in zip(results, places, strict=True)]

    def _processed(self, result: Processed, place: Place | None) -> ItemOutcome:
        path = result.file.path
        with self.catalog.writing() as session:
            take_write_lock(session)
            self.known.refresh(session, result.content_hash, path)
            self.near.catch_up(session)
            same = self.known.by_hash.get(result.content_hash)
            if same is not None and self.known.has_file_elsewhere(same, path):
                return self._duplicate(same.id, same.path, path)
            if same is not None and same.path == path and not self.force:
                # Another import took this very file in while this one was reading it.
                return ItemOutcome(path, "skipped", "already in the catalog", same.id)
            at_path = self.known.by_path.get(path)
            target_id = same.id if same is not None else at_path.id if at_path else None
            decision = self.decide(result, place, session)
            # The owner's rotation as it is now (turned during this import, or a moved file
            # whose task could not know it): the thumbnails follow the catalog, not the task.
            turns = session.scalar(select(Photo.rotation).where(Photo.id == target_id))
            result = aligned(result, turns or 0)
            write_thumbnails(self.catalog, result)
            row = save_photo(session, result, decision, self.settings, target_id, self.near)
        if at_path is not None and same is None and at_path.content_hash != row.content_hash:
            self.catalog.delete_thumbnails(at_path.content_hash)  # the file's old content
        self.known.remember(row)
        if decision.reject_reason:
            return ItemOutcome(path, "rejected", decision.reject_reason, row.id)
        if same is not None and same.path != path:
            return ItemOutcome(path, "moved", f"was {same.path}", row.id)
        return ItemOutcome(path, "imported", None, row.id)

    def _known_content(self, result: AlreadyKnown) -> ItemOutcome:
        path, stat = result.file.path, result.file
        with self.catalog.writing() as session:
            take_write_lock(session)
            self.known.refresh(session, result.content_hash, path)
            same = self.known.by_hash.get(result.content_hash)
            if same is None:  # removed meanwhile: let the next run look again
                return ItemOutcome(path, "skipped", "catalog changed during the import; run again")
            if same.path != path and self.known.has_file_elsewhere(same, path):
                return self._duplicate(same.id, same.path, path)
            row = known_row(move_photo(session, same.id, stat))
        self.known.remember(row)
        if same.path != path:
            return ItemOutcome(path, "moved", f"was {same.path}", row.id)
        return ItemOutcome(path, "skipped", "unchanged content", row.id)

    def _duplicate(self, photo_id: str, original: str, path: str) -> ItemOutcome:
        return ItemOutcome(path, "duplicate", f"same content as {original}", photo_id)

    def _failure(self, stat: FileStat, reason: str) -> ItemOutcome:
        """A ``failed`` row for the path, unless a good photo already lives there. The
        catalog's disk failing still stops the batch; any other trouble saving the row
        still reports the file's own reason."""
        try:
            with self.catalog.writing() as session:
                take_write_lock(session)
                self.known.refresh(session, failed_hash(stat.path), stat.path)
                row = self.known.by_path.get(stat.path)
                if row is not None and row.status != Status.FAILED.value:
                    return ItemOutcome(stat.path, "failed", reason, row.id)
                existing = session.get(Photo, row.id) if row else None
                saved = known_row(save_failure(session, stat, reason, existing))
        except (OSError, DBAPIError) as exc:
            if (fault := storage_fault(exc, self.catalog.root)) is not None:
                raise fault from exc
            return ItemOutcome(stat.path, "failed", reason)
        except Exception:  # noqa: BLE001 - still report the original reason
            return ItemOutcome(stat.path, "failed", reason)
        self.known.remember(saved)
        return ItemOutcome(stat.path, "failed", reason, saved.id)

    def decide(self, result: Processed, place: Place | None, session: Session) -> Decision:
        """GPS (with its flag), the city, and the owner's rules for this photo. The rules see
        the city as the owner named it (aliases, renames), as ``cleanup`` does."""
        latitude, longitude, flag = gps_of(result)
        name, admin1, country = named_place(session, place) if place else (None, None, None)
        verdict = self.rules.check(result.exif.date_taken, country, name, admin1)
        return Decision(
            place=place,
            latitude=latitude,
            longitude=longitude,
            location_flag=flag,
            reject_reason=verdict.reject_reason,
            clear_date=verdict.clear_date,
            drop_place=verdict.drop_place,
        )


def aligned(result: Processed, turns: int) -> Processed:
    """``result`` with its thumbnails, width and height turned to ``turns`` quarter turns."""
    delta = (turns - result.turns) % 4
    if not delta:
        return result
    from catalog.ingest.imaging import turn_jpeg  # rare (a turn changed mid-import): keep
    # the imaging libraries out of the parent, whose CPU the workers need

    width, height = (result.height, result.width) if delta % 2 else (result.width, result.height)
    thumbnails = {size: turn_jpeg(data, delta) for size, data in result.thumbnails.items()}
    return replace(result, thumbnails=thumbnails, width=width, height=height, turns=turns % 4)


def gps_of(result: Processed) -> tuple[float | None, float | None, str | None]:
    """Signed decimal degrees and a flag when a ref is missing or odd (see places.parse_gps)."""
    exif = result.exif
    return parse_gps(
        exif.gps_latitude, exif.gps_latitude_ref, exif.gps_longitude, exif.gps_longitude_ref
    )


def has_position(result: FileResult) -> bool:
    return isinstance(result, Processed) and gps_of(result)[0] is not None
