//! Instructions per report, counted by callgrind (BENCHMARKS.md): scores the submissions of a
//! JSON-lines file (those that score) under a built-in rule set, one after another, in one of
//! four ways, inside `run` only, so that the count excludes reading the file and loading rules.
//!
//!     python3 benches/make_submissions.py rules/subdistrict.json 2000 > target/subs.jsonl
//!     cargo build --release --example instructions
//!     valgrind --tool=callgrind --toggle-collect='instructions::run' \
//!         target/release/examples/instructions parsed 1000 target/subs.jsonl
//!
//! Modes: `parsed` (a read submission → report), `json` (the same and its JSON), `text` (JSON text
//! → report JSON, the plain reader), `live` (one value set in a live form, input after input,
//! the values taken from unit after unit). Divide the count by the number of calls. Without
//! valgrind it prints the wall time per call.

use kpi_wasm::{RuleSet, Submission, ToJson};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: usize, default: &str| args.get(k).cloned().unwrap_or_else(|| default.into());
    let (mode, n, path) = (
        arg(1, "parsed"),
        arg(2, "1000"),
        arg(3, "target/subs.jsonl"),
    );
    let n: usize = n.parse().unwrap_or(1000);
    let rules = RuleSet::builtin(&arg(4, "subdistrict")).unwrap_or_else(|| panic!("built-in"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| rules.score_text(l).is_ok())
        .collect();
    let subs: Vec<Submission> = lines
        .iter()
        .filter_map(|l| Submission::from_json(l).ok())
        .collect();
    assert!(!subs.is_empty(), "no submission of {path} scores");
    // (input, value JSON) pairs for `live`: a form filled in input after input.
    let edits: Vec<(String, String)> = subs
        .iter()
        .flat_map(|s| s.values.iter())
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect();
    let started = Instant::now();
    let out = run(&mode, n, &rules, &lines, &subs, &edits);
    let each = started.elapsed().as_secs_f64() * 1e6 / n.max(1) as f64;
    println!("{mode}: {n} calls, {each:.2} µs each ({out})");
}

/// The measured calls, and something of their results so that nothing is optimized away.
#[inline(never)]
fn run(
    mode: &str,
    n: usize,
    rules: &RuleSet,
    lines: &[&str],
    subs: &[Submission],
    edits: &[(String, String)],
) -> usize {
    let mut out = 0usize;
    let mut form = match mode {
        "live" => rules.live(&subs[0]).ok(),
        _ => None,
    };
    for k in 0..n {
        let i = k % subs.len();
        out += match (mode, form.as_mut()) {
            ("parsed", _) => rules.score(&subs[i]).map_or(0, |r| r.sections.len()),
            ("json", _) => rules.score(&subs[i]).map_or(0, |r| r.to_json().len()),
            ("text", _) => rules.score_text(lines[i]).map_or(0, |r| r.to_json().len()),
            ("live", Some(form)) => {
                let (input, value) = &edits[k % edits.len()];
                form.set(input, value).map_or(1, |c| c.items.len())
            }
            _ => panic!("mode: parsed, json, text or live"),
        };
    }
    out
}
