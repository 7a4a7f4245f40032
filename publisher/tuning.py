"""Defaults the command line shows in its help, kept apart from the publisher's heavy modules
(boto3, Pillow) so that ``exiftree --help`` does not have to load them."""

from __future__ import annotations

DEFAULT_WORKERS = 16  # parallel uploads: object stores answer slowly, not with little bandwidth
