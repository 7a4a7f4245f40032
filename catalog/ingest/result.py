"""What an import did, file by file: the one result every front end summarises."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from catalog.jobs import ItemOutcome


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: int
    duplicates: int
    rejected: int
    failed: int
    cancelled: bool
    outcomes: tuple[ItemOutcome, ...]
    moved: int = 0
    stopped: str | None = None  # why the batch stopped early (the catalog's disk is full...)

    @classmethod
    def from_outcomes(
        cls, outcomes: Sequence[ItemOutcome], cancelled: bool, stopped: str | None = None
    ) -> ImportResult:
        counts = Counter(o.status for o in outcomes)
        return cls(
            imported=counts["imported"],
            skipped=counts["skipped"],
            duplicates=counts["duplicate"],
            rejected=counts["rejected"],
            failed=counts["failed"],
            cancelled=cancelled,
            outcomes=tuple(outcomes),
            moved=counts["moved"],
            stopped=stopped,
        )

    @property
    def failures(self) -> list[ItemOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]
