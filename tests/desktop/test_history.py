"""The Edit menu's history: newest step first, redo cleared by a new edit, memory bounded."""

from __future__ import annotations

from catalog.changes import CatalogChanges
from catalog.operations.photos import RotateBy
from desktop import history as history_module
from desktop.history import EditHistory


def step(label: str, n: int) -> CatalogChanges:
    ids = tuple(f"p{i}" for i in range(n))
    return CatalogChanges.of(ids).labelled(label, RotateBy(ids, 1, label))


def test_a_new_edit_clears_redo_and_steps_come_back_in_order(qtbot):
    history = EditHistory()
    history.did(step("A", 1))
    history.did(step("B", 1))
    assert history.undo_label() == "B"
    taken = history.take_undo()
    history.undone(taken)
    assert (history.undo_label(), history.redo_label()) == ("A", "B")
    history.did(step("C", 1))
    assert (history.undo_label(), history.redo_label()) == ("C", None)
    history.did(CatalogChanges.of(["x"]))  # nothing to undo: not a step
    assert history.undo_label() == "C"


def test_the_oldest_steps_go_when_the_history_holds_too_many_rows(qtbot, monkeypatch):
    monkeypatch.setattr(history_module, "MAX_ROWS", 100)
    history = EditHistory()
    for label in ("A", "B", "C"):
        history.did(step(label, 40))
    labels = []
    while (taken := history.take_undo()) is not None:
        labels.append(taken.label)
    assert labels == ["C", "B"]  # A (the oldest) was dropped; 80 rows fit
    history.did(step("huge", 1000))
    assert history.undo_label() == "huge"  # the newest step stays, however big
