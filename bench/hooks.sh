#!/usr/bin/env bash
# Hook benchmark: in a fresh JVM, the first hook's start-up (GraalJS engine, context, the hook's top
# level) and a second hook's; then `bench.add(20, b: 22)` called 200,000 times (or $1) as a hook
# probe in a reused context and as a Java host function doing the same work, p50/p90/p99/max, and
# the bare JavaScript call on the hook thread. Appends a block to bench/results/hooks.md. Goal:
# hook probe call p50 <= 10 us.
#
# The source is bench/src/main/java/dev/faultline/stdlib/hooks/HookBench.java (in the hooks package
# to reach the runtime directly), compiled here with javac against the module jars (mvn package,
# never install) and their dependencies; it runs with the launcher's JVM options.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
calls=${1:-200000}

build() { mvn -B -q "$@" -pl stdlib/hooks -am -DskipTests package; }
build -o >/dev/null 2>&1 || build

# jar_of DIR [NAME]: the module's jar, target/faultline-NAME-*.jar (NAME defaults to DIR).
jar_of() {
  local jar name=${2:-$1}
  for jar in "$1"/target/faultline-"$name"-*.jar; do
    [[ -f $jar && $jar != *-sources.jar && $jar != *-tests.jar ]] && { printf '%s' "$jar"; return 0; }
  done
  echo "no jar in $1/target" >&2
  return 1
}

mkdir -p bench/target
mvn -B -q -o -pl stdlib/hooks dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$root/bench/target/hooks-deps.cp" >/dev/null
deps=$(tr ':' '\n' <bench/target/hooks-deps.cp | grep -v '/dev/faultline/' | paste -sd: -)
cp="$(jar_of grammar):$(jar_of interpreter):$(jar_of stdlib/hooks hooks):$deps"

out="bench/target/hook-classes"
rm -rf "$out" && mkdir -p "$out"
javac --release 17 -d "$out" -cp "$cp" bench/src/main/java/dev/faultline/stdlib/hooks/HookBench.java

commit=$(git rev-parse --short HEAD 2>/dev/null || echo "-")
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dbench.commit="$commit" -cp "$out:$cp" \
  dev.faultline.stdlib.hooks.HookBench bench/results/hooks.md "$calls"
