#!/usr/bin/env bash
# Guard breach benchmark: over 200 breaches each (or $1), with 1, 10 and 100 active in-memory
# faults and a guard checked every 100 ms, the time from the guard check that sees a breach to
# every fault reverted (p50, p99, max), and the reverts themselves. Appends a block to
# bench/results/guards.md and prints the figures against the goals (p99 <= 50 ms check to all
# reverted, p99 <= 10 ms per revert).
#
# The source is bench/src/main/java/dev/faultline/bench/GuardBench.java, compiled here with javac
# against the grammar and interpreter jars (mvn package, never install) and their dependencies;
# it runs with the launcher's JVM options. Takes about two minutes.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
breaches=${1:-200}

build() { mvn -B -q "$@" -pl grammar,interpreter -DskipTests package; }
build -o >/dev/null 2>&1 || build

jar_of() {
  local jar
  for jar in "$1"/target/faultline-"$1"-*.jar; do
    [[ -f $jar && $jar != *-sources.jar && $jar != *-tests.jar ]] && { printf '%s' "$jar"; return 0; }
  done
  echo "no jar in $1/target" >&2
  return 1
}

mkdir -p bench/target
# The interpreter's dependencies from ~/.m2, without the project's own modules (their jars come from target/).
mvn -B -q -o -pl interpreter dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$root/bench/target/guards-deps.cp" >/dev/null
deps=$(tr ':' '\n' <bench/target/guards-deps.cp | grep -v '/dev/faultline/' | paste -sd: -)
cp="$(jar_of grammar):$(jar_of interpreter):$deps"

out="bench/target/guard-classes"
rm -rf "$out" && mkdir -p "$out"
javac --release 17 -d "$out" -cp "$cp" bench/src/main/java/dev/faultline/bench/GuardBench.java
jar cf bench/target/guard-bench.jar -C "$out" .

commit=$(git rev-parse --short HEAD 2>/dev/null || echo "-")
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dbench.commit="$commit" -cp "bench/target/guard-bench.jar:$cp" \
  dev.faultline.bench.GuardBench bench/results/guards.md "$breaches"
