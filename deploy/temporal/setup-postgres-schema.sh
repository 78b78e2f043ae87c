#!/bin/sh
# One-shot job (temporalio/admin-tools, same version as temporalio/server): creates Temporal's
# two PostgreSQL databases (persistence and visibility) and brings their schemas up to the
# server's version, then exits 0. The server starts only after it has succeeded. Safe to run on
# every `docker compose up`: on an existing database it only applies what a newer version added,
# which is also how an upgrade of the images gets its schema changes.
#
#   SQL_HOST, SQL_PORT, SQL_USER  the PostgreSQL server
#   SQL_PASSWORD                  its password (temporal-sql-tool reads it from the environment)
set -eu

schemas=/etc/temporal/schema/postgresql/v12
tool="temporal-sql-tool --plugin postgres12 --ep $SQL_HOST -p $SQL_PORT -u $SQL_USER"

for db in temporal temporal_visibility; do
  dir=temporal
  [ "$db" = temporal_visibility ] && dir=visibility
  # Both fail only when the database or its version table already exists (a later start): the
  # update that follows fails loudly if the database really is unusable.
  $tool --db "$db" create >/dev/null 2>&1 && echo "database $db: created" \
    || echo "database $db: exists"
  $tool --db "$db" setup-schema -v 0.0 >/dev/null 2>&1 || true
  $tool --db "$db" update-schema -d "$schemas/$dir/versioned"
  echo "database $db: schema up to date"
done
