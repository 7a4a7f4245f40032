"""Photo commands: list, set, shift-time, duplicates, stats, and the collection group.

Thin: each command parses its arguments, calls one catalog function and prints the
result. Photo ids may be given in full or as a unique prefix (``catalog.query.resolve_ids``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from catalog.owner_input import MAX_RATING, format_shift, parse_shift
from catalog.taken import taken_text
from desktop.cli.collection_cmds import collection
from desktop.cli.context import AppContext, pass_app

if TYPE_CHECKING:  # SQLAlchemy and the models load inside the commands, not for --help
    from catalog.catalog import Catalog
    from catalog.rows import PhotoRow


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def row_json(catalog: Catalog, row: PhotoRow) -> dict[str, Any]:
    """The documented ``list --json`` object: every row field, plus ``path`` and thumbnails."""
    from catalog.catalog import THUMB_SIZES_PX

    out: dict[str, Any] = {"id": row.id, "path": row.source_path}
    out.update({k: _plain(v) for k, v in dataclasses.asdict(row).items()})
    out["visibility"] = row.shown_visibility  # failed and rejected: private, whatever stored
    out["files"] = list(row.files)  # a RAW+JPEG pair: its source, then the other file
    for size in THUMB_SIZES_PX:
        out[f"thumb_{size}"] = str(catalog.thumb_path(row.content_hash, size))
    return out


def _row_line(row: PhotoRow) -> str:
    date = taken_text(row.date_taken, row.date_taken_precision, empty="-")
    parts = [row.id, f"{row.state:<9}", f"{row.shown_visibility:<8}", f"{date:<16}"]
    parts += [row.camera or "-", row.source_path]
    if row.reason:
        parts.append(f"({row.reason})")
    return "  ".join(parts)


def iter_rows(catalog: Catalog, ids: Sequence[str]) -> Iterator[PhotoRow]:
    """Rows a chunk at a time, so listing 100,000 photos holds only a chunk in memory."""
    from catalog.rows import chunked, load_rows

    for part in chunked(ids):
        with catalog.reading() as session:
            yield from load_rows(session, part)


@click.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["pending", "processed", "failed", "rejected"]),
    help="Only photos with this status (repeatable; default: all).",
)
@click.option("--search", "text", help="Only photos matching this full-text search.")
@pass_app
def list_photos(
    app: AppContext, as_json: bool, statuses: tuple[str, ...], text: str | None
) -> None:
    """List photos by path: one line each, or one JSON object per line with --json."""
    catalog = app.catalog
    if not catalog.has_photos():  # answered without loading SQLAlchemy (issue 15)
        return
    from catalog.query import PhotoFilter, photo_ids

    with catalog.reading() as session:
        ids = photo_ids(session, PhotoFilter(statuses=statuses, text=text), sort="path")
    sidecars: dict[str, str] = {}
    if as_json:
        from catalog.sidecar_writes import sidecar_paths  # exiv2: only when --json needs it

        sidecars = sidecar_paths(catalog, ids)
    for row in iter_rows(catalog, ids):
        if as_json:
            out = row_json(catalog, row)
            out["sidecar"] = sidecars.get(row.id)  # the XMP sidecar read or written, or null
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            click.echo(_row_line(row))


def _split_tags(value: str | None) -> list[str]:
    return [t.strip() for t in (value or "").split(",") if t.strip()]


@click.command(name="set")
@click.argument("photo_ids", nargs=-1, required=True)
@click.option("--public", "visibility", flag_value="public", help="Publish it.")
@click.option("--unlisted", "visibility", flag_value="unlisted", help="Published, by link only.")
@click.option("--private", "visibility", flag_value="private", help="Never leaves this machine.")
@click.option("--rating", type=click.IntRange(0, MAX_RATING), help="Stars, 0 to 5.")
@click.option("--title", help="The owner's title ('' clears it).")
@click.option("--description", help="The owner's description ('' clears it).")
@click.option("--add-tags", help="Comma-separated tags to add.")
@click.option("--remove-tags", help="Comma-separated tags to remove.")
@click.option(
    "--rotate",
    type=click.Choice(["90", "180", "270", "-90"]),
    help="Turn clockwise by this many degrees (-90: anticlockwise).",
)
@pass_app
def set_photos(
    app: AppContext,
    photo_ids: tuple[str, ...],
    visibility: str | None,
    rating: int | None,
    title: str | None,
    description: str | None,
    add_tags: str | None,
    remove_tags: str | None,
    rotate: str | None,
) -> None:
    """Edit photos as the owner: visibility, rating, title, description, tags, rotation."""
    options = (visibility, rating, title, description, add_tags, remove_tags, rotate)
    if all(value is None for value in options):
        raise click.UsageError("nothing to set: give at least one option (see --help)")
    from catalog import operations
    from catalog.query import resolve_ids

    catalog = app.catalog
    with catalog.reading() as session:
        ids = resolve_ids(session, photo_ids)
    if visibility is not None:
        operations.set_visibility(catalog, ids, visibility)
    if rating is not None:
        operations.set_rating(catalog, ids, rating)
    if title is not None:
        operations.set_title(catalog, ids, title)
    if description is not None:
        operations.set_description(catalog, ids, description)
    if add_tags is not None:
        operations.add_tags(catalog, ids, _split_tags(add_tags))
    if remove_tags is not None:
        operations.remove_tags(catalog, ids, _split_tags(remove_tags))
    if rotate is not None:
        operations.rotate(catalog, ids, int(rotate) // 90)
    click.echo(f"Updated {len(ids)} photo{'s' if len(ids) != 1 else ''}.")


@click.command(name="shift-time")
@click.argument("photo_ids", nargs=-1, required=True)
@click.option("--by", "by", required=True, metavar="±HH:MM", help="How far to move the clock.")
@pass_app
def shift_time(app: AppContext, photo_ids: tuple[str, ...], by: str) -> None:
    """Fix a camera clock: move the date taken; the original stays in the raw EXIF."""
    try:
        delta = parse_shift(by)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--by") from None
    from catalog import operations
    from catalog.query import resolve_ids

    catalog = app.catalog
    with catalog.reading() as session:
        ids = resolve_ids(session, photo_ids)
    changes = operations.shift_time(catalog, ids, delta)
    click.echo(f"Shifted {len(changes.photo_ids)} photo(s) by {format_shift(delta)}.")
    undated = [i for i in ids if i not in changes.photo_ids]
    for photo_id in undated:
        click.echo(f"  not shifted, no date taken: {photo_id}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per group.")
@pass_app
def duplicates(app: AppContext, as_json: bool) -> None:
    """List near-duplicate groups for review (nothing is ever deleted automatically)."""
    from catalog.query import duplicate_groups

    catalog = app.catalog
    with catalog.reading() as session:
        groups = duplicate_groups(session)
    if not groups and not as_json:
        click.echo("No near-duplicates.")
    for group, members in groups.items():
        if as_json:
            photos = [row_json(catalog, row) for row in members]
            click.echo(json.dumps({"group": group, "photos": photos}, ensure_ascii=False))
            continue
        click.echo(f"group {group} ({len(members)} photos)")
        for row in members:
            size = f"{row.width}x{row.height}" if row.width else "?"
            date = taken_text(row.date_taken, row.date_taken_precision, empty="-")
            click.echo(f"  {row.id}  {size:>11}  {date:<16}  {row.source_path}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="The figures as one JSON object.")
@pass_app
def stats(app: AppContext, as_json: bool) -> None:
    """Catalog figures: totals, photos per year, top cameras and lenses, failures."""
    from catalog.stats import dashboard

    with app.catalog.reading() as session:
        board = dashboard(session)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(board), ensure_ascii=False))
        return
    for name, value in dataclasses.asdict(board.totals).items():
        click.echo(f"{name.replace('_', ' '):<16} {value}")
    _print_pairs("Photos per year", [(y or "no date", n) for y, n in board.per_year])
    _print_pairs("Top cameras", board.top_cameras)
    _print_pairs("Top lenses", board.top_lenses)
    if board.failures:
        click.echo("\nFailures")
        for failure in board.failures:
            click.echo(f"  {failure.status:<9} {failure.path}: {failure.reason or '-'}")


def _print_pairs(title: str, pairs: Sequence[tuple[object, int]]) -> None:
    if pairs:
        click.echo(f"\n{title}")
        for label, n in pairs:
            click.echo(f"  {str(label):<40} {n}")


COMMANDS = [list_photos, set_photos, shift_time, duplicates, stats, collection]
