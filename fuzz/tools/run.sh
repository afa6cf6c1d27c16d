#!/usr/bin/env bash
# Runs one cargo-fuzz target for a total time, restarting after a crash (libFuzzer stops at the
# first one; its input is kept in artifacts/<target>/), and prints the totals at the end.
# Usage, from fuzz/: tools/run.sh <target> [seconds=1800] [extra libFuzzer flags...]
set -uo pipefail
cd "$(dirname "$0")/.."
target=$1
total=${2:-1800}
shift $(( $# >= 2 ? 2 : 1 ))
mkdir -p "corpus/$target" "artifacts/$target" logs
log="logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
start=$(date +%s)
runs=0
while :; do
  left=$(( total - ($(date +%s) - start) ))
  [ "$left" -le 5 ] && break
  runs=$((runs + 1))
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$left" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/" "$@" >> "$log" 2>&1
done
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
echo "$target: $runs run(s), $execs executions in $(( $(date +%s) - start )) s; last status: $last"
echo "crashes: $(ls "artifacts/$target" | grep -cE '^(crash|timeout|oom|leak)-')  log: fuzz/$log"
