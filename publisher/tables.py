"""The publisher's own tables in the snapshot database, beside (never inside) the viewer's.

``publish_objects`` is the ledger of uploaded objects; ``publish_intents`` lists the objects
a publish is about to upload, before it uploads them (see :mod:`publisher.intents`);
``publish_state`` holds, for the newest publish, a digest of every open row and each photo's
renditions, so the next publish diffs against one row instead of re-reading the whole
snapshot (an incremental publish leaves it empty: the open rows are the state, read by key);
``publish_cursor`` remembers how far into the catalog's change journal the newest publish
read, so the next one reads only what changed since (publisher/incremental/);
``publish_set_aside`` lists the photos the newest publish could not publish, and what their
files looked like then, so the next plan names them apart instead of trying them again until
they change (publisher/set_aside.py). The viewer reads none of them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Table, Text

publisher_metadata = MetaData()

publish_objects = Table(
    "publish_objects",
    publisher_metadata,
    Column("key", String(300), primary_key=True),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("size", Integer, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("placeholder_color", String(7)),
    Column("uploaded_at", DateTime, nullable=False),
)

publish_state = Table(
    "publish_state",
    publisher_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),  # = publishes.seq
    Column("state", Text, nullable=False),  # JSON: row digests, renditions, first published
    Column("fingerprint", String(64)),  # of the catalog it was made from (None: retry all)
)

publish_intents = Table(
    "publish_intents",
    publisher_metadata,
    Column("key", String(300), primary_key=True),
)

publish_cursor = Table(
    "publish_cursor",
    publisher_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),  # = publishes.seq
    Column("epoch", String(64), nullable=False),  # the catalog journal's (catalog/journal.py)
    Column("rev", BigInteger, nullable=False),  # every change up to it is in that publish
    Column("kind", String(16)),  # what the journal named at ``rev`` (a restore check)
    Column("ref", String(64)),
    Column("basis", String(64), nullable=False),  # settings, sizes, versions it was made with
    Column("photo_rows", Integer, nullable=False),  # open photo rows (shown photos)
)

publish_set_aside = Table(
    "publish_set_aside",
    publisher_metadata,
    Column("photo_id", String(64), primary_key=True),
    Column("signature", String(32), nullable=False),  # its keys and files, when it failed
    Column("file", Text, nullable=False),  # what the owner reads: the original's path
    Column("reason", Text, nullable=False),  # why, and what to do
)
