#!/usr/bin/env bash
# Fuzzes the parser (PlaybookParserFuzzTest#parse) and the checker (CheckerFuzzTest#loadAndCheck:
# load, imports, check and option preflight) for a fixed time each, and appends a dated row per
# target with the number of executions and crashes to bench/results/fuzz.md.
#
#   bench/fuzz.sh               # 60 seconds per target
#   bench/fuzz.sh 600           # ten minutes per target
#   bench/fuzz.sh 120 checker   # one target only: parser or checker
#
# Jazzer's JUnit mode (JAZZER_FUZZ=1 mvn test) takes its duration from @FuzzTest(maxDuration) only,
# so this script runs the same @FuzzTest through Jazzer's own driver, where libFuzzer's
# -max_total_time sets the time. New corpus entries go to <module>/target/fuzz/corpus; findings
# (crash-* inputs and Java reproducers) to <module>/target/fuzz/findings. A crashing input belongs
# in the test's saved inputs under src/test/resources once fixed, so that every `mvn test` replays it.
set -euo pipefail

seconds="${1:-60}"
only="${2:-all}"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { echo "usage: $0 [seconds] [parser|checker]" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p bench/results
mvn_q() { mvn -B -q -o "$@" >/dev/null 2>&1 || mvn -B -q "$@"; }
mvn_q -pl grammar,interpreter install -DskipTests
mvn_q -pl grammar,interpreter test-compile

results="bench/results/fuzz.md"
if [[ ! -f "$results" ]] || ! grep -q '| target |' "$results"; then
  cat > "$results" <<'HEAD'
# Fuzzing the parser and the checker

Each row is one target of one run of `bench/fuzz.sh`, under Jazzer. `parser` feeds bytes to
SourceFile.fromBytes, PlaybookParser.parse and parseStatements; `checker` loads the text as a
playbook (imports included), checks it and checks the default options against it. A crash is any
exception other than PlaybookError, or a diagnostic without a place or a message.

| date (UTC) | commit | target | seconds | executions | exec/s | crashes | corpus |
|---|---|---|---:|---:|---:|---:|---:|
HEAD
fi

failed=0
fuzz() {
  local name=$1 module=$2 class=$3 method=$4 seeds=$5
  local work="$module/target/fuzz"
  mkdir -p "$work/corpus" "$work/findings"
  mvn_q -pl "$module" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$root/$work/classpath.txt"
  local classpath="$module/target/test-classes:$module/target/classes:$(cat "$work/classpath.txt")"
  local before log status=0
  before=$(find "$work/findings" -name 'crash-*' | wc -l)
  log="$work/fuzz.log"
  echo "fuzzing the $name for ${seconds}s (log: $log)"
  java -cp "$classpath" com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" --instrumentation_includes='dev.faultline.**' \
    --keep_going=100 --reproducer_path="$work/findings" \
    -max_total_time="$seconds" -artifact_prefix="$work/findings/" \
    "$work/corpus" "$seeds" > "$log" 2>&1 || status=$?
  # libFuzzer's last lines carry the execution count (`Done N runs`, or the last `#N` status line).
  local runs
  runs=$(grep -oE '^Done [0-9]+ runs' "$log" | awk '{print $2}' | tail -1)
  [[ -n "$runs" ]] || runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  runs=${runs:-0}
  local crashes corpus
  crashes=$(( $(find "$work/findings" -name 'crash-*' | wc -l) - before ))
  corpus=$(find "$work/corpus" -type f | wc -l)
  printf '| %s | %s | %s | %d | %d | %d | %d | %d |\n' "$(date -u +%Y-%m-%dT%H:%MZ)" \
    "$(git rev-parse --short HEAD 2>/dev/null || echo -)" "$name" "$seconds" "$runs" "$(( runs / seconds ))" \
    "$crashes" "$corpus" >> "$results"
  echo "$name: executions $runs ($(( runs / seconds ))/s), crashes $crashes, corpus $corpus"
  if (( crashes > 0 )); then
    echo "findings in $work/findings:" && ls "$work/findings"
    failed=1
  elif (( status != 0 )); then
    # Jazzer exits non-zero only for findings; anything else is a broken setup.
    echo "jazzer exited with $status; see $log" >&2
    failed=1
  fi
}

[[ $only == all || $only == parser ]] && fuzz parser grammar dev.faultline.parse.PlaybookParserFuzzTest parse \
  grammar/src/test/resources/dev/faultline/parse/PlaybookParserFuzzTestInputs/parse
[[ $only == all || $only == checker ]] && fuzz checker interpreter dev.faultline.check.CheckerFuzzTest loadAndCheck \
  interpreter/src/test/resources/dev/faultline/check/CheckerFuzzTestInputs/loadAndCheck
exit "$failed"
