"""``exiftree serve --from DIR``: preview a locally published folder in the browser."""

from __future__ import annotations

from pathlib import Path

import click

SNAPSHOT_FILE = "snapshot.sqlite"
MEDIA_DIR = "media"


@click.command()
@click.option(
    "--from",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A published folder: snapshot.sqlite plus media/.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--site-url",
    default=None,
    help="The address visitors use (links, feed, sitemap). Default: http://HOST:PORT",
)
def serve(folder: Path, port: int, host: str, site_url: str | None) -> None:
    """Serve a local published folder (snapshot and images) for preview."""
    import uvicorn

    from webviewer.app import create_app
    from webviewer.db import snapshot_version_problem
    from webviewer.settings import ViewerSettings

    snapshot = folder / SNAPSHOT_FILE
    if not snapshot.is_file():
        raise click.ClickException(f"no {SNAPSHOT_FILE} in {folder}: publish to this folder first")
    if not (folder / MEDIA_DIR).is_dir():
        raise click.ClickException(f"no {MEDIA_DIR}/ folder in {folder}: publish to it again")
    settings = ViewerSettings(
        database_url=f"sqlite:///{snapshot.resolve()}",
        media_url="/media/",
        media_dir=(folder / MEDIA_DIR).resolve(),
        # its own address, never a visitor's Host header (see webviewer.settings)
        site_url=site_url or f"http://{_url_host(host)}:{port}",
    )
    problem = snapshot_version_problem(settings.database_url)
    if problem:
        raise click.ClickException(f"cannot serve {folder}: {problem}")
    click.echo(f"Serving {folder} at http://{_url_host(host)}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def _url_host(host: str) -> str:
    """The host as it goes in a URL: IPv6 in brackets, "all interfaces" as localhost."""
    if host in ("0.0.0.0", "::", ""):
        return "localhost"
    return f"[{host}]" if ":" in host else host


COMMANDS = [serve]
