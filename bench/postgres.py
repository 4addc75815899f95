"""(c) on PostgreSQL: the seeded SQLite database copied into a PostgreSQL database, so the case list is measured
on the very same rows (same keys, same sealed columns) under PostgreSQL.

The PostgreSQL database is made if missing and migrated by the app's own migrations (`reflex db migrate`, the
indexes included); then every table is emptied and filled from SQLite with COPY, the id sequences are moved past
the copied ids, and the tables are vacuumed and analysed. A database that already holds as many reports is reused;
only its logins are copied again (the bench's verifier logs in afresh on every run).
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa

from bench.server import ROOT, VENV_BIN, app_env, note

ROWS_PER_READ = 20_000


def copy_into(sqlite_path: Path, url: str, data_dir: Path) -> float:
    """Make `url`'s database hold what `sqlite_path` holds; returns the seconds it took (0 when reused)."""
    began = time.monotonic()
    _create_database(url)
    subprocess.run([str(VENV_BIN / "reflex"), "db", "migrate"], cwd=ROOT, check=True, capture_output=True,
                   env=app_env(data_dir, 0) | {"WBS_DATABASE_URL": url})
    source = sqlite3.connect(sqlite_path)
    engine = sa.create_engine(url)
    wanted = source.execute("SELECT count(*) FROM report").fetchone()[0]
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as target:
        reused = target.execute(sa.text("SELECT count(*) FROM report")).scalar() == wanted
    if reused:
        _fill(engine, source, [metadata.tables["login_session"]], began)
    else:
        _fill(engine, source, [table for table in metadata.sorted_tables if table.name != "alembic_version"], began)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as target:
            target.execute(sa.text("VACUUM (ANALYZE)"))  # as autovacuum would: the visibility map and statistics
    engine.dispose()
    source.close()
    return 0.0 if reused else time.monotonic() - began


def _fill(engine: sa.Engine, source: sqlite3.Connection, tables: list[sa.Table], began: float) -> None:
    """Empty `tables` and copy them from SQLite, in one transaction."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("TRUNCATE " + ", ".join(f'"{table.name}"' for table in tables) + " RESTART IDENTITY CASCADE")
        for table in tables:
            copied = _copy_table(source, cursor, table)
            note(f"  {table.name}: {copied:,} rows ({time.monotonic() - began:.0f} s)")
            if "id" in table.columns and isinstance(table.columns["id"].type, sa.Integer):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                               f"coalesce((SELECT max(id) FROM \"{table.name}\"), 0) + 1, false)")
        raw.commit()
    finally:
        raw.close()


def _copy_table(source: sqlite3.Connection, cursor, table: sa.Table) -> int:
    """Every row of `table`, typed as PostgreSQL wants it (SQLite keeps booleans as 0/1)."""
    names = [column.name for column in table.columns]
    booleans = {i for i, column in enumerate(table.columns) if isinstance(column.type, sa.Boolean)}
    quoted = ", ".join(f'"{name}"' for name in names)
    rows = source.execute(f'SELECT {quoted} FROM "{table.name}"')
    count = 0
    with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        while batch := rows.fetchmany(ROWS_PER_READ):
            for row in batch:
                if booleans:
                    row = [bool(value) if i in booleans and value is not None else value for i, value in enumerate(row)]
                copy.write_row(row)
            count += len(batch)
    return count


def _create_database(url: str) -> None:
    target = sa.make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                    {"name": target.database}).scalar()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
