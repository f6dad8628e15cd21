#!/usr/bin/env bash
# Redis benchmark, for the record: how long redis.local() takes to start, and from a stopped master
# to Sentinel naming the new one, to the first write on it, and to the old master back as a replica,
# over 10 runs with down_after 2s (the default), 5 with 1s and 3 with 5s (p50, max), and how often the
# Sentinels failed over a second time. Results in bench/results/redis.md.
#
# Needs redis-server and redis-sentinel (Debian: redis-server redis-sentinel), installed when run as
# root. Compiles bench/src/main/java/dev/faultline/stdlib/redis/RedisBench.java against the module
# jars (build them first: mvn -q -o package -DskipTests). Takes about 5 minutes.
# Optional argument: the number of runs with down_after 2s (default 10).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-10}"

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-sentinel >/dev/null 2>&1; then
  [[ $(id -u) == 0 ]] || { echo "missing redis-server or redis-sentinel; run as root to install them" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-sentinel >/dev/null
fi

for j in stdlib/redis:redis interpreter:interpreter grammar:grammar; do
  ls "${j%%:*}"/target/faultline-"${j#*:}"-*.jar >/dev/null 2>&1 || { echo "no ${j%%:*} jar: run mvn -q -o package -DskipTests" >&2; exit 1; }
done
work="bench/target/redis-bench"
rm -rf "$work" && mkdir -p "$work/classes"
mvn -B -q -o -pl stdlib/redis dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$root/$work/deps.cp" >/dev/null
deps=$(tr ':' '\n' < "$work/deps.cp" | grep -v '/dev/faultline/' | paste -sd: -)
mods=$(ls stdlib/redis/target/faultline-redis-*.jar interpreter/target/faultline-interpreter-*.jar grammar/target/faultline-grammar-*.jar | grep -v -e sources -e tests | paste -sd: -)
javac --release 17 -d "$work/classes" -cp "$mods:$deps" bench/src/main/java/dev/faultline/stdlib/redis/RedisBench.java

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
mkdir -p bench/results
java -Dbench.commit="$commit" -cp "$work/classes:$mods:$deps" dev.faultline.stdlib.redis.RedisBench bench/results/redis.md "$runs"
