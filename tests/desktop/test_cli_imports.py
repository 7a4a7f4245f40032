"""The command line stays light: importing it, or asking it for help, loads no Qt and none
of the heavy libraries only some commands need (each is imported where it is used), so
``exiftree --help`` answers at once (issue 15's CLI start goal)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "scipy", "numpy", "boto3", "botocore", "PIL", "openai", "imagehash")

_PROBE = """
import json, sys
{body}
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(body: str, tmp_path: Path) -> set[str]:
    """Top-level packages a fresh interpreter holds after running ``body``."""
    return {name.split(".")[0] for name in _modules(body, tmp_path)}


def _modules(body: str, tmp_path: Path) -> set[str]:
    """Every module a fresh interpreter holds after running ``body``."""
    env = {"PYTHONPATH": str(ROOT), "EXIFTREE_HOME": str(tmp_path / "cat"), "PATH": "/usr/bin"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(body=body)],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=True, timeout=120,
    )  # fmt: skip
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "body",
    [
        "import desktop.cli",
        "from desktop.cli import main\nmain(['--help'])",
        "from desktop.cli import main\nmain(['--version'])",
    ],
    ids=["import", "--help", "--version"],
)
def test_the_cli_loads_no_qt_and_no_heavy_library(body: str, tmp_path: Path) -> None:
    loaded = _loaded(body, tmp_path)
    assert "click" in loaded  # the probe did import the CLI
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("args", [["--help"], ["--version"]], ids=["--help", "--version"])
def test_help_and_version_open_no_database_layer(args: list[str], tmp_path: Path) -> None:
    """Asking the CLI what it can do needs no catalog: SQLAlchemy and the catalog's models
    load inside the commands that use them, never for ``--help`` or ``--version``."""
    modules = _modules(f"from desktop.cli import main\nmain({args!r})", tmp_path)
    assert "click" in modules  # the probe did import the CLI
    database = [m for m in modules if m.split(".")[0] == "sqlalchemy" or m.startswith(
        ("catalog.models", "catalog.db", "catalog.catalog"))]  # fmt: skip
    assert not database, database[:5]


def test_list_of_an_empty_catalog_opens_no_database_layer(tmp_path: Path) -> None:
    """``exiftree list`` on a new, empty catalog answers from the SQLite file alone: the
    first run creates and migrates it (Alembic, SQLAlchemy), the next loads neither."""
    first = _modules("from desktop.cli import main\nmain(['list'])", tmp_path)
    assert "alembic" in first  # the probe did create the catalog
    assert (tmp_path / "cat" / "catalog.sqlite").is_file()
    modules = _modules("from desktop.cli import main\nassert main(['list']) == 0", tmp_path)
    assert "click" in modules
    heavy = [m for m in modules if m.split(".")[0] in ("sqlalchemy", "alembic", *HEAVY)]
    assert not heavy, heavy[:5]


def test_a_publish_to_a_local_folder_loads_no_s3_client(tmp_path: Path) -> None:
    """boto3 and botocore (~0.1 s) load only for an S3 target: the default target, a local
    folder, plans and publishes without them."""
    _modules("from desktop.cli import main\nmain(['list'])", tmp_path)  # creates the catalog
    modules = _modules(
        "from desktop.cli import main\nassert main(['publish', '--dry-run']) == 0", tmp_path
    )
    assert "publisher.publish" in modules  # the probe did plan a publish
    s3 = [m for m in modules if m.split(".")[0] in ("boto3", "botocore")]
    assert not s3, s3[:5]
