"""``exiftree gear``, ``geocode`` and ``cleanup``: the owner's cameras, lenses, cities and rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from catalog.owner_input import parse_position
from desktop.cli.context import AppContext, pass_app

if TYPE_CHECKING:  # SQLAlchemy, the models and the geocoder load inside the commands
    from catalog.places.regeocode import GeocodeResult
    from catalog.rules import Verdict

_PLURAL = {"camera": "Cameras", "lens": "Lenses", "city": "Cities"}
KINDS = click.Choice(["camera", "lens", "city"], case_sensitive=False)


def _print_kind(app: AppContext, kind: str, show_aliases: bool) -> None:
    from catalog import operations

    rows = operations.gear_counts(app.catalog, kind, with_aliases=show_aliases)
    click.echo(f"{_PLURAL[kind]} ({len(rows)}):")
    for row in rows:
        click.echo(f"  {row.count:>6}  {row.label}  [{row.slug}]")
        for alias in row.aliases:
            click.echo(f"            raw: {alias}")


@click.group(name="gear", invoke_without_command=True)
@click.option("--aliases", "show_aliases", is_flag=True, help="Show the raw EXIF strings too.")
@click.pass_context
def gear(ctx: click.Context, show_aliases: bool) -> None:
    """List cameras and lenses with photo counts; merge, rename or alias them."""
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    _print_kind(app, "camera", show_aliases)
    _print_kind(app, "lens", show_aliases)


@gear.command(name="list")
@click.argument("kind", type=KINDS)
@click.option("--aliases", "show_aliases", is_flag=True, help="Show the raw EXIF strings too.")
@pass_app
def list_kind(app: AppContext, kind: str, show_aliases: bool) -> None:
    """List the cameras, lenses or cities with photo counts and slugs."""
    _print_kind(app, kind.lower(), show_aliases)


@gear.command(name="merge")
@click.argument("kind", type=KINDS)
@click.argument("source")
@click.argument("target")
@pass_app
def merge(app: AppContext, kind: str, source: str, target: str) -> None:
    """Fold SOURCE into TARGET (slugs): every photo moves, SOURCE disappears."""
    from catalog import operations

    changes = operations.merge(app.catalog, kind, source, target)
    moved = len(changes.photo_ids)
    click.echo(f"merged {kind} {source} into {target}: {moved} photo(s) re-linked")


@gear.command(name="rename")
@click.argument("kind", type=KINDS)
@click.argument("slug")
@click.argument("new_name")
@pass_app
def rename(app: AppContext, kind: str, slug: str, new_name: str) -> None:
    """Give a camera, lens or city a new name (its slug follows)."""
    from catalog import operations

    try:
        row_id = operations.gear_row(app.catalog, kind, slug).row_id
        operations.rename(app.catalog, kind, slug, new_name)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="NEW_NAME") from exc
    renamed = operations.gear_row(app.catalog, kind, row_id)
    click.echo(f"renamed {kind} {slug} to {renamed.label!r} [{renamed.slug}]")


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
    from catalog import operations

    kind = kind.lower()
    if kind == "city":
        if not raw["place_name"] or len(raw["country"]) != 2:
            raise click.UsageError("a city alias needs --name and a two-letter --country")
        place = (raw["place_name"], raw["region"], raw["country"])
        changes = operations.add_alias(app.catalog, kind, slug, place=place)
    else:
        if not raw["model"]:
            raise click.UsageError(f"a {kind} alias needs at least --model")
        changes = operations.add_alias(app.catalog, kind, slug, make=raw["make"],
                                       model=raw["model"])  # fmt: skip
    moved = len(changes.photo_ids)
    click.echo(f"alias added to {kind} {slug}: {moved} photo(s) re-linked")


def _parse_position(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        return parse_position(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--position") from exc


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
    from catalog import operations
    from catalog.places.regeocode import geocode_photos

    point = _parse_position(position)
    results: list[GeocodeResult] = []
    if point is not None or lat_ref or lon_ref:
        if not photo_ids:
            raise click.UsageError(
                "say which photos to fix: exiftree geocode PHOTO_ID... --position …"
            )
        operations.fix_place(app.catalog, photo_ids, position=point, lat_ref=lat_ref,
                             lon_ref=lon_ref, report=results.append)  # fmt: skip
        click.echo(f"fixed the position of {len(photo_ids)} photo(s)")
    else:
        results.append(geocode_photos(app.catalog, list(photo_ids) if photo_ids else None))
    result = results[0]
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
    from catalog.rows import source_paths
    from catalog.rules import cleanup

    changes = cleanup(app.catalog, dry_run=dry_run)
    paths = source_paths(app.catalog) if changes else {}
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
