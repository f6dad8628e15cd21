#!/usr/bin/env bash
# REPL emergency-command benchmark: with 10 and 100 active file faults in a real REPL session, the
# time from pressing Enter on `revert all` or `stop all` to every fault reverted (p50, p99, max over
# 30 trials each, or $1). Appends a block to bench/results/repl.md.
#
# The source is bench/src/main/java/dev/faultline/bench/ReplBench.java, compiled here with javac
# against the command's jar and class path (mvn package, never install); it runs with the
# launcher's JVM options. Takes about a minute.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
trials=${1:-30}

build() { mvn -B -q "$@" -DskipTests package; }
build -o >/dev/null 2>&1 || build

jar=
for j in repl/target/faultline-repl-*.jar; do
  [[ -f $j && $j != *-sources.jar && $j != *-tests.jar ]] && jar=$j
done
[[ -n $jar ]] || { echo "no faultline-repl jar in repl/target" >&2; exit 1; }
cp="$jar:$(<repl/target/classpath.txt)"

mkdir -p bench/target
out="bench/target/repl-classes"
rm -rf "$out" && mkdir -p "$out"
javac --release 17 -d "$out" -cp "$cp" bench/src/main/java/dev/faultline/bench/ReplBench.java

commit=$(git rev-parse --short HEAD 2>/dev/null || echo "-")
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dbench.commit="$commit" -cp "$out:$cp" \
  dev.faultline.bench.ReplBench bench/results/repl.md "$trials"
