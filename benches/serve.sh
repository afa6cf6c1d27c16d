#!/usr/bin/env bash
# Throughput and latency of `kpi serve` for single scores: 8 concurrent connections (wrk, 2
# threads) posting 1,000 different subdistrict submissions round-robin to
# POST /v1/rule-sets/subdistrict/score, for 30 s after a 5 s warm-up. Client and server share
# the machine. Prints wrk's summary and latency distribution, then one line with throughput and
# p50/p90/p99; exits non-zero if any answer was not 200.
#
#   benches/serve.sh [seconds]        # BENCHMARKS.md, "Scoring service"
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
cargo build --quiet --release --bin kpi
mkdir -p target/bench
subs=target/bench/serve-subs.jsonl
python3 benches/make_submissions.py rules/subdistrict.json 1000 > "$subs"
./target/release/kpi serve --listen 127.0.0.1:0 > target/bench/serve.url 2> target/bench/serve.log &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s target/bench/serve.url ] && break; sleep 0.1; done
url="$(head -1 target/bench/serve.url)/v1/rule-sets/subdistrict/score"
wrk -t2 -c8 -d5s -s benches/serve.lua "$url" -- "$subs" > /dev/null   # warm-up
out=$(wrk -t2 -c8 -d"${secs}s" --latency -s benches/serve.lua "$url" -- "$subs")
echo "$out"
echo "$out" | grep -q '^non-200 answers: 0$'
