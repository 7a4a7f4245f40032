"""``python -m webviewer --database-url URL --media-url URL --port P``: run the site."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from webviewer.settings import ViewerSettings, check_site_url, settings_from_env


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m webviewer", description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("EXIFTREE_VIEWER_DATABASE_URL"))
    parser.add_argument(
        "--media-url", default=os.environ.get("EXIFTREE_VIEWER_MEDIA_URL", "/media/")
    )
    parser.add_argument("--media-dir", type=Path, help="serve renditions from this folder")
    parser.add_argument(
        "--site-url",
        default=os.environ.get("EXIFTREE_VIEWER_SITE_URL", ""),
        help="the site's public address, e.g. https://photos.example.org (required)",
    )
    parser.add_argument(
        "--trusted-proxies",
        default=os.environ.get("EXIFTREE_VIEWER_TRUSTED_PROXIES", ""),
        help="addresses of proxies whose X-Forwarded-Proto/-For to believe, or *",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1, help="processes (the app is stateless)")
    parser.add_argument("--rate-limit-per-minute", type=int, default=0)
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or EXIFTREE_VIEWER_DATABASE_URL) is required")
    try:
        check_site_url(args.site_url.strip())
    except ValueError as exc:
        parser.error(str(exc))
    return args


def command_line_settings(args: argparse.Namespace) -> ViewerSettings:
    """The environment's settings (proxy header, statement timeout, ...) with the command
    line's on top: one worker must run with what the workers of several would read."""
    return replace(
        settings_from_env(
            {
                **os.environ,
                "EXIFTREE_VIEWER_DATABASE_URL": args.database_url,
                "EXIFTREE_VIEWER_SITE_URL": args.site_url.strip(),
                "EXIFTREE_VIEWER_TRUSTED_PROXIES": args.trusted_proxies,
            }
        ),
        media_url=args.media_url,
        media_dir=args.media_dir,
        site_url=args.site_url.rstrip("/"),
        rate_limit_per_minute=args.rate_limit_per_minute,
    )


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    args = parse_args(argv)
    settings = command_line_settings(args)
    from webviewer.db import snapshot_version_problem

    problem = snapshot_version_problem(settings.database_url)
    if problem:
        print(f"python -m webviewer: {problem}", file=sys.stderr)
        return 2
    if args.workers > 1:  # worker processes rebuild the app from the environment
        os.environ.update(
            EXIFTREE_VIEWER_DATABASE_URL=settings.database_url,
            EXIFTREE_VIEWER_MEDIA_URL=settings.media_url,
            EXIFTREE_VIEWER_SITE_URL=settings.site_url,
            EXIFTREE_VIEWER_RATE_LIMIT_PER_MINUTE=str(settings.rate_limit_per_minute),
            EXIFTREE_VIEWER_TRUSTED_PROXIES=settings.trusted_proxies,
            **({"EXIFTREE_VIEWER_MEDIA_DIR": str(args.media_dir)} if args.media_dir else {}),
        )
        uvicorn.run(
            "webviewer.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            proxy_headers=False,  # the app believes only --trusted-proxies
        )
        return 0
    from webviewer.app import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, proxy_headers=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
