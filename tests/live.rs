//! The live form (`RuleSet::live`): after any sequence of edits its report is the one a full
//! score of the same submission gives, byte for byte; each change refuses exactly the values a
//! full score refuses (and then changes nothing), and names exactly the items whose result changed.

#![cfg(not(target_arch = "wasm32"))]

use kpi_wasm::json::Value;
use kpi_wasm::{InputType, RuleSet, Submission, ToJson};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
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

/// The parts a change sends whole, only when they changed: (key in the change, key in the report).
const WHOLE_PARTS: [(&str, &str); 6] = [
    ("bonus", "bonus"),
    ("lines", "lines"),
    ("pending", "pending"),
    ("warnings", "warnings"),
    ("self_assessment", "self"),
    ("lists", "lists"),
];

/// `report` (JSON, without its fingerprint) patched with `change` (JSON) as docs/SPEC.md says a
/// client does: figures replaced; items replaced by id inside their section; each changed
/// section's score, status and lines replaced by id; adjustments and vetoes replaced by id; bonus,
/// lines, pending, warnings, self (`self_assessment`) and lists replaced whole when present. A
/// `null` `grade_text` or section `status` means the report has no such key.
fn patched(report: &Value, change: &Value) -> Value {
    fn put(m: &mut kpi_wasm::json::Map, key: &str, v: &Value, null_absent: bool) {
        if null_absent && v.is_null() {
            m.remove(key);
        } else {
            m.insert(key.to_string(), v.clone());
        }
    }
    fn list(v: Option<&Value>) -> &[Value] {
        match v {
            Some(Value::Array(a)) => a,
            _ => &[],
        }
    }
    fn by_id<'a>(items: Option<&'a mut Value>, id: Option<&Value>) -> Option<&'a mut Value> {
        match items {
            Some(Value::Array(a)) => a.iter_mut().find(|x| x.get("id") == id),
            _ => None,
        }
    }
    let mut r = report.clone();
    let Value::Object(m) = &mut r else {
        panic!("a report is an object")
    };
    for key in ["total", "grade", "status", "subtotal", "grade_by_score"] {
        put(m, key, change.get(key).expect(key), false);
    }
    put(
        m,
        "grade_text",
        change.get("grade_text").expect("grade_text"),
        true,
    );
    for item in list(change.get("items")) {
        let Some(Value::Array(sections)) = m.get_mut("sections") else {
            panic!("sections")
        };
        let slot = sections
            .iter_mut()
            .find_map(|s| by_id(s.get_mut("items"), item.get("id")));
        *slot.expect("the changed item is in the report") = item.clone();
    }
    for sc in list(change.get("sections")) {
        let Some(Value::Object(s)) = by_id(m.get_mut("sections"), sc.get("id")) else {
            panic!("the changed section is in the report")
        };
        put(s, "score", sc.get("score").expect("score"), false);
        put(s, "status", sc.get("status").expect("status"), true);
        put(s, "lines", sc.get("lines").expect("lines"), false);
    }
    for key in ["adjustments", "vetoes"] {
        for part in list(change.get(key)) {
            *by_id(m.get_mut(key), part.get("id")).expect("the changed part is in the report") =
                part.clone();
        }
    }
    for (from, to) in WHOLE_PARTS {
        if let Some(v) = change.get(from) {
            put(m, to, v, false);
        }
    }
    r
}

/// A report's JSON as a value, without its fingerprint (a change does not carry it).
fn unprinted(json: &str) -> Value {
    let mut v = kpi_wasm::json::parse(json).expect("report JSON");
    if let Value::Object(m) = &mut v {
        m.remove("fingerprint");
    }
    v
}

/// Edits `sub` live, `edits` giving (input, value) choices, checking each change against a full
/// score of the same form.
fn check_edits(
    rules: &RuleSet,
    sub: &Submission,
    edits: Vec<(usize, usize)>,
) -> Result<(), TestCaseError> {
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
        prop_assert_eq!(
            change.is_ok(),
            full.is_ok(),
            "{} = {}: {:?} vs {:?}",
            id,
            text,
            change.as_ref().err().map(ToString::to_string),
            full.as_ref().err().map(ToString::to_string)
        );
        match (change, full) {
            (Ok(change), Ok(full)) => {
                prop_assert_eq!(live.report().expect("scores").to_json(), full.to_json());
                prop_assert_eq!(change.total, full.total);
                prop_assert_eq!(change.grade, full.grade);
                prop_assert_eq!(change.status, full.status);
                let old: Vec<String> = before
                    .sections
                    .iter()
                    .flat_map(|s| &s.items)
                    .map(|i| i.to_json())
                    .collect();
                let changed: Vec<&str> = full
                    .sections
                    .iter()
                    .flat_map(|s| &s.items)
                    .zip(&old)
                    .filter(|(i, o)| i.to_json() != **o)
                    .map(|(i, _)| i.id)
                    .collect();
                let said: Vec<&str> = change.items.iter().map(|i| i.id).collect();
                prop_assert_eq!(said, changed);
                // The report before, patched with the change, is the report after.
                let change_json = kpi_wasm::json::parse(&change.to_json()).expect("change JSON");
                let patched = patched(&unprinted(&before.to_json()), &change_json);
                prop_assert_eq!(
                    patched,
                    unprinted(&full.to_json()),
                    "{} = {}: {}",
                    id,
                    text,
                    change.to_json()
                );
                // And it names nothing that did not change.
                let (old_r, new_r) = (unprinted(&before.to_json()), unprinted(&full.to_json()));
                for (from, to) in WHOLE_PARTS {
                    if change_json.get(from).is_some() {
                        prop_assert_ne!(
                            old_r.get(to),
                            new_r.get(to),
                            "{} unchanged but sent",
                            from
                        );
                    }
                }
                let old_sections: Vec<_> = before
                    .sections
                    .iter()
                    .map(|s| (s.id, s.score, s.status, s.lines.clone()))
                    .collect();
                for sc in &change.sections {
                    let was = old_sections.iter().find(|o| o.0 == sc.id).expect("section");
                    prop_assert!(
                        *was != (sc.id, sc.score, sc.status, sc.lines.clone()),
                        "section {} unchanged but sent",
                        sc.id
                    );
                }
                for a in &change.adjustments {
                    prop_assert!(
                        !before.adjustments.contains(a),
                        "adjustment {} unchanged but sent",
                        a.id
                    );
                }
                for v in &change.vetoes {
                    prop_assert!(
                        !before.vetoes.contains(v),
                        "veto {} unchanged but sent",
                        v.id
                    );
                }
                before = full;
            }
            _ => {
                // Refused: the form is as it was.
                prop_assert_eq!(live.report().expect("scores").to_json(), before.to_json());
            }
        }
    }
    Ok(())
}

/// The forms a live form scores whole on each change that the property below can reach often:
/// record lists and self-assessments (the general property rarely picks them).
fn whole_forms() -> &'static [(usize, usize)] {
    static WHOLE: OnceLock<Vec<(usize, usize)>> = OnceLock::new();
    WHOLE.get_or_init(|| {
        let mut out = Vec::new();
        for (k, (rules, subs)) in forms().iter().enumerate() {
            let records = rules
                .inputs()
                .iter()
                .any(|i| i.kind() == InputType::Records);
            for (j, sub) in subs.iter().enumerate() {
                if records || sub.self_assessment.is_some() {
                    out.push((k, j));
                }
            }
        }
        out
    })
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
        check_edits(rules, &subs[start % subs.len()], edits)?;
    }

    #[test]
    fn forms_scored_whole_patch_the_same_way(
        which in 0usize..1000,
        edits in prop::collection::vec((0usize..1000, 0usize..100), 1..24),
    ) {
        let whole = whole_forms();
        let (k, j) = whole[which % whole.len()];
        let (rules, subs) = &forms()[k];
        check_edits(rules, &subs[j], edits)?;
    }
}

#[test]
fn every_kind_of_form_is_covered() {
    let all = forms();
    assert!(all.len() >= 10, "{} rule sets", all.len());
    // Some forms go the whole way (conditional inputs, record lists, self-assessments), most item
    // by item; some have adjustments, bonus and vetoes for the parts after the items.
    assert!(
        all.iter()
            .any(|(r, _)| r.inputs().iter().any(|i| i.kind() == InputType::Records))
    );
    assert!(
        all.iter()
            .any(|(_, subs)| subs.iter().any(|s| s.self_assessment.is_some()))
    );
    let has = |f: &dyn Fn(&kpi_wasm::Report) -> bool| {
        all.iter()
            .any(|(r, subs)| subs.iter().any(|s| f(&r.score(s).expect("scores"))))
    };
    assert!(has(&|r| !r.adjustments.is_empty()
        && r.bonus.is_some()
        && !r.vetoes.is_empty()));
    assert!(has(&|r| r.sections.iter().any(|s| s.out_of.is_some())));
}
