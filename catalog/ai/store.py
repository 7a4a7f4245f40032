"""Writing answers onto photos, where owner edits always win.

A field whose source is "owner" is never touched; AI tags are replaced as a set while the
owner's tags stay; every AI write records the model, prompt version and time; in review
mode changed AI text waits for the owner's approval before it is published.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from catalog.ai.schema import Description
from catalog.db import utcnow
from catalog.edits import refused_tags
from catalog.get_or_create import find_or_create_tags
from catalog.models import Photo, PhotoTag, Source, Tag
from catalog.search import reindex
from catalog.slugs import slugify

PENDING = "pending"
APPROVED = "approved"


def apply_description(
    session: Session,
    photo: Photo,
    answer: Description,
    *,
    model: str,
    prompt_version: str,
    review_required: bool,
) -> None:
    """Write the AI's values where the owner has not written their own."""
    changed = False
    if is_ai_writable(photo.title, photo.title_source):
        changed |= photo.title != answer.title
        photo.title, photo.title_source = answer.title, Source.AI.value
    if is_ai_writable(photo.description, photo.description_source):
        changed |= photo.description != answer.description
        photo.description, photo.description_source = answer.description, Source.AI.value
    changed |= replace_ai_tags(session, photo.id, answer.tags)
    photo.ai_model, photo.ai_prompt_version = model, prompt_version
    photo.ai_described_at = utcnow()
    photo.ai_error = None
    if review_required and (changed or photo.ai_review is None):
        photo.ai_review = PENDING
    _reindex(session, photo.id)


def is_ai_writable(value: str | None, source: str | None) -> bool:
    """The AI's own earlier text, or nothing yet; text of unknown origin counts as the owner's."""
    return source == Source.AI.value or (source is None and not value)


def record_error(session: Session, photo: Photo, reason: str) -> None:
    """The reason stays on the photo; its text and tags are left as they were."""
    photo.ai_error = reason


def replace_ai_tags(session: Session, photo_id: str, names: Sequence[str]) -> bool:
    """AI tags become exactly ``names`` (minus any the owner already gave, or took off the
    photo); True if changed."""
    links = session.execute(
        select(PhotoTag.id, PhotoTag.source, Tag.slug)
        .join(Tag, Tag.id == PhotoTag.tag_id)
        .where(PhotoTag.photo_id == photo_id)
    ).all()
    owner = {slug for _, source, slug in links if source == Source.OWNER.value}
    old_ai = {slug for _, source, slug in links if source != Source.OWNER.value}
    refused = set(refused_tags(session.scalar(select(Photo.ai_tags_refused).where(
        Photo.id == photo_id))))  # fmt: skip
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(slugify(name), name)  # the first spelling of a slug wins
    new_ai = {slug: name for slug, name in wanted.items() if slug not in owner | refused}
    if set(new_ai) == old_ai:
        return False
    ai_link_ids = [link_id for link_id, source, _ in links if source != Source.OWNER.value]
    if ai_link_ids:
        session.execute(delete(PhotoTag).where(PhotoTag.id.in_(ai_link_ids)))
    for tag in find_or_create_tags(session, new_ai):
        session.add(PhotoTag(photo_id=photo_id, tag_id=tag.id, source=Source.AI.value))
    session.flush()
    return True


def approve_review(session: Session, photo_ids: Sequence[str] | None) -> list[str]:
    """Mark pending AI text approved (``None``: every pending photo); returns the ids."""
    query = select(Photo.id).where(Photo.ai_review == PENDING)
    if photo_ids is not None:
        query = query.where(Photo.id.in_(list(photo_ids)))
    ids = list(session.scalars(query))
    if ids:
        session.execute(update(Photo).where(Photo.id.in_(ids)).values(ai_review=APPROVED))
    return ids


def _reindex(session: Session, photo_id: str) -> None:
    """Keep full-text search in step: titles, descriptions and tags are searchable."""
    session.flush()
    reindex(session, [photo_id])
