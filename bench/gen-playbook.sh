#!/usr/bin/env bash
# Writes a playbook of about 10 KB to stdout that uses only the core library: a first scenario
# whose single step only logs a marker, then N (default 14) scenarios with functions, loops, decisions,
# expectations and records, as a real catalogue would have. Usage: bench/gen-playbook.sh [N] > x.fl
set -euo pipefail
echo 'playbook "bench-10k" {'
echo '  description "generated for bench/startup.sh: about 10 KB, core library only"'
echo '  param budget = 5%'
echo '  param retries = 3'
echo '  profile staging default { slo.failover = 30s; slo.error_rate = 1% }'
echo '  profile prod production { slo.failover = 10s; slo.error_rate = 0.5% }'
echo
echo '  scenario "first" tags [bench] {'
echo '    step "first step" {'
echo '      log "FIRST-STEP-REACHED"'
echo '    }'
echo '  }'
for i in $(seq 1 "${1:-14}"); do
  cat <<SCN

  fn check_$i(rate, limit = budget) {
    decide {
      when rate > limit * 2 -> return "P1"
      when rate > limit -> return "P2"
      else -> return "ok"
    }
  }

  scenario "catalogue.$i" tags [nightly, area$((i % 4))] {
    step "baseline $i" timeout 30s {
      let samples = [120ms, 130ms, 125ms, 118ms]
      let total = 0ms
      for s in samples { total = total + s }
      record baseline_$i = total / len(samples)
      expect total / len(samples) within 125ms ± 10ms, "baseline drifted"
    }
    step "verdict $i" {
      let verdict = check_$i(${i}% / 10)
      if verdict == "ok" { log "scenario $i within budget" } else { log "scenario $i: \${verdict}" }
      expect slo.failover <= 30s
    }
  }
SCN
done
echo '}'
