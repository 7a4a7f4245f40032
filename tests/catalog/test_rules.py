"""The owner's rule set: every rule kind, clear errors for bad files, and cleanup."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog.catalog import Catalog
from catalog.gear.city_rows import rename_city
from catalog.ingest import reprocess, run_import
from catalog.models import City, Photo
from catalog.rules import RulesError, RuleSet, Verdict, cleanup, load_rules
from desktop.cli import main
from tests.catalog.ingest_helpers import copy_data
from tests.factories import add_photo

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "rules.example.toml"


def _rules(tmp_path: Path, text: str) -> RuleSet:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path)


def _check(
    rules: RuleSet, when: datetime | None = None, place: tuple = (None, None, None)
) -> Verdict:
    return rules.check(when, *place)


def test_missing_file_and_commented_example_change_nothing(tmp_path: Path) -> None:
    for rules in (load_rules(tmp_path / "absent.toml"), load_rules(EXAMPLE)):
        verdict = _check(rules, datetime(1970, 1, 1), ("KP", "Pyongyang", ""))
        assert verdict == Verdict() and not verdict.is_change


def test_example_rules_work_once_uncommented(tmp_path: Path) -> None:
    lines = [
        line[2:] if line.startswith("# ") and "=" in line or line.startswith("#   {") else line
        for line in EXAMPLE.read_text().splitlines()
    ]
    text = "\n".join(lines).replace("# [places.only_cities]", "[places.only_cities]")
    text = text.replace("# ]", "]")
    rules = _rules(tmp_path, text)
    assert rules.reject_years == {2003, 2004}
    assert rules.only_cities["FR"] == {"paris", "lyon"}


def test_reject_by_year(tmp_path: Path) -> None:
    rules = _rules(tmp_path, "[reject]\nyears = [2003]\n")
    assert _check(rules, datetime(2003, 12, 31, 23, 59)).reject_reason == (
        "rule reject.years: taken in 2003")  # fmt: skip
    assert _check(rules, datetime(2004, 1, 1)).reject_reason is None
    assert _check(rules, None).reject_reason is None


def test_reject_by_date_range_includes_both_ends(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path,
        "[reject]\ndates = [\n  { from = 2019-05-01, to = 2019-05-03 },\n"
        '  { from = "2020-01-01", to = "2020-01-01" },\n]\n',
    )
    reason = "rule reject.dates: taken between 2019-05-01 and 2019-05-03"
    assert _check(rules, datetime(2019, 5, 1, 0, 0)).reject_reason == reason
    assert _check(rules, datetime(2019, 5, 3, 23, 59)).reject_reason == reason
    assert _check(rules, datetime(2019, 5, 4)).reject_reason is None
    assert _check(rules, datetime(2020, 1, 1, 12)).reject_reason is not None


def test_implausible_dates_are_cleared_not_rejected(tmp_path: Path) -> None:
    rules = _rules(tmp_path, "[dates]\nplausible_years = [1990, 2030]\n[reject]\nyears = [1970]\n")
    assert _check(rules, datetime(1970, 1, 1)) == Verdict(clear_date=True)
    assert _check(rules, datetime(2099, 1, 1)) == Verdict(clear_date=True)
    assert _check(rules, datetime(1990, 1, 1)) == Verdict()


def test_refused_countries_drop_the_place_or_reject(tmp_path: Path) -> None:
    drop = _rules(tmp_path, '[places]\nrefuse_countries = ["kp"]\n')
    assert _check(drop, place=("KP", "Pyongyang", "")) == Verdict(drop_place=True)
    assert _check(drop, place=("KR", "Seoul", "")) == Verdict()
    assert _check(drop, place=(None, None, None)) == Verdict()
    reject = _rules(tmp_path, '[places]\naction = "reject"\nrefuse_countries = ["KP"]\n')
    assert _check(reject, place=("KP", "Pyongyang", "")).reject_reason == (
        "rule places.refuse_countries: taken in KP")  # fmt: skip


def test_only_listed_cities_in_a_country(tmp_path: Path) -> None:
    rules = _rules(tmp_path, '[places.only_cities]\nFR = ["Paris", "Saint-Étienne"]\n')
    assert _check(rules, place=("FR", "Paris", "Ile-de-France")) == Verdict()
    assert _check(rules, place=("FR", "saint etienne", "")) == Verdict()  # accents, case
    assert _check(rules, place=("FR", "Lyon", "Auvergne")) == Verdict(drop_place=True)
    assert _check(rules, place=("IT", "Arezzo", "Tuscany")) == Verdict()


def test_bad_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as error:
        _rules(tmp_path, "[reject]\nyears = [2003,\n\n[dates\n")
    assert error.value.line is not None and error.value.line >= 2
    assert f"rules.toml, line {error.value.line}: not valid TOML" in str(error.value)
    with pytest.raises(RulesError, match=r"line 2: not valid TOML"):
        _rules(tmp_path, "[reject]\nyears = = 3\n")


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("[reject]\n\nyear = [2003]\n", "reject.year: unknown key", 3),
        ("[rejects]\nyears = [2003]\n", "rejects: unknown table", 1),
        ('[reject]\nyears = ["2003"]\n', "reject.years: must be a list of years", 2),
        ("[reject]\ndates = [{ from = 2019-05-03, to = 2019-05-01 }]\n", "ends (2019-05-01)", 2),
        ('[reject]\ndates = [{ from = "May", to = 2019-05-01 }]\n', "'May' is not a date", 2),
        ("[dates]\nplausible_years = [2030, 1990]\n", "[first year, last year]", 2),
        ('[places]\nrefuse_countries = ["North Korea"]\n', "two-letter country codes", 2),
        ('[places]\naction = "hide"\n', "must be one of drop_place, reject", 2),
    ],
)
def test_wrong_values_are_explained_with_their_line(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    with pytest.raises(RulesError) as error:
        _rules(tmp_path, text)
    assert message in str(error.value)
    assert error.value.line == line


def test_unreadable_rules_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(b"\xff\xfe[reject]")
    with pytest.raises(RulesError, match="cannot read the rules file"):
        load_rules(path)


def _rules_for(catalog: Catalog, text: str) -> None:
    catalog.rules_path.write_text(text, encoding="utf-8")


def test_cleanup_applies_the_same_rules_to_the_catalog(catalog: Catalog) -> None:
    _rules_for(catalog, "[reject]\nyears = [2003]\n[dates]\nplausible_years = [1990, 2030]\n"
               '[places]\nrefuse_countries = ["KP"]\n')  # fmt: skip
    old = add_photo(catalog, date_taken=datetime(2003, 6, 1))
    unset = add_photo(catalog, date_taken=datetime(1970, 1, 1))
    placed = add_photo(catalog, date_taken=datetime(2020, 1, 1), city=("Pyongyang", "", "KP"))
    fine = add_photo(catalog, date_taken=datetime(2020, 1, 1), city=("Seoul", "", "KR"))
    failed = add_photo(catalog, date_taken=datetime(2003, 1, 1), status="failed")
    preview = cleanup(catalog, dry_run=True)
    assert {pid for pid, _ in preview} == {old.id, unset.id, placed.id}
    with catalog.reading() as session:
        assert session.get(Photo, old.id).status == "processed"  # dry run changed nothing
    assert cleanup(catalog) == preview
    with catalog.reading() as session:
        row = session.get(Photo, old.id)
        assert (row.status, row.reason) == ("rejected", "rule reject.years: taken in 2003")
        assert session.get(Photo, unset.id).date_taken is None
        assert session.get(Photo, placed.id).city_id is None
        assert session.get(Photo, fine.id).city.name == "Seoul"
        assert session.get(Photo, failed.id).status == "failed"
    assert cleanup(catalog) == []  # nothing left to do


def test_relaxing_a_rule_brings_its_photos_back(catalog: Catalog) -> None:
    """A rule change never loses a photo: what only a rule rejected comes back with cleanup."""
    _rules_for(catalog, '[reject]\nyears = [2003]\n[places]\nrefuse_countries = ["KP"]\n'
               'action = "reject"\n')  # fmt: skip
    old = add_photo(catalog, date_taken=datetime(2003, 6, 1))
    placed = add_photo(catalog, date_taken=datetime(2020, 1, 1), city=("Pyongyang", "", "KP"))
    by_owner = add_photo(catalog, date_taken=datetime(2003, 6, 1), status="rejected",
                         reason="duplicate of another photo")  # fmt: skip
    cleanup(catalog)
    _rules_for(catalog, '[places]\nrefuse_countries = ["KP"]\naction = "reject"\n')

    preview = cleanup(catalog, dry_run=True)
    assert [(pid, v.restore) for pid, v in preview] == [(old.id, True)]
    with catalog.reading() as session:
        assert session.get(Photo, old.id).status == "rejected"  # a dry run changes nothing
    assert cleanup(catalog) == preview
    with catalog.reading() as session:
        assert (session.get(Photo, old.id).status, session.get(Photo, old.id).reason) == (
            "processed",
            None,
        )
        kept = session.get(Photo, placed.id)
        assert (kept.status, kept.reason) == (
            "rejected",
            "rule places.refuse_countries: taken in KP",
        )
        assert session.get(Photo, by_owner.id).status == "rejected"  # not a rule's doing
    assert cleanup(catalog) == []


def test_cleanup_command_reports_and_bad_rules_exit_cleanly(
    catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    add_photo(catalog, date_taken=datetime(2003, 6, 1), source_path="/photos/old.jpg")
    _rules_for(catalog, "[reject]\nyears = [2003]\n")
    home = ["--catalog", str(catalog.root)]
    assert main([*home, "cleanup", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "/photos/old.jpg: reject (rule reject.years: taken in 2003)" in out
    assert "would change 1 photo(s) (1 rejected, 0 restored)" in out
    _rules_for(catalog, "[reject\n")
    assert main([*home, "cleanup"]) == 2
    assert "rules.toml, line 1: not valid TOML" in capsys.readouterr().err


def test_import_and_cleanup_judge_a_renamed_city_alike(catalog: Catalog, tmp_path: Path) -> None:
    """The rules see the city as the owner named it, at import as in cleanup: a photo must
    not flip between rejected and restored as one or the other runs."""
    _rules_for(
        catalog, '[places]\nonly_cities = { IT = ["Arezzo (Tuscany)"] }\naction = "reject"\n'
    )
    copy_data(tmp_path / "in", "DSCN0010.jpg")  # GPS in Arezzo
    assert run_import(catalog, [tmp_path / "in"], workers=1).rejected == 1
    with catalog.writing() as session:
        slug = session.scalars(select(City.slug)).one()
        rename_city(session, slug, "Arezzo (Tuscany)")

    assert cleanup(catalog)[0][1].restore  # the renamed city is listed now
    result = reprocess(catalog, workers=1)
    assert (result.imported, result.rejected) == (1, 0)  # and import agrees
    assert cleanup(catalog) == []
