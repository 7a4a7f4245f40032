"""The incremental publish: read and write only what changed since the last publish.

The catalog's journal (catalog/journal.py) names the photos, gear, places, tags and
collections touched since the publish's cursor (publisher/cursor.py). From them:

- the *dirty photos*: those touched, and those showing a touched camera, lens, city or tag
  (their rows repeat its name), on either side (catalog and open snapshot rows); a tag that
  appears or disappears from the site adds every photo carrying it (unlisted photos' tag
  links follow it);
- their rows are built exactly as the full publish builds them (``read_photos`` then
  ``photo_row``), diffed against their open rows, read by key: the open rows are the state;
- every facet row they touch (camera, lens, city, tag, collection) is recomputed from its
  open row and the dirty photos alone: count = open count − what the dirty photos counted
  before + what they count now; cover = the newer of the best photo no dirty photo displaced
  (one indexed query when the cover itself is dirty) and the dirty candidates;
- collections touched (or holding, or covered by, a dirty photo) are rebuilt from their
  members; positions of all collections (a small table) follow.

Privacy is decided as the full publish decides it (``photos_to_purge``' rules, over the dirty
photos); a tests/publisher property test checks that after random edit sequences the live
rows equal a full publish's. Anything this cannot answer — no cursor, another catalog, a
journal gap, new settings, a rolled-back or killed publish — returns None: the full path.

Modules, one step each: ``touched`` (the journal: what changed, and the photos it makes
dirty), ``rows`` (open snapshot rows, read by key), ``facets`` (cameras, lenses, cities and
tags from their open rows and the dirty photos), ``collection_rows``, ``purge`` (privacy over
the dirty photos) and ``changes`` (the plan that puts them together).
"""

from publisher.incremental.changes import Changes as Changes
from publisher.incremental.changes import Delta as Delta
from publisher.incremental.changes import plan_changes as plan_changes
from publisher.incremental.changes import start as start
