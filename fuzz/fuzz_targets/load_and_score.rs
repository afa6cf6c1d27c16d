//! Loading and scoring never panic: the input is split at the first NUL byte into a rule set and
//! a submission. A valid built-in rule set is also scored against the whole input as a
//! submission, so submissions are fuzzed against real rules.
#![no_main]

use kpi_wasm::{RuleSet, Submission};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// Loaded once: re-parsing it on every run would spend most of the fuzzing time there.
fn subdistrict() -> Option<&'static RuleSet> {
    static RULES: OnceLock<Option<RuleSet>> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin("subdistrict")).as_ref()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (rules_text, sub_text) = text.split_once('\0').unwrap_or((&text, ""));
    if let Ok(rules) = RuleSet::from_json(rules_text) {
        let _ = rules.form();
        let _ = rules.run_tests();
        if let Ok(sub) = Submission::from_json(sub_text) {
            let _ = rules.validate(&sub);
            if let Ok(report) = rules.score(&sub) {
                let _ = report.to_json();
            }
            let batch = rules.score_batch(&[sub.clone(), sub]);
            let _ = batch.reports().count();
        }
    }
    if let Some(rules) = subdistrict() {
        if let Ok(sub) = Submission::from_json(&text) {
            let _ = rules.score(&sub).map(|r| r.to_json());
        }
    }
});
