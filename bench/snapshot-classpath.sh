#!/bin/sh
# Copies the benchmarks' class path (bench/target/classes and its jars in ~/.m2) to a private
# directory and writes it to <dir>/cp.txt, so that another build's `mvn install` cannot replace a
# jar under a running benchmark. Usage: bench/snapshot-classpath.sh [dir]   (default /tmp/sluice-bench-cp)
set -eu
dest=${1:-/tmp/sluice-bench-cp}
cd "$(dirname "$0")"
classpath=$(mvn -B -o -q -Dstyle.color=never -P bench exec:exec \
  -Dexec.args="-cp %classpath dev.sluice.bench.PrintClassPath" | sed 's/\x1b\[[0-9;]*m//g' | grep '^/' | sed -n 1p)
rm -rf "$dest"
mkdir -p "$dest"
copied=""
i=0
IFS=:
for entry in $classpath; do
  i=$((i + 1))
  target="$dest/$i-$(basename "$entry")"
  cp -r "$entry" "$target"
  copied="$copied${copied:+:}$target"
done
echo "$copied" > "$dest/cp.txt"
echo "$dest/cp.txt"
