"""Opening the secondary windows from the main window (imported lazily: a faster start)."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from catalog import collections as colls
from catalog.operations import collections as coll_ops
from desktop.context import DesktopContext
from desktop.models.thumbnails import ThumbnailCache
from desktop.views.photo_actions import PhotoActions


def show_about(parent: QWidget) -> None:
    from desktop.views.about import show_about as about

    ctx = getattr(parent, "ctx", None)
    about(parent, str(ctx.catalog.root) if ctx else "")


def open_settings(parent: QWidget, ctx: DesktopContext, tab: str | None = None) -> None:
    """Settings, opened at ``tab`` (its title) when a hint sends the owner to one place."""
    from desktop.views.settings_dialog import SettingsDialog

    dialog = SettingsDialog(ctx, parent)
    if tab:
        dialog.show_tab(tab)
    dialog.exec()


def open_dashboard(parent: QWidget, ctx: DesktopContext, thumbs: ThumbnailCache) -> None:
    from desktop.views.dashboard import DashboardDialog

    DashboardDialog(ctx, parent).exec()


def open_duplicates(parent: QWidget, ctx: DesktopContext, thumbs: ThumbnailCache) -> None:
    from desktop.views.duplicates_review import DuplicatesDialog

    DuplicatesDialog(ctx, thumbs, parent).exec()


def open_collections(
    parent: QWidget,
    ctx: DesktopContext,
    thumbs: ThumbnailCache,
    actions: PhotoActions,
    coll_id: str | None,
) -> None:
    from desktop.views.collections import CollectionsDialog

    CollectionsDialog(ctx, thumbs, actions, coll_id, parent).exec()


def collection_action(
    parent: QWidget,
    ctx: DesktopContext,
    thumbs: ThumbnailCache,
    actions: PhotoActions,
    action: str,
    coll_id: str,
) -> None:
    """Rename, delete or manage one collection, asking the owner what is needed."""
    catalog = ctx.catalog
    with catalog.reading() as session:
        info = next((c for c in colls.list_collections(session) if c.id == coll_id), None)
    if info is None:
        return
    if action == "rename":
        name, ok = QInputDialog.getText(parent, "Rename collection", "Name:", text=info.name)
        if ok and name.strip() and name.strip() != info.name:
            ctx.perform(
                lambda: coll_ops.rename_collection(catalog, coll_id, name),
                what="the collection's name",
            )
    elif action == "delete":
        answer = QMessageBox.question(
            parent,
            "Delete collection",
            f"Delete the collection “{info.name}”? Its {info.count:,} photos stay in the catalog.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            ctx.perform(lambda: coll_ops.delete_collection(catalog, coll_id), what="the deletion")
    elif action == "manage":
        open_collections(parent, ctx, thumbs, actions, coll_id)
