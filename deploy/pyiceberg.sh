#!/usr/bin/env bash
# A pinned pyiceberg (with pyarrow, and SQLAlchemy for SQL catalogs on SQLite), installed into this
# repository's git-ignored .tools/ folder, never system-wide: the second Iceberg implementation the
# tests read Sluice's tables back with. Installs it when missing, then prints (and nothing else on
# stdout) the path of a launcher that runs this Python with pyiceberg importable:
#
#   "$(deploy/pyiceberg.sh)" deploy/iceberg-read.py --table /warehouse/ns/name
#
# Installed the way deploy/temporal-cli.sh installs the Temporal CLI: `pip --target` into a scratch
# folder, then renamed, so an interrupted install never looks finished. The folder is keyed by the
# pinned versions and the Python's own tag (pyarrow, pydantic-core and mmh3 are compiled for one),
# e.g. .tools/pyiceberg/0.12.0-pa26.0.1-cp311. About 75 MB to download, 280 MB installed, ~20 s.
#
# pyarrow is pinned too: its S3 client is the AWS SDK for C++ it bundles, whose defaults decide
# what S3-compatible stores see (since the 2025 SDKs, "x-amz-checksum-mode: ENABLED" on every
# GetObject, which the tests' s3proxy refuses unless AWS_RESPONSE_CHECKSUM_VALIDATION=when_required).
#
# The extras: `pyarrow` (the reader: StaticTable.from_metadata for Hadoop-catalog tables and every
# scan) and `sql-sqlite` (SqlCatalog over a SQLite file, what Sluice's JDBC catalog writes).
# The Java tests (starter's dev.sluice.starter.iceberg.PyIceberg) run this script; keep one version.
#
#   SLUICE_TOOLS  where tools go (default: .tools/ at the repository root)
set -euo pipefail

version="0.12.0"
pyarrow_version="26.0.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${SLUICE_TOOLS:-$root/.tools}"

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -m pip --version >/dev/null 2>&1; then
    python="$(command -v "$candidate")"
    break
  fi
done
if [ -z "$python" ]; then
  echo "pyiceberg.sh: needs Python 3 (3.9 or later) with pip to install pyiceberg==$version" >&2
  exit 1
fi
tag="$("$python" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')"
dir="$tools/pyiceberg/$version-pa$pyarrow_version-$tag"
launcher="$dir/python"

if [ ! -x "$launcher" ]; then
  echo "installing pyiceberg $version (pip: pyiceberg[pyarrow,sql-sqlite]==$version pyarrow==$pyarrow_version) into $dir" >&2
  mkdir -p "$tools/pyiceberg"
  partial="$(mktemp -d "$tools/pyiceberg/.partial-$version-$tag.XXXXXX")"
  trap 'rm -rf "$partial"' EXIT
  chmod 755 "$partial"
  # --target writes only into that folder, so a Python that is "externally managed" allows it.
  # pip's log goes beside the folder (its resolver warns about the system's own packages, which
  # this folder does not touch); its last lines are shown when it fails.
  log="$tools/pyiceberg/pip-$version-$tag.log"
  if ! PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet \
    --disable-pip-version-check --no-input --only-binary=:all: --target "$partial" \
    "pyiceberg[pyarrow,sql-sqlite]==$version" "pyarrow==$pyarrow_version" >"$log" 2>&1; then
    tail -n 5 "$log" >&2
    echo "pyiceberg.sh: pip install pyiceberg[pyarrow,sql-sqlite]==$version pyarrow==$pyarrow_version failed (log: $log)" >&2
    exit 1
  fi
  cat >"$partial/python" <<EOF
#!/bin/sh
# Runs $python with pyiceberg $version importable (installed by deploy/pyiceberg.sh).
PYTHONPATH="$dir\${PYTHONPATH:+:\$PYTHONPATH}" PYTHONNOUSERSITE=1 exec "$python" "\$@"
EOF
  chmod 755 "$partial/python"
  if ! PYTHONPATH="$partial" PYTHONNOUSERSITE=1 "$python" -c \
    'import pyiceberg, pyarrow, sqlalchemy; from pyiceberg.table import StaticTable' >&2; then
    echo "pyiceberg.sh: pyiceberg==$version installed into $partial but does not import" >&2
    exit 1
  fi
  # Renamed into place only if no other install got there first: test JVMs run this script at the
  # same time, and deleting a finished install another process is already running from breaks it
  # mid-import. rename(2) of a directory onto a non-empty one fails, so exactly one install wins.
  if ! mv -T "$partial" "$dir" 2>/dev/null && [ ! -x "$launcher" ]; then
    # Not a finished install (renames put only whole ones there): replace it.
    rm -rf "$dir"
    mv -T "$partial" "$dir"
  fi
fi
echo "$launcher"
