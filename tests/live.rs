//! The live form (`RuleSet::live`): after any sequence of edits its report is the one a full
//! score of the same submission gives, byte for byte; each change refuses exactly the values a
//! full score refuses (and then changes nothing), and names exactly the items whose result changed.

#![cfg(not(target_arch = "wasm32"))]

use kpi_wasm::{InputType, RuleSet, Submission, ToJson};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The built-in rule sets with their example-like starting forms, and every golden case's rule
/// set with its submissions (record lists, judged scores, conditional inputs, self-assessments).
fn forms() -> &'static [(RuleSet, Vec<Submission>)] {
    static FORMS: OnceLock<Vec<(RuleSet, Vec<Submission>)>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let read = |p: &PathBuf| std::fs::read_to_string(p).expect("reads");
        let mut out = Vec::new();
        let mut examples = vec![read(&root.join("examples/subdistrict-dq.json"))];
        for dir in ["examples/units", "examples/department"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
                .expect("examples")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            files.sort();
            examples.extend(files.iter().map(read));
        }
        for id in kpi_wasm::BUILTIN_IDS {
            let rules = RuleSet::builtin(id).expect("built-in");
            let subs: Vec<Submission> = examples
                .iter()
                .filter_map(|t| Submission::from_json(t).ok())
                .filter(|s| rules.score(s).is_ok())
                .collect();
            let blank = Submission::from_json(&format!(
                r#"{{"format":"kpi-submission/1","rules":{{"id":"{}","version":"{}"}},"unit":{{"id":"u","name":"单位"}},"values":{{}}}}"#,
                rules.id(),
                rules.version()
            ))
            .expect("blank");
            let mut subs = subs;
            subs.push(blank);
            out.push((rules, subs));
        }
        let mut dirs: Vec<_> = std::fs::read_dir(root.join("tests/cases"))
            .expect("cases")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        dirs.sort();
        for dir in dirs {
            let Ok(rules) = std::fs::read_to_string(dir.join("rules.json")) else {
                continue;
            };
            let Ok(rules) = RuleSet::from_json(&rules) else {
                continue;
            };
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .expect("case")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".sub.json"))
                .collect();
            files.sort();
            let subs: Vec<Submission> = files
                .iter()
                .filter_map(|p| Submission::from_json(&read(p)).ok())
                .filter(|s| rules.score(s).is_ok())
                .collect();
            if !subs.is_empty() {
                out.push((rules, subs));
            }
        }
        out
    })
}

/// Values to try for an input of this kind, as JSON texts: valid ones and every way to be wrong.
fn values(rules: &RuleSet, input: usize) -> Vec<String> {
    let mut v: Vec<String> = ["null", "0", "1", "3", "6", "-1", "2.5", "true", "\"x\""]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let Some(input) = rules.inputs().get(input) else {
        return v;
    };
    match input.kind() {
        InputType::Percent | InputType::Number => {
            v.extend(["95.5", "\"88\"", "100", "101", "12.345", "1e3"].map(String::from))
        }
        InputType::Bool => v.extend(["false", "true"].map(String::from)),
        InputType::Choice => v.extend(input.options().iter().map(|o| format!("\"{o}\""))),
        InputType::Text => v.extend(["\"已整改\"", "\"  \""].map(String::from)),
        InputType::Date => v.extend(["\"2026-03-12\"", "\"2026-02-30\""].map(String::from)),
        _ => v.extend(["[]", "[{}]"].map(String::from)),
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_live_report_is_the_full_score_after_any_edits(
        which in 0usize..1000,
        start in 0usize..100,
        edits in prop::collection::vec((0usize..1000, 0usize..100), 1..24),
    ) {
        let all = forms();
        let (rules, subs) = &all[which % all.len()];
        let sub = &subs[start % subs.len()];
        let mut live = rules.live(sub).expect("a form that scores starts live");
        let mut before = rules.score(sub).expect("scores");
        for (input, value) in edits {
            let n = rules.inputs().len();
            if n == 0 {
                break;
            }
            let id = rules.inputs()[input % n].id().to_string();
            let choices = values(rules, input % n);
            let text = &choices[value % choices.len()];
            // The full score of the form with this value.
            let mut edited = live.submission().clone();
            let doc = format!(r#"{{"v":{text}}}"#);
            let parsed = kpi_wasm::json::parse(&doc).expect("value text");
            let value = parsed.get("v").cloned().expect("v");
            edited.values.insert(id.clone(), value);
            let full = rules.score(&edited);
            let change = live.set(&id, text);
            prop_assert_eq!(change.is_ok(), full.is_ok(), "{} = {}: {:?} vs {:?}", id, text,
                change.as_ref().err().map(ToString::to_string), full.as_ref().err().map(ToString::to_string));
            match (change, full) {
                (Ok(change), Ok(full)) => {
                    prop_assert_eq!(live.report().expect("scores").to_json(), full.to_json());
                    prop_assert_eq!(change.total, full.total);
                    prop_assert_eq!(change.grade, full.grade);
                    prop_assert_eq!(change.status, full.status);
                    let old: Vec<String> = before.sections.iter().flat_map(|s| &s.items).map(|i| i.to_json()).collect();
                    let changed: Vec<&str> = full.sections.iter().flat_map(|s| &s.items)
                        .zip(&old).filter(|(i, o)| i.to_json() != **o).map(|(i, _)| i.id).collect();
                    let said: Vec<&str> = change.items.iter().map(|i| i.id).collect();
                    prop_assert_eq!(said, changed);
                    before = full;
                }
                _ => {
                    // Refused: the form is as it was.
                    prop_assert_eq!(live.report().expect("scores").to_json(), before.to_json());
                }
            }
        }
    }
}

#[test]
fn every_kind_of_form_is_covered() {
    let all = forms();
    assert!(all.len() >= 10, "{} rule sets", all.len());
    // Some forms go the whole way (conditional inputs, record lists), most item by item.
    assert!(
        all.iter()
            .any(|(r, _)| r.inputs().iter().any(|i| i.kind() == InputType::Records))
    );
}
