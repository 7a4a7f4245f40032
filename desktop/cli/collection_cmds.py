"""``exiftree collection …``: the owner's ordered sets of photos, from a script.

A collection is named by its id, slug or name (any case).
"""

from __future__ import annotations

import dataclasses
import json

import click

from desktop.cli.context import AppContext, pass_app


def _photo_ids(app: AppContext, keys: tuple[str, ...]) -> list[str]:
    from catalog.query import resolve_ids

    with app.catalog.reading() as session:
        return resolve_ids(session, keys)


def _collection_id(app: AppContext, key: str) -> str:
    from catalog import collections as colls

    with app.catalog.reading() as session:
        return colls.find_collection(session, key).id


@click.group()
def collection() -> None:
    """Create, fill, order and remove collections."""


@collection.command(name="create")
@click.argument("name")
@click.option("--description", help="A line about the collection.")
@pass_app
def create(app: AppContext, name: str, description: str | None) -> None:
    """Create an empty collection; prints its id."""
    from catalog.operations import collections as coll_ops

    changes = coll_ops.create_collection(app.catalog, name, description)
    click.echo(next(iter(changes.collection_ids)))


@collection.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_app
def list_(app: AppContext, as_json: bool) -> None:
    """Every collection with its size."""
    from catalog import collections as colls

    with app.catalog.reading() as session:
        infos = colls.list_collections(session)
    for info in infos:
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(info), ensure_ascii=False))
        else:
            click.echo(f"{info.id}  {info.slug:<30} {info.count:>6}  {info.name}")


@collection.command(name="show")
@click.argument("key")
@pass_app
def show(app: AppContext, key: str) -> None:
    """The collection's photo ids, in order."""
    from catalog import collections as colls

    with app.catalog.reading() as session:
        ids = colls.collection_photo_ids(session, colls.find_collection(session, key).id)
    for photo_id in ids:
        click.echo(photo_id)


@collection.command(name="add")
@click.argument("key")
@click.argument("photo_ids", nargs=-1, required=True)
@pass_app
def add(app: AppContext, key: str, photo_ids: tuple[str, ...]) -> None:
    """Append photos to a collection."""
    from catalog.operations import collections as coll_ops

    changes = coll_ops.add_photos(app.catalog, _collection_id(app, key), _photo_ids(app, photo_ids))
    click.echo(f"Added {len(changes.photo_ids)} photo(s).")


@collection.command(name="remove")
@click.argument("key")
@click.argument("photo_ids", nargs=-1, required=True)
@pass_app
def remove(app: AppContext, key: str, photo_ids: tuple[str, ...]) -> None:
    """Take photos out of a collection (they stay in the catalog)."""
    from catalog.operations import collections as coll_ops

    coll_id = _collection_id(app, key)
    changes = coll_ops.remove_photos(app.catalog, coll_id, _photo_ids(app, photo_ids))
    click.echo(f"Removed {len(changes.photo_ids)} photo(s).")


@collection.command(name="rename")
@click.argument("key")
@click.argument("new_name")
@pass_app
def rename(app: AppContext, key: str, new_name: str) -> None:
    """Rename a collection (its link stays the same)."""
    from catalog.operations import collections as coll_ops

    coll_ops.rename_collection(app.catalog, _collection_id(app, key), new_name)
    click.echo(f"Renamed to {new_name!r}.")


@collection.command(name="cover")
@click.argument("key")
@click.argument("photo_id")
@pass_app
def cover(app: AppContext, key: str, photo_id: str) -> None:
    """Choose the collection's cover among its photos."""
    from catalog.operations import collections as coll_ops

    coll_ops.set_cover(app.catalog, _collection_id(app, key), _photo_ids(app, (photo_id,))[0])
    click.echo("Cover set.")


@collection.command(name="delete")
@click.argument("key")
@pass_app
def delete(app: AppContext, key: str) -> None:
    """Delete a collection; its photos stay in the catalog."""
    from catalog.operations import collections as coll_ops

    coll_ops.delete_collection(app.catalog, _collection_id(app, key))
    click.echo("Deleted.")
