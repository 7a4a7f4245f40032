"""A view's selection of photos, and the SQL conditions it stands for.

Shared by :mod:`catalog.query` (ids, pages) and :mod:`catalog.facets` (counts), so a
sidebar count and the grid beside it can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, false, literal_column, or_, select, text, union
from sqlalchemy.orm import Session

from catalog.models import City, CollectionPhoto, Photo, PhotoTag
from catalog.search import match_expression

NEEDS_ATTENTION_STATUSES = ("failed", "rejected")
ALL_STATUSES = ("pending", "processed", "failed", "rejected")


@dataclass(frozen=True)
class PhotoFilter:
    """A view's selection; every field narrows it, the defaults show processed photos.

    ``statuses=()`` means any status; ``needs_attention`` shows failed and rejected photos
    and near-duplicate groups whatever ``statuses`` says; ``year=0`` means "no date".
    """

    camera_id: str | None = None
    lens_id: str | None = None
    tag_id: str | None = None
    city_id: str | None = None
    country_code: str | None = None
    year: int | None = None
    collection_id: str | None = None
    visibility: str | None = None
    statuses: tuple[str, ...] = ("processed",)
    text: str | None = None
    min_rating: int = 0
    imported_since: datetime | None = None
    needs_attention: bool = False
    untitled: bool = False  # only photos without a title (an owner's to-do)
    untagged: bool = False  # only photos without a tag

    @property
    def is_selective(self) -> bool:
        """True when a field other than status picks out a small, indexed set of photos."""
        picks = (self.camera_id, self.lens_id, self.tag_id, self.city_id, self.collection_id)
        return any(v is not None for v in picks) or bool(self.text and self.text.strip())

    @property
    def is_status_only(self) -> bool:
        """True when only the status narrows the selection (the sidebar's usual case)."""
        return self == PhotoFilter(statuses=self.statuses)


def conditions(f: PhotoFilter, broad_text: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter, over the ``photos`` table. ``broad_text``: the text
    matches many photos (see :func:`text_is_broad`), so it is tested photo by photo while an
    index (the sort's, or another field's) leads, instead of leading itself."""
    where: list[ColumnElement[bool]] = []
    selective = f.is_selective if not broad_text else replace(f, text=None).is_selective
    where.extend(_status_conditions(f, selective))
    for column, value in (
        (Photo.camera_id, f.camera_id),
        (Photo.lens_id, f.lens_id),
        (Photo.city_id, f.city_id),
        (Photo.visibility, f.visibility),
    ):
        if value is not None:
            where.append(column == value)
    if f.country_code is not None:
        cities = select(City.id).where(City.country_code == f.country_code.upper())
        where.append(Photo.city_id.in_(cities))
    if f.tag_id is not None:
        where.append(Photo.id.in_(select(PhotoTag.photo_id).where(PhotoTag.tag_id == f.tag_id)))
    if f.collection_id is not None:
        members = select(CollectionPhoto.photo_id).where(
            CollectionPhoto.collection_id == f.collection_id
        )
        where.append(Photo.id.in_(members))
    where.extend(_year_conditions(f.year))
    if f.min_rating > 0:
        where.append(Photo.rating >= f.min_rating)
    if f.imported_since is not None:
        where.append(Photo.created_at >= f.imported_since)
    if f.text is not None and f.text.strip():
        where.append(_text_condition(f.text, lead=not broad_text))
    if f.untitled:
        where.append(or_(Photo.title.is_(None), Photo.title == ""))
    if f.untagged:
        where.append(Photo.id.not_in(select(PhotoTag.photo_id)))
    return where


def _status_conditions(f: PhotoFilter, selective: bool) -> list[ColumnElement[bool]]:
    """The status part of a filter, shaped for SQLite's planner.

    With a selective filter, ``status || ''`` keeps SQLite off the status index (it has no
    statistics and would otherwise walk every processed photo). Without one, most photos
    match: "not one of the few photos of the other statuses", by rowid, lets the grid's
    date and import-order indexes answer alone, without visiting the table.
    """
    rowid: ColumnElement[int] = literal_column("photos.rowid")
    if f.needs_attention:
        if selective:
            status = Photo.status + ""
            return [or_(status.in_(NEEDS_ATTENTION_STATUSES), Photo.dup_group.is_not(None))]
        # few photos are either: their rowids from the two indexes, instead of an OR that
        # SQLite answers by reading every row (1,000,000 photos: ~0.5 s)
        failed = select(rowid).where(Photo.status.in_(NEEDS_ATTENTION_STATUSES))
        grouped = select(rowid).where(Photo.dup_group.is_not(None))
        return [rowid.in_(union(failed, grouped))]
    if not f.statuses:
        return []
    if selective:
        return [(Photo.status + "").in_(f.statuses)]
    others = [s for s in ALL_STATUSES if s not in f.statuses]
    if set(f.statuses) - set(ALL_STATUSES):  # a status this module does not know: be literal
        return [Photo.status.in_(f.statuses)]
    if not others:
        return []
    return [rowid.not_in(select(rowid).select_from(Photo).where(Photo.status.in_(others)))]


def _year_conditions(year: int | None) -> list[ColumnElement[bool]]:
    if year is None:
        return []
    if year == 0:
        return [Photo.date_taken.is_(None)]
    if not 1 <= year <= 9998:
        return [false()]
    return [Photo.date_taken >= datetime(year, 1, 1), Photo.date_taken < datetime(year + 1, 1, 1)]


BROAD_TEXT = 5_000  # matches from which a text leads no more (an index walk finds them)


def text_is_broad(session: Session, f: PhotoFilter) -> bool:
    """Whether ``f``'s text matches at least :data:`BROAD_TEXT` photos. Counting stops there,
    so asking costs a few milliseconds whatever the catalog's size."""
    expression = match_expression(f.text or "")
    if expression is None:
        return False
    stmt = text(
        "SELECT count(*) FROM (SELECT 1 FROM photo_search WHERE photo_search MATCH :q LIMIT :cap)"
    )
    return (session.scalar(stmt, {"q": expression, "cap": BROAD_TEXT}) or 0) >= BROAD_TEXT


def _text_condition(user_text: str, lead: bool = True) -> ColumnElement[bool]:
    """Photos whose search row matches. The search rows share the photos' rowids, so a
    match joins by integer, never reading the search table's content. ``lead``: SQLite may
    start from the matches (few of them); else ``rowid + 0`` keeps it to a membership test
    while the sort's or another field's index leads."""
    expression = match_expression(user_text)
    if expression is None:  # only punctuation: nothing can match a word
        return false()
    matches = (
        text("SELECT rowid FROM photo_search WHERE photo_search MATCH :fts_query")
        .bindparams(fts_query=expression)
        .columns(rowid=Integer)
    )
    rowid: ColumnElement[int] = literal_column("photos.rowid")
    return (rowid if lead else rowid + 0).in_(matches)
