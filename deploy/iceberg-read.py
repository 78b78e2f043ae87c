"""Print an Iceberg table's rows, and its snapshots, as JSON lines, read by pyiceberg.

An implementation other than the writer (Sluice writes with Iceberg's Java library), for tests and
for a look at a table without a JVM. Run it with the Python that deploy/pyiceberg.sh prints:

  "$(deploy/pyiceberg.sh)" deploy/iceberg-read.py --table file:///warehouse/ns/name
  "$(deploy/pyiceberg.sh)" deploy/iceberg-read.py --metadata /w/ns/name/metadata/v3.metadata.json
  "$(deploy/pyiceberg.sh)" deploy/iceberg-read.py --sql-uri sqlite:////w/catalog.db \\
      --catalog-name sluice --warehouse file:///w --identifier ns.name
  "$(deploy/pyiceberg.sh)" deploy/iceberg-read.py --rest-uri http://127.0.0.1:8089/iceberg \\
      --credential id:secret --identifier ns.name

--table is a Hadoop-catalog table's location: its current metadata file is the one
metadata/version-hint.text names, or a newer v<N>.metadata.json when there is one (Iceberg's Java
HadoopTableOperations reads it so: a writer killed after its commit's rename leaves the hint stale). --sql-uri reads a JDBC
catalog's tables (iceberg_tables), which pyiceberg's SqlCatalog shares with Java's JdbcCatalog; the
catalog name is the one the writer gave its catalog. --rest-uri reads through an Iceberg REST
catalog server (pyiceberg's RestCatalog), signed in with --credential (OAuth2 client credentials,
client_id:client_secret) or --token (a bearer token); --warehouse is passed on when given.

One JSON object per line, in this order:
  {"table": {"location": ..., "metadata": ..., "schema": [[id, name, type, required], ...],
             "partition_spec": [[source name, transform], ...], "current_snapshot": id or null}}
  {"snapshot": {"id": ..., "parent": ..., "timestamp_ms": ..., "summary": {"operation": ..., ...}}}
  {"row": {column: value, ...}}        (unless --no-rows; rows of the current snapshot)
Values: timestamps and dates in ISO 8601, decimals as strings, binary as base64, null as null.
--prop key=value passes FileIO properties (e.g. s3.endpoint, s3.access-key-id, s3.path-style-access).
"""

import argparse
import base64
import datetime
import decimal
import json
import sys
import uuid


def jsonable(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError("cannot print a " + type(value).__name__)


def emit(kind, payload):
    sys.stdout.write(json.dumps({kind: payload}, default=jsonable, sort_keys=True) + "\n")


def hadoop_metadata(location, props):
    """The current metadata file of a Hadoop-catalog table at location."""
    from pyiceberg.io import load_file_io

    base = location.rstrip("/")
    io = load_file_io(props, base)
    with io.new_input(base + "/metadata/version-hint.text").open() as f:
        version = int(f.read().decode("utf-8").strip())
    # As Iceberg's HadoopTableOperations does: the hint may lag behind a commit whose writer died
    # between renaming v<N+1>.metadata.json into place and rewriting the hint.
    while io.new_input(base + "/metadata/v%d.metadata.json" % (version + 1)).exists():
        version += 1
    return base + "/metadata/v%d.metadata.json" % version


def load(args, props):
    if args.metadata or args.table:
        from pyiceberg.table import StaticTable

        metadata = args.metadata or hadoop_metadata(args.table, props)
        return StaticTable.from_metadata(metadata, props), metadata
    if args.rest_uri:
        from pyiceberg.catalog.rest import RestCatalog

        rest = {"uri": args.rest_uri}
        for key in ("credential", "token", "warehouse"):
            if getattr(args, key):
                rest[key] = getattr(args, key)
        table = RestCatalog(args.catalog_name, **rest, **props).load_table(args.identifier)
        return table, table.metadata_location
    from pyiceberg.catalog.sql import SqlCatalog

    catalog = SqlCatalog(args.catalog_name, uri=args.sql_uri, warehouse=args.warehouse, **props)
    table = catalog.load_table(args.identifier)
    return table, table.metadata_location


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--table", help="a Hadoop-catalog table's location")
    where.add_argument("--metadata", help="a metadata.json file")
    where.add_argument("--sql-uri", help="a SQL catalog, e.g. sqlite:////path/catalog.db")
    where.add_argument("--rest-uri", help="an Iceberg REST catalog's base URL")
    parser.add_argument("--credential", help="with --rest-uri: OAuth2 client_id:client_secret")
    parser.add_argument("--token", help="with --rest-uri: a bearer token")
    parser.add_argument("--catalog-name", default="sluice", help="with --sql-uri or --rest-uri")
    parser.add_argument("--warehouse", help="with --sql-uri or --rest-uri: the warehouse")
    parser.add_argument("--identifier", help="with --sql-uri or --rest-uri: namespace.table")
    parser.add_argument("--prop", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--no-rows", action="store_true", help="print the table and snapshots only")
    args = parser.parse_args()
    if (args.sql_uri or args.rest_uri) and not args.identifier:
        parser.error("--sql-uri and --rest-uri need --identifier")
    props = dict(p.split("=", 1) for p in args.prop)

    table, metadata = load(args, props)
    meta = table.metadata
    schema = table.schema()
    spec = table.spec()
    current = table.current_snapshot()
    emit(
        "table",
        {
            "location": meta.location,
            "metadata": metadata,
            "schema": [[f.field_id, f.name, str(f.field_type), f.required] for f in schema.fields],
            "partition_spec": [
                [schema.find_column_name(f.source_id), str(f.transform)] for f in spec.fields
            ],
            "current_snapshot": current.snapshot_id if current else None,
        },
    )
    for s in meta.snapshots:
        summary = {"operation": str(s.summary.operation.value)} if s.summary else {}
        if s.summary:
            summary.update(s.summary.additional_properties)
        emit(
            "snapshot",
            {
                "id": s.snapshot_id,
                "parent": s.parent_snapshot_id,
                "timestamp_ms": s.timestamp_ms,
                "summary": summary,
            },
        )
    if not args.no_rows and current is not None:
        for batch in table.scan().to_arrow_batch_reader():
            for row in batch.to_pylist():
                emit("row", row)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
