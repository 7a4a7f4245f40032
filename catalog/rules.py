"""The owner's rule set: a TOML file in the catalog folder, applied at import and by cleanup.

One implementation for both, so a photo imported today and a photo cleaned up tomorrow
meet the same rules. A missing file is an empty rule set; a bad one is a
:class:`RulesError` naming the file and the line. ``resources/rules.example.toml``
documents every key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from catalog.errors import CatalogError
from catalog.gear.relink import reindex_photos
from catalog.models import City, Photo, Status
from catalog.slugs import slugify

if TYPE_CHECKING:
    from catalog.catalog import Catalog

PLACE_ACTIONS = ("drop_place", "reject")
_KNOWN = {
    "reject": {"years", "dates"},
    "dates": {"plausible_years"},
    "places": {"refuse_countries", "only_cities", "action"},
}


class RulesError(CatalogError):
    """The rules file cannot be used: bad TOML or a value of the wrong kind."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Verdict:
    """What the rules say about one photo. ``reject_reason`` names the rule that matched;
    ``restore`` brings back a photo an earlier rule rejected and no rule rejects now."""

    reject_reason: str | None = None
    clear_date: bool = False
    drop_place: bool = False
    restore: bool = False

    @property
    def is_change(self) -> bool:
        return self.reject_reason is not None or self.clear_date or self.drop_place or self.restore


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # inclusive

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class RuleSet:
    """Parsed rules; the empty rule set passes everything unchanged."""

    reject_years: frozenset[int] = frozenset()
    reject_dates: tuple[DateRange, ...] = ()
    plausible_years: tuple[int, int] | None = None
    refuse_countries: frozenset[str] = frozenset()
    only_cities: dict[str, frozenset[str]] = field(default_factory=dict)
    place_action: str = "drop_place"

    def check(
        self,
        date_taken: datetime | None,
        country_code: str | None,
        city: str | None,
        admin1: str | None,
    ) -> Verdict:
        """Apply every rule: implausible dates are cleared before date rules look at them."""
        clear_date = False
        if date_taken is not None and self.plausible_years is not None:
            low, high = self.plausible_years
            if not low <= date_taken.year <= high:
                clear_date, date_taken = True, None
        reason = self._date_reason(date_taken)
        place_reason = self._place_reason(country_code, city, admin1)
        drop_place = place_reason is not None and self.place_action == "drop_place"
        if reason is None and place_reason is not None and self.place_action == "reject":
            reason = place_reason
        return Verdict(reject_reason=reason, clear_date=clear_date, drop_place=drop_place)

    def _date_reason(self, taken: datetime | None) -> str | None:
        if taken is None:
            return None
        if taken.year in self.reject_years:
            return f"rule reject.years: taken in {taken.year}"
        for span in self.reject_dates:
            if taken.date() in span:
                return f"rule reject.dates: taken between {span.start} and {span.end}"
        return None

    def _place_reason(self, cc: str | None, city: str | None, admin1: str | None) -> str | None:
        code = (cc or "").strip().upper()
        if not code:
            return None
        if code in self.refuse_countries:
            return f"rule places.refuse_countries: taken in {code}"
        allowed = self.only_cities.get(code)
        if allowed is not None and slugify(city or "") not in allowed:
            place = ", ".join(p for p in (city, admin1) if p)
            return f"rule places.only_cities: {place or 'unknown city'} is not listed for {code}"
        return None


def load_rules(path: Path) -> RuleSet:
    """The rule set in ``path``; a missing file is the empty rule set."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return RuleSet()
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(path, f"cannot read the rules file: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise RulesError(path, f"not valid TOML: {exc}", line) from exc
    return _Parser(path, text).parse(data)


class _Parser:
    """Turns the TOML tables into a RuleSet, naming the key and its line on any mistake."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines = path, text.splitlines()

    def fail(self, key: str, message: str) -> RulesError:
        name = key.rsplit(".", 1)[-1]
        pattern = re.compile(rf"^\s*(?:\[\s*)?[\"']?{re.escape(name)}[\"']?\s*[=\]]")
        line = next((n for n, t in enumerate(self.lines, 1) if pattern.match(t)), None)
        return RulesError(self.path, f"{key}: {message}", line)

    def parse(self, data: dict[str, Any]) -> RuleSet:
        self._check_keys(data)
        reject, dates, places = (data.get(k, {}) for k in ("reject", "dates", "places"))
        return RuleSet(
            reject_years=frozenset(self._ints("reject.years", reject.get("years", []))),
            reject_dates=tuple(self._ranges("reject.dates", reject.get("dates", []))),
            plausible_years=self._year_span("dates.plausible_years", dates.get("plausible_years")),
            refuse_countries=frozenset(
                self._countries("places.refuse_countries", places.get("refuse_countries", []))
            ),
            only_cities=self._only_cities("places.only_cities", places.get("only_cities", {})),
            place_action=self._action("places.action", places.get("action", "drop_place")),
        )

    def _check_keys(self, data: dict[str, Any]) -> None:
        for table, value in data.items():
            if table not in _KNOWN:
                raise self.fail(table, f"unknown table; expected one of {sorted(_KNOWN)}")
            if not isinstance(value, dict):
                raise self.fail(table, "must be a table, e.g. [" + table + "]")
            for key in value:
                if key not in _KNOWN[table]:
                    known = ", ".join(sorted(_KNOWN[table]))
                    raise self.fail(f"{table}.{key}", f"unknown key; [{table}] knows {known}")

    def _ints(self, key: str, value: object) -> list[int]:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise self.fail(key, "must be a list of years, e.g. [2003, 2004]")
        return list(value)

    def _day(self, key: str, value: object) -> date:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(key, f"{value!r} is not a date like 2019-05-01")

    def _ranges(self, key: str, value: object) -> Iterator[DateRange]:
        if not isinstance(value, list):
            raise self.fail(key, "must be a list like [{ from = 2019-05-01, to = 2019-05-03 }]")
        for item in value:
            if not isinstance(item, dict) or set(item) != {"from", "to"}:
                raise self.fail(key, "each range needs exactly 'from' and 'to'")
            start, end = self._day(key, item["from"]), self._day(key, item["to"])
            if end < start:
                raise self.fail(key, f"range ends ({end}) before it starts ({start})")
            yield DateRange(start, end)

    def _year_span(self, key: str, value: object) -> tuple[int, int] | None:
        if value is None:
            return None
        years = self._ints(key, value)
        if len(years) != 2 or years[0] > years[1]:
            raise self.fail(key, "must be [first year, last year], e.g. [1990, 2030]")
        return years[0], years[1]

    def _countries(self, key: str, value: object) -> list[str]:
        if not isinstance(value, list) or not all(
            isinstance(v, str) and len(v.strip()) == 2 and v.strip().isalpha() for v in value
        ):
            raise self.fail(key, 'must be a list of two-letter country codes, e.g. ["KP"]')
        return [v.strip().upper() for v in value]

    def _only_cities(self, key: str, value: object) -> dict[str, frozenset[str]]:
        if not isinstance(value, dict):
            raise self.fail(key, 'must be a table like { FR = ["Paris", "Lyon"] }')
        result: dict[str, frozenset[str]] = {}
        for code, cities in value.items():
            self._countries(key, [code])
            if not isinstance(cities, list) or not all(isinstance(c, str) for c in cities):
                raise self.fail(key, f'{code} must list city names, e.g. ["Paris"]')
            result[code.strip().upper()] = frozenset(slugify(c) for c in cities)
        return result

    def _action(self, key: str, value: object) -> str:
        if value not in PLACE_ACTIONS:
            raise self.fail(key, f"must be one of {', '.join(PLACE_ACTIONS)}")
        return str(value)


def apply_verdict(photo: Photo, verdict: Verdict) -> None:
    """Write a verdict onto a photo row: the one place import and cleanup both use.
    Raw EXIF keeps the original date, so a cleared date can be restored later."""
    if verdict.clear_date:
        photo.date_taken = None
        photo.date_taken_offset = None
        photo.date_taken_precision = None
    if verdict.drop_place:
        photo.city_id = None
    if verdict.reject_reason is not None:
        photo.status = Status.REJECTED.value
        photo.reason = verdict.reject_reason
    elif verdict.restore:
        photo.status = Status.PROCESSED.value
        photo.reason = None


RULE_REASON_PREFIX = "rule "  # how every rule's reject_reason starts


def cleanup(catalog: Catalog, *, dry_run: bool = False) -> list[tuple[str, Verdict]]:
    """Run the catalog's rules over every processed photo, and over every photo a rule
    rejected (so relaxing a rule brings its photos back); what changed (or would change)."""
    rules = load_rules(catalog.rules_path)
    with catalog.reading() as session:
        rows = session.execute(
            select(
                Photo.id,
                Photo.status,
                Photo.reason,
                Photo.date_taken,
                City.country_code,
                City.name,
                City.admin1,
            )
            .outerjoin(City, City.id == Photo.city_id)
            .where(
                (Photo.status == Status.PROCESSED.value)
                | (
                    (Photo.status == Status.REJECTED.value)
                    & Photo.reason.startswith(RULE_REASON_PREFIX)
                )
            )
            .order_by(Photo.id)
        ).all()
    changes = [(row[0], _change(rules.check(*row[3:]), row[1], row[2])) for row in rows]
    changes = [(pid, verdict) for pid, verdict in changes if verdict.is_change]
    if not dry_run:
        for chunk in _chunks(changes, 500):
            with catalog.writing() as session:
                apply_verdicts(session, chunk)
    return changes


def _change(verdict: Verdict, status: str, reason: str | None) -> Verdict:
    """What to do to a photo now ``status``/``reason`` given the rules' ``verdict``."""
    if status != Status.REJECTED.value:
        return verdict
    if verdict.reject_reason is None:
        return replace(verdict, restore=True)
    if verdict.reject_reason == reason:
        return replace(verdict, reject_reason=None)  # still rejected, for the same rule
    return verdict


def apply_verdicts(session: Any, changes: Iterable[tuple[str, Verdict]]) -> None:
    """Apply verdicts to photos by id in one session, and refresh their search rows."""
    by_id = dict(changes)
    photos = session.scalars(select(Photo).where(Photo.id.in_(list(by_id)))).all()
    for photo in photos:
        apply_verdict(photo, by_id[photo.id])
    reindex_photos(session, [p.id for p in photos])


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
