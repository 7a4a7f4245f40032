"""Alembic environment for the catalog (SQLite, batch mode for ALTERs)."""

from alembic import context
from sqlalchemy import create_engine

from catalog import models  # noqa: F401 - registers the tables on Base.metadata
from catalog.db import Base

url = context.config.get_main_option("sqlalchemy.url")
if url is None:
    raise RuntimeError("alembic config has no sqlalchemy.url")
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
