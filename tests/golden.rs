//! Golden cases: every folder under `tests/cases/` holds a rule set and submissions with the
//! expected outcome of each. Adding a case is adding files:
//!
//! - `rules.json`: the rule set, or `rules.builtin` holding a built-in id (`subdistrict`);
//! - `rules.out.json`: present only when loading must fail: the expected problems;
//! - `NAME.sub.json`: a submission; `NAME.out.json`: its report, or `{"error": [problems]}`.
//!
//! `UPDATE_EXPECT=1 cargo test --test golden` rewrites the expected files; review them in the diff.

#![cfg(not(target_arch = "wasm32"))]

use kpi_wasm::{Problem, RuleSet, StreamEntry, Submission, ToJson};
use std::fs;
use std::path::{Path, PathBuf};

fn problems_json(problems: &[Problem]) -> String {
    let v = serde_json::json!({ "error": as_serde(&problems.to_json()) });
    serde_json::to_string_pretty(&v).expect("problems serialize") + "\n"
}

/// The engine's JSON read by serde_json (objects with sorted keys, as the expected files have them).
fn as_serde(json: &str) -> serde_json::Value {
    serde_json::from_str(json).expect("the engine writes valid JSON")
}

/// The expected-output text for one submission: the pretty report or its problems.
pub fn outcome(rules: &RuleSet, sub_text: &str) -> String {
    match Submission::from_json(sub_text) {
        Err(e) => problems_json(e.problems()),
        Ok(sub) => match rules.score(&sub) {
            Ok(report) => report.to_json_pretty() + "\n",
            Err(e) => problems_json(e.problems()),
        },
    }
}

fn check(path: &Path, actual: &str, update: bool, failures: &mut Vec<String>) {
    let expected = fs::read_to_string(path).ok();
    if expected.as_deref() == Some(actual) {
        return;
    }
    if update {
        fs::write(path, actual).expect("write expected file");
    } else if expected.is_none() {
        failures.push(format!(
            "{}: missing (run with UPDATE_EXPECT=1 to create it)",
            path.display()
        ));
    } else {
        failures.push(format!(
            "{}: differs\n--- actual ---\n{actual}",
            path.display()
        ));
    }
}

/// The case folders under `tests/NAME`, sorted.
fn case_dirs(name: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name);
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn rules_text(dir: &Path) -> String {
    if let Ok(id) = fs::read_to_string(dir.join("rules.builtin")) {
        return kpi_wasm::builtin_source(id.trim())
            .expect("known built-in id")
            .to_string();
    }
    fs::read_to_string(dir.join("rules.json"))
        .unwrap_or_else(|_| panic!("{}: no rules.json", dir.display()))
}

#[test]
fn golden_cases() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let mut count = 0;
    for dir in case_dirs("cases") {
        let rules_out = dir.join("rules.out.json");
        let rules = match RuleSet::from_json(&rules_text(&dir)) {
            Err(e) => {
                count += 1;
                check(
                    &rules_out,
                    &problems_json(e.problems()),
                    update,
                    &mut failures,
                );
                continue;
            }
            Ok(r) => r,
        };
        if rules_out.exists() {
            if update {
                fs::remove_file(&rules_out).expect("remove stale rules.out.json");
            } else {
                failures.push(format!(
                    "{}: rules loaded but a load failure was expected",
                    dir.display()
                ));
            }
        }
        let mut subs: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("case dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".sub.json"))
            .collect();
        subs.sort();
        for sub in subs {
            count += 1;
            let text = fs::read_to_string(&sub).expect("read submission");
            let out = PathBuf::from(sub.to_string_lossy().replace(".sub.json", ".out.json"));
            let expected = outcome(&rules, &text);
            // The fast path for JSON text must give the same report or the same problems.
            let fast = match rules.score_text(&text) {
                Ok(report) => report.to_json_pretty() + "\n",
                Err(e) => problems_json(e.problems()),
            };
            if fast != expected {
                failures.push(format!("{}: score_text differs:\n{fast}", sub.display()));
            }
            check(&out, &expected, update, &mut failures);
        }
        let run = rules.run_tests();
        for c in run.cases.iter().filter(|c| !c.passed()) {
            failures.push(format!(
                "{}: embedded test {} failed: {:?}",
                dir.display(),
                c.name,
                c.failures
            ));
        }
    }
    assert!(count > 0, "no golden cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} golden outcomes failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn builtin_rule_sets_load_and_pass_their_tests() {
    for id in kpi_wasm::BUILTIN_IDS {
        let rules = RuleSet::from_json(kpi_wasm::builtin_source(id).expect("source"))
            .unwrap_or_else(|e| panic!("built-in {id} does not load:\n{e}"));
        assert!(
            rules.item_count() >= 25,
            "{id} has only {} items",
            rules.item_count()
        );
        let run = rules.run_tests();
        assert!(
            run.cases.len() >= 5,
            "{id} has only {} embedded tests",
            run.cases.len()
        );
        let failed: Vec<_> = run.cases.iter().filter(|c| !c.passed()).collect();
        assert!(failed.is_empty(), "{id}: {failed:#?}");
    }
}

/// The reviewed summary of a batch: per unit its total, grade, rank, item scores and
/// report-level lines (veto effects, quota moves), or its error.
fn batch_outcome(rules: &RuleSet, units_jsonl: &str) -> String {
    let subs: Vec<Submission> = units_jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Submission::from_json(l).unwrap_or_else(|e| panic!("bad unit line {l}: {e}")))
        .collect();
    let batch = rules.score_batch(&subs);
    let units: Vec<serde_json::Value> = subs
        .iter()
        .zip(&batch.results)
        .map(|(sub, r)| match r {
            Err(e) => serde_json::json!({"unit": sub.unit.id, "error": as_serde(&e.problems().to_json())}),
            Ok(r) => {
                let items: serde_json::Map<String, serde_json::Value> = r
                    .sections
                    .iter()
                    .flat_map(|s| &s.items)
                    .map(|i| (i.id.to_string(), serde_json::json!(i.score.map(|a| a.to_string()))))
                    .collect();
                serde_json::json!({
                    "unit": r.unit.id, "total": r.total.to_string(), "grade": r.grade, "grade_by_score": r.grade_by_score,
                    "rank": r.rank.flatten(), "status": r.status.as_str(), "items": items,
                    "lines": r.lines.iter().map(|l| format!("{} {}", l.points, l.reason)).collect::<Vec<_>>(),
                })
            }
        })
        .collect();
    serde_json::to_string_pretty(&units).expect("serialize") + "\n"
}

#[test]
fn golden_batches() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let dirs = case_dirs("batches");
    let mut failures = Vec::new();
    let mut streamed_cases = 0;
    let mut refused_forms = 0;
    for dir in &dirs {
        let rules = RuleSet::from_json(&rules_text(dir))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let units = fs::read_to_string(dir.join("units.jsonl")).expect("units.jsonl");
        check(
            &dir.join("expected.json"),
            &batch_outcome(&rules, &units),
            update,
            &mut failures,
        );
        // The batch from JSON texts (the plain reader) gives the same reports, byte for byte.
        let lines: Vec<&str> = units.lines().filter(|l| !l.trim().is_empty()).collect();
        let subs: Vec<Submission> = lines
            .iter()
            .map(|l| Submission::from_json(l).expect("unit line reads"))
            .collect();
        let json = |b: kpi_wasm::BatchReport| -> Vec<String> {
            b.results
                .iter()
                .map(|r| match r {
                    Ok(report) => report.to_json(),
                    Err(e) => e.problems().to_json(),
                })
                .collect()
        };
        let texts = json(rules.score_batch_texts(&lines));
        if texts != json(rules.score_batch(&subs)) {
            failures.push(format!("{}: score_batch_texts differs", dir.display()));
        }
        // Streamed in two passes (a rule set that reads no peers), the same reports again.
        if let Some(mut stream) = rules.stream() {
            let entries = || lines.iter().map(|l| kpi_wasm::BatchInput::Text(l));
            for e in entries() {
                stream.add(e).expect("within the batch limit");
            }
            stream.rank();
            let streamed: Vec<String> = entries()
                .enumerate()
                .map(|(i, e)| match stream.report(i, e) {
                    Ok(report) => report.to_json(),
                    Err(e) => e.problems().to_json(),
                })
                .collect();
            if streamed != texts {
                failures.push(format!("{}: the streamed batch differs", dir.display()));
            }
            streamed_cases += 1;
            // Refusing forms with empty required values as they come (`kpi score` without
            // `--provisional`) is streaming the others alone; the refused get `validate`'s list.
            let missing = |sub: &Submission| -> Vec<Problem> {
                rules
                    .validate(sub)
                    .into_iter()
                    .filter(|p| p.code == kpi_wasm::Code::ValueMissing)
                    .collect()
            };
            let complete: Vec<&str> = lines
                .iter()
                .zip(&subs)
                .filter(|(_, sub)| missing(sub).is_empty())
                .map(|(l, _)| *l)
                .collect();
            let (Some(mut strict), Some(mut others)) = (rules.stream(), rules.stream()) else {
                continue;
            };
            for (l, sub) in lines.iter().zip(&subs) {
                let same = |h: &kpi_wasm::EntryHeader| {
                    (&h.rules_id, &h.rules_version, &h.unit)
                        == (&sub.rules_id, &sub.rules_version, &sub.unit)
                };
                let refused = match strict.add_text(l, true).expect("within the batch limit") {
                    StreamEntry::Taken(h) => same(&h).then(Vec::new),
                    StreamEntry::Incomplete(h, missing) => same(&h).then_some(missing),
                    StreamEntry::Unreadable(_) => None,
                };
                if refused.as_ref() != Some(&missing(sub)) {
                    failures.push(format!("{}: add_text's problems", dir.display()));
                }
                refused_forms += refused.map_or(0, |r| usize::from(!r.is_empty()));
            }
            // A text that cannot be read is not taken either.
            let taken = strict.len();
            let unread = strict.add_text("{\"format\":", true);
            if !matches!(unread, Ok(StreamEntry::Unreadable(_))) || strict.len() != taken {
                failures.push(format!(
                    "{}: add_text took an unreadable text",
                    dir.display()
                ));
            }
            for l in &complete {
                others
                    .add(kpi_wasm::BatchInput::Text(l))
                    .expect("within the batch limit");
            }
            strict.rank();
            others.rank();
            let report = |s: &kpi_wasm::BatchStream, i: usize, l: &str| match s
                .report(i, kpi_wasm::BatchInput::Text(l))
            {
                Ok(report) => report.to_json(),
                Err(e) => e.problems().to_json(),
            };
            for (i, l) in complete.iter().enumerate() {
                if report(&strict, i, l) != report(&others, i, l) {
                    failures.push(format!("{}: add_text's reports", dir.display()));
                }
            }
        }
    }
    assert!(!dirs.is_empty());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Most batch cases read no peers: the streamed batch is checked on them.
    assert!(streamed_cases >= 4, "{streamed_cases} batch cases streamed");
    assert!(
        refused_forms >= 1,
        "no batch case has a form with empty required values"
    );
}

/// Diff cases: `tests/diffs/NAME/` holds `old.json`, `new.json` and `units.jsonl`; `expected.json`
/// is the diff and `probe.json` the threshold probe from a neutral submission.
#[test]
fn golden_diffs() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let dirs = case_dirs("diffs");
    let mut failures = Vec::new();
    for dir in &dirs {
        let load = |name: &str| {
            RuleSet::from_json(&fs::read_to_string(dir.join(name)).expect("rules file"))
                .unwrap_or_else(|e| panic!("{}/{name}: {e}", dir.display()))
        };
        let (old, new) = (load("old.json"), load("new.json"));
        let subs: Vec<Submission> = fs::read_to_string(dir.join("units.jsonl"))
            .expect("units.jsonl")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| Submission::from_json(l).expect("unit line"))
            .collect();
        check(
            &dir.join("expected.json"),
            &(old.diff(&new, &subs).to_json_pretty() + "\n"),
            update,
            &mut failures,
        );
        let probe = old.probe(&new, &[]).to_json_pretty() + "\n";
        check(&dir.join("probe.json"), &probe, update, &mut failures);
    }
    assert!(!dirs.is_empty());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
