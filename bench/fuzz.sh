#!/usr/bin/env bash
# Fuzzes the playbook parser (PlaybookParserFuzzTest#parse) for a fixed time and appends a dated
# row with the number of executions and crashes to bench/results/fuzz.md.
#
#   bench/fuzz.sh          # 60 seconds
#   bench/fuzz.sh 600      # ten minutes
#
# Jazzer's JUnit mode (JAZZER_FUZZ=1 mvn test) takes its duration from @FuzzTest(maxDuration) only,
# so this script runs the same @FuzzTest through Jazzer's own driver, where libFuzzer's
# -max_total_time sets the time. New corpus entries go to grammar/target/fuzz/corpus; findings
# (crash-* inputs and Java reproducers) to grammar/target/fuzz/findings. A crashing input belongs
# in grammar/src/test/resources/dev/faultline/parse/PlaybookParserFuzzTestInputs/parse/ once fixed,
# so that every `mvn test` replays it.
set -euo pipefail

seconds="${1:-60}"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { echo "usage: $0 [seconds]" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="grammar/target/fuzz"
seeds="grammar/src/test/resources/dev/faultline/parse/PlaybookParserFuzzTestInputs/parse"
mkdir -p "$work/corpus" "$work/findings" bench/results

mvn_q() { mvn -B -q -o "$@" >/dev/null 2>&1 || mvn -B -q "$@"; }
mvn_q -pl grammar test-compile
mvn_q -pl grammar dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$root/$work/classpath.txt"
classpath="grammar/target/test-classes:grammar/target/classes:$(cat "$work/classpath.txt")"

before=$(find "$work/findings" -name 'crash-*' | wc -l)
log="$work/fuzz.log"
echo "fuzzing the parser for ${seconds}s (log: $log)"
status=0
java -cp "$classpath" com.code_intelligence.jazzer.Jazzer \
  --target_class=dev.faultline.parse.PlaybookParserFuzzTest --target_method=parse \
  --keep_going=100 --reproducer_path="$work/findings" \
  -max_total_time="$seconds" -artifact_prefix="$work/findings/" \
  "$work/corpus" "$seeds" > "$log" 2>&1 || status=$?

# libFuzzer's last status line (`#N  DONE|pulse|NEW ... exec/s: E`) carries the execution count.
runs=$(grep -oE '^Done [0-9]+ runs' "$log" | awk '{print $2}' | tail -1)
[[ -n "$runs" ]] || runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
runs=${runs:-0}
rate=$(( runs / seconds ))
crashes=$(( $(find "$work/findings" -name 'crash-*' | wc -l) - before ))
corpus=$(find "$work/corpus" -type f | wc -l)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "-")

results="bench/results/fuzz.md"
if [[ ! -f "$results" ]]; then
  cat > "$results" <<'HEAD'
# Parser fuzzing

Each row is one run of `bench/fuzz.sh`: PlaybookParserFuzzTest#parse under Jazzer, feeding bytes to
SourceFile.fromBytes, PlaybookParser.parse and parseStatements. A crash is any exception other than
PlaybookError, or a diagnostic without a place or a message.

| date (UTC) | commit | seconds | executions | exec/s | crashes | corpus |
|---|---|---:|---:|---:|---:|---:|
HEAD
fi
printf '| %s | %s | %d | %d | %d | %d | %d |\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$seconds" "$runs" "$rate" \
  "$crashes" "$corpus" >> "$results"

echo "executions: $runs ($rate/s), crashes: $crashes, corpus: $corpus"
if [[ "$crashes" -gt 0 ]]; then
  echo "findings in $work/findings:" && ls "$work/findings"
  exit 1
fi
# Jazzer exits non-zero only for findings; anything else is a broken setup.
[[ "$status" -eq 0 ]] || { echo "jazzer exited with $status; see $log" >&2; exit "$status"; }
