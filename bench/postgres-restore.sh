#!/usr/bin/env bash
# Restore benchmark, for the record: backup.restore() of a table of N rows (half in the base
# backup, half in the archived WAL), to the latest change and to the backup end. Results in
# bench/results/restore.md.
#
# Needs the PostgreSQL server programs (Debian: postgresql), installed when run as root. Compiles
# bench/src/main/java/dev/faultline/stdlib/postgres/RestoreBench.java against the module jars (build
# them first: mvn -q -o package -DskipTests). Takes about a minute.
# Optional arguments: the row counts (default 10000 100000 1000000).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if ! ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 && ! command -v pg_basebackup >/dev/null 2>&1; then
  [[ $(id -u) == 0 ]] || { echo "missing the PostgreSQL server programs; run as root to install them" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

for j in stdlib/postgres:postgres interpreter:interpreter grammar:grammar; do
  ls "${j%%:*}"/target/faultline-"${j#*:}"-*.jar >/dev/null 2>&1 || { echo "no ${j%%:*} jar: run mvn -q -o package -DskipTests" >&2; exit 1; }
done
work="bench/target/restore-bench"
rm -rf "$work" && mkdir -p "$work/classes"
mvn -B -q -o -pl stdlib/postgres dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$root/$work/deps.cp" >/dev/null
deps=$(tr ':' '\n' < "$work/deps.cp" | grep -v '/dev/faultline/' | paste -sd: -)
mods=$(ls stdlib/postgres/target/faultline-postgres-*.jar interpreter/target/faultline-interpreter-*.jar grammar/target/faultline-grammar-*.jar | grep -v -e sources -e tests | paste -sd: -)
javac --release 17 -d "$work/classes" -cp "$mods:$deps" bench/src/main/java/dev/faultline/stdlib/postgres/RestoreBench.java

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
mkdir -p bench/results
java -Dbench.commit="$commit" -cp "$work/classes:$mods:$deps" dev.faultline.stdlib.postgres.RestoreBench bench/results/restore.md "$@"
