#!/usr/bin/env bash
# Soak: chaos on the chaos tool, at length. Each run starts a real `faultline run` process that
# replaces files with the test file fault, kills it with SIGKILL at a random moment of its life,
# then leaves the recovery to its watchdog, or kills the watchdog too and runs `faultline recover`;
# an auditor that uses no Faultline code then checks every file byte for byte and that the journal
# is empty. The same experiment as ChaosTest (50 runs in every `mvn verify`), for longer.
#
#   bench/soak.sh               # 500 runs
#   bench/soak.sh 200           # 200 runs
#   bench/soak.sh 500 1234      # 500 runs, seed 1234 (the seed is printed and recorded; a run replays)
#
# Writes runs, residues and the watchdog's revert times (p50, p99, max) to bench/results/soak.md;
# exit 1 when any run left a residue. Builds with `mvn package` (test classes included: the test
# fault and its recoverer live there), never `mvn install`.
set -euo pipefail

runs="${1:-500}"
seed="${2:-}"
[[ "$runs" =~ ^[0-9]+$ && "$runs" -gt 0 ]] || { echo "usage: $0 [runs] [seed]" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -o -DskipTests package >/dev/null 2>&1 || mvn -B -q -DskipTests package
classpath="$root/repl/target/test-classes:$root/repl/target/classes:$(cat repl/target/classpath.txt)"
mkdir -p bench/results
echo "soak: $runs runs (about $(( runs * 7 / 10 / 60 + 1 )) minutes on 2 CPUs); figures go to bench/results/soak.md"
exec java -XX:+UseSerialGC -cp "$classpath" dev.faultline.journal.ChaosSoak "$runs" bench/results/soak.md ${seed:+"$seed"}
