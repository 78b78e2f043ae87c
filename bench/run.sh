#!/bin/sh
# Builds the benchmarks with the modules they measure and runs one of them in a plain `java`.
#
#   bench/run.sh ExtractBench --rows 1000000 --runs 5
#
# No exec-maven-plugin and no `mvn install`: the reactor packages workflows, sandbox, activities,
# workers, starter and bench into their own target/ folders, and maven-dependency-plugin (pinned
# below) writes the class path, which points at those jars and at released jars in ~/.m2. Another
# checkout's `mvn install` therefore cannot swap a jar under a running benchmark. Child worker JVMs
# (ChildWorker) reuse the same class path (java.class.path). JVM flags for the benchmark's own JVM:
# BENCH_JAVA_OPTS. Offline (populated ~/.m2): MVN_FLAGS=-o. Skip the build: BENCH_NO_BUILD=1.
set -eu
if [ $# -lt 1 ]; then
  echo "usage: bench/run.sh <ExtractBench|FileBench|GrowthBench|PartsBench|IcebergBench|WorkerHeapBench|InFlightBench|FileIngestBench> [options]" >&2
  exit 2
fi
main=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
# The benchmarks ignore options they do not know (a mistyped --help would start a long run with the
# defaults): print the benchmark's line of bench/README.md instead.
for arg in "$@"; do
  case "$arg" in
    -h|--help) grep "^| \`$main\`" "$root/bench/README.md" || echo "no benchmark $main" >&2; exit 0 ;;
  esac
done
cp_file="$root/bench/target/classpath.txt"
if [ -z "${BENCH_NO_BUILD:-}" ] || [ ! -f "$cp_file" ]; then
  (cd "$root" && mvn -B -q ${MVN_FLAGS:-} -P bench -pl bench -am -DskipTests \
    package org.apache.maven.plugins:maven-dependency-plugin:3.6.1:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime)
fi
# Each module of the reactor overwrote the file in turn; bench is built last, so it is bench's.
exec java ${BENCH_JAVA_OPTS:-} -cp "$root/bench/target/classes:$(cat "$cp_file")" "dev.sluice.bench.$main" "$@"
