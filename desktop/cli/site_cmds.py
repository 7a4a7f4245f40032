"""``exiftree site``: the public site's title, tagline, photographer and licence — what the
desktop's Settings dialog sets, from the command line (shown when given no option)."""

from __future__ import annotations

from pathlib import Path

import click

from catalog.licences import LICENCES, licence
from desktop.cli.context import AppContext, pass_app

LICENCE_IDS = [x.id for x in LICENCES]


@click.command()
@click.option("--title", help="The site's title (default: Portfolio).")
@click.option("--tagline", help="A line under the title, and the site's description.")
@click.option("--owner", help="Your name: credit, copyright, EXIF Artist/Copyright.")
@click.option(
    "--licence",
    "licence_id",
    type=click.Choice(LICENCE_IDS, case_sensitive=False),
    help="The licence the photos are published under.",
)
@click.option(
    "--analytics-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A file holding the analytics snippet to put in every page.",
)
@click.option("--no-analytics", is_flag=True, help="Remove the analytics snippet.")
@pass_app
def site(
    app: AppContext,
    title: str | None,
    tagline: str | None,
    owner: str | None,
    licence_id: str | None,
    analytics_file: Path | None,
    no_analytics: bool,
) -> None:
    """Show or change the public site's settings (used by the next publish)."""
    from catalog.settings import load_settings, save_settings

    with app.catalog.writing() as session:
        settings = load_settings(session)
        changes: dict[str, str] = {}
        if title is not None:
            changes["site_title"] = title.strip() or "Portfolio"
        if tagline is not None:
            changes["site_tagline"] = tagline.strip()
        if owner is not None:
            changes["owner_name"] = owner.strip()
        if licence_id is not None:
            changes["licence"] = licence_id.lower()
        if analytics_file is not None:
            changes["analytics_snippet"] = analytics_file.read_text(encoding="utf-8")
        if no_analytics:
            changes["analytics_snippet"] = ""
        if changes:
            settings = settings.replace(**changes)
            save_settings(session, settings)
    chosen = licence(settings.licence)
    click.echo(f"title:     {settings.site_title}")
    click.echo(f"tagline:   {settings.site_tagline or '(none)'}")
    click.echo(f"owner:     {settings.owner_name or '(none: photos are not credited)'}")
    click.echo(f"licence:   {chosen.name}" + (f" <{chosen.url}>" if chosen.url else ""))
    click.echo(f"analytics: {'set' if settings.analytics_snippet else '(none)'}")
    if changes:
        click.echo("Saved: the next publish puts it on the site.")


COMMANDS = [site]
