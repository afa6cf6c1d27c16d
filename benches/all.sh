#!/usr/bin/env bash
# Every figure in BENCHMARKS.md, in one run (about 40 minutes on 2 cores; run it on a quiet machine):
#   benches/all.sh            # everything
#   benches/all.sh node       # only the sections named: size native cli node limits peers browser form workspace
# Builds the package first (./build), generates the seeded inputs, and writes each section's output
# to target/bench/<section>.log as well as to the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
sections=("$@")
[ ${#sections[@]} -eq 0 ] && sections=(size native cli node limits peers browser form workspace)
out=target/bench
mkdir -p "$out"

want() { local s; for s in "${sections[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
run() { # run <section> <command...>: prints a header, tees the output to target/bench/<section>.log
  local name=$1; shift
  echo "== $name: $*" | tee -a "$out/$name.log"
  "$@" 2>&1 | tee -a "$out/$name.log"
}

rm -f "$out"/*.log
{ echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
       "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "rustc: $(rustc --version)  node: $(node --version)  date: $(date -u +%FT%TZ)"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; } | tee "$out/machine.log"

./build
python3 benches/make_submissions.py rules/subdistrict.json 2000 > target/subs.jsonl

if want size; then
  run size bash -c 'for f in pkg/kpi_wasm_bg.wasm pkg/builtins.js pkg/kpi_wasm.js pkg/index.js; do
    printf "%-24s %9d bytes raw %9d bytes gzip -9\n" "$f" "$(wc -c < "$f")" "$(gzip -9c "$f" | wc -c)"; done'
fi
if want native; then
  run native cargo bench --bench engine
fi
if want cli; then
  cargo build --release --bin kpi
  python3 benches/make_submissions.py rules/subdistrict.json 10000 > target/subs10k.jsonl
  for format in table json; do
    run cli bash -c "/usr/bin/time -f '10,000 submissions, --format $format: %e s, %M KB peak' \
      ./target/release/kpi score --rules subdistrict target/subs10k.jsonl --format $format > /dev/null"
  done
fi
if want node; then
  run node node benches/node-score.mjs subdistrict target/subs.jsonl
fi
if want limits; then
  cargo test --release --test limits -- --ignored > /dev/null # writes target/worst-case/
  run limits node benches/node-limits.mjs
fi
if want peers; then
  run peers node benches/compare.mjs
fi
if want browser; then
  run browser node benches/browser-compare.mjs
fi
if want form; then
  run form node benches/browser-form.mjs
  run form node benches/browser-keystroke.mjs   # real keystrokes → painted frame; subdistrict + generated 300 items
fi
if want workspace; then
  run workspace node benches/workspace-rank.mjs
fi
echo "figures in $out/"
