"""``exiftree site`` sets what the Settings dialog sets: title, tagline, owner, licence."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from catalog.catalog import Catalog
from catalog.settings import load_settings
from desktop.cli import cli


def test_site_settings_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "catalog"
    snippet = tmp_path / "stats.html"
    snippet.write_text('<script defer src="https://stats.example.org/s.js"></script>')
    runner = CliRunner()
    args = ["--catalog", str(home), "site", "--title", "Harbour Light", "--owner", "Ada Lovelace"]
    args += ["--licence", "CC-BY-4.0", "--tagline", "Boats", "--analytics-file", str(snippet)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "CC BY 4.0 <https://creativecommons.org/licenses/by/4.0/>" in result.output
    with Catalog.open(home) as catalog, catalog.reading() as session:
        settings = load_settings(session)
    assert (settings.site_title, settings.site_tagline) == ("Harbour Light", "Boats")
    assert (settings.owner_name, settings.licence) == ("Ada Lovelace", "cc-by-4.0")
    assert "stats.example.org" in settings.analytics_snippet
    shown = runner.invoke(cli, ["--catalog", str(home), "site"])
    assert "owner:     Ada Lovelace" in shown.output and "Saved" not in shown.output
    bad = runner.invoke(cli, ["--catalog", str(home), "site", "--licence", "mine"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
