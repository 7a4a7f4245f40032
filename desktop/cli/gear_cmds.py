"""``exiftree gear``, ``geocode`` and ``cleanup``: the owner's cameras, lenses, cities and rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalog.gear import (
    add_camera_alias,
    add_city_alias,
    add_lens_alias,
    merge_cameras,
    merge_cities,
    merge_lenses,
    rename_camera,
    rename_city,
    rename_lens,
)
from catalog.models import Camera, CameraAlias, City, Lens, LensAlias, Photo
from catalog.places.aliases import load_city_aliases
from catalog.places.fixes import fix_positions
from catalog.places.regeocode import geocode_photos
from catalog.rules import Verdict, cleanup
from desktop.cli.context import AppContext, pass_app

_PLURAL = {"camera": "Cameras", "lens": "Lenses", "city": "Cities"}
KINDS = click.Choice(["camera", "lens", "city"], case_sensitive=False)
_TABLES: dict[str, tuple[Any, Any]] = {
    "camera": (Camera, Photo.camera_id),
    "lens": (Lens, Photo.lens_id),
    "city": (City, Photo.city_id),
}
_MERGE: dict[str, Callable[[Session, str, str], int]] = {
    "camera": merge_cameras,
    "lens": merge_lenses,
    "city": merge_cities,
}
_RENAME: dict[str, Callable[[Session, str, str], Any]] = {
    "camera": rename_camera,
    "lens": rename_lens,
    "city": rename_city,
}


def _counted(session: Session, kind: str) -> list[tuple[str, str, int, str]]:
    """(slug, name, photo count, id) of every row of a kind, most photos first."""
    table, column = _TABLES[kind]
    label = table.name
    if kind == "city":
        label = table.name + ", " + table.country_code
    query = (
        select(table.slug, label, func.count(Photo.id), table.id)
        .outerjoin(Photo, column == table.id)
        .group_by(table.id)
        .order_by(func.count(Photo.id).desc(), table.name)
    )
    return [tuple(row) for row in session.execute(query)]


def _aliases(session: Session, kind: str, row_id: str) -> list[str]:
    if kind == "camera":
        rows = session.execute(select(CameraAlias.raw_make, CameraAlias.raw_model).where(
            CameraAlias.camera_id == row_id))  # fmt: skip
    elif kind == "lens":
        rows = session.execute(select(LensAlias.raw_make, LensAlias.raw_model).where(
            LensAlias.lens_id == row_id))  # fmt: skip
    else:
        slug = session.scalar(select(City.slug).where(City.id == row_id))
        aliases = load_city_aliases(session)
        return [f"geocoder place {key!r}" for key, target in aliases.items() if target == slug]
    return [f"{make!r} + {model!r}" for make, model in rows]


def _print_kind(session: Session, kind: str, show_aliases: bool) -> None:
    rows = _counted(session, kind)
    click.echo(f"{_PLURAL[kind]} ({len(rows)}):")
    for slug, name, count, row_id in rows:
        click.echo(f"  {count:>6}  {name}  [{slug}]")
        for alias in _aliases(session, kind, row_id) if show_aliases else ():
            click.echo(f"            raw: {alias}")


@click.group(name="gear", invoke_without_command=True)
@click.option("--aliases", "show_aliases", is_flag=True, help="Show the raw EXIF strings too.")
@click.pass_context
def gear(ctx: click.Context, show_aliases: bool) -> None:
    """List cameras and lenses with photo counts; merge, rename or alias them."""
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    with app.catalog.reading() as session:
        _print_kind(session, "camera", show_aliases)
        _print_kind(session, "lens", show_aliases)


@gear.command(name="list")
@click.argument("kind", type=KINDS)
@click.option("--aliases", "show_aliases", is_flag=True, help="Show the raw EXIF strings too.")
@pass_app
def list_kind(app: AppContext, kind: str, show_aliases: bool) -> None:
    """List the cameras, lenses or cities with photo counts and slugs."""
    with app.catalog.reading() as session:
        _print_kind(session, kind.lower(), show_aliases)


@gear.command(name="merge")
@click.argument("kind", type=KINDS)
@click.argument("source")
@click.argument("target")
@pass_app
def merge(app: AppContext, kind: str, source: str, target: str) -> None:
    """Fold SOURCE into TARGET (slugs): every photo moves, SOURCE disappears."""
    with app.catalog.writing() as session:
        moved = _MERGE[kind.lower()](session, source, target)
    click.echo(f"merged {kind} {source} into {target}: {moved} photo(s) re-linked")


@gear.command(name="rename")
@click.argument("kind", type=KINDS)
@click.argument("slug")
@click.argument("new_name")
@pass_app
def rename(app: AppContext, kind: str, slug: str, new_name: str) -> None:
    """Give a camera, lens or city a new name (its slug follows)."""
    try:
        with app.catalog.writing() as session:
            row = _RENAME[kind.lower()](session, slug, new_name)
            name, new_slug = row.name, row.slug
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="NEW_NAME") from exc
    click.echo(f"renamed {kind} {slug} to {name!r} [{new_slug}]")


@gear.command(name="alias")
@click.argument("kind", type=KINDS)
@click.argument("slug")
@click.option("--make", default="", help="Camera: EXIF Make. Lens: EXIF LensMake.")
@click.option("--model", default="", help="Camera: EXIF Model. Lens: EXIF LensModel.")
@click.option("--name", "place_name", default="", help="City: the geocoder's place name.")
@click.option("--region", default="", help="City: the geocoder's region (admin1).")
@click.option("--country", default="", help="City: the two-letter country code.")
@pass_app
def alias(app: AppContext, kind: str, slug: str, **raw: str) -> None:
    """Send raw EXIF strings (or a geocoder place) to SLUG, now and on every import."""
    kind = kind.lower()
    with app.catalog.writing() as session:
        if kind == "city":
            if not raw["place_name"] or len(raw["country"]) != 2:
                raise click.UsageError("a city alias needs --name and a two-letter --country")
            moved = add_city_alias(session, raw["place_name"], raw["region"], raw["country"], slug)
        else:
            if not raw["model"]:
                raise click.UsageError(f"a {kind} alias needs at least --model")
            add = add_camera_alias if kind == "camera" else add_lens_alias
            moved = add(session, raw["make"], raw["model"], slug)
    click.echo(f"alias added to {kind} {slug}: {moved} photo(s) re-linked")


def _parse_position(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError as exc:
        raise click.BadParameter("give LAT,LON in decimal degrees, e.g. 43.467,11.885",
                                 param_hint="--position") from exc  # fmt: skip
    return lat, lon


@click.command(name="geocode")
@click.argument("photo_ids", nargs=-1)
@click.option("--position", help="Fix: set LAT,LON (decimal degrees; south and west negative).")
@click.option("--lat-ref", type=click.Choice(["N", "S"], case_sensitive=False),
              help="Fix: read the raw latitude again in this hemisphere.")  # fmt: skip
@click.option("--lon-ref", type=click.Choice(["E", "W"], case_sensitive=False),
              help="Fix: read the raw longitude again in this hemisphere.")  # fmt: skip
@pass_app
def geocode(
    app: AppContext,
    photo_ids: tuple[str, ...],
    position: str | None,
    lat_ref: str | None,
    lon_ref: str | None,
) -> None:
    """Look up the city of photos with GPS again (offline), applying the rules.

    With PHOTO_IDs and --position or --lat-ref/--lon-ref, fix their location first (the
    raw EXIF and the file stay as they were)."""
    point = _parse_position(position)
    if point is not None or lat_ref or lon_ref:
        if not photo_ids:
            raise click.UsageError(
                "say which photos to fix: exiftree geocode PHOTO_ID... --position …"
            )
        fix_positions(app.catalog, photo_ids, position=point, lat_ref=lat_ref, lon_ref=lon_ref)
        click.echo(f"fixed the position of {len(photo_ids)} photo(s)")
    result = geocode_photos(app.catalog, list(photo_ids) if photo_ids else None)
    click.echo(
        f"geocoded {result.geocoded} photo(s) with GPS: {result.changed} changed, "
        f"{result.rejected} rejected by a rule"
    )


def _describe(verdict: Verdict) -> str:
    parts = []
    if verdict.reject_reason:
        parts.append(f"reject ({verdict.reject_reason})")
    if verdict.clear_date:
        parts.append("clear implausible date")
    if verdict.drop_place:
        parts.append("drop place")
    if verdict.restore:
        parts.append("restore (no rule rejects it now)")
    return ", ".join(parts)


@click.command(name="cleanup")
@click.option("--dry-run", is_flag=True, help="Show what the rules would change; change nothing.")
@pass_app
def cleanup_cmd(app: AppContext, dry_run: bool) -> None:
    """Apply the catalog's rules (rules.toml) to every processed photo, and bring back the
    photos an earlier rule rejected that no rule rejects now."""
    changes = cleanup(app.catalog, dry_run=dry_run)
    ids = [pid for pid, _ in changes]  # paths for the report; one query, no IN-list limit
    with app.catalog.reading() as session:
        rows = session.execute(select(Photo.id, Photo.source_path)).all() if ids else []
        paths: dict[str, str] = {pid: path for pid, path in rows}
    for pid, verdict in changes:
        click.echo(f"{pid}  {paths.get(pid, '')}: {_describe(verdict)}")
    rejected = sum(1 for _, v in changes if v.reject_reason)
    restored = sum(1 for _, v in changes if v.restore)
    verb = "would change" if dry_run else "changed"
    click.echo(
        f"{verb} {len(changes)} photo(s) ({rejected} rejected, {restored} restored) "
        f"by {app.catalog.rules_path}"
    )


COMMANDS = [gear, geocode, cleanup_cmd]
